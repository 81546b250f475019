"""Redis down: webhooks still get 200 and the sweep enqueues later. Database down: 503."""
from jobs.core.inbox import redis_was_reset, sweep_inbox
from jobs.core.queues import INTERACTIVE, get_queue
from models.events import Event
from models.logs import SyncLog
from tests.fixtures import load, php_json, woo_headers
from wsgi import create_app

DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_redis_down_still_200_then_sweep_enqueues(settings, redis_connection):
    from models.db import db
    from models.migrations import run_migrations

    app = create_app(dict(settings, REDIS_URL=DEAD_REDIS))
    with db.connection_context():
        run_migrations()
    body = php_json(load("woo_order.json"))
    response = app.test_client().post("/webhooks/woocommerce", data=body,
                                      headers=woo_headers(body))
    assert response.status_code == 200 and response.get_json()["queue_down"] is True
    event = Event.get()
    assert event.enqueued_at is None and event.processed_at is None

    row = SyncLog.get()
    assert (row.status, row.pending_reason) == ("pending", "queue unavailable, will be retried")

    # Within the grace period the sweep leaves it to the receiver; after it, it enqueues.
    redis_was_reset(redis_connection)  # a poller has swept this Redis before
    assert sweep_inbox(redis_connection, grace_seconds=3600) == 0
    assert sweep_inbox(redis_connection, grace_seconds=0) == 1
    assert get_queue(redis_connection, INTERACTIVE).job_ids == ["woocommerce-order-727"]
    assert Event.get().enqueued_at is not None
    assert SyncLog.get().pending_reason == "queued"
    assert sweep_inbox(redis_connection, grace_seconds=0) == 0  # its job waits: nothing to do


def test_database_down_is_503_and_nothing_enqueued(settings, redis_connection):
    app = create_app(dict(settings, DATABASE_URL="postgresql://postgres@127.0.0.1:1/test"))
    body = {"accountCode": "testacct", "resourceType": "product", "id": "1",
            "lifecycleEvent": "modified", "fullEvent": "product.modified",
            "raisedOn": "2026-11-20T10:20:41.691Z", "brightpearlVersion": "4.95"}
    response = app.test_client().post(
        f"/webhooks/brightpearl/{settings['BRIGHTPEARL_WEBHOOK_SECRET']}", json=body)
    assert response.status_code == 503
    assert get_queue(redis_connection, INTERACTIVE).job_ids == []
    payload = php_json(load("woo_order.json"))
    woo = app.test_client().post("/webhooks/woocommerce", data=payload,
                                 headers=woo_headers(payload))
    assert woo.status_code == 503


def test_healthz(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
    degraded = create_app(dict(settings, REDIS_URL=DEAD_REDIS)).test_client().get("/healthz")
    assert degraded.status_code == 503
    assert degraded.get_json()["redis"].startswith("unavailable")
