"""The whole service for a benchmark: emulators, gunicorn, RQ workers (and pollers) as real
processes under the demo's supervisor (a crashed one is started again), on a fresh SQLite file
and a dedicated Redis database (BENCH_REDIS_URL; never the machine's Redis in shared runs)."""
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time

import redis
import requests

from bench import SECRET_KEY as BENCH_SECRET_KEY
from bench import redis_url as bench_redis_url
from demo.processes import Supervisor

BIN = os.path.dirname(sys.executable)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMULATORS = """
import signal, sys, threading
from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app as woo
from sandbox.brightpearl import create_app as bp
woo_port, bp_port, rate, window = map(float, sys.argv[1:5])
servers = [serve_in_thread(woo(delivery_delay=0.05), port=int(woo_port)),
           serve_in_thread(bp(rate_per_minute=int(rate), window_seconds=window), port=int(bp_port))]
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
"""
BODY_TEMPLATE = ('{"accountCode":"${account-code}","resourceType":"${resource-type}",'
                 '"id":"${resource-id}","lifecycleEvent":"${lifecycle-event}",'
                 '"fullEvent":"${full-event}","raisedOn":"${raised-on}",'
                 '"brightpearlVersion":"${brightpearl-version}"}')
BP_HEADERS = {"brightpearl-app-ref": "sandbox_pearlbridge",
              "brightpearl-staff-token": "sandbox-staff-token"}


