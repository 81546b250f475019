"""Backfills on the Flows page: start one (or resume it), and see each one's progress and ETA.

The work runs on the bulk queue (jobs/backfill), a few minutes per job, so webhooks stay
fast; the page only records the request and shows the cursor's progress.
"""
from datetime import datetime

from flask import abort, current_app, flash, g, redirect, request, url_for

from config import bulk_per_second
from jobs.core.queues import BULK, QueueUnavailable, enqueue_once
from models.backfill import KINDS, PAUSED, RUNNING, Backfill, find_or_start, latest_backfills

JOB = "jobs.backfill.run.backfill_job"
SHOWN = 8


def backfills_view():
    """The latest backfills with their progress and ETA at the bulk share's pace."""
    pace = bulk_per_second(current_app.config)
    return [{"backfill": b, "eta": _words(b.eta_seconds(pace)) if not b.finished else None}
            for b in latest_backfills(SHOWN)]


def start():
    """Start (or resume) a backfill of a kind over the dates given, on the bulk queue."""
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        abort(400, description=f"Choose what to backfill: {', '.join(KINDS)}.")
    try:
        since = datetime.strptime(request.form.get("since", ""), "%Y-%m-%d")
        until_text = request.form.get("until", "").strip()
        until = datetime.strptime(until_text, "%Y-%m-%d") if until_text else None
    except ValueError:
        abort(400, description="Give the dates as YYYY-MM-DD.")
    if until is not None and since >= until:
        abort(400, description="The first day must come before the last.")
    backfill, created = find_or_start(kind, since, until, who=g.user.username)
    _enqueue(backfill, "started" if created else "resumed")
    return redirect(url_for("logpage.flows") + "#backfills")


def resume(backfill_id):
    """Queue an interrupted backfill again; it carries on from its cursor."""
    backfill = Backfill.get_or_none(Backfill.id == backfill_id)
    if backfill is None:
        abort(404, description="No such backfill.")
    if backfill.status not in (RUNNING, PAUSED):
        flash(f"Backfill #{backfill.id} is {backfill.status}; nothing to resume.", "info")
    else:
        _enqueue(backfill, "resumed")
    return redirect(url_for("logpage.flows") + "#backfills")


def _enqueue(backfill, how):
    try:
        enqueue_once(current_app.extensions["pearlbridge_queue"][0], JOB, (backfill.id,),
                     f"backfill-{backfill.id}", name=BULK,
                     description=f"backfill #{backfill.id}")
    except QueueUnavailable:
        flash(f"Backfill #{backfill.id} is recorded, but the queue is unavailable; press "
              "Resume once it is back.", "warning")
        return
    flash(f"Backfill #{backfill.id} of {backfill.kind} {how}: it runs in the background on the "
          "bulk share of the Brightpearl budget.", "info")


def _words(seconds):
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else \
        f"{minutes} min {int(seconds % 60)} s"
