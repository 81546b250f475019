"""What runs remember: a discrepancy stays one row across runs, is resolved only by a run that
looked at it, and reopens when it comes back; the daily schedule queues one run when due."""
from datetime import datetime, timedelta

import pytest

from jobs.core.queues import BULK, get_queue
from jobs.reconcile.findings import Finding, dated_kinds, kinds_of
from jobs.reconcile.schedule import SCHEDULED_JOB_ID, due, schedule_reconcile
from models.base import utcnow
from models.reconcile import OPEN, RESOLVED, Discrepancy, ReconcileRun, resolve_unseen, \
    save_findings

MARCH = datetime(2026, 3, 1)


@pytest.fixture
def db(app):
    from models.db import connection

    with connection() as database:
        yield database


def run_over(since, until, trigger="manual", started=None):
    return ReconcileRun.create(since=since, until=until, trigger=trigger,
                               started_at=started or utcnow())


def total(order_id, day):
    return Finding("order_total", f"woo-{order_id}", f"order {order_id}", "24.99", "25.00",
                   {"woo_order_id": order_id}, MARCH + timedelta(days=day))


def stock(pid):
    return Finding("stock", f"bp-{pid}", f"SKU {pid}", "stock 4", "3 to sell", {"sku": str(pid)})


def test_found_again_is_the_same_row_and_unseen_is_resolved_only_within_the_range(db):
    first = run_over(MARCH, MARCH + timedelta(days=10))
    assert save_findings(first, [total(1, 1), total(2, 8), stock(5)]) == 3
    second = run_over(MARCH, MARCH + timedelta(days=5))  # covers order 1's day, not order 2's
    assert save_findings(second, [total(1, 1)]) == 0  # seen again: not new
    resolved = resolve_unseen(second, kinds_of({"orders", "stock"}), dated_kinds(),
                              second.since, second.until)
    state = {d.record_key: d.status for d in Discrepancy.select()}
    assert resolved == 1 and state == {"woo-1": OPEN, "woo-2": OPEN, "bp-5": RESOLVED}
    assert Discrepancy.select().count() == 3
    third = run_over(MARCH, MARCH + timedelta(days=10))
    resolve_unseen(third, kinds_of({"stock"}), dated_kinds(), third.since, third.until)
    assert Discrepancy.get(Discrepancy.record_key == "woo-2").status == OPEN  # not looked at


def test_a_resolved_discrepancy_that_comes_back_is_open_again_and_new(db):
    first = run_over(MARCH, MARCH + timedelta(days=10))
    save_findings(first, [stock(5)])
    item = Discrepancy.get()
    Discrepancy.update(repaired_at=utcnow(), repaired_by="ann").where(
        Discrepancy.id == item.id).execute()
    resolve_unseen(run_over(MARCH, MARCH), ["stock"], [], MARCH, MARCH)
    assert Discrepancy.get_by_id(item.id).status == RESOLVED
    later = run_over(MARCH, MARCH + timedelta(days=10))
    assert save_findings(later, [stock(5)]) == 1
    again = Discrepancy.get_by_id(item.id)
    assert (again.status, again.first_run_id, again.repaired_at, again.resolved_at) == (
        OPEN, later.id, None, None)


def test_the_schedule_queues_one_run_when_one_is_due(db, redis_connection):
    settings = {"RECONCILE_SECONDS": 86400, "RECONCILE_DAYS": 7}
    assert due(86400)
    schedule_reconcile(settings, redis_connection)
    schedule_reconcile(settings, redis_connection)
    jobs = get_queue(redis_connection, BULK).jobs
    assert [j.id for j in jobs] == [SCHEDULED_JOB_ID] and jobs[0].args == (7,)
    get_queue(redis_connection, BULK).empty()
    run_over(MARCH, MARCH, trigger="schedule", started=utcnow() - timedelta(hours=2))
    assert not due(86400) and due(3600)
    schedule_reconcile(settings, redis_connection)
    assert get_queue(redis_connection, BULK).count == 0
    run_over(MARCH, MARCH, trigger="manual")  # a run on demand does not count
    assert due(3600)
