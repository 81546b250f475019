"""POST /webhooks/woocommerce, behaving as WooCommerce's delivery code expects."""
import json

import pytest
from rq.job import Job

from jobs.core.queues import INTERACTIVE, get_queue
from models.events import Event
from models.logs import SyncLog
from models.pings import WebhookPing
from tests.fixtures import load, php_json, woo_headers

URL = "/webhooks/woocommerce"


def deliver(client, payload, topic="order.updated", secret="secret", **header_changes):
    body = payload if isinstance(payload, bytes) else php_json(payload)
    headers = woo_headers(body, topic=topic, secret=secret)
    headers.update(header_changes)
    return client.post(URL, data=body, headers={k: v for k, v in headers.items() if v is not None})


def queued_ids(redis_connection):
    return get_queue(redis_connection, INTERACTIVE).job_ids


def test_signed_order_is_stored_logged_and_enqueued(client, redis_connection):
    response = deliver(client, load("woo_order.json"), topic="order.created")
    assert response.status_code == 200
    assert response.get_json()["accepted"] == 1
    event = Event.get()
    assert (event.source, event.topic, event.resource, event.resource_id) == (
        "woocommerce", "order.created", "order", "727")
    assert event.enqueued_at is not None and event.processed_at is None
    assert json.loads(event.payload)["_links"]["self"][0]["href"].startswith("https://")
    row = SyncLog.get()
    assert (row.log_type, row.record_key, row.status, row.pending_reason) == (
        "order", "woo-727", "pending", "queued")
    assert row.info == "Woo order #727" and str(row.amount) == "53.00" and row.currency == "GBP"
    assert event.log_id == row.id
    assert queued_ids(redis_connection) == ["woocommerce-order-727"]
    job = Job.fetch("woocommerce-order-727", connection=redis_connection)
    assert job.args == ("woocommerce", "order", "727")


def test_header_names_are_case_insensitive(client):
    body = php_json(load("woo_order.json"))
    headers = {k.lower(): v for k, v in woo_headers(body).items()}
    assert client.post(URL, data=body, headers=headers).status_code == 200


def test_php_escapes_in_body_verify(client):
    order = load("woo_order.json")
    order["customer_note"] = "Ünïcödé / slashes \u2603"
    body = php_json(order)
    assert b"\\u2603" in body and b"\\/" in body
    assert deliver(client, body).status_code == 200
    assert json.loads(Event.get().payload)["customer_note"] == "Ünïcödé / slashes \u2603"


def test_ping_gets_exactly_200_and_nothing_is_enqueued(client, redis_connection):
    response = client.post(URL, data="webhook_id=12",
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "User-Agent": "WooCommerce/9.8.1 Hookshot (WordPress/6.8.1)"})
    assert response.status_code == 200
    ping = WebhookPing.get()
    assert (ping.webhook_id, ping.count) == (12, 1)
    assert Event.select().count() == 0 and SyncLog.select().count() == 0
    assert queued_ids(redis_connection) == []


@pytest.mark.parametrize("change", [
    {"X-WC-Webhook-Signature": None},
    {"X-WC-Webhook-Signature": "AAAA"},
    {"X-WC-Webhook-Signature": "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc="},
])
def test_bad_signature_is_401_and_nothing_stored(client, redis_connection, change):
    response = deliver(client, load("woo_order.json"), **change)
    assert response.status_code == 401
    assert Event.select().count() == 0 and SyncLog.select().count() == 0
    assert queued_ids(redis_connection) == []


def test_wrong_secret_is_401(client):
    assert deliver(client, load("woo_order.json"), secret="other").status_code == 401


def test_malformed_json_is_400_and_nothing_stored(client, redis_connection):
    for body in (b'{"id": 727,', b"\xff\xfe", b""):
        assert deliver(client, body).status_code == 400
    assert Event.select().count() == 0 and queued_ids(redis_connection) == []


