"""Serving an emulator over real HTTP: in a background thread (tests) or in the foreground."""
import threading

from werkzeug.serving import make_server


class ThreadedServer:
    """A WSGI app on a loopback port in a daemon thread; port 0 picks a free port."""

    def __init__(self, app, host="127.0.0.1", port=0):
        self._server = make_server(host, port, app, threaded=True)
        self.host, self.port = host, self._server.server_port
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        """Start serving; returns self so it reads well in fixtures."""
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and wait for the thread to end."""
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()


def serve_in_thread(app, host="127.0.0.1", port=0):
    """Start app on host:port in a background thread and return the running server."""
    return ThreadedServer(app, host, port).start()
