"""`flask brightpearl connect|status`: connect the OAuth instance app, and show the connection.

connect prints the authorisation URL; the account admin opens it and approves; Brightpearl then
redirects to the registered redirect URI with a code. The command takes that code (or the whole
URL, pasted or given with --code), or with --listen serves the redirect URI itself (when it
points at this machine, e.g. http://127.0.0.1:8765/brightpearl/callback), and stores the tokens
encrypted. The staff page /brightpearl does the same in the browser.
"""
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import AppGroup

import jobs.core.connection as bp_connection
from cli.context import app_redis
from models.db import connection as db_connection


@click.group("brightpearl", cls=AppGroup)
def brightpearl():
    """Connect Brightpearl (OAuth instance app) and show the connection."""


@brightpearl.command("connect")
@click.option("--code", "given", help="The code Brightpearl redirected with (or that whole URL).")
@click.option("--listen", is_flag=True, help="Serve the redirect URI here and wait for it.")
@click.option("--timeout", default=300, show_default=True, help="Seconds --listen waits.")
def connect_command(given, listen, timeout):
    """Print the authorisation URL, then trade the code Brightpearl sends back for tokens."""
    settings = dict(current_app.config)
    state = bp_connection.new_state()
    try:
        url = bp_connection.start(settings, state)
    except bp_connection.NotOAuth as exc:
        raise click.ClickException(f"{exc}; set the OAuth settings first (README).") from None
    click.echo("Open this address as a Brightpearl admin of the account and approve the app:")
    click.echo(f"  {url}")
    if listen:
        code = _serve_redirect(bp_connection.redirect_uri(settings), state, timeout)
    else:
        text = given or click.prompt("Paste the address Brightpearl sent you to (or its code)")
        try:
            code = bp_connection.code_from(text, state)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    if not code:
        raise click.ClickException("no authorisation code: nothing was connected")
    with db_connection():
        try:
            found = bp_connection.complete(settings, code, app_redis(settings))
        except bp_connection.ConnectFailed as exc:
            raise click.ClickException(f"{exc} ({exc.code})") from None
    click.echo("Connected.")
    _show(found)


@brightpearl.command("status")
def status_command():
    """Show how Pearlbridge is connected to Brightpearl (never the tokens)."""
    with db_connection():
        found = bp_connection.summary(dict(current_app.config))
    _show(found)
    if not found.connected:
        raise SystemExit(1)


def _show(found):
    expiry = found.expires_at.strftime("%Y-%m-%d %H:%M UTC") if found.expires_at else "—"
    click.echo(f"  mode           {found.mode}")
    click.echo(f"  account        {found.account}")
    click.echo(f"  connected      {'yes' if found.connected else 'no'}")
    click.echo(f"  api_domain     {found.api_domain or '—'}")
    if found.mode == "oauth":
        click.echo(f"  instance id    {found.instance_id or '—'}")
        click.echo(f"  token expires  {expiry}")


def _serve_redirect(redirect_uri, state, timeout):
    """Answer Brightpearl's redirect on redirect_uri's own host and port; returns the code."""
    target = urlsplit(redirect_uri)
    found = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server hook
            if urlsplit(self.path).path != target.path:
                self.send_error(404)
                return
            try:
                found["code"] = bp_connection.code_from(self.path, state)
                status, text = 200, ("Pearlbridge received the authorisation; you can close "
                                     "this tab.")
            except ValueError as exc:
                status, text = 400, str(exc)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(text.encode("utf-8"))

        def log_message(self, *args):  # the code must not end up in a terminal log
            return

    server = HTTPServer((target.hostname or "127.0.0.1", target.port or 80), Handler)
    server.timeout = 1
    click.echo(f"Waiting for Brightpearl's redirect on {redirect_uri} ...")
    deadline = time.monotonic() + timeout
    try:
        while "code" not in found and time.monotonic() < deadline:
            server.handle_request()
    finally:
        server.server_close()
    return found.get("code")


commands = [brightpearl]
