"""Alert fixtures: a real SMTP server (aiosmtpd) and an HTTP chat-webhook sink, both local,
and the full settings with both channels pointed at them."""
import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

import config


def free_port():
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    @property
    def subjects(self):
        """The subjects received, in order."""
        return [" ".join(m["Subject"].split()) for m in self.messages]


class ChatSink(ThreadingHTTPServer):
    """A chat incoming-webhook stand-in: records JSON bodies; fails the next `failures` POSTs."""

    def __init__(self):
        self.posts, self.failures = [], 0
        super().__init__(("127.0.0.1", 0), _ChatHandler)
        self.url = f"http://127.0.0.1:{self.server_port}/hooks/T0123/secret-token"

    @property
    def texts(self):
        """The first line (the subject) of every accepted post."""
        return [p["text"].splitlines()[0] for p in self.posts]


class _ChatHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.server.failures > 0:
            self.server.failures -= 1
            self.send_response(500)
        else:
            self.server.posts.append(body)
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def mail():
    """A real SMTP server on loopback; its sink."""
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture
def chat():
    """The chat webhook sink, served in a thread."""
    sink = ChatSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


@pytest.fixture
def alert_settings(app, settings, mail, chat):
    """Every setting (defaults included), alerts sent to both sinks."""
    return config.from_env(environ={}, overrides=dict(
        settings, SMTP_HOST="127.0.0.1", SMTP_PORT=str(mail.port), SMTP_TLS="none",
        ALERT_EMAIL_TO="ops@shop.example, owner@shop.example", ALERT_WEBHOOK_URL=chat.url,
        PUBLIC_URL="https://sync.shop.example", ALERT_FAILED_THRESHOLD="3",
        ALERT_STALLED_SECONDS="600", ALERT_WAITING_SECONDS="600",
        ALERT_QUEUE_AGE_SECONDS="300", ALERT_POLLER_SILENT_SECONDS="120"))
