"""The one place queues, job ids and retry policy live.

Every enqueue in the project goes through here: webhooks, the inbox sweep, the poller and the
staff pages' Re-sync buttons. Job ids are deterministic per record, so a burst of changes to one
record coalesces into one pending job.
"""
import hashlib
import re
import threading
import time

import redis
from rq import Queue, Retry, get_current_job
from rq.job import Job, JobStatus

INTERACTIVE, BULK = "pearlbridge-interactive", "pearlbridge-bulk"
# The worker listens to both, interactive first (the Procfile names them too).
QUEUE_NAMES = (INTERACTIVE, BULK)

# Transient failures (timeouts, 5xx, throttling) retry with growing waits; a permanent failure
# calls fail_permanently() so RQ fails it at once with its reason.
RETRY = Retry(max=6, interval=[5, 15, 60, 300, 900, 1800])
JOB_TIMEOUT = 600
PROCESS_RECORD = "jobs.core.dispatch.process_record"

_WAITING = {JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
_clients, _clients_lock = {}, threading.Lock()


class QueueUnavailable(Exception):
    """Redis could not be reached; the caller keeps the work durable elsewhere (the inbox)."""


def redis_client(url):
    """One raw Redis client per URL per process (no decode_responses; short timeouts)."""
    with _clients_lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(
                url, socket_connect_timeout=0.5, socket_timeout=2, health_check_interval=30
            )
        return _clients[url]


def get_queue(connection, name=INTERACTIVE):
    """An RQ queue on the given raw Redis connection."""
    return Queue(name, connection=connection, default_timeout=JOB_TIMEOUT)


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def job_id(*parts):
    """A deterministic job id from parts: letters, digits, '-' and '_' only.

    When cleaning changed a part, a short hash of the original keeps distinct records distinct.
    """
    raw = "-".join(str(p) for p in parts)
    clean = _UNSAFE.sub("_", raw)
    if clean != raw:
        clean += "_" + hashlib.sha1(raw.encode()).hexdigest()[:8]
    return clean


def record_job_id(source, resource, resource_id):
    """The job id for one record of one platform, e.g. woocommerce-order-123."""
    return job_id(source, resource, resource_id)


def enqueue_once(connection, func, args, jid, name=INTERACTIVE, description=None):
    """Enqueue func(*args) as jid unless a job with that id is already waiting.

    A job already running may have read the record before the latest change, so a second slot
    (jid + "-again") takes the follow-up run; at most one run per record waits at a time.
    Returns (job id, True if enqueued / False if coalesced). Raises QueueUnavailable.
    """
    try:
        for candidate in (jid, jid + "-again"):
            status = _status(connection, candidate)
            if status in _WAITING:
                return candidate, False
            if status == JobStatus.STARTED:
                continue
            get_queue(connection, name).enqueue(
                func, *args, job_id=candidate, retry=RETRY, description=description,
                failure_ttl=7 * 24 * 3600, result_ttl=3600,
            )
            return candidate, True
        return jid + "-again", False
    except redis.RedisError as exc:
        raise QueueUnavailable(str(exc)) from exc


def enqueue_record(connection, source, resource, resource_id, name=INTERACTIVE):
    """Enqueue the dispatcher for one record (coalesced per record)."""
    jid = record_job_id(source, resource, resource_id)
    return enqueue_once(connection, PROCESS_RECORD, (source, resource, str(resource_id)),
                        jid, name=name, description=f"{source} {resource} {resource_id}")


def _status(connection, jid):
    # One HGET instead of fetching and unpickling the whole job: this runs on every webhook.
    status = connection.hget(Job.key_for(jid), "status")
    return JobStatus(status.decode()) if status else None


def fail_permanently():
    """Tell RQ not to retry the current job: its error is permanent (validation, 4xx)."""
    job = get_current_job()
    if job is not None:
        job.retries_left = 0


class Breaker:
    """Skips enqueue attempts for a few seconds after Redis failed, so webhooks stay fast.

    Work skipped this way is still in the inbox; the sweep enqueues it once Redis answers.
    """

    def __init__(self, pause_seconds=2.0):
        self.pause_seconds, self._open_until = pause_seconds, 0.0

    def allows(self):
        """True when an enqueue may be tried now."""
        return time.monotonic() >= self._open_until

    def tripped(self):
        """Record a failure: pause attempts for pause_seconds."""
        self._open_until = time.monotonic() + self.pause_seconds
