"""The RQ worker the Procfile runs: `python -m jobs.core.worker [--with-scheduler] [queues…]`.

RQ's own worker, with three differences that keep the service syncing through faults:
- it rides out a Redis restart: a Redis error while it waits, beats or reports no longer ends
  the process; it waits for Redis to answer and starts again as a fresh worker;
- it beats every HEARTBEAT_SECONDS while a job runs, so a worker that died is known dead within
  seconds (jobs.core.liveness) and its job is queued again by the inbox sweep;
- a work-horse killed from outside (SIGKILL, the OOM killer) is not the job's fault: its job is
  queued again at once, up to CRASH_REQUEUES times, instead of waiting out a retry backoff;
- the flows are imported once, before forking: a work-horse starts with them loaded instead of
  importing the whole service for every job.
A process manager still restarts the worker itself if it dies (see the README).
"""
import argparse
import logging
import signal
import threading

import redis
from redis.exceptions import RedisError
from rq import Worker as RQWorker

import config
import jobs.core.dispatch  # noqa: F401 - imported before forking, for every work-horse
import logconfig
from jobs.core.liveness import HEARTBEAT_SECONDS
from jobs.core.queues import QUEUE_NAMES
from jobs.core.registry import load_flows
from models.store_identity import check_at_start

log = logging.getLogger("worker")
CRASH_REQUEUES = 3
HORSE_KILLED = "Work-horse terminated unexpectedly"


class Worker(RQWorker):
    """RQ's forking worker that beats often, survives Redis errors and requeues crashed jobs."""

    max_connection_wait_time = 2.0  # back to work within seconds of Redis answering again

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", HEARTBEAT_SECONDS)
        kwargs.setdefault("maintenance_interval", 60)
        super().__init__(*args, **kwargs)
        self.asked_to_stop = False

    def request_stop(self, signum, frame):
        """SIGTERM / SIGINT: RQ's warm shutdown, remembered so serve() does not start again."""
        self.asked_to_stop = True
        super().request_stop(signum, frame)

    def maintain_heartbeats(self, job):
        """Beat; a Redis that is away for a moment must not abandon the running job."""
        try:
            super().maintain_heartbeats(job)
        except RedisError as exc:
            self.log.warning("worker %s: cannot beat (%s); the job goes on", self.name, exc)

    def handle_job_failure(self, job, queue, started_job_registry=None, exc_string=""):
        """A killed work-horse's job is queued again at once (bounded); else RQ's handling."""
        crashes = job.meta.get("crashes", 0)
        if not exc_string.startswith(HORSE_KILLED) or crashes >= CRASH_REQUEUES:
            return super().handle_job_failure(job, queue, started_job_registry, exc_string)
        job.meta["crashes"] = crashes + 1
        job.save_meta()
        with self.connection.pipeline() as pipeline:
            self.cleanup_execution(job, pipeline=pipeline)
            pipeline.execute()
        queue.enqueue_job(job, at_front=True)
        self.log.warning("worker %s: job %s lost its work-horse; queued again", self.name, job.id)
        return None


def serve(url, queues=QUEUE_NAMES, with_scheduler=False, burst=False, stop=None):
    """Work until stopped (SIGTERM/SIGINT) or, in burst mode, until the queues are empty.

    Any Redis trouble that ends RQ's loop is waited out and a fresh worker takes over.
    """
    stop = stop or threading.Event()
    load_flows()
    while not stop.is_set():
        connection = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=10)
        worker = None
        try:
            worker = Worker(list(queues), connection=connection)
            worker.work(with_scheduler=with_scheduler, burst=burst,
                        logging_level=logging.getLevelName(log.getEffectiveLevel()))
        except RedisError as exc:
            log.warning("Redis went away (%s); waiting for it", exc)
        finally:
            _own_signals(stop)  # RQ's handlers are gone with its loop
        if burst or (worker is not None and worker.asked_to_stop):
            return
        stop.wait(1.0)  # whatever ended the loop, never restart in a tight loop
        _wait_for_redis(connection, stop)


def _own_signals(stop):
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())


def _wait_for_redis(connection, stop):
    while not stop.is_set():
        try:
            connection.ping()
            return
        except RedisError:
            stop.wait(0.5)


def main(argv=None):
    """Entry point: the queues to listen to (interactive first), --with-scheduler, --burst."""
    settings = config.from_env()
    parser = argparse.ArgumentParser(description="Pearlbridge's RQ worker")
    parser.add_argument("queues", nargs="*", default=list(QUEUE_NAMES))
    parser.add_argument("--url", default=settings["REDIS_URL"])
    parser.add_argument("--with-scheduler", action="store_true")
    parser.add_argument("--burst", action="store_true")
    options = parser.parse_args(argv)
    logconfig.setup(settings)  # like every process: LOG_LEVEL, LOG_FORMAT, the job id on lines
    check_at_start(settings)  # never work for another store's data (models/store_identity.py)
    serve(options.url, options.queues, options.with_scheduler, options.burst)


if __name__ == "__main__":
    main()
