"""/metrics: Prometheus text computed at scrape time; a bearer token when one is set."""
from prometheus_client.parser import text_string_to_metric_families

from connectors.counter import CallCounter
from jobs.core.queues import BULK, get_queue
from models.alerts import transition
from models.logs import SyncLog


def samples(text):
    """{(name, frozenset(labels)): value} of a scrape."""
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_every_figure_is_read_at_scrape_time(client, redis_connection):
    SyncLog.create(log_type="order", record_key="woo-1", status="failed")
    SyncLog.create(log_type="order", record_key="woo-2", status="synced")
    transition("failed:order", True, {"title": "t", "detail": "", "link": "/"}, [])
    get_queue(redis_connection, BULK).enqueue("os.getpid")
    CallCounter(redis_connection).record("brightpearl", "GET /product-service/product/{ids}",
                                        "ok")
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    found = samples(answer.get_data(as_text=True))
    assert found[("pearlbridge_sync_records", frozenset({("log_type", "order"),
                                                         ("status", "failed")}))] == 1
    assert found[("pearlbridge_queue_jobs", frozenset({("queue", BULK)}))] == 1
    assert found[("pearlbridge_api_calls_total", frozenset({
        ("platform", "brightpearl"), ("route", "GET /product-service/product/{ids}"),
        ("outcome", "ok")}))] == 1
    assert found[("pearlbridge_alert_open", frozenset({("alert", "failed:order")}))] == 1
    assert found[("pearlbridge_brightpearl_budget_remaining", frozenset())] == 190
    assert found[("pearlbridge_redis_up", frozenset())] == 1
    SyncLog.update(status="synced").execute()
    again = samples(client.get("/metrics").get_data(as_text=True))
    assert again[("pearlbridge_sync_records", frozenset({("log_type", "order"),
                                                         ("status", "failed")}))] == 0


def test_a_bearer_token_when_one_is_set(app, client):
    app.config["METRICS_TOKEN"] = "scrape-token-0123"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"},
                    {"Authorization": "Bearer scrape-token-01234"}):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 401 and b"pearlbridge_" not in answer.data
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    answer = client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123"})
    assert answer.status_code == 200 and b"pearlbridge_sync_records" in answer.data
