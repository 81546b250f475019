"""Flask CLI commands (flask …), registered on the app by the factory."""
import click
from flask import current_app

from cli import (backfill, brightpearl, connection as connection_commands, products, prune,
                 reconcile, users, webhooks)
from jobs.core.inbox import sweep_inbox
from models.db import connection
from models.migrations import run_migrations
from models.store_identity import check as check_connection


def init_app(app):
    """Register every command group on app."""
    app.cli.add_command(migrate_command)
    app.cli.add_command(sweep_inbox_command)
    for module in (brightpearl, products, prune, users, webhooks, reconcile, backfill,
                   connection_commands):
        for command in module.commands:
            app.cli.add_command(command)


@click.command("migrate")
def migrate_command():
    """Apply pending schema migrations (the Procfile's release step)."""
    with connection():
        applied = run_migrations()
        check_connection(current_app.config)  # records the store and account, or refuses
    click.echo(f"applied migrations: {applied}" if applied else "schema is up to date")


@click.command("sweep-inbox")
def sweep_inbox_command():
    """Enqueue inbox events that never reached the queue (for example while Redis was down)."""
    config = current_app.config
    redis_connection, _ = current_app.extensions["pearlbridge_queue"]
    with connection():
        count = sweep_inbox(redis_connection, grace_seconds=0,
                            requeue_seconds=config["INBOX_REQUEUE_SECONDS"])
    click.echo(f"enqueued {count} record(s) from the inbox")
