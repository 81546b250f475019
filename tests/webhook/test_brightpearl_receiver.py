"""POST /webhooks/brightpearl/<secret>: Brightpearl callbacks with ID sets."""
import pytest

from jobs.core.queues import INTERACTIVE, get_queue
from models.events import Event
from models.links import OrderLink
from models.logs import SyncLog

SECRET = "bp-hook-secret-0123456789"
URL = f"/webhooks/brightpearl/{SECRET}"


def callback(full_event="product.modified.on-hand-modified", ids="1001", account="testacct",
             raised_on="2026-11-20T10:20:41.691Z", **changes):
    resource_type, _, rest = full_event.partition(".")
    body = {"accountCode": account, "resourceType": resource_type, "id": ids,
            "lifecycleEvent": rest.partition(".")[0], "fullEvent": full_event,
            "raisedOn": raised_on, "brightpearlVersion": "4.95.2647"}
    body.update(changes)
    return body


def queued_ids(redis_connection):
    return get_queue(redis_connection, INTERACTIVE).job_ids


def test_id_set_becomes_one_event_and_row_per_id(client, redis_connection):
    response = client.post(URL, json=callback(ids="1001-1003,1010"))
    assert response.status_code == 200 and response.get_json()["accepted"] == 4
    assert sorted(int(e.resource_id) for e in Event.select()) == [1001, 1002, 1003, 1010]
    rows = {r.record_key: r for r in SyncLog.select()}
    assert set(rows) == {"bp-1001", "bp-1002", "bp-1003", "bp-1010"}
    assert {r.log_type for r in rows.values()} == {"inventory"}
    assert sorted(queued_ids(redis_connection)) == [
        f"brightpearl-product-{i}" for i in (1001, 1002, 1003, 1010)]


def test_replay_is_a_no_op_and_a_new_raise_is_kept(client, redis_connection):
    body = callback(ids="1001")
    client.post(URL, json=body)
    assert client.post(URL, json=body).get_json() == {"duplicates": 1}
    later = callback(ids="1001", raised_on="2026-11-20T10:21:00.000Z")
    assert client.post(URL, json=later).get_json()["accepted"] == 1
    assert Event.select().count() == 2 and SyncLog.select().count() == 1


@pytest.mark.parametrize("full_event, log_type, key", [
    ("product.modified", "product", "bp-77"),
    ("product.created", "product", "bp-77"),
    ("goods-out-note.modified.shipped", "shipment", "gon-77"),
    ("drop-ship-note.modified.shipped", "shipment", "dsn-77"),
    ("order.modified.order-status", "order", "bp-77"),
])
def test_routes_each_event_to_its_log(client, full_event, log_type, key):
    assert client.post(URL, json=callback(full_event, ids="77")).status_code == 200
    row = SyncLog.get()
    assert (row.log_type, row.record_key) == (log_type, key)


def test_order_status_of_a_linked_order_lands_on_the_woo_order_row(client):
    OrderLink.create(woo_order_id=727, bp_order_id=5906)
    client.post(URL, json=callback("order.modified.fully-shipped", ids="5906"))
    assert SyncLog.get().record_key == "woo-727"


def test_unknown_event_is_200_recorded_ignored(client, redis_connection):
    response = client.post(URL, json=callback("sales-order.created", ids="5"))
    assert response.status_code == 200 and response.get_json() == {"ignored": 1}
    assert Event.get().outcome.startswith("ignored")
    assert SyncLog.select().count() == 0 and queued_ids(redis_connection) == []


def test_wrong_secret_is_404_revealing_nothing(client, redis_connection):
    response = client.post("/webhooks/brightpearl/guess", json=callback())
    assert response.status_code == 404
    assert response.get_json() == client.post("/no/such/url").get_json()
    assert Event.select().count() == 0 and queued_ids(redis_connection) == []


def test_other_account_is_403(client, redis_connection):
    assert client.post(URL, json=callback(account="someoneelse")).status_code == 403
    assert Event.select().count() == 0 and queued_ids(redis_connection) == []


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'"text"',
    callback(ids=""), callback(ids="5-1"), callback(ids="abc"),
    {k: v for k, v in callback().items() if k != "fullEvent"},
    callback(raisedOn=None),
])
def test_malformed_is_400_and_nothing_stored(client, redis_connection, body):
    if isinstance(body, bytes):
        response = client.post(URL, data=body, content_type="application/json")
    else:
        response = client.post(URL, json=body)
    assert response.status_code == 400
    assert Event.select().count() == 0 and SyncLog.select().count() == 0
    assert queued_ids(redis_connection) == []


def test_id_set_over_the_cap_is_413(client, redis_connection):
    assert client.post(URL, json=callback(ids="1-10001")).status_code == 413
    assert Event.select().count() == 0 and queued_ids(redis_connection) == []


def test_oversized_body_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 512
    assert client.post(URL, json=callback(padding="x" * 1024)).status_code == 413
    assert Event.select().count() == 0
