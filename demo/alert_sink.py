"""The demo's chat channel: a local incoming-webhook stand-in that prints every alert it gets,
so `make run` shows alerts arriving the way a Slack or Teams channel would."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOLD, RESET = "\033[1;31m", "\033[0m"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        """Print the alert's text; 400 for anything that is not {"text": …}."""
        try:
            text = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))["text"]
        except (ValueError, KeyError, TypeError):
            self.send_response(400)
            self.end_headers()
            return
        lines = text.splitlines()
        print(f"{BOLD}chat    | {lines[0]}{RESET}", *(f"chat    |   {ln}" for ln in lines[1:] if ln),
              sep="\n", flush=True)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        """No access log: the alerts themselves are the output."""


def start(port=0):
    """Serve on loopback in a daemon thread; the URL to post alerts to."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/demo-chat"
