"""`flask webhooks register|status`: provision Pearlbridge's webhooks on both platforms.

Thin: builds the two clients (jobs.core.clients) from current_app.config and prints what
connectors.provisioning reports. Secrets are never printed (the Brightpearl URL's secret segment is masked).
"""
from contextlib import nullcontext

import click
from flask import current_app
from flask.cli import AppGroup

from cli.context import app_redis
from connectors.errors import ConnectorError
from connectors.provisioning import Provisioner, mask
from jobs.core import clients
from models.db import connection as db_connection


# AppGroup: a click group whose commands run inside the app context (current_app works).
@click.group("webhooks", cls=AppGroup)
def webhooks():
    """Register and check the WooCommerce webhooks and Brightpearl subscriptions."""


@webhooks.command("register")
def register_command():
    """Create missing webhooks idempotently and re-enable disabled WooCommerce ones."""
    report = _run(lambda provisioner: provisioner.register())
    click.echo(f"{len(report.changed)} change(s); {len(report.lines) - len(report.changed)} "
               "already in place")


@webhooks.command("status")
def status_command():
    """List both sides' webhooks and flag missing or disabled ones (exit 1 if any)."""
    report = _run(lambda provisioner: provisioner.status())
    if report.problems:
        click.echo(f"{len(report.problems)} webhook(s) need attention: "
                   "run `flask webhooks register`")
        raise SystemExit(1)
    click.echo("all webhooks in place")


def _run(action):
    settings = dict(current_app.config)
    connection = app_redis(settings)
    # OAuth tokens live in the database; a private app's CLI needs none.
    oauth = bool(settings.get("BRIGHTPEARL_OAUTH_CLIENT_ID"))
    with db_connection() if oauth else nullcontext():
        woo = clients.woocommerce(settings, connection)
        bp = clients.brightpearl("interactive", settings, connection)
        provisioner = Provisioner(woo, bp, settings)
        try:
            report = action(provisioner)
        except ConnectorError as exc:
            secret = settings.get("BRIGHTPEARL_WEBHOOK_SECRET")
            raise click.ClickException(mask(f"{exc} ({exc.detail})", secret)) from None
    for line in report.lines:
        marker = "  " if line.state in ("ok", "created", "reactivated", "replaced") else "! "
        click.echo(f"{marker}{line.platform:<12} {line.topic:<36} {line.state:<12} "
                   f"id={line.id if line.id is not None else '-':<8} {line.url}")
    return report


commands = [webhooks]
