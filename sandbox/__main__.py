"""python -m sandbox: both emulators on loopback, seeded with the same demo catalog.

    python -m sandbox [--host 127.0.0.1] [--woo-port 8081] [--bp-port 8082] [--products 60]
                      [--customers 25] [--seed 7] [--state-dir DIR] [--bp-rate 200] [--bp-window 60]
"""
import argparse
import logging
import os
import signal
import sys
import threading

from sandbox.brightpearl import create_app as brightpearl_app
from sandbox.server import ThreadedServer
from sandbox.woocommerce import create_app as woo_app


def parse(argv=None):
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--woo-port", type=int, default=8081)
    parser.add_argument("--bp-port", type=int, default=8082)
    parser.add_argument("--products", type=int, default=60)
    parser.add_argument("--customers", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--state-dir", help="keep each emulator's state in a file here")
    parser.add_argument("--bp-rate", type=int, default=200, help="Brightpearl requests per window")
    parser.add_argument("--bp-window", type=float, default=60.0, help="throttle window, seconds")
    parser.add_argument("--access-log", action="store_true", help="print every request served")
    return parser.parse_args(argv)


def _product_count(app):
    """How many products the emulator holds (its control API's /state, in process)."""
    state = app.test_client().get("/_sandbox/state").get_json()
    return int((state.get("counts") or state).get("products") or 0)


def _seed_unless_kept(name, app, options):
    """POST /_sandbox/seed unless the emulator already has a catalog; returns what was done."""
    if _product_count(app):
        # State reloaded from --state-dir: re-seeding would wipe the orders made before.
        return f"state kept in {options.state_dir}"
    seed = {"products": options.products, "customers": options.customers, "seed": options.seed}
    # Seeded before the port opens, so nobody (the demo, the traffic) sees an empty shop.
    answer = app.test_client().post("/_sandbox/seed", json=seed)
    if answer.status_code >= 300:
        raise SystemExit(f"sandbox: seeding {name} failed: {answer.get_data(as_text=True)}")
    return f"seeded {options.products} products, {options.customers} customers, seed {options.seed}"


def build(options):
    """The two apps, seeded (or reloaded); returns [(name, app, what was done)]."""
    paths = {"woo": None, "bp": None}
    if options.state_dir:
        os.makedirs(options.state_dir, exist_ok=True)
        paths = {name: os.path.join(options.state_dir, f"{name}.sqlite") for name in paths}
    # The store's own URL (links, X-WC-Webhook-Source) is known up front, not guessed from a request.
    site = f"http://{options.host}:{options.woo_port}/" if options.woo_port else None
    woo = woo_app(state_path=paths["woo"], site_url=site)
    bp = brightpearl_app(rate_per_minute=options.bp_rate, window_seconds=options.bp_window,
                         state_path=paths["bp"])
    return [(name, app, _seed_unless_kept(name, app, options))
            for name, app in (("WooCommerce", woo), ("Brightpearl", bp))]


def main(argv=None):
    """Start, seed (unless persisted state exists), print where they are, run until stopped."""
    options = parse(argv)
    if not options.access_log:
        # The demo's console is for the service and the shop day; /_sandbox/requests counts calls.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    apps = build(options)
    servers = []
    try:
        for (_, app, _), port in zip(apps, (options.woo_port, options.bp_port)):
            servers.append(ThreadedServer(app, options.host, port).start())
    except OSError as error:
        for server in servers:
            server.stop()
        raise SystemExit(f"sandbox: cannot listen on {options.host}: {error}") from None
    woo, bp = servers
    print(f"sandbox: WooCommerce  {woo.url}  consumer key ck_sandbox, secret cs_sandbox "
          f"({apps[0][2]})", flush=True)
    print(f"sandbox: Brightpearl  {bp.url}/public-api/sandbox  app ref sandbox_pearlbridge, "
          f"staff token sandbox-staff-token, {options.bp_rate} requests per "
          f"{options.bp_window:g} s ({apps[1][2]})", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    # wait() with a timeout, so the main thread wakes to run the signal handler promptly.
    while not stop.wait(0.5):
        pass
    for server in servers:
        server.stop()
    print("sandbox: stopped", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
