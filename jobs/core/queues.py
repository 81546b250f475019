"""The one place queues, job ids and retry policy live.

Every enqueue in the project goes through here: webhooks, the inbox sweep, the poller and the
staff pages' Re-sync buttons. Job ids are deterministic per record, so a burst of changes to one
record coalesces into one pending job.
"""
import hashlib
import re
import threading
import time
from datetime import datetime, timezone

import redis
from rq import Queue, Retry, get_current_job
from rq.job import Job, JobStatus
from rq.utils import utcparse

INTERACTIVE, BULK = "pearlbridge-interactive", "pearlbridge-bulk"
# The worker listens to both, interactive first (the Procfile names them too).
QUEUE_NAMES = (INTERACTIVE, BULK)

# Transient failures (timeouts, 5xx, throttling) retry with growing waits; a permanent failure
# calls fail_permanently() so RQ fails it at once with its reason.
RETRY = Retry(max=6, interval=[3, 10, 30, 120, 600, 1800])
JOB_TIMEOUT = 600
PROCESS_RECORD = "jobs.core.dispatch.process_record"
# A job "queued" this long that is in no queue list was taken by a worker that died before
# starting it (RQ pops it off the list first): it is put back instead of coalesced with.
LOST_AFTER_SECONDS = 10

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
            status, enqueued_at, origin = _state(connection, candidate)
            if status == JobStatus.QUEUED and lost(connection, candidate, enqueued_at, origin):
                requeue(connection, candidate)
                return candidate, True
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


def _state(connection, jid):
    # One HMGET instead of fetching and unpickling the whole job: this runs on every webhook.
    status, enqueued_at, origin = connection.hmget(Job.key_for(jid), "status", "enqueued_at",
                                                   "origin")
    return (JobStatus(status.decode()) if status else None,
            enqueued_at.decode() if enqueued_at else None, origin.decode() if origin else None)


def lost(connection, jid, enqueued_at, origin, listed=None):
    """True when a job RQ has as queued for LOST_AFTER_SECONDS is in no queue list.

    listed: a callable giving the ids in the lists (one read for many jobs); else asked per job.
    """
    if not enqueued_at or not origin:
        return False
    age = (datetime.now(timezone.utc) - utcparse(enqueued_at)).total_seconds()
    if age < LOST_AFTER_SECONDS:
        return False
    if listed is not None:
        return jid.encode() not in listed()
    key = Queue(origin, connection=connection).key
    return connection.lpos(key, jid) is None and connection.lpos(f"{key}:intermediate",
                                                                  jid) is None


def listed_ids(connection, names=QUEUE_NAMES):
    """Every job id waiting in the named queues' lists (and RQ's in-flight lists)."""
    ids = set()
    for name in names:
        key = Queue(name, connection=connection).key
        ids.update(connection.lrange(key, 0, -1))
        ids.update(connection.lrange(f"{key}:intermediate", 0, -1))
    return ids


def requeue(connection, jid):
    """Put a lost queued job back on its queue, at the front (it has waited its turn)."""
    job = Job.fetch(jid, connection=connection)
    Queue(job.origin, connection=connection).enqueue_job(job, at_front=True)


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
