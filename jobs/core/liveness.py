"""Is the holder of some work still alive? What RQ and the operating system can tell.

RQ keeps a job's status and the name of the worker running it; a worker beats every
HEARTBEAT_SECONDS while it runs a job (jobs.core.worker). A job that RQ no longer has as
started, or whose worker stopped beating, is over. A process on this machine whose pid is gone
is over. When Redis lost its data RQ knows nothing; then nobody is declared dead here, and the
callers fall back on their own clocks (a lock that stopped being renewed).
"""
import os
import socket
from datetime import datetime, timezone

from rq.job import Job
from rq.utils import utcparse

HEARTBEAT_SECONDS = 3
# A worker silent for this long is dead: several missed beats, not one slow one.
WORKER_SILENT_SECONDS = 5 * HEARTBEAT_SECONDS


def _place():
    # The host name and the pid namespace: two containers sharing a host name never share pids.
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0
    return f"{socket.gethostname()}.{namespace}"


HOST = _place()


def job_over(connection, job_id, now=None):
    """True when RQ knows job_id and says no live worker runs it; False when it runs or is unknown."""
    status, worker_name = connection.hmget(Job.key_for(job_id), "status", "worker_name")
    if status is None:
        return False  # unknown to this Redis (it may have lost its data): not evidence of death
    if status.decode() != "started":
        return True
    return worker_dead(connection, worker_name.decode() if worker_name else "", now)


def worker_dead(connection, worker_name, now=None):
    """True when the named RQ worker stopped beating (or its key is gone)."""
    if not worker_name:
        return False
    beat = connection.hget(f"rq:worker:{worker_name}", "last_heartbeat")
    if beat is None:
        return True  # the job names a worker that no longer exists
    now = now or datetime.now(timezone.utc)
    return (now - utcparse(beat.decode())).total_seconds() > WORKER_SILENT_SECONDS


def process_alive(host, pid):
    """True / False when host is this machine (pid runs / does not); None when it is elsewhere."""
    if host != HOST or not str(pid).isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
