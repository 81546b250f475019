"""Sync Logs counts kept on write: every path that changes a row's status keeps them exact,
also with many writers at once; an existing database is counted when the migration runs."""
import random
import threading

from peewee import fn

from models.base import utcnow
from models.db import db, write_transaction
from models.log_counts import (SyncLogCount, SyncLogCountDelta, create_counts, fold_counts,
                               status_counts)
from models.logs import STATUSES, SyncLog, touch_pending


def truth():
    """The counts by grouping sync_log itself."""
    counts = {}
    for log_type, status, n in (SyncLog.select(SyncLog.log_type, SyncLog.status,
                                               fn.COUNT(SyncLog.id))
                                .group_by(SyncLog.log_type, SyncLog.status).tuples()):
        counts.setdefault(log_type, {})[status] = n
    return counts


def nonzero(counts):
    """counts without the zeros."""
    return {t: {s: n for s, n in by.items() if n} for t, by in counts.items()
            if any(by.values())}


def test_every_write_path_keeps_the_counts(app):
    now = utcnow()
    for n in range(5):
        touch_pending(db.obj, "order", f"woo-{n}", f"Woo order #{n}", str(n), now)
    touch_pending(db.obj, "order", "woo-1", "again", "1", now)  # upsert: still pending
    assert status_counts()["order"] == {"pending": 5, "synced": 0, "failed": 0}
    row = SyncLog.get(SyncLog.record_key == "woo-2")
    row.status = "synced"
    row.save()  # as flowkit does
    SyncLog.update(status="failed").where(SyncLog.record_key.in_(["woo-3", "woo-4"])).execute()
    touch_pending(db.obj, "order", "woo-3", "webhook again", "3", now)  # failed -> pending
    SyncLog.create(log_type="inventory", record_key="bp-1", status="synced")
    SyncLog.update(info="renamed").where(SyncLog.record_key == "bp-1").execute()
    SyncLog.delete().where(SyncLog.record_key == "woo-0").execute()
    with write_transaction():
        SyncLog.update(status="synced").where(SyncLog.record_key == "woo-1").execute()
    assert status_counts()["order"] == {"pending": 1, "synced": 2, "failed": 1}
    assert nonzero(status_counts()) == truth()


def test_a_rolled_back_change_is_not_counted(app):
    SyncLog.create(log_type="order", record_key="woo-1", status="pending")
    try:
        with db.atomic():
            SyncLog.update(status="synced").execute()
            raise RuntimeError("the job died")
    except RuntimeError:
        pass
    assert status_counts()["order"]["pending"] == 1 and status_counts()["order"]["synced"] == 0


def test_the_migration_counts_rows_already_there(app):
    for n in range(7):
        SyncLog.create(log_type="product", record_key=f"bp-{n}", status=STATUSES[n % 3])
    SyncLogCount.delete().execute()  # as before the counters existed
    SyncLogCountDelta.delete().execute()
    assert status_counts()["product"] == {"pending": 0, "synced": 0, "failed": 0}
    with db.atomic():
        create_counts(db)  # idempotent, like every migration
    assert status_counts()["product"] == {"pending": 3, "synced": 2, "failed": 2}


def test_exact_under_concurrent_writers(app):
    rows = [SyncLog.create(log_type="order", record_key=f"woo-{n}", status="pending").id
            for n in range(40)]
    errors = []

    def writer(seed):
        rnd = random.Random(seed)
        try:
            with db.connection_context():
                for _ in range(60):
                    SyncLog.update(status=rnd.choice(STATUSES), updated_at=utcnow()).where(
                        SyncLog.id == rnd.choice(rows)).execute()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def folder():
        with db.connection_context():
            while any(t.is_alive() for t in threads[:-1]):
                fold_counts(db)  # the poller folds while workers write

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(6)]
    threads.append(threading.Thread(target=folder))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert nonzero(status_counts()) == truth()
    assert sum(status_counts()["order"].values()) == 40


def test_folding_keeps_the_counts_and_empties_the_deltas(app):
    for n in range(5):
        SyncLog.create(log_type="refund", record_key=f"woo-{n}", status="pending")
    SyncLog.update(status="synced").where(SyncLog.record_key != "woo-0").execute()
    before = status_counts()
    fold_counts(db)
    assert SyncLogCountDelta.select().count() == 0
    assert status_counts() == before and before["refund"] == {"pending": 1, "synced": 4,
                                                              "failed": 0}
