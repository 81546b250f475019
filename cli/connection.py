"""`flask connection status|switch|rename`: which store and Brightpearl account this database
belongs to, and how an operator moves it to another (docs/ARCHITECTURE.md, "Connections")."""
import click
from flask import current_app
from flask.cli import with_appcontext

from models.connections import Connection
from models.db import connection
from models.store_identity import ConnectionChanged, identity, mismatch, open_connection, \
    rename, switch


@click.group("connection")
def connection_group():
    """The store and Brightpearl account this database's links and logs belong to."""


@connection_group.command("status")
@with_appcontext
def status_command():
    """Every connection, the open one marked, and whether the configuration matches it."""
    with connection():
        current = open_connection()
        if current is None:
            raise click.ClickException('no connection yet: run "flask migrate" first')
        for row in Connection.select().order_by(Connection.id):
            state = "open" if row.id == current.id else f"ended {row.ended_at:%Y-%m-%d %H:%M}"
            click.echo(f"{'*' if row.id == current.id else ' '} {row.id}  {state:<22} "
                       f"{row.woo_store or '(not recorded yet)'}  Brightpearl "
                       f"{row.bp_account or '(not recorded yet)'}"
                       + (f" (installation {row.bp_instance_id})" if row.bp_instance_id else ""))
        if current.woo_store is not None:
            problem = mismatch(current, identity(current_app.config))
            click.echo(problem or "the configuration matches the open connection")


@connection_group.command("switch")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def switch_command(yes):
    """Start a new connection for the configured store and account (stop the service first)."""
    wanted = identity(current_app.config)
    if not yes:
        click.confirm(f"Start a new connection for WooCommerce store {wanted['woo_store']} and "
                      f"Brightpearl account {wanted['bp_account']}? The current connection's "
                      "links are never used again; its logs stay readable", abort=True)
    with connection():
        old, new = switch(current_app.config)
        flows_off = old is not None and old.bp_account not in (None, new.bp_account)
    click.echo(f"connection {new.id} started: {new.describe()}"
               + (f"; connection {old.id} ({old.describe()}) ended, its logs under "
                  f"/logs?connection={old.id}" if old else ""))
    if flows_off:
        click.echo("flow settings were copied and every flow switched off: the Brightpearl "
                   "account changed, so check warehouses, price lists and statuses on the Flows "
                   "page before switching them on; then run \"flask webhooks register\"")
    elif old is not None:
        click.echo("flow settings and switches were copied; run \"flask webhooks register\" so "
                   "the new store sends its webhooks here")


@connection_group.command("rename")
@with_appcontext
def rename_command():
    """The same store at a new address (a domain change): keep its links, record the new URL."""
    with connection():
        try:
            before, after = rename(current_app.config)
        except ConnectionChanged as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"connection renamed: {before} → {after}; links, cursors and logs kept")


commands = [connection_group]
