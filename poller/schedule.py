"""The poller's tasks, each with its own interval: a small scheduler with no I/O of its own.

When each task last ran is kept where every poller sees it (LastRuns, a Redis hash), so a
poller that becomes leader runs only what is due — not every task at once.
"""
import logging
import time
from dataclasses import dataclass, field

from redis.exceptions import RedisError

log = logging.getLogger(__name__)


@dataclass
class Task:
    """A callable run every interval seconds; next_run is a wall-clock time (shared by pollers)."""

    name: str
    interval: float
    run: callable
    next_run: float = 0.0
    last_error: str | None = field(default=None)


KEEP_SECONDS = 7 * 24 * 3600  # an ended connection's schedule goes from Redis in a week


class LastRuns:
    """When each task last ran, in a Redis hash every poller reads (best effort: Redis may be away)."""

    def __init__(self, connection, tag=None):
        # Per connection: a new store (or the demo's fresh database) is polled at once, not
        # when the previous one's schedule says.
        self.connection = connection
        self.key = "pearlbridge:poller:last-run" + (f":{tag}" if tag else "")

    def read(self):
        """{task name: when it last ran (epoch seconds)}; empty when Redis cannot say."""
        try:
            return {k.decode(): float(v) for k, v in self.connection.hgetall(self.key).items()}
        except RedisError:
            return {}

    def ran(self, name, moment):
        """Record that task name ran at moment."""
        try:
            pipe = self.connection.pipeline(transaction=False)  # one round trip per task run
            pipe.hset(self.key, name, repr(moment))
            pipe.expire(self.key, KEEP_SECONDS)
            pipe.execute()
        except RedisError:
            pass


class Schedule:
    """Runs whichever tasks are due; one task's failure never stops the others."""

    def __init__(self, tasks, clock=time.time, last_runs=None):
        self.tasks, self.clock, self.last_runs = list(tasks), clock, last_runs

    def resume(self):
        """Take up the times any leader recorded: only tasks past their interval are due now."""
        recorded = self.last_runs.read() if self.last_runs else {}
        for task in self.tasks:
            if task.name in recorded:
                task.next_run = max(task.next_run, recorded[task.name] + task.interval)

    def run_due(self, still_leader=lambda: True):
        """Run every due task (while still leader); returns the names that ran."""
        ran = []
        for task in self.tasks:
            if self.clock() < task.next_run or not still_leader():
                continue
            try:
                task.run()
                task.last_error = None
            except Exception as exc:  # noqa: BLE001 - logged; the task runs again next time
                task.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("poller task %s failed: %s", task.name, task.last_error)
            finished = self.clock()
            task.next_run = finished + task.interval
            if self.last_runs:
                self.last_runs.ran(task.name, finished)
            ran.append(task.name)
        return ran

    def seconds_until_next(self):
        """How long the loop may sleep before a task is due."""
        return max(0.0, min(t.next_run for t in self.tasks) - self.clock()) if self.tasks else 1.0
