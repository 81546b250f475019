"""Redis down: webhooks still get 200 and the sweep enqueues later. Database down: 503."""
from jobs.core.inbox import sweep_inbox
from jobs.core.queues import INTERACTIVE, get_queue
from models.events import Event
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

    # Within the grace period the sweep leaves it to the receiver; after it, it enqueues.
    assert sweep_inbox(redis_connection, grace_seconds=3600) == 0
    assert sweep_inbox(redis_connection, grace_seconds=0) == 1
    assert get_queue(redis_connection, INTERACTIVE).job_ids == ["woocommerce-order-727"]
    assert Event.get().enqueued_at is not None
    assert sweep_inbox(redis_connection, grace_seconds=0) == 0  # nothing left to sweep


def test_sweep_requeues_jobs_lost_with_redis(client, redis_connection):
    body = php_json(load("woo_order.json"))
    client.post("/webhooks/woocommerce", data=body, headers=woo_headers(body))
    redis_connection.flushdb()  # Redis restarted: it keeps nothing on disk
    assert sweep_inbox(redis_connection, grace_seconds=0, requeue_seconds=3600) == 0
    assert sweep_inbox(redis_connection, grace_seconds=0, requeue_seconds=0) == 1
    assert get_queue(redis_connection, INTERACTIVE).job_ids == ["woocommerce-order-727"]


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
