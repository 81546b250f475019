"""Odd values in signed deliveries: recorded (Failed, with the reason) or 400, never 500/503,
and never a page that breaks on them. Runs on SQLite and on PostgreSQL (make test-pg)."""
import pytest

from models.db import db
from models.events import Event
from models.logs import SyncLog
from tests.fixtures import load, php_json
from tests.webhook.test_woocommerce_receiver import deliver, queued_ids

PAGES = ("/logs?type=order", "/logs/export.csv?type=order", "/logs/export.json?type=order")


def order_with(**changes):
    order = load("woo_order.json")
    order.update(changes)
    return order


@pytest.mark.parametrize("field, value, named", [
    ("total", "Infinity", "total"),
    ("total", "NaN", "total"),
    ("total", "sNaN", "total"),
    ("total", "-Infinity", "total"),
    ("total", "1e26", "total"),
    ("total", "1000000000000.00", "total"),    # 13 digits: PostgreSQL's NUMERIC(14,2) said 503
    ("total", ["53.00"], "total"),
    ("currency", "GBPX", "currency"),           # PostgreSQL's varchar(3) said 503
    ("status", ["a"], "status"),                # unhashable: was a 500
    ("status", {"x": 1}, "status"),
    ("number", "7" * 300, "number"),
])
def test_a_value_no_column_can_hold_is_recorded_failed_and_answered_200(
        staff, redis_connection, field, value, named):
    response = deliver(staff, order_with(**{field: value}))
    assert response.status_code == 200 and response.get_json() == {"failed": 1}
    row = SyncLog.get()
    assert (row.record_key, row.status) == ("woo-727", "failed")
    assert named in row.failure_reason and "Re-sync" in row.failure_reason
    event = Event.get()
    assert event.processed_at is not None and event.outcome.startswith("failed: ")
    assert queued_ids(redis_connection) == []  # nothing to do until staff Re-sync it
    for path in PAGES + (f"/logs/{row.id}",):
        assert staff.get(path).status_code == 200, path


def test_an_odd_total_sent_as_a_bare_number_is_recorded_failed(staff):
    body = php_json(load("woo_order.json")).replace(b'"total":"53.00"', b'"total":1e400')
    assert b"1e400" in body
    assert deliver(staff, body).get_json() == {"failed": 1}
    assert "total" in SyncLog.get().failure_reason


@pytest.mark.parametrize("value", ["Ann\x00Smith", "\ud800 lone surrogate"])
def test_nul_and_lone_surrogates_are_stripped_not_refused(staff, value):
    response = deliver(staff, order_with(number=value))
    assert response.status_code == 200 and response.get_json()["accepted"] == 1
    row = SyncLog.get()
    assert "\x00" not in row.info and "\ud800" not in row.info
    assert staff.get(f"/logs/{row.id}").status_code == 200


@pytest.mark.parametrize("order_id", [12345678901234567890, 2**31, 0, -5, "7a", 1.5, True, None])
def test_an_id_no_column_can_hold_is_recorded_without_a_row(staff, redis_connection, order_id):
    response = deliver(staff, order_with(id=order_id))
    assert response.status_code == 200 and response.get_json() == {"failed": 1}
    assert SyncLog.select().count() == 0 and queued_ids(redis_connection) == []
    assert Event.get().outcome.startswith("failed: WooCommerce sent an order")


@pytest.mark.parametrize("body", [
    b"[" * 5000 + b"]" * 5000,
    b'{"id": 727, "meta": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"id": 727, "meta": ' + b"[" * 40 + b"]" * 40 + b"}",   # past the bound of 32
    b'{"id": 727, "total": NaN}',
    b'{"id": 727, "total": Infinity}',
    b'{"id": ' + b"7" * 5000 + b"}",
    '{"id": 727}'.encode("utf-16"),
])
def test_deep_nesting_and_non_json_numbers_are_400(client, redis_connection, body):
    response = deliver(client, body)
    assert response.status_code == 400
    assert Event.select().count() == 0 and queued_ids(redis_connection) == []


def test_a_legacy_odd_amount_does_not_break_the_pages(staff):
    # Rows written before amounts were checked: SQLite kept whatever text it was given.
    if not db.obj.__class__.__name__.startswith("Sqlite"):
        pytest.skip("PostgreSQL never stored such a value")
    for n, text in enumerate(("Infinity", "NaN", "sNaN", "1e26"), start=1):
        db.execute_sql("INSERT INTO sync_log (connection_id, log_type, record_key, status, info, "
                       "amount, created_at, updated_at, attempt_count) VALUES "
                       "(1, 'order', ?, 'pending', 'odd', ?, '2026-01-01', '2026-01-01', 0)",
                       (f"woo-{n}", text))
    for path in PAGES + tuple(f"/logs/{row.id}" for row in SyncLog.select()):
        assert staff.get(path).status_code == 200, path
