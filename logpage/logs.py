"""Sync Logs views: the list, a row's detail, Re-sync and Retry all failed."""
from flask import (
    abort, current_app, flash, g, redirect, render_template, request, url_for,
)

from logpage.auth import safe_next
from logpage.chart import hourly_chart
from logpage.links import admin_links
from logpage.queries import hourly_outcomes, keyset_page, parse_filters
from logpage.resync import resync_row, retry_all_failed
from logpage.stores import connections_for_staff, earlier_connection, scoped
from models.base import utcnow
from models.events import Event, payloads
from models.log_counts import status_counts
from models.logs import FAILED, LOG_TYPE_LABELS, LOG_TYPES, SyncAttempt, SyncLog
from models.record_keys import row_record

QUEUE_DOWN = ("The queue is unavailable; nothing was lost — the row stays Pending and will be "
              "retried.")
DETAIL_ATTEMPTS, DETAIL_EVENTS = 200, 100


def _queue():
    return current_app.extensions["pearlbridge_queue"][0]


def index():
    """The home page is the Sync Logs page."""
    return redirect(url_for("logpage.logs"))


def logs():
    """The Sync Logs list for one log type: summary, chart, filters and one keyset page."""
    filters, problems = parse_filters(request.args)
    for problem in problems:
        flash(problem, "error")
    with scoped(filters.connection):
        page = keyset_page(filters, older=request.args.get("older"),
                           newer=request.args.get("newer"))
        chart = hourly_chart(hourly_outcomes(filters.log_type, utcnow()))
        counts = status_counts()
    return render_template("logpage/logs.html", filters=filters, page=page,
                           counts=counts, chart=chart, log_types=LOG_TYPES,
                           labels=LOG_TYPE_LABELS, connections=connections_for_staff())


def detail(row_id):
    """One row: its status, every attempt, its inbox events, and links to both admins."""
    connection, _ = earlier_connection(request.args.get("connection", ""))
    with scoped(connection):
        row = SyncLog.get_or_none(SyncLog.id == row_id)
        if row is None:
            abort(404, description="No such log row.")
        attempts = list(SyncAttempt.select().where(SyncAttempt.log == row.id)
                        .order_by(SyncAttempt.at.desc(), SyncAttempt.id.desc())
                        .limit(DETAIL_ATTEMPTS))
        events = list(Event.select().where(Event.log == row.id).order_by(Event.id.desc())
                      .limit(DETAIL_EVENTS))
        event_payloads = payloads(events)
    # An earlier connection's row is history: its store is no longer synced, so no Re-sync.
    return render_template(
        "logpage/detail.html", row=row, attempts=attempts, events=events,
        payloads=event_payloads, labels=LOG_TYPE_LABELS, connection=connection,
        links=admin_links(row, current_app.config) if not connection else [],
        can_resync=row_record(row) is not None and not connection)


def resync(row_id):
    """Re-sync one row: Pending (queued) now, enqueued through the one queue module."""
    row = SyncLog.get_or_none(SyncLog.id == row_id)
    if row is None:
        abort(404, description="No such log row.")
    if row_record(row) is None:
        flash(f"{row.info or row.record_key} cannot be re-synced: its source record is not "
              "known.", "error")
        return redirect(url_for("logpage.detail", row_id=row.id))
    result = resync_row(row, _queue(), "manual", who=g.user.username)
    if result.queue_down:
        flash(QUEUE_DOWN, "warning")
    else:
        flash(f"{row.info or row.record_key} is queued for re-sync.", "info")
    return redirect(_back(url_for("logpage.detail", row_id=row.id)))


def retry_failed():
    """Retry all failed rows of a log type: a confirmation page (GET), then the action (POST)."""
    log_type = request.values.get("type", "")
    if log_type not in LOG_TYPES:
        abort(400, description="Choose a log type to retry.")
    label = LOG_TYPE_LABELS[log_type]
    if request.method == "GET":
        count = SyncLog.select().where((SyncLog.log_type == log_type)
                                       & (SyncLog.status == FAILED)).count()
        return render_template("logpage/confirm_retry.html", log_type=log_type, label=label,
                               count=count)
    result = retry_all_failed(log_type, _queue(), who=g.user.username)
    if not result.rows:
        flash(f"No failed {label.lower()} rows to retry.", "info")
    elif result.queue_down:
        flash(f"{result.rows} failed {label.lower()} row(s) set Pending. " + QUEUE_DOWN,
              "warning")
    else:
        flash(f"{result.rows} failed {label.lower()} row(s) queued for retry.", "info")
    if result.unknown:
        flash(f"{result.unknown} row(s) were left as they are: their source record is not "
              "known.", "error")
    return redirect(url_for("logpage.logs", type=log_type))


def _back(default):
    # Buttons on the list page send where they came from; only local paths are followed.
    return safe_next(request.form.get("next", ""), default)
