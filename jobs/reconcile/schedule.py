"""The daily reconciliation: the poller checks every few minutes whether one is due and, if
so, queues it on the bulk queue (the run itself is a worker's job, never the poller's)."""
from datetime import timedelta

from jobs.core.queues import BULK, enqueue_once
from jobs.core.registry import every
from models.base import utcnow
from models.reconcile import ReconcileRun

JOB = "jobs.reconcile.run.reconcile_job"
SCHEDULED_JOB_ID = "reconcile-scheduled"


def due(interval_seconds, now=None):
    """True when no scheduled run started within the interval."""
    last = (ReconcileRun.select(ReconcileRun.started_at)
            .where(ReconcileRun.trigger == "schedule")
            .order_by(ReconcileRun.started_at.desc()).first())
    now = now or utcnow()
    return last is None or now - last.started_at >= timedelta(seconds=interval_seconds)


@every("reconcile-schedule", 600)
def schedule_reconcile(settings, redis_connection):
    """Poller task: queue the scheduled run (the last RECONCILE_DAYS days) when one is due."""
    if due(float(settings.get("RECONCILE_SECONDS") or 86400)):
        enqueue_once(redis_connection, JOB, (int(settings.get("RECONCILE_DAYS") or 7),),
                     SCHEDULED_JOB_ID, name=BULK, description="reconcile WooCommerce and "
                                                               "Brightpearl (scheduled)")
