"""Reconciliation page: the latest run and its history, open discrepancies by kind with what
each side says, Repair and Repair all, and a run on demand."""
from datetime import datetime, timedelta

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from jobs.core.queues import BULK, QueueUnavailable, enqueue_once
from logpage.repairs import repair
from models.base import utcnow
from models.logs import SyncLog
from models.reconcile import KINDS, OPEN, RESOLVED, Discrepancy, latest_runs, open_counts

SHOWN_PER_KIND, HISTORY, RESOLVED_SHOWN = 50, 15, 20
RUN_JOB, RUN_JOB_ID = "jobs.reconcile.run.reconcile_job", "reconcile-on-demand"
REPAIR_BATCH = 500


def _queue():
    return current_app.extensions["pearlbridge_queue"][0]


def page():
    """The latest run, its history, and the open discrepancies grouped by kind."""
    runs = latest_runs(HISTORY)
    counts = open_counts()
    only = request.args.get("kind")
    groups = []
    for kind, (label, _, _) in KINDS.items():
        if not counts.get(kind) or (only and kind != only):
            continue
        limit = None if only else SHOWN_PER_KIND
        items = list(Discrepancy.select().where((Discrepancy.kind == kind)
                                                & (Discrepancy.status == OPEN))
                     .order_by(Discrepancy.id).limit(limit))
        groups.append({"kind": kind, "label": label, "count": counts[kind], "items": items,
                       "rows": _rows(items)})
    resolved = list(Discrepancy.select().where(Discrepancy.status == RESOLVED)
                    .order_by(Discrepancy.resolved_at.desc()).limit(RESOLVED_SHOWN))
    until = utcnow()
    return render_template(
        "logpage/reconcile.html", runs=runs, latest=runs[0] if runs else None, groups=groups,
        total_open=sum(counts.values()), resolved=resolved, kinds=KINDS, only=only,
        default_since=(until - timedelta(days=current_app.config.get("RECONCILE_DAYS") or 7))
        .strftime("%Y-%m-%d"), default_until=(until + timedelta(days=1)).strftime("%Y-%m-%d"))


def _rows(items):
    """{discrepancy id: its Sync Logs row id} for the records that have a row."""
    wanted = {(d.log_type, d.record_key): d.id for d in items}
    found = {}
    for log_type in {k[0] for k in wanted}:
        keys = [k[1] for k in wanted if k[0] == log_type]
        for row_id, key in SyncLog.select(SyncLog.id, SyncLog.record_key).where(
                (SyncLog.log_type == log_type) & SyncLog.record_key.in_(keys)).tuples():
            found[wanted[(log_type, key)]] = row_id
    return found


def run_now():
    """Queue a run over the dates given (default: the last RECONCILE_DAYS days)."""
    try:
        since = datetime.strptime(request.form.get("since", ""), "%Y-%m-%d")
        until = datetime.strptime(request.form.get("until", ""), "%Y-%m-%d")
    except ValueError:
        abort(400, description="Give both dates as YYYY-MM-DD.")
    if since >= until:
        abort(400, description="The first day must come before the last.")
    try:
        _, queued = enqueue_once(_queue(), RUN_JOB, (None, since, until, "manual",
                                                     g.user.username), RUN_JOB_ID, name=BULK,
                                 description="reconcile WooCommerce and Brightpearl (on demand)")
    except QueueUnavailable:
        flash("The queue is unavailable; no run was started. Try again shortly.", "warning")
        return redirect(url_for("logpage.reconcile"))
    flash(f"Reconciliation of {since:%Y-%m-%d} → {until:%Y-%m-%d} "
          + ("queued: reload in a minute." if queued else "is already waiting to run."), "info")
    return redirect(url_for("logpage.reconcile"))


def repair_one(discrepancy_id):
    """Repair one discrepancy: its record's re-sync, through the same queue as everything."""
    discrepancy = Discrepancy.get_or_none(Discrepancy.id == discrepancy_id)
    if discrepancy is None:
        abort(404, description="No such discrepancy.")
    if discrepancy.status != OPEN:
        flash("That discrepancy is already resolved.", "info")
        return redirect(url_for("logpage.reconcile"))
    result, _ = repair([discrepancy], _queue(), g.user.username)
    if result.queue_down:
        flash("The queue is unavailable; nothing was lost — the row stays Pending and will be "
              "retried.", "warning")
    else:
        flash(f"Repair queued: {discrepancy.title}. Its Sync Logs row shows the outcome; the "
              "next run shows whether it is resolved.", "info")
    return redirect(url_for("logpage.reconcile", kind=request.form.get("kind") or None)
                    + f"#d-{discrepancy.id}")


def repair_all():
    """Repair every open discrepancy of one kind."""
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        abort(400, description="Choose a kind of discrepancy to repair.")
    total, last_id, queue_down = 0, 0, False
    while True:
        batch = list(Discrepancy.select().where((Discrepancy.kind == kind)
                                                & (Discrepancy.status == OPEN)
                                                & (Discrepancy.id > last_id))
                     .order_by(Discrepancy.id).limit(REPAIR_BATCH))
        if not batch:
            break
        result, _ = repair(batch, _queue(), g.user.username, trigger="retry")
        total, last_id = total + len(batch), batch[-1].id
        queue_down = queue_down or result.queue_down
    flash(f"{total} repair(s) queued: {KINDS[kind][0].lower()}. The next run shows which "
          "are resolved." + (" The queue is unavailable; the rows stay Pending and will be "
                             "retried." if queue_down else ""),
          "warning" if queue_down else "info")
    return redirect(url_for("logpage.reconcile"))
