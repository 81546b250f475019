"""The whole service for a benchmark: emulators, gunicorn, RQ workers (and the poller) as
real processes, on a fresh SQLite file and a dedicated Redis database."""
import os
import signal
import subprocess
import sys
import tempfile
import time

import redis
import requests

from bench import SECRET_KEY as BENCH_SECRET_KEY
from bench import redis_url as bench_redis_url

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

    def __init__(self, bp_rate=200, bp_window=60.0, budget_rate=190, workers=4, port=8130,
                 woo_port=8131, bp_port=8132, redis_url=None, extra_env=None):
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
            PYTHONPATH=ROOT, WEB_CONCURRENCY="2", **(extra_env or {}))
        self.processes = []

    def start(self, poller=False, web=True):
        """Start emulators, migrate, start web + workers (+ poller); register webhooks.

        web=False (and workers=0) leaves only the emulators, for benchmarks that run the work
        in their own process.
        """
        redis.Redis.from_url(self.redis_url).flushdb()
        self._spawn([sys.executable, "-c", EMULATORS, self.woo.rsplit(":", 1)[1],
                     self.bp_base.rsplit(":", 1)[1], str(self.bp_rate), str(self.bp_window)])
        subprocess.run([f"{BIN}/flask", "--app", "wsgi", "migrate"], env=self.env, cwd=ROOT,
                       check=True, capture_output=True)
        if web:
            self._spawn([f"{BIN}/gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"])
        for index in range(self.workers):
            extra = ["--with-scheduler"] if index == 0 else []
            self._spawn([f"{BIN}/rq", "worker", *extra, "--url", self.redis_url, "-q",
                         "pearlbridge-interactive", "pearlbridge-bulk"])
        if poller:
            self._spawn([sys.executable, "-m", "poller"])
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

    def stop(self):
        """Stop every process started."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def _spawn(self, command):
        self.processes.append(subprocess.Popen(
            command, env=self.env, cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=open(f"{self.workdir}/stderr.log", "ab")))

    @staticmethod
    def _wait(url, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                requests.get(url, timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise SystemExit(f"{url} did not come up")


def run_with(run, options, redis_db, **stack_options):
    """Start the emulators (no web, no workers) on the benchmark's own Redis database (on
    BENCH_REDIS_URL's server), run(stack, options), stop everything."""
    stack = Stack(workers=0, redis_url=bench_redis_url(redis_db), **stack_options).start(web=False)
    try:
        run(stack, options)
    finally:
        stack.stop()
