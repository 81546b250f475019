"""The connection: recorded at first start, refused when the store or account changes, and the
two ways on (switch, rename); every scoped row belongs to exactly one connection."""
import pytest

from models.connections import Connection, current_id, external_ref, local_ref, viewing
from models.db import db
from models.events import Event
from models.flows import Flow, ReferenceData, get_flow, save_flow
from models.links import OrderLink, read_cursor, write_cursor
from models.log_counts import status_counts
from models.logs import SyncLog, log_row
from models.stock import StockItem
from models.store_identity import ConnectionChanged, check, rename, store_of, switch


@pytest.fixture
def conn(app):
    with db.connection_context():
        yield


def moved(settings, **changes):
    return dict(settings, **changes)


def test_the_first_start_records_the_configured_store_and_account(conn, settings):
    connection = check(settings)
    assert (connection.id, connection.woo_store, connection.bp_account) == (
        1, "127.0.0.1:9", "testacct")
    assert connection.recorded_at is not None
    assert check(settings).id == 1  # the same configuration starts again


@pytest.mark.parametrize("url", ["https://127.0.0.1:9/", "HTTP://127.0.0.1:9", "127.0.0.1:9"])
def test_scheme_case_and_trailing_slash_name_the_same_store(url):
    assert store_of(url) == "127.0.0.1:9"


def test_a_store_switch_is_refused_in_one_line_naming_both(conn, settings):
    check(settings)
    with pytest.raises(ConnectionChanged) as refused:
        check(moved(settings, WOO_URL="https://shop.example.com"))
    message = str(refused.value)
    assert "\n" not in message
    assert "127.0.0.1:9" in message and "shop.example.com" in message
    assert '"flask connection switch"' in message and '"flask connection rename"' in message


def test_a_brightpearl_account_switch_is_refused_and_rename_is_not_offered(conn, settings):
    check(settings)
    with pytest.raises(ConnectionChanged) as refused:
        check(moved(settings, BRIGHTPEARL_ACCOUNT="liveacct"))
    message = str(refused.value)
    assert "testacct" in message and "liveacct" in message
    assert "flask connection switch" in message and "rename" not in message
    with pytest.raises(ConnectionChanged, match="switch"):
        rename(moved(settings, BRIGHTPEARL_ACCOUNT="liveacct"))


def test_a_switch_starts_a_connection_whose_rows_are_its_own(conn, settings):
    check(settings)
    OrderLink.create(woo_order_id=95, bp_order_id=100015, state="created")
    log_row("order", "woo-95", "Order #95")
    write_cursor("orders-poll", "2026-01-01T00:00:00")
    production = moved(settings, WOO_URL="https://shop.example.com")

    old, new = switch(production)

    assert (old.id, new.id, current_id()) == (1, 2, 2)
    assert check(production).id == 2  # the new configuration now starts
    assert OrderLink.get_or_none(OrderLink.woo_order_id == 95) is None
    assert SyncLog.select().count() == 0 and read_cursor("orders-poll") is None
    assert status_counts()["order"]["pending"] == 0
    # The same ids are free in the new connection, and the old rows are all still there.
    OrderLink.create(woo_order_id=95, bp_order_id=100099, state="created")
    log_row("order", "woo-95", "Order #95 (production)")
    assert OrderLink.select_everywhere().count() == 2
    with viewing(1):
        assert OrderLink.get(OrderLink.woo_order_id == 95).bp_order_id == 100015
        assert SyncLog.get(SyncLog.record_key == "woo-95").info == "Order #95"
        assert status_counts()["order"]["pending"] == 1
    assert Connection.get_by_id(1).ended_at is not None


def test_a_switch_carries_settings_over_and_closes_the_old_inbox(conn, settings):
    check(settings)
    save_flow("orders", "ann", enabled=True, settings={"warehouse_id": 2})
    ReferenceData.create(kind="warehouses", items_json="[[2, \"Main\"]]")
    Event.create(source="woocommerce", topic="order.created", resource="order",
                 resource_id="95", dedupe_key="k1", payload="{}")
    StockItem.create(bp_product_id=1001, sku="MUG-1")

    switch(moved(settings, WOO_URL="https://shop.example.com"))

    orders = get_flow("orders")
    assert orders.enabled and orders.settings == {"warehouse_id": 2}
    assert ReferenceData.get(ReferenceData.kind == "warehouses").items_json == "[[2, \"Main\"]]"
    old_event = Event.select_everywhere().get()
    assert old_event.processed_at is not None and "connection ended" in old_event.outcome
    assert StockItem.select().count() == 0  # facts of the old store's products, read again


def test_a_new_brightpearl_account_gets_the_settings_switched_off(conn, settings):
    check(settings)
    save_flow("orders", "ann", enabled=True, settings={"warehouse_id": 2})
    ReferenceData.create(kind="warehouses", items_json="[]")

    switch(moved(settings, BRIGHTPEARL_ACCOUNT="liveacct"))

    orders = get_flow("orders")
    assert not orders.enabled and orders.settings == {"warehouse_id": 2}
    assert ReferenceData.select().count() == 0  # the old account's lists mean nothing here
    assert Flow.select_everywhere().count() == 2


def test_rename_keeps_the_links(conn, settings):
    check(settings)
    OrderLink.create(woo_order_id=95, bp_order_id=100015, state="created")
    new_address = moved(settings, WOO_URL="https://www.shop.example.com")

    assert rename(new_address) == ("127.0.0.1:9", "www.shop.example.com")

    assert check(new_address).id == 1
    assert OrderLink.get(OrderLink.woo_order_id == 95).bp_order_id == 100015
    with pytest.raises(ConnectionChanged):
        check(settings)  # the old address is now the other store


def test_external_refs_name_the_connection_after_a_switch():
    assert external_ref(95, 1) == "95" and external_ref("woo-refund-7", 3) == "c3-woo-refund-7"
    assert local_ref("95", 1) == "95" and local_ref("c2-95", 1) is None
    assert local_ref("c2-95", 2) == "95" and local_ref("95", 2) is None
    assert local_ref("c3-95", 2) is None


def test_retention_prunes_an_ended_connections_events_too(conn, settings):
    from datetime import timedelta

    from jobs.maintenance.retention import Rules, prune
    from models.base import utcnow

    check(settings)
    long_ago = utcnow() - timedelta(days=40)
    Event.create(source="woocommerce", topic="order.created", resource="order",
                 resource_id="95", dedupe_key="old", payload="{}", received_at=long_ago,
                 processed_at=long_ago, outcome="synced")
    switch(moved(settings, WOO_URL="https://shop.example.com"))
    assert Event.select().count() == 0

    list(prune(Rules(batch_rows=10, pause_seconds=0), utcnow()))

    assert Event.select_everywhere().count() == 0
