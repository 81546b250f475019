"""Secrets never reach a log line: the Brightpearl path secret in gunicorn's access and error
logs, and WooCommerce query-string credentials in urllib3's DEBUG lines."""
import http.server
import logging
import os
import signal
import subprocess
import sys
import threading

import requests

from connectors.woocommerce import WooCommerceClient
from demo.processes import read_procfile
from tests.test_service import free_port, wait_for
from tests.webhook.test_brightpearl_receiver import SECRET, callback


def test_gunicorn_access_log_masks_the_callback_secret(app, settings, tmp_path):
    port = free_port()
    env = dict(os.environ, **settings, PORT=str(port), HOST="127.0.0.1", WEB_CONCURRENCY="1",
               ACCESS_LOG="-", LOG_LEVEL="DEBUG",
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    output = tmp_path / "web.log"
    with open(output, "wb") as sink:
        web = subprocess.Popen(["bash", "-c", f"exec {read_procfile()['web']}"], env=env,
                               start_new_session=True, stdout=sink, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: requests.get(f"{base}/healthz", timeout=1).status_code == 200)
        answer = requests.post(f"{base}/webhooks/brightpearl/{SECRET}?x=1", json=callback(),
                               timeout=5)
        assert answer.status_code == 200
        odd = requests.post(f"{base}/webhooks/brightpearl/{SECRET}", data=b"[" * 3000,
                            headers={"Content-Type": "application/json"}, timeout=5)
        assert odd.status_code == 400
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=15)
    log = output.read_text()
    assert "POST /webhooks/brightpearl/***?x=1" in log  # the access line is there, masked
    assert SECRET not in log


class _Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_query_string_credentials_are_masked_in_debug_logs(caplog):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = WooCommerceClient(f"http://127.0.0.1:{server.server_port}", "ck_visible_key",
                                   "cs_never_logged", query_string_auth=True)
        with caplog.at_level(logging.DEBUG):
            assert client.get("/orders") == []
    finally:
        server.shutdown()
    assert "/wp-json/wc/v3/orders?" in caplog.text  # urllib3 logged the request line
    assert "cs_never_logged" not in caplog.text and "ck_visible_key" not in caplog.text
