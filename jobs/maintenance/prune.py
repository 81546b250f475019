"""The retention prune as the poller queues it (prune, give space back, record the figures), and
the folding of the Sync Logs count deltas the poller does itself."""
import logging
import time

from jobs.core.context import job_database, settings as job_settings
from jobs.maintenance.reclaim import checkpoint, database_bytes, reclaim, table_state
from jobs.maintenance.retention import Rules, prune
from jobs.core.queues import BULK, JOB_TIMEOUT, enqueue_once
from jobs.core.registry import every
from models.base import utcnow
from models.db import db
from models.log_counts import fold_counts
from models.probes import store_probe

log = logging.getLogger(__name__)
PROBE = "retention"
# A run stops well inside the job timeout; what is left waits for the next run.
TIME_BUDGET = JOB_TIMEOUT * 0.75


@every("retention", 3600, setting="RETENTION_SECONDS")
def schedule_prune(settings, redis_connection):
    """Poller task: queue the prune (long, in batches: a worker's job)."""
    enqueue_once(redis_connection, "jobs.maintenance.prune.prune_job", (), "retention-prune",
                 name=BULK, description="retention prune")


def prune_job():
    """The queued prune, in a worker."""
    with job_database():
        return run_prune(job_settings())


def run_prune(settings, time_budget=TIME_BUDGET):
    """Prune by the settings' rules, reclaim space, store the figures; a one-line summary.
    A run stops after time_budget seconds (None: runs to the end)."""
    rules = Rules.from_settings(settings)
    deadline = time.monotonic() + time_budget if time_budget is not None else None
    before, _ = database_bytes()
    done = prune(rules, utcnow(), deadline=deadline, after_batch=checkpoint)
    freed = reclaim(rules.pause_seconds, deadline=deadline)
    after, free = database_bytes()
    store_probe(PROBE, {"done": done, "pages_freed": freed, "bytes_before": before,
                        "bytes": after, "bytes_free": free, "tables": table_state()})
    summary = ", ".join(f"{count} {step}" for step, count in done.items())
    log.info("retention prune: %s; database %d -> %d bytes", summary, before, after)
    return summary


@every("fold-counts", 10)
def fold_in_poller(settings, redis_connection):
    """Poller task: fold the Sync Logs count deltas (PostgreSQL; one quick statement)."""
    fold_counts(db)
