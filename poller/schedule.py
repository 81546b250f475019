"""The poller's tasks, each with its own interval: a small scheduler with no I/O of its own."""
import logging
import time
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class Task:
    """A callable run every interval seconds; next_run is a monotonic time."""

    name: str
    interval: float
    run: callable
    next_run: float = 0.0
    last_error: str | None = field(default=None)


class Schedule:
    """Runs whichever tasks are due; one task's failure never stops the others."""

    def __init__(self, tasks, clock=time.monotonic):
        self.tasks, self.clock = list(tasks), clock

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
            task.next_run = self.clock() + task.interval
            ran.append(task.name)
        return ran

    def seconds_until_next(self):
        """How long the loop may sleep before a task is due."""
        return max(0.0, min(t.next_run for t in self.tasks) - self.clock()) if self.tasks else 1.0
