"""`make run`: the service (web, worker, poller from the Procfile) wired to the sandbox emulators.

Starts the sandbox seeded with a demo catalog, migrates the database, starts the Procfile's
processes, registers the webhooks both ways, starts the shop-day traffic generator and prints
where to log in. A process that crashes is started again, as a process manager would; Ctrl-C
stops everything.
"""
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from demo import alert_sink
from demo.fresh import fresh_demo_database, new_connection_if_used
from demo.processes import Supervisor, read_procfile
from demo.settings import BRIGHTPEARL_PORT, WEB_PORT, WOO_PORT, demo_environment


def main():
    """Run the demo until Ctrl-C (or SIGTERM), or until one of its processes exits."""
    signal.signal(signal.SIGTERM, _interrupt)
    env = demo_environment(os.environ)
    if fresh_demo_database(env, named_by_user="DATABASE_URL" in os.environ):
        print(f"demo: a fresh shop — the sandbox and {env['DATABASE_URL']} start empty together",
              flush=True)
    # Alerts go to a local chat sink that prints them, unless a real channel is configured.
    env.setdefault("ALERT_WEBHOOK_URL", alert_sink.start())
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONUNBUFFERED", "1")
    procfile = read_procfile()
    _run(procfile["release"], env)
    password = _prepare(env)
    supervisor = Supervisor(env)
    try:
        if _has("sandbox.__main__"):
            supervisor.start("sandbox", f"{sys.executable} -m sandbox --woo-port {WOO_PORT} "
                                        f"--bp-port {BRIGHTPEARL_PORT} --products 60 --customers 25")
            _wait_for_port(WOO_PORT)
            _wait_for_port(BRIGHTPEARL_PORT)
        for name in ("web", "worker", "poller"):
            supervisor.start(name, procfile[name])
        _wait_for_health(f"http://127.0.0.1:{WEB_PORT}/healthz")
        if _has("cli.webhooks"):
            _run("flask --app wsgi webhooks register", env)
        if _has("sandbox.traffic"):
            supervisor.start("traffic", f"{sys.executable} -m sandbox.traffic "
                                        f"--woo-url {env['WOO_URL']} "
                                        f"--bp-url http://127.0.0.1:{BRIGHTPEARL_PORT}")
        _banner(password)
        ended = supervisor.wait()  # a crashed web, worker or poller is started again
        if ended:
            print(f"\n{ended} exited; stopping the demo", flush=True)
    finally:
        supervisor.stop()


def _interrupt(*_):
    # SIGTERM (a process manager, `timeout`) stops the demo like Ctrl-C: children included.
    raise KeyboardInterrupt


def _has(module):
    return importlib.util.find_spec(module) is not None


def _run(command, env):
    subprocess.run(["bash", "-c", command], env=env, check=True)


def _prepare(env):
    """Create (or reset) the demo user with a fresh password; switch the flows on for the demo."""
    import config
    from demo.flows import configure_demo_flows
    from models.db import bind, connection
    from models.users import User

    password = secrets.token_urlsafe(9)
    settings = config.from_env(env)
    bind(settings["DATABASE_URL"])
    with connection():
        switched = new_connection_if_used(settings)
        if switched:
            print(f"demo: the sandbox starts empty, so this run is connection {switched[1].id}; "
                  f"earlier runs stay readable on Sync Logs", flush=True)
        user = User.get_or_none(User.username == "demo") or User(username="demo")
        user.set_password(password)
        user.save()
        configured = configure_demo_flows()
    if configured:
        print(f"demo: switched on {', '.join(configured)} with the sandbox's settings", flush=True)
    return password


def _wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"demo: nothing is listening on port {port} after {timeout}s")


def _wait_for_health(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"demo: {url} did not answer 200 within {timeout}s (is Redis running?)")


def _banner(password):
    print(
        "\n" + "=" * 72 +
        f"\n Pearlbridge is running: http://127.0.0.1:{WEB_PORT}/logs"
        f"\n log in as: demo / {password}"
        f"\n health:    http://127.0.0.1:{WEB_PORT}/health (staff), /healthz, /metrics"
        f"\n sandbox:   WooCommerce http://127.0.0.1:{WOO_PORT}  "
        f"Brightpearl http://127.0.0.1:{BRIGHTPEARL_PORT}"
        "\n Ctrl-C stops everything.\n" + "=" * 72 + "\n",
        flush=True,
    )


if __name__ == "__main__":
    main()
