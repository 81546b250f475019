"""The hostile-input suite's fixtures: a signed-in staff client and a ledger of what is stored.

Hypothesis settings: a fixed (derandomized) corpus by default, so CI runs the same examples
every time; HYPOTHESIS_PROFILE=explore draws fresh random ones, ten times as many.
"""
import os

import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

from jobs.core.queues import QUEUE_NAMES, get_queue
from logpage.queries import PAGE_SIZE
from models.events import Event, EventBody
from models.logs import SyncAttempt, SyncLog
from models.pings import WebhookPing

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                      HealthCheck.data_too_large, HealthCheck.large_base_example])
hypothesis_settings.register_profile("ci", derandomize=True, **_COMMON)
hypothesis_settings.register_profile("explore", max_examples=1000, **_COMMON)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TABLES = (Event, EventBody, SyncLog, SyncAttempt, WebhookPing)


class Ledger:
    """Row counts and queue lengths before a request, to tell what the request stored."""

    def __init__(self, redis_connection):
        self.redis_connection = redis_connection
        self.counts, self.last_event = None, 0

    def _now(self):
        counts = tuple(model.select().count() for model in TABLES)
        queued = tuple(len(get_queue(self.redis_connection, name)) for name in QUEUE_NAMES)
        return counts + queued

    def mark(self):
        """Remember what is stored now."""
        self.counts = self._now()
        self.last_event = Event.select(Event.id).order_by(Event.id.desc()).scalar() or 0

    def unchanged(self):
        """True when nothing was stored or enqueued since mark()."""
        return self._now() == self.counts

    def rows_touched(self):
        """The sync log rows the events stored since mark() belong to."""
        ids = {e.log_id for e in Event.select(Event.log_id).where(Event.id > self.last_event)
               if e.log_id}
        return list(SyncLog.select().where(SyncLog.id.in_(list(ids)))) if ids else []


@pytest.fixture
def ledger(redis_connection):
    """A Ledger over the test database and Redis."""
    return Ledger(redis_connection)


def assert_clear_answer(response):
    """No 5xx, and nothing of a stack trace in what the client sees."""
    text = response.get_data(as_text=True)
    assert response.status_code < 500, (response.status_code, text[:300])
    assert "Traceback" not in text and 'File "' not in text


def assert_visible(staff, rows):
    """Rows just touched open in their detail pages (a sample of big ID sets) and lead their
    type's list page, newest first."""
    newest_first = sorted(rows, key=lambda r: (r.updated_at, r.id), reverse=True)
    for row in newest_first[:10] + newest_first[10:][-10:]:
        assert staff.get(f"/logs/{row.id}").status_code == 200
    for log_type in {row.log_type for row in rows}:
        page = staff.get("/logs", query_string={"type": log_type})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        for row in [r for r in newest_first if r.log_type == log_type][:PAGE_SIZE]:
            assert f'data-id="{row.id}"' in text, row.record_key
