"""The Health page: open alerts, both platforms' webhooks (one click re-registers them), queues,
the poller, the Brightpearl budget and calls per route, last successes, retention."""
import time
from datetime import datetime, timedelta, timezone

from flask import current_app, flash, redirect, render_template, url_for

from jobs.core.queues import INTERACTIVE, QueueUnavailable, enqueue_once
from models.alerts import open_alerts, recently_resolved
from models.base import utcnow
from models.logs import LOG_TYPE_LABELS
from models.probes import read_probe
from models.store_identity import open_connection
from monitoring.sources import foreign_sites
from monitoring.api import budget, calls_last_hour
from monitoring.heartbeat import last_beat
from monitoring.queues import queue_facts, worker_count
from monitoring.records import record_facts

REGISTER_JOB = "jobs.maintenance.platforms.register_job"
RETENTION_SETTINGS = ("RETENTION_PAYLOAD_DAYS", "RETENTION_EVENT_DAYS", "RETENTION_ATTEMPT_DAYS",
                      "RETENTION_ATTEMPTS_PER_ROW", "RETENTION_SECONDS")


def _redis():
    return current_app.extensions["pearlbridge_queue"][0]


def health():
    """Everything an operator checks first, read now (the platform checks as last stored)."""
    config, now = current_app.config, utcnow()
    platforms, platforms_at = read_probe("platforms")
    retention, retention_at = read_probe("retention")
    return render_template(
        "logpage/health.html", now=now, alerts=open_alerts(),
        resolved=recently_resolved(now - timedelta(days=1)),
        platforms=platforms, platforms_at=platforms_at, retention=retention,
        retention_at=retention_at, records=record_facts(now, config["ALERT_FAILED_WINDOW_SECONDS"]),
        labels=LOG_TYPE_LABELS, retention_settings={k: config[k] for k in RETENTION_SETTINGS},
        live=_live(config), connection=open_connection())


def _live(config):
    """What Redis holds right now; None (the page says Redis is unavailable) if it cannot."""
    connection = _redis()
    try:
        beat_at, who = last_beat(connection)
        return {"queues": queue_facts(connection, datetime.now(timezone.utc)),
                "workers": worker_count(connection),
                "poller": {"who": who, "age": time.time() - beat_at if beat_at else None},
                "budget": budget(config, connection), "calls": calls_last_hour(connection),
                "foreign_sites": foreign_sites(connection)}
    except Exception as exc:  # noqa: BLE001 - the page still shows what the database knows
        current_app.logger.warning("health page cannot read Redis: %s", type(exc).__name__)
        return None


def reregister():
    """Queue the re-registration of every webhook on both platforms."""
    try:
        enqueue_once(_redis(), REGISTER_JOB, (), "webhooks-register", name=INTERACTIVE,
                     description="re-register webhooks")
        flash("Re-registering the webhooks on both platforms; this page shows the result "
              "within a minute.", "info")
    except QueueUnavailable:
        flash("The queue is unavailable, so nothing was queued; try again shortly.", "error")
    return redirect(url_for("logpage.health"))
