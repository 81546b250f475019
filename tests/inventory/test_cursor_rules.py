"""Cursor rules: a failed write holds the goods-movement cursor; the overlap never double-writes."""
from datetime import datetime, timedelta

import pytest

from jobs.inventory.changes import next_cursor
from jobs.inventory.movements import CURSOR
from jobs.inventory.times import from_cursor, parse_bp_time
from models.db import db
from models.links import read_cursor
from models.stock import StockChange
from tests.inventory.test_stock_flow import simple_sku, sum_on_hand, sweep

T = datetime(2024, 5, 1, 12, 0, 0)


@pytest.mark.parametrize("current, scanned, outstanding, expected", [
    (T, T + timedelta(minutes=5), None, T + timedelta(minutes=5)),   # all settled: move on
    (T, T + timedelta(minutes=5), T + timedelta(minutes=1), T + timedelta(minutes=1)),  # held
    (T, T + timedelta(minutes=5), T - timedelta(minutes=1), T),      # never backwards
    (T, None, None, T),                                              # nothing scanned
    (None, T, None, T),
    (None, None, None, None),
])
def test_next_cursor(current, scanned, outstanding, expected):
    assert next_cursor(current, scanned, outstanding) == expected


@pytest.mark.parametrize("text, expected", [
    ("2022-01-26T10:39:46.000-06:00", datetime(2022, 1, 26, 16, 39, 46)),
    ("2024-05-01T12:00:00Z", T),
    ("2024-05-01T12:00:00.250+00:00", T + timedelta(milliseconds=250)),
    ("nonsense", None), (None, None),
])
def test_brightpearl_times_become_naive_utc(text, expected):
    assert parse_bp_time(text) == expected


def cursor():
    with db.connection_context():
        return from_cursor(read_cursor(CURSOR))


def test_failed_write_keeps_the_cursor_and_the_change_until_it_succeeds(stock):
    stock.seed(40)
    stock.enable()
    sweep(stock)
    stock.tick()
    start = cursor()
    sku = simple_sku(stock)
    stock.woo.control("POST", "/faults", {"route": "batch", "status": 503})
    stock.set_stock(sku, 21, warehouse=2)
    stock.tick()
    with db.connection_context():
        (change,) = StockChange.select()
        assert change.attempts == 1 and change.movement_on is not None
    assert cursor() <= change.movement_on and cursor() >= start
    assert stock.woo_product(sku)["stock_quantity"] != sum_on_hand(stock, sku)
    stock.woo.control("DELETE", "/faults")
    with db.connection_context():
        StockChange.update(not_before=None).execute()  # skip the backoff wait
    stock.tick()
    assert stock.woo_product(sku)["stock_quantity"] == sum_on_hand(stock, sku)
    with db.connection_context():
        assert StockChange.select().count() == 0
    assert cursor() >= change.movement_on


def test_overlap_window_does_not_read_or_write_twice(stock):
    stock.seed(40)
    stock.enable()
    sweep(stock)
    stock.tick()
    sku = simple_sku(stock)
    stock.set_stock(sku, 9, warehouse=3)
    stock.bp.control("DELETE", "/requests")
    stock.woo.control("DELETE", "/requests")
    from jobs.inventory.worker import OVERLAP_KEY
    for _ in range(3):  # each scan re-reads the last two minutes of movements
        stock.redis.delete(OVERLAP_KEY)
        stock.tick()
    writes = sum(n for route, n in stock.woo_requests()["counts"].items() if "batch" in route)
    reads = sum(r["count"] for r in stock.bp.control("GET", "/requests")["routes"]
                if "product-availability" in r["route"])
    assert (writes, reads) == (1, 1)
    assert stock.woo_product(sku)["stock_quantity"] == sum_on_hand(stock, sku)
