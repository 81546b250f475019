"""The poller's courier: a thread sending due notifications, so a slow mail server never holds
up the poller's schedule (or costs it the leader lock)."""
import logging
import threading

from alerts.delivery import deliver_due
from models.db import connection

log = logging.getLogger(__name__)


class Courier(threading.Thread):
    """Sends the outbox every `interval` seconds until stop() is called."""

    def __init__(self, settings, interval=5.0):
        super().__init__(name="alert-courier", daemon=True)
        self.settings, self.interval = settings, interval
        self._stop_event = threading.Event()

    def run(self):
        """Deliver what is due, every interval, until stopped."""
        while not self._stop_event.wait(self.interval):
            try:
                with connection():
                    deliver_due(self.settings)
            except Exception as exc:  # noqa: BLE001 - the database away: try again later
                log.warning("alert courier: %s: %s", type(exc).__name__, exc)

    def stop(self):
        """Ask the thread to end after its current round."""
        self._stop_event.set()
