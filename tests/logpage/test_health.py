"""The Health page: staff only, every section filled from the database and Redis, and the
re-register button (POST with CSRF) queueing the job."""
import time
from datetime import timedelta

from connectors.counter import CallCounter
from jobs.core.queues import BULK, INTERACTIVE, get_queue
from models.alerts import transition
from models.base import utcnow
from models.probes import store_probe
from monitoring.heartbeat import beat
from tests.logpage.conftest import make_row, post

PLATFORMS = {
    "woocommerce": {"auth": "ok", "error": None, "lines": [
        {"topic": "order.created", "state": "ok", "id": 1, "platform": "woocommerce", "url": "u"},
        {"topic": "order.updated", "state": "disabled", "id": 2, "platform": "woocommerce",
         "url": "u"}]},
    "brightpearl": {"auth": "failed", "error": "Brightpearl did not accept our credentials",
                    "lines": None},
}


def test_sign_in_is_required(client):
    assert client.get("/health").status_code == 302
    assert client.post("/health/reregister").status_code in (302, 400)


def test_every_section(staff, redis_connection):
    transition("failed:order", True, {"title": "Order: 12 Failed in the last 60 minutes",
                                      "detail": "12 order record(s) failed", "link": "/logs"}, [])
    store_probe("platforms", PLATFORMS)
    store_probe("retention", {"done": {"events deleted": 5}, "bytes": 3 * 1024 * 1024,
                              "bytes_free": 0, "bytes_before": 4 * 1024 * 1024,
                              "pages_freed": 2, "tables": {"events": {
                                  "rows": 1234, "bytes": 2048, "oldest": "2026-01-01 00:00:00"}}})
    beat(redis_connection, "poller-host:4242", now=time.time() - 3)
    get_queue(redis_connection, BULK).enqueue("os.getpid")
    counter = CallCounter(redis_connection)
    for _ in range(3):
        counter.record("brightpearl", "GET /order-service/order/{ids}", "ok")
    counter.record("woocommerce", "POST /products/batch", "transient")
    make_row("order", 1, status="synced", at=utcnow() - timedelta(minutes=2))
    page = staff.get("/health").get_data(as_text=True)
    assert "Order: 12 Failed in the last 60 minutes" in page
    assert "credentials refused" in page and "order.updated" in page and "disabled" in page
    assert "poller-host:4242" in page
    assert BULK in page and INTERACTIVE in page
    assert "GET /order-service/order/{ids}" in page and "POST /products/batch" in page
    assert "of 190 requests used" in page
    assert "1234" in page and "3.0 MB" in page and "5 events deleted" in page
    assert "Payloads emptied after 7 days" in page


def test_reregister_needs_the_csrf_token_and_queues_the_job(staff, redis_connection):
    assert staff.post("/health/reregister").status_code == 400
    assert get_queue(redis_connection, INTERACTIVE).job_ids == []
    answer = post(staff, "/health/reregister")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/health")
    assert get_queue(redis_connection, INTERACTIVE).job_ids == ["webhooks-register"]
    assert "Re-registering the webhooks" in staff.get("/health").get_data(as_text=True)


def test_the_page_still_answers_when_redis_is_down(staff, app):
    import redis
    app.extensions["pearlbridge_queue"] = (redis.Redis(port=1, socket_connect_timeout=0.2),
                                           app.extensions["pearlbridge_queue"][1])
    answer = staff.get("/health")
    assert answer.status_code == 200
    assert "Redis is unavailable" in answer.get_data(as_text=True)
