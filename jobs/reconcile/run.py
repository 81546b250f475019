"""A reconciliation run: one at a time, on the budget's bulk share, stored with its findings.

    run = reconcile(since, until, trigger="cli", progress=lambda phase, done, total: ...)

Findings are stored as discrepancies (new ones opened, known ones seen again); open ones of
the kinds the run looked for that it no longer finds are resolved.
"""
import json
from datetime import timedelta

from jobs.core import clients
from jobs.core.context import job_database, settings as env_settings
from jobs.core.locks import exclusive
from jobs.reconcile.compare import Comparison, scope_from_flows
from jobs.reconcile.findings import dated_kinds, kinds_of
from jobs.reconcile.gather import Gather
from models.base import utcnow
from models.reconcile import DONE, FAILED, ReconcileRun, resolve_unseen, save_findings

LOCK = "pearlbridge:reconcile:run"
LOCK_SECONDS = 300  # renewed while held (jobs.core.locks); checked as the run reports progress


class Tally:
    """A call counter that counts this run's calls and passes each on to the shared counter."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def record(self, platform, endpoint, outcome):
        """Count one call (every outcome: each was a request the platform saw)."""
        self.calls += 1
        self.inner.record(platform, endpoint, outcome)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def default_range(days=None, now=None):
    """(since, until): the last `days` days (RECONCILE_DAYS) up to now, naive UTC."""
    until = now or utcnow()
    return until - timedelta(days=days or env_settings()["RECONCILE_DAYS"]), until


def reconcile(since, until, trigger="manual", who=None, progress=None, only=None, bp=None,
              woo=None):
    """Compare the platforms over Woo orders created in [since, until); the stored run."""
    bp = bp or clients.brightpearl("bulk")
    woo = woo or clients.woocommerce()
    bp.counter, woo.counter = Tally(bp.counter), Tally(woo.counter)
    run = ReconcileRun.create(since=since, until=until, trigger=trigger, requested_by=who)
    held = []

    def report(phase, done, total):
        if held:
            held[0].check()  # a run that lost its lock stops here
        if run.phase != phase:
            ReconcileRun.update(phase=phase[:64]).where(ReconcileRun.id == run.id).execute()
            run.phase = phase
        if progress:
            progress(phase, done, total)

    try:
        with exclusive(LOCK, seconds=LOCK_SECONDS, wait=10) as lock:
            held.append(lock)
            scope = scope_from_flows(only)
            comparison = Comparison(Gather(bp, woo, report), scope)
            findings = _distinct(comparison.run(since, until))
            save_findings(run, findings)
            resolve_unseen(run, kinds_of(scope.areas), dated_kinds(), since, until)
    except Exception as exc:
        _finish(run, FAILED, bp, woo, error=f"{type(exc).__name__}: {exc}")
        raise
    counts = {kind: 0 for kind in kinds_of(scope.areas)}
    for finding in findings:
        counts[finding.kind] += 1
    checked = dict(comparison.checked, **{f"not checked: {area}": reason
                                          for area, reason in scope.skipped.items()})
    return _finish(run, DONE, bp, woo, found=counts, checked=checked)


def _distinct(findings):
    # One row per (kind, record): two findings for one record would overwrite each other.
    seen = {}
    for finding in findings:
        seen.setdefault((finding.kind, finding.log_type, finding.record_key), finding)
    return list(seen.values())


def _finish(run, status, bp, woo, found=None, checked=None, error=None):
    run.status, run.finished_at, run.error = status, utcnow(), error
    run.bp_calls, run.woo_calls = bp.counter.calls, woo.counter.calls
    if found is not None:
        run.found_json = json.dumps(found, sort_keys=True)
    if checked is not None:
        run.checked_json = json.dumps(checked, sort_keys=True)
    run.phase = "finished" if status == DONE else "failed"
    run.save()
    return run


def reconcile_job(days=None, since=None, until=None, trigger="schedule", who=None):
    """The queued run, in a worker (the schedule's, or one asked for on the page)."""
    with job_database():
        if since is None:
            since, until = default_range(days)
        run = reconcile(since, until, trigger=trigger, who=who)
        return f"run {run.id}: {run.total_found} discrepancies, {run.bp_calls} Brightpearl calls"
