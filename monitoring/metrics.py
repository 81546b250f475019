"""The /metrics collector: every figure computed at scrape time from the database and Redis
(no multiprocess registry: gunicorn's workers would each hold only their own share)."""
import logging
import time
from datetime import datetime, timezone

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from models.alerts import Alert
from models.events import Event
from models.log_counts import status_counts
from monitoring.api import budget
from monitoring.heartbeat import last_beat
from monitoring.queues import queue_facts, worker_count
from connectors.counter import read_counts

log = logging.getLogger(__name__)


class Collector:
    """A prometheus_client collector over one settings dict and one raw Redis client."""

    def __init__(self, settings, redis_connection):
        self.settings, self.redis = settings, redis_connection

    def describe(self):
        """Nothing up front: registering must not run a scrape."""
        return []

    def collect(self):
        """Yield every metric family, reading the database and Redis now."""
        yield from self._database()
        try:
            families = list(self._redis())
            up = 1
        except Exception as exc:  # noqa: BLE001 - Redis down: say so, keep the database's figures
            log.warning("/metrics cannot read Redis: %s", type(exc).__name__)
            families, up = [], 0
        yield from families
        yield _gauge("pearlbridge_redis_up", "1 when Redis answered this scrape.", value=up)

    def _database(self):
        records = GaugeMetricFamily("pearlbridge_sync_records",
                                    "Sync log rows by log type and status.",
                                    labels=["log_type", "status"])
        for log_type, by_status in status_counts().items():
            for status, count in by_status.items():
                records.add_metric([log_type, status], count)
        yield records
        yield _gauge("pearlbridge_inbox_unprocessed", "Inbox events not processed yet.",
                     value=Event.select().where(Event.processed_at.is_null()).count())
        alerts = GaugeMetricFamily("pearlbridge_alert_open", "1 while the alert is open.",
                                   labels=["alert"])
        for key, is_open in Alert.select(Alert.key, Alert.is_open).tuples():
            alerts.add_metric([key], 1 if is_open else 0)
        yield alerts

    def _redis(self):
        queues = queue_facts(self.redis, datetime.now(timezone.utc))
        depth = GaugeMetricFamily("pearlbridge_queue_jobs", "Jobs waiting per queue.",
                                  labels=["queue"])
        age = GaugeMetricFamily("pearlbridge_queue_oldest_job_age_seconds",
                                "Age of the oldest waiting job per queue (0 when empty).",
                                labels=["queue"])
        failed = GaugeMetricFamily("pearlbridge_queue_failed_jobs",
                                   "Jobs in the failed registry per queue.", labels=["queue"])
        for queue in queues:
            depth.add_metric([queue.name], queue.depth)
            age.add_metric([queue.name], queue.oldest_age or 0)
            failed.add_metric([queue.name], queue.failed)
        yield from (depth, age, failed)
        yield _gauge("pearlbridge_workers", "RQ workers registered.",
                     value=worker_count(self.redis))
        calls = CounterMetricFamily("pearlbridge_api_calls",
                                    "API calls by platform, route and outcome.",
                                    labels=["platform", "route", "outcome"])
        for platform, routes in read_counts(self.redis).items():
            for route, outcomes in routes.items():
                for outcome, count in outcomes.items():
                    calls.add_metric([platform, route, outcome], count)
        yield calls
        spent = budget(self.settings, self.redis)
        yield _gauge("pearlbridge_brightpearl_budget_remaining",
                     "Brightpearl requests left in the current budget window.",
                     value=spent.remaining)
        beat_at, _ = last_beat(self.redis)
        if beat_at is not None:
            yield _gauge("pearlbridge_poller_last_tick_age_seconds",
                         "Seconds since the poller leader last ticked.",
                         value=max(0.0, time.time() - beat_at))


def _gauge(name, documentation, value):
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family
