"""`flask prune [--dry-run]`: the retention prune now, or what it would delete."""
import click
from flask import current_app
from flask.cli import with_appcontext

from jobs.maintenance.prune import run_prune
from jobs.maintenance.retention import Rules, plan
from models.base import utcnow
from models.db import connection


@click.command("prune")
@click.option("--dry-run", is_flag=True, help="Only count what would be emptied or deleted.")
@with_appcontext
def prune_command(dry_run):
    """Apply the RETENTION_* rules now (the poller does it every RETENTION_SECONDS)."""
    settings = dict(current_app.config)
    with connection():
        if dry_run:
            rules = Rules.from_settings(settings)
            click.echo(f"dry run, nothing changed. Rules: payloads {rules.payload_days:g} days, "
                       f"events {rules.event_days:g} days, attempts {rules.attempt_days:g} days "
                       f"and {rules.attempts_per_row} per record (0 = kept). A prune would do:")
            for step, count in plan(rules, utcnow()).items():
                click.echo(f"  {step:<24} {count}")
            return
        click.echo(run_prune(settings, time_budget=None))  # no job timeout here


commands = [prune_command]