class Stack:
    """Start with start(); everything stops with stop()."""

    def __init__(self, bp_rate=200, bp_window=60.0, budget_rate=190, workers=4, port=None,
                 woo_port=None, bp_port=None, redis_url=None, extra_env=None, restart_pause=1.0):
        port, woo_port, bp_port = (p or free_port() for p in (port, woo_port, bp_port))
        self.workdir = tempfile.mkdtemp(prefix="pearlbridge-bench-")
        self.web = f"http://127.0.0.1:{port}"
        self.woo = f"http://127.0.0.1:{woo_port}"
        self.bp_base = f"http://127.0.0.1:{bp_port}"
        self.bp = f"{self.bp_base}/public-api/sandbox"
        # Database 5 on BENCH_REDIS_URL's server (default localhost:6379).
        self.redis_url, self.workers = redis_url or bench_redis_url(5), workers
        self.bp_rate, self.bp_window = bp_rate, bp_window
        self.env = dict(
            os.environ, DATABASE_URL=f"sqlite:///{self.workdir}/bench.db", REDIS_URL=self.redis_url,
            PORT=str(port), HOST="127.0.0.1", SECRET_KEY=BENCH_SECRET_KEY, WOO_URL=self.woo,
            WOO_CONSUMER_KEY="ck_sandbox", WOO_CONSUMER_SECRET="cs_sandbox",
            WOO_WEBHOOK_SECRET="bench-woo-secret", BRIGHTPEARL_URL=self.bp,
            BRIGHTPEARL_ACCOUNT="sandbox", BRIGHTPEARL_APP_REF=BP_HEADERS["brightpearl-app-ref"],
            BRIGHTPEARL_STAFF_TOKEN=BP_HEADERS["brightpearl-staff-token"],
            BRIGHTPEARL_WEBHOOK_SECRET="bench-bp-secret", PUBLIC_URL=self.web,
            BRIGHTPEARL_RATE_PER_MINUTE=str(budget_rate),
            BRIGHTPEARL_BUDGET_WINDOW_SECONDS=str(bp_window), LOG_LEVEL="WARNING",
            PYTHONPATH=ROOT, WEB_CONCURRENCY="2")
        self.env.update(extra_env or {})
        self.log = open(f"{self.workdir}/processes.log", "a", encoding="utf-8")
        self.supervisor = Supervisor(self.env, out=self.log, pauses=(restart_pause,), cwd=ROOT)
        self._stop = threading.Event()

    def start(self, poller=False, pollers=None, web=True):
        """Start emulators, migrate, start web + workers (+ pollers); register webhooks.

        Every process runs as the Procfile says (the worker: python -m jobs.core.worker), and
        the supervisor starts again any that exits, after restart_pause seconds. web=False (and
        workers=0) leaves only the emulators, for benchmarks that run the work in their own
        process.
        """
        redis.Redis.from_url(self.redis_url).flushdb()
        self._spawn("emulators", [sys.executable, "-c", EMULATORS, self.woo.rsplit(":", 1)[1],
                                  self.bp_base.rsplit(":", 1)[1], str(self.bp_rate),
                                  str(self.bp_window)])
        subprocess.run([f"{BIN}/flask", "--app", "wsgi", "migrate"], env=self.env, cwd=ROOT,
                       check=True, capture_output=True)
        if web:
            self._spawn("web", [f"{BIN}/gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"])
        for index in range(self.workers):
            self._spawn(f"worker-{index}", [sys.executable, "-m", "jobs.core.worker",
                                            "--with-scheduler", "pearlbridge-interactive",
                                            "pearlbridge-bulk"])
        for index in range(pollers if pollers is not None else int(poller)):
            self._spawn(f"poller-{index}", [sys.executable, "-m", "poller"])
        threading.Thread(target=self.supervisor.wait, args=(self._stop,), daemon=True).start()
        if web:
            self._wait(f"{self.web}/healthz")
        self._wait(f"{self.woo}/_sandbox/state")
        self._wait(f"{self.bp_base}/_sandbox/state")
        return self

    def register_webhooks(self, woo_topics, bp_events):
        """Point both emulators' webhooks at the receivers."""
        for topic in woo_topics:
            requests.post(f"{self.woo}/wp-json/wc/v3/webhooks", auth=("ck_sandbox", "cs_sandbox"),
                          json={"topic": topic, "secret": self.env["WOO_WEBHOOK_SECRET"],
                                "delivery_url": f"{self.web}/webhooks/woocommerce"},
                          timeout=10).raise_for_status()
        for event in bp_events:
            requests.post(f"{self.bp}/integration-service/webhook", headers=BP_HEADERS, json={
                "subscribeTo": event, "httpMethod": "POST", "bodyTemplate": BODY_TEMPLATE,
                "uriTemplate": f"{self.web}/webhooks/brightpearl/bench-bp-secret",
                "contentType": "application/json", "idSetAccepted": True,
                "qualityOfService": 1}, timeout=10).raise_for_status()

    def control(self, platform, path, body=None, method="POST"):
        """Call an emulator's control API."""
        base = self.woo if platform == "woo" else self.bp_base
        response = requests.request(method, f"{base}/_sandbox/{path}", json=body, timeout=60)
        response.raise_for_status()
        return response.json() if response.content else None

    def pids(self, prefix):
        """{name: pid} of the running processes whose name starts with prefix."""
        return {name: process.pid for name, process in list(self.supervisor.processes.items())
                if name.startswith(prefix) and process.poll() is None}

    def stop(self):
        """Stop supervising, then stop every process started."""
        self._stop.set()
        time.sleep(0.3)
        self.supervisor.stop(grace=20)
        self.log.close()

    def _spawn(self, name, command):
        self.supervisor.start(name, shlex.join(command))

    @staticmethod
    def _wait(url, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                requests.get(url, timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise SystemExit(f"{url} did not come up")


def free_port():
    """A TCP port nothing listens on now (benchmarks in parallel checkouts never collide)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_with(run, options, redis_db, **stack_options):
    """Start the emulators (no web, no workers) on the benchmark's own Redis database (on
    BENCH_REDIS_URL's server), run(stack, options), stop everything."""
    stack = Stack(workers=0, redis_url=bench_redis_url(redis_db), **stack_options).start(web=False)
    try:
        run(stack, options)
    finally:
        stack.stop()
