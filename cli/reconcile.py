"""`flask reconcile`: compare WooCommerce and Brightpearl now, print the report, and exit 1
when they disagree (so cron can alert)."""
import sys

import click

from cli.progress import DATE, PhaseBars
from jobs.reconcile.findings import AREAS, KINDS
from models.db import connection
from models.reconcile import OPEN, Discrepancy

SHOWN_PER_KIND = 20


@click.command("reconcile")
@click.option("--since", type=DATE, help="First day (UTC) of Woo orders to compare; "
              "default: RECONCILE_DAYS ago.")
@click.option("--until", type=DATE, help="Compare Woo orders created before this (UTC); "
              "default: now.")
@click.option("--only", multiple=True, type=click.Choice(AREAS),
              help="Check only these areas (repeatable); default: every flow that is on.")
@click.option("--all", "show_all", is_flag=True, help="List every discrepancy, not the first "
              f"{SHOWN_PER_KIND} of each kind.")
def reconcile_command(since, until, only, show_all):
    """Reconcile the two platforms; exit status 1 when discrepancies remain."""
    from jobs.reconcile.run import default_range, reconcile

    with connection():
        default_since, now = default_range()
        since, until = since or default_since, until or now
        if since >= until:
            raise click.BadParameter("--since must be before --until")
        with PhaseBars(file=sys.stderr) as bars:
            run = reconcile(since, until, trigger="cli", progress=bars, only=set(only) or None)
        found = list(Discrepancy.select().where((Discrepancy.last_run == run.id)
                                                & (Discrepancy.status == OPEN))
                     .order_by(Discrepancy.kind, Discrepancy.id))
    for line in report_lines(run, found, None if show_all else SHOWN_PER_KIND):
        click.echo(line)
    if found:
        raise SystemExit(1)


def report_lines(run, discrepancies, per_kind=None):
    """The report in lines of text: range, what was checked, then discrepancies by kind."""
    lines = [f"Reconciliation #{run.id}: Woo orders created {run.since:%Y-%m-%d %H:%M} → "
             f"{run.until:%Y-%m-%d %H:%M} UTC",
             "checked: " + ", ".join(f"{name} {value}" for name, value in run.checked.items()
                                     if not str(name).startswith("not checked"))]
    lines += [f"{name}: {reason}" for name, reason in run.checked.items()
              if str(name).startswith("not checked")]
    lines.append(f"Brightpearl calls {run.bp_calls} (bulk share), WooCommerce calls "
                 f"{run.woo_calls}, {(run.finished_at - run.started_at).total_seconds():.1f} s")
    by_kind = {}
    for discrepancy in discrepancies:
        by_kind.setdefault(discrepancy.kind, []).append(discrepancy)
    for kind, items in by_kind.items():
        lines.append("")
        lines.append(f"{KINDS[kind][0]}: {len(items)}")
        for item in items[:per_kind] if per_kind else items:
            lines.append(f"  {item.title}")
            lines.append(f"      Woo: {item.woo_says}  |  Brightpearl: {item.bp_says}")
        if per_kind and len(items) > per_kind:
            lines.append(f"  … and {len(items) - per_kind} more (--all lists them)")
    lines.append("")
    count = len(discrepancies)
    lines.append(("1 discrepancy remains" if count == 1 else f"{count} discrepancies remain")
                 if count else "The two platforms agree: no discrepancies.")
    return lines


commands = [reconcile_command]
