"""The long-running poller process: leader election and the scheduled sweeps."""
import logging
import signal
import threading

import config
import logconfig
from alerts.courier import Courier
from alerts.senders import channels
from jobs.core.inbox import sweep_inbox
from jobs.core.locks import Lock
from jobs.core.queues import redis_client
from jobs.core.registry import load_flows, periodic_tasks
from models.db import bind, connection
from models.store_identity import check_at_start, open_connection
from monitoring.heartbeat import beat, identity
from poller.schedule import LastRuns, Schedule, Task

log = logging.getLogger("poller")
TICK_SECONDS = 1.0
LEADER_KEY = "pearlbridge:poller:leader"


def build_tasks(settings, redis_connection):
    """The poller's tasks: the inbox sweep, then every periodic task the flows registered."""
    def inbox():
        with connection():
            count = sweep_inbox(redis_connection,
                                grace_seconds=settings["INBOX_SWEEP_GRACE_SECONDS"],
                                requeue_seconds=settings["INBOX_REQUEUE_SECONDS"])
        if count:
            log.info("inbox sweep enqueued %d record(s)", count)

    tasks = [Task("inbox-sweep", settings["INBOX_SWEEP_SECONDS"], inbox)]
    load_flows()
    for periodic in periodic_tasks().values():
        interval = float(settings.get(periodic.setting) or periodic.seconds)
        tasks.append(Task(periodic.name, interval, _in_connection(periodic.run, settings,
                                                                 redis_connection)))
    return tasks


def _connection_tag():
    with connection():
        current = open_connection()
    return current.tag if current else None


def _in_connection(func, settings, redis_connection):
    def run():
        with connection():
            func(settings, redis_connection)

    return run


def run(settings=None, stop=None, tick=TICK_SECONDS):
    """Loop until stop is set: hold or wait for the leader lock, run due tasks as leader.

    The lock is the one lock helper's (renewed by its heartbeat thread while held; a dead
    leader's is taken over as soon as its process is known gone, else when it expires).
    """
    settings = settings or config.from_env()
    stop = stop or threading.Event()
    bind(settings["DATABASE_URL"])
    redis_connection = redis_client(settings["REDIS_URL"])
    lock = Lock(redis_connection, LEADER_KEY, settings["POLLER_LOCK_SECONDS"])
    schedule = Schedule(build_tasks(settings, redis_connection),
                        last_runs=LastRuns(redis_connection, _connection_tag()))
    # Alerts are sent from a thread of their own: a slow mail server never delays a tick.
    courier = Courier(settings) if channels(settings) else None
    if courier:
        courier.start()
    leading, who = False, identity()
    while not stop.is_set():
        now_leading = (not lock.lost) if leading else _try_to_lead(lock)
        if now_leading != leading:
            log.info("poller is %s", "the leader" if now_leading else "standing by")
            leading = now_leading
            if leading:
                schedule.resume()
        if leading:
            _heartbeat(redis_connection, who)
            schedule.run_due(still_leader=lambda: not lock.lost)
        stop.wait(min(tick, schedule.seconds_until_next()) if leading else tick)
    if courier:
        courier.stop()
    if leading:
        lock.release()


def _try_to_lead(lock):
    try:
        return lock.acquire()
    except Exception as exc:  # noqa: BLE001 - Redis away: stand by, try again next tick
        log.warning("cannot reach Redis for the leader lock: %s", exc)
        return False


def _heartbeat(redis_connection, who):
    # Read by the Health page, /metrics and the watchdog's "poller is not running" alert.
    try:
        beat(redis_connection, who)
    except Exception as exc:  # noqa: BLE001 - Redis away: the lock renewal says so too
        log.warning("cannot record the poller heartbeat: %s", exc)


def main():
    """Entry point of `python -m poller`: stop cleanly on SIGTERM / SIGINT."""
    settings = config.from_env()
    logconfig.setup(settings)
    check_at_start(settings)  # never poll for another store's data (models/store_identity.py)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run(settings, stop)
