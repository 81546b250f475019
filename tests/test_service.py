"""The Procfile's processes for real: gunicorn, an RQ worker and the poller, over HTTP."""
import os
import signal
import socket
import subprocess
import sys
import time

import requests

from demo.processes import read_procfile
from models.events import Event
from tests.fixtures import load, php_json, woo_headers


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    return False


def test_web_worker_and_poller_process_a_webhook(app, settings):
    port = free_port()
    env = dict(os.environ, **settings, PORT=str(port), HOST="127.0.0.1", WEB_CONCURRENCY="1",
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    procfile = read_procfile()
    processes = [subprocess.Popen(["bash", "-c", f"exec {procfile[name]}"], env=env,
                                  start_new_session=True, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
                 for name in ("web", "worker", "poller")]
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: requests.get(f"{base}/healthz", timeout=1).status_code == 200)
        body = php_json(load("woo_order.json"))
        response = requests.post(f"{base}/webhooks/woocommerce", data=body,
                                 headers=woo_headers(body), timeout=5)
        assert response.status_code == 200
        assert wait_for(lambda: Event.get().processed_at is not None)
        # No flow is switched on in a fresh install: the order waits, saying why.
        assert Event.get().outcome == "flow off: Orders is switched off on the Flows page"
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=15)