@pytest.mark.parametrize("body", [b"[]", b"[1,2]", b'"text"', b"42", b"null"])
def test_a_signed_body_that_is_not_an_object_is_recorded_and_ignored(client, redis_connection,
                                                                      body):
    # WooCommerce sends [] for resources without a payload; a 4xx would count toward it
    # disabling the webhook, so a signed delivery is never refused for its shape.
    response = deliver(client, body, topic="product.updated")
    assert response.status_code == 200 and response.get_json() == {"ignored": 1}
    event = Event.get()
    assert (event.topic, event.resource, event.payload) == ("product.updated", "product",
                                                            body.decode())
    assert event.processed_at is not None and event.outcome.startswith("ignored: the body is")
    assert SyncLog.select().count() == 0 and queued_ids(redis_connection) == []
    assert deliver(client, body, topic="product.updated").get_json() == {"duplicates": 1}


def test_wrong_content_type_is_415(client):
    body = php_json(load("woo_order.json"))
    response = deliver(client, body, **{"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert Event.select().count() == 0


def test_oversized_body_is_413_and_nothing_stored(app, client, redis_connection):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    order = load("woo_order.json")
    order["customer_note"] = "x" * 4096
    assert deliver(client, order).status_code == 413
    assert Event.select().count() == 0 and queued_ids(redis_connection) == []


def test_replay_is_a_no_op(client, redis_connection):
    body = php_json(load("woo_order.json"))
    assert deliver(client, body).status_code == 200
    second = deliver(client, body)
    assert second.status_code == 200 and second.get_json() == {"duplicates": 1}
    assert Event.select().count() == 1 and SyncLog.select().count() == 1
    assert queued_ids(redis_connection) == ["woocommerce-order-727"]


def test_two_changes_in_the_same_second_are_both_kept_and_coalesce(client, redis_connection):
    first, second = load("woo_order.json"), load("woo_order.json")
    second["status"] = "completed"  # same date_modified_gmt: WooCommerce is second-resolution
    assert deliver(client, first).status_code == 200
    assert deliver(client, second).get_json()["accepted"] == 1
    assert Event.select().count() == 2
    assert queued_ids(redis_connection) == ["woocommerce-order-727"]  # one job for the record


def test_stale_payload_is_recorded_but_triggers_nothing(client, redis_connection, work):
    newer, older = load("woo_order.json"), load("woo_order.json")
    older["date_modified_gmt"], older["status"] = "2026-11-20T10:00:00", "pending"
    deliver(client, newer)
    work()  # the first job runs; only the stale delivery is left
    response = deliver(client, older)
    assert response.get_json() == {"stale": 1}
    stale = Event.select().order_by(Event.id.desc()).get()
    assert stale.processed_at is not None and stale.outcome.startswith("stale")
    assert queued_ids(redis_connection) == []


@pytest.mark.parametrize("topic, payload, reason", [
    ("action.woocommerce_order_status_completed",
     {"action": "woocommerce_order_status_completed", "arg": 727}, "ignored: action topic"),
    ("coupon.updated", {"id": 5, "code": "x"}, "ignored: unknown topic"),
    ("order.updated", {"code": "woocommerce_rest_cannot_view",
                       "message": "Sorry, you cannot view this resource.", "data": {"status": 401}},
     "ignored: WooCommerce sent an error"),
])
def test_ignored_topics_are_200_recorded_not_enqueued(client, redis_connection, topic, payload,
                                                      reason):
    response = deliver(client, payload, topic=topic)
    assert response.status_code == 200 and response.get_json() == {"ignored": 1}
    event = Event.get()
    assert event.outcome.startswith(reason) and event.processed_at is not None
    assert SyncLog.select().count() == 0 and queued_ids(redis_connection) == []


def test_checkout_draft_orders_are_ignored(client, redis_connection):
    order = load("woo_order.json")
    order["status"] = "checkout-draft"
    assert deliver(client, order).get_json() == {"ignored": 1}
    assert SyncLog.select().count() == 0 and queued_ids(redis_connection) == []


def test_deleted_body_is_just_the_id(client, redis_connection):
    assert deliver(client, {"id": 727}, topic="order.deleted").status_code == 200
    row = SyncLog.get()
    assert row.record_key == "woo-727" and "deleted" in row.info
    assert queued_ids(redis_connection) == ["woocommerce-order-727"]


def test_variation_arrives_as_product(client, redis_connection):
    assert deliver(client, load("woo_variation.json"), topic="product.updated").status_code == 200
    event = Event.get()
    assert (event.resource, event.resource_id) == ("product", "23")
    assert SyncLog.select().count() == 0  # store-side product edits are not sync records
    assert queued_ids(redis_connection) == ["woocommerce-product-23"]
