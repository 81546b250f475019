"""`flask products resync`: a full resync of Brightpearl products to the store, on demand."""
import click
from flask import current_app
from flask.cli import AppGroup

from jobs.core.queues import QueueUnavailable


@click.group("products", cls=AppGroup)
def products():
    """The products flow (Brightpearl → WooCommerce)."""


@products.command("resync")
@click.option("--now", "inline", is_flag=True,
              help="Run here and wait, instead of queueing it for a worker.")
@click.option("--changed-only", is_flag=True,
              help="Skip products whose Woo body is unchanged since the last write.")
def resync_command(inline, changed_only):
    """Sync every live Brightpearl product (and every linked one) to WooCommerce."""
    from jobs.products.handlers import enqueue_resync, resync_all

    if inline:
        summary = resync_all(force=not changed_only)
        click.echo(f"{summary['products']} product(s) synced: "
                   + ", ".join(f"{n} {s}" for s, n in sorted(summary["statuses"].items())))
        return
    connection, _ = current_app.extensions["pearlbridge_queue"]
    try:
        job_id, enqueued = enqueue_resync(connection, force=not changed_only)
    except QueueUnavailable as exc:
        raise click.ClickException(f"the queue is unavailable ({exc}); try --now") from None
    click.echo(f"full resync {'queued' if enqueued else 'already waiting'} as job {job_id}")


commands = [products]
