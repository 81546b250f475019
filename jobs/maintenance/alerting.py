"""Where the alert check runs: in the poller on every interval (cheap reads), and in a worker as
a watchdog job that re-schedules itself — so a poller that stopped is still noticed and told,
and a worker that stopped is noticed by the poller. Both record changes through the same guarded
transitions, so each opening and resolution is notified once."""
import time
from datetime import datetime, timezone

from rq import get_current_job
from rq.job import Job

from alerts.check import check
from alerts.delivery import deliver_due
from jobs.core.context import job_database, job_redis, settings as job_settings
from jobs.core.queues import BULK, get_queue
from jobs.core.registry import every

WATCHDOG = "jobs.maintenance.alerting.watchdog_job"
_PREFIX = "alerts-watchdog-"


@every("alerts", 60, setting="ALERT_CHECK_SECONDS")
def check_in_poller(settings, redis_connection):
    """Poller task: check the conditions and keep the watchdog scheduled (sending is the
    poller's courier thread's work)."""
    check(settings, redis_connection)
    schedule_watchdog(redis_connection, float(settings["ALERT_CHECK_SECONDS"]))


def watchdog_job():
    """In a worker: check, send what is due, and schedule the next run."""
    settings, redis_connection = job_settings(), job_redis()
    with job_database():
        changes = check(settings, redis_connection)
        sent, failed = deliver_due(settings)
    job = get_current_job()
    ran_slot = int(job.id.rsplit("-", 1)[1]) if job and job.id.startswith(_PREFIX) else None
    schedule_watchdog(redis_connection, float(settings["ALERT_CHECK_SECONDS"]), after=ran_slot)
    return f"{len(changes)} change(s); {sent} notification(s) sent, {failed} failed"


def schedule_watchdog(redis_connection, interval, now=None, after=None):
    """Schedule the watchdog for the next interval slot (later than slot `after`) unless one is
    already scheduled or queued; the job id waiting, or None if none could be."""
    interval = max(5.0, interval)
    queue = get_queue(redis_connection, BULK)
    # One waiting at a time: while no scheduler runs, waiting runs must not pile up.
    waiting = [j for j in queue.scheduled_job_registry.get_job_ids() + queue.job_ids
               if j.startswith(_PREFIX)]
    if waiting:
        return waiting[0]
    slot = max(int((time.time() if now is None else now) // interval), after or 0) + 1
    job_id = f"{_PREFIX}{slot}"
    # Ids name the slot, so two schedulers racing here schedule the same one job.
    if not redis_connection.exists(Job.key_for(job_id)):
        queue.enqueue_at(datetime.fromtimestamp(slot * interval, timezone.utc), WATCHDOG,
                         job_id=job_id, result_ttl=int(interval * 3), failure_ttl=24 * 3600,
                         description="alert watchdog")
    return job_id
