"""`flask backfill orders|products|stock --since DATE [--until DATE]`: bring history across
on the bulk share, with a progress bar and an ETA from the budget. Ctrl-C stops it; the same
command resumes it from its cursor."""
import time

import click
from flask import current_app
from flask.cli import AppGroup

from cli.progress import DATE
from connectors.errors import TransientError
from config import bulk_per_second
from models.backfill import DONE, KINDS, find_or_start
from models.db import connection

RETRY_SECONDS = 10


@click.group("backfill", cls=AppGroup)
def backfill():
    """Bring history into step: orders (Woo → Brightpearl), products and stock (→ Woo)."""


def _add(kind, words):
    @backfill.command(kind, help=f"Backfill {words}; resumable, never duplicating.")
    @click.option("--since", type=DATE, required=True, help="First day (UTC).")
    @click.option("--until", type=DATE, help="Up to (not including) this day; default: now, "
                  "or the end of the interrupted backfill being resumed.")
    def command(since, until):
        raise SystemExit(run_in_terminal(kind, since, until))

    return command


for _kind, _words in (("orders", "Woo orders created in the range into Brightpearl"),
                      ("products", "Brightpearl products created in the range into the store"),
                      ("stock", "the stock of products that moved in the range")):
    _add(_kind, _words)


def run_in_terminal(kind, since, until=None):
    """Run (or resume) a backfill here with a progress bar; the exit status."""
    from jobs.backfill.run import pause, run_backfill

    with connection():
        job, created = find_or_start(kind, since, until, who="cli")
        click.echo(f"{'Starting' if created else 'Resuming'} backfill #{job.id} of {kind}: "
                   f"{job.since:%Y-%m-%d %H:%M} → {job.until:%Y-%m-%d %H:%M} UTC"
                   + ("" if created else f", at {job.done} of {job.total}"))
        pace = bulk_per_second(current_app.config)
        bar = _Bar(pace)
        try:
            while True:
                try:
                    job = run_backfill(job.id, progress=bar)
                    break
                except TransientError as exc:
                    click.echo(f"\nwaiting {RETRY_SECONDS} s: {exc}", err=True)
                    time.sleep(RETRY_SECONDS)
        except KeyboardInterrupt:
            pause(job.id)
            bar.close()
            job = type(job).get_by_id(job.id)
            click.echo(f"\nInterrupted at {job.done} of {job.total}. Run the same command again "
                       "to resume from there.")
            return 130
        bar.close()
    click.echo(f"Backfill #{job.id} {job.status}: {job.message}; {job.bp_calls} Brightpearl "
               f"calls in {job.busy_seconds} s")
    return 0 if job.status == DONE and not job.failed else 1


class _Bar:
    """The progress callback: one bar over the records, labelled with the budget's ETA."""

    def __init__(self, pace):
        self.pace, self.bar, self.shown, self.job = pace, None, 0, None

    def __call__(self, job):
        self.job = job
        if self.bar is None:
            self.shown = job.done
            self.bar = click.progressbar(length=max(job.total or 1, 1), label=f"{job.kind}",
                                         show_pos=True, show_eta=False,
                                         item_show_func=lambda _: self.words())
            self.bar.__enter__()
            self.bar.update(job.done)
        self.bar.length = max(job.total or 1, job.done, 1)
        if job.done > self.shown:
            self.bar.update(job.done - self.shown)
            self.shown = job.done

    def words(self):
        """ETA at the bulk share's pace, and the counts so far."""
        job = self.job
        eta = job.eta_seconds(self.pace) if job else None
        left = f"ETA {int(eta // 60)}m{int(eta % 60):02d}s (budget)" if eta is not None else ""
        return f"{left} · {job.created} created, {job.skipped} skipped, {job.failed} failed" \
            if job else left

    def close(self):
        """Finish the bar."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


commands = [backfill]
