"""The retention prune on a real database: what goes, what stays, in bounded batches; SQLite
space given back; `flask prune --dry-run`; the poller's task queues it for a worker."""
import os
from datetime import timedelta

import pytest

from jobs.maintenance.prune import schedule_prune
from jobs.maintenance.reclaim import free_pages, reclaim
from jobs.maintenance.retention import STEPS, Rules, plan, prune
from jobs.core.queues import BULK, get_queue
from jobs.core.registry import load_flows, periodic_tasks
from models.base import utcnow
from models.db import db
from models.events import Event, EventBody
from models.logs import SyncAttempt, SyncLog
from models.probes import read_probe

RULES = Rules(payload_days=7, event_days=30, attempt_days=90, attempts_per_row=5,
              batch_rows=10, pause_seconds=0)
BODY = '{"id": 1, "line_items": [' + ", ".join(['{"sku": "SKU-1"}'] * 200) + "]}"
on_sqlite = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite only")


def event(n, processed_days_ago=None, received_days_ago=0, row=None):
    """One inbox event; processed that many days ago (None: not processed yet)."""
    now = utcnow()
    return Event.create(
        source="woocommerce", topic="order.updated", resource="order", resource_id=str(n),
        dedupe_key=str(n), payload=BODY, log=row,
        received_at=now - timedelta(days=received_days_ago),
        processed_at=None if processed_days_ago is None else now - timedelta(
            days=processed_days_ago), outcome="synced")


@pytest.fixture
def history(app):
    """A shop's history: events and attempts of every age, one record with a long history."""
    row = SyncLog.create(log_type="order", record_key="woo-1", status="synced", attempt_count=9)
    other = SyncLog.create(log_type="order", record_key="woo-2", status="failed", attempt_count=3)
    ages = {"fresh": 1, "payload-old": 10, "deletable": 40}
    events = {name: [event(f"{name}{i}", age, age, row) for i in range(12)]
              for name, age in ages.items()}
    events["unprocessed"] = [event(f"u{i}", None, 60) for i in range(3)]
    # Brightpearl ID sets' shared bodies: one whose events are gone, one an old unprocessed
    # event still needs, one recent.
    now = utcnow()
    for days, waiting in ((40, False), (40, True), (1, False)):
        body = EventBody.create(body='{"id": "1-3"}', received_at=now - timedelta(days=days))
        if waiting:
            Event.update(body_id=body.id).where(Event.dedupe_key == "u0").execute()
    now = utcnow()
    for days in (1, 2, 3, 4, 5, 6, 7, 100):  # 8 attempts on row (1 beyond 90 days), 9 made
        SyncAttempt.create(log=row, trigger="webhook", outcome="synced", message=f"{days}",
                           at=now - timedelta(days=days))
    for days in (1, 95, 120):
        SyncAttempt.create(log=other, trigger="poll", outcome="failed", message=f"{days}",
                           at=now - timedelta(days=days))
    return row, other, events


def test_plan_counts_and_prune_does_exactly_that(history):
    row, other, events = history
    expected = {"payloads emptied": 12, "events deleted": 12, "shared bodies deleted": 1,
                "attempts deleted": 3, "attempts over the cap": 2}
    assert plan(RULES, utcnow()) == expected
    pauses = []
    assert prune(RULES, utcnow(), pause=pauses.append) == expected
    assert len(pauses) >= 4  # batches of at most 10 rows, a pause after each
    assert Event.select().where(Event.dedupe_key.startswith("deletable")).count() == 0
    assert {e.payload for e in Event.select().where(Event.dedupe_key.startswith("payload"))} \
        == {""}
    assert {e.payload for e in Event.select().where(Event.dedupe_key.startswith("fresh"))} \
        == {BODY}
    unprocessed = Event.select().where(Event.processed_at.is_null())
    assert unprocessed.count() == 3 and {e.payload for e in unprocessed} == {BODY}
    assert SyncLog.select().count() == 2  # log rows are the record: kept
    assert EventBody.select().count() == 2
    kept = [a.message for a in SyncAttempt.select().where(SyncAttempt.log == row)
            .order_by(SyncAttempt.at.desc())]
    assert kept == ["1", "2", "3", "4", "5"]
    assert [a.message for a in SyncAttempt.select().where(SyncAttempt.log == other)] == ["1"]
    assert plan(RULES, utcnow()) == dict.fromkeys(STEPS, 0)
    assert prune(RULES, utcnow()) == dict.fromkeys(STEPS, 0)


def test_a_rule_set_to_zero_keeps_everything(history):
    keep_all = Rules(0, 0, 0, 0, batch_rows=10, pause_seconds=0)
    assert plan(keep_all, utcnow()) == dict.fromkeys(STEPS, 0)
    assert prune(keep_all, utcnow()) == dict.fromkeys(STEPS, 0)
    assert Event.select().count() == 39 and SyncAttempt.select().count() == 11


def test_prune_stops_at_its_deadline_and_goes_on_next_time(history):
    done = prune(RULES, utcnow(), deadline=0)  # long past: one batch, then stop
    assert sum(done.values()) == 10
    prune(RULES, utcnow())
    assert plan(RULES, utcnow()) == dict.fromkeys(STEPS, 0)


@on_sqlite
def test_sqlite_space_is_given_back(app):
    for n in range(400):
        event(n, processed_days_ago=40)
    assert db.execute_sql("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    prune(RULES, utcnow())
    assert free_pages() > 50
    before = os.path.getsize(db.obj.database)
    assert reclaim(pause_seconds=0) > 50
    assert free_pages() == 0
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert os.path.getsize(db.obj.database) < before


def test_flask_prune_dry_run_changes_nothing(app, history):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["prune", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run, nothing changed" in result.output
    assert "payloads emptied         12" in result.output
    assert "attempts deleted         0" not in result.output
    assert Event.select().count() == 39 and SyncAttempt.select().count() == 11
    result = runner.invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert "12 events deleted" in result.output
    assert Event.select().count() == 27


def test_the_poller_queues_the_prune_for_a_worker(app, settings, redis_connection, work,
                                                  history):
    load_flows()
    task = periodic_tasks()["retention"]
    assert task.setting == "RETENTION_SECONDS"
    import config
    task.run(config.from_env(), redis_connection)
    assert get_queue(redis_connection, BULK).job_ids == ["retention-prune"]
    schedule_prune(config.from_env(), redis_connection)  # coalesced: still one job
    assert len(get_queue(redis_connection, BULK).job_ids) == 1
    work()
    figures, checked_at = read_probe("retention")
    assert checked_at is not None and figures["done"]["events deleted"] == 12
    assert figures["tables"]["events"]["rows"] == 27
    assert figures["tables"]["attempts"]["oldest"] is not None
