"""The dispatcher: flows that exist handle their events; others end honestly as ignored."""
import peewee
import pytest
import redis

from connectors.errors import TransientError
from models.events import Event
from models.logs import SyncAttempt, SyncLog
from tests.fixtures import load, php_json, woo_headers


def deliver_order(client, status="processing"):
    order = load("woo_order.json")
    order["status"] = status
    body = php_json(order)
    return client.post("/webhooks/woocommerce", data=body, headers=woo_headers(body))


def test_without_a_flow_events_end_ignored_never_synced(client, work, empty_registry):
    deliver_order(client)
    work()
    event = Event.get()
    assert event.processed_at is not None
    assert event.outcome == "ignored: no flow handles order.updated"
    row = SyncLog.get()
    assert row.status == "pending" and row.pending_reason == event.outcome
    attempt = SyncAttempt.get()
    assert (attempt.trigger, attempt.outcome) == ("webhook", "ignored")


def test_registered_flow_receives_the_records_events(client, work, flow_registry):
    seen = []

    @flow_registry.handles("woocommerce", "order.")
    def handle(source, resource, resource_id, events):
        seen.append((source, resource, resource_id, [e.topic for e in events]))
        return "handled"

    deliver_order(client)
    deliver_order(client, status="completed")
    work()
    assert seen == [("woocommerce", "order", "727", ["order.updated", "order.updated"])]
    assert {e.outcome for e in Event.select()} == {"handled"}


def test_failing_flow_leaves_events_unprocessed_for_retry(client, work, redis_connection,
                                                         flow_registry):
    @flow_registry.handles("woocommerce", "order.")
    def handle(**_):
        raise TransientError("Brightpearl did not answer in time")

    deliver_order(client)
    work()
    assert Event.get().processed_at is None
    from rq.registry import ScheduledJobRegistry

    from jobs.core.queues import INTERACTIVE, get_queue
    scheduled = ScheduledJobRegistry(queue=get_queue(redis_connection, INTERACTIVE))
    assert scheduled.get_job_ids() == ["woocommerce-order-727"]  # retried with backoff


def test_longest_prefix_wins(empty_registry):
    registry = empty_registry
    registry.handles("brightpearl", "product.")(lambda **_: "product")
    registry.handles("brightpearl", "product.modified.on-hand")(lambda **_: "stock")
    assert registry.handler_for("brightpearl", "product.modified.on-hand-modified")() == "stock"
    assert registry.handler_for("brightpearl", "product.created")() == "product"
    assert registry.handler_for("woocommerce", "product.created") is None


def test_a_bug_in_a_flow_ends_its_events_and_fails_the_job(client, work, redis_connection,
                                                           flow_registry):
    @flow_registry.handles("woocommerce", "order.")
    def handle(**_):
        raise KeyError("line_items")

    deliver_order(client)
    work()
    assert Event.get().outcome == "failed: KeyError: 'line_items'"
    from rq.registry import FailedJobRegistry

    from jobs.core.queues import INTERACTIVE, get_queue
    failed = FailedJobRegistry(queue=get_queue(redis_connection, INTERACTIVE))
    assert failed.get_job_ids() == ["woocommerce-order-727"]


def test_a_failing_handler_does_not_stop_the_records_other_handlers(client, work,
                                                                   redis_connection,
                                                                   empty_registry):
    from rq.registry import ScheduledJobRegistry

    from jobs.core.queues import INTERACTIVE, get_queue
    calls = []

    @empty_registry.handles("woocommerce", "order.created")
    def created(events, **_):
        calls.append("created")
        raise TransientError("Brightpearl did not answer in time")

    @empty_registry.handles("woocommerce", "order.updated")
    def updated(events, **_):
        calls.append("updated")
        return "handled"

    order = load("woo_order.json")
    for topic in ("order.created", "order.updated"):
        body = php_json(order)
        client.post("/webhooks/woocommerce", data=body, headers=woo_headers(body, topic=topic))
    work()
    assert sorted(calls) == ["created", "updated"]
    outcomes = {e.topic: (e.processed_at is not None, e.outcome) for e in Event.select()}
    assert outcomes == {"order.created": (False, None), "order.updated": (True, "handled")}
    scheduled = ScheduledJobRegistry(queue=get_queue(redis_connection, INTERACTIVE))
    assert scheduled.get_job_ids() == ["woocommerce-order-727"]  # retried for the rest


@pytest.mark.parametrize("error", [
    redis.exceptions.ConnectionError("Connection refused"),
    redis.exceptions.LockNotOwnedError("Cannot release a lock that's no longer owned"),
    peewee.OperationalError("database is locked"),
])
def test_an_infrastructure_error_mid_job_is_retried_never_failed(client, work, redis_connection,
                                                                 flow_registry, error):
    """A Redis error inside a job (the budget, the contact lock) or a database error was an
    "unexpected error": the row Failed and its events processed, so nothing retried it."""
    from jobs.core.flowkit import run_record
    from models.flows import save_flow
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    from jobs.core.queues import INTERACTIVE, get_queue

    save_flow("orders", "test", enabled=True, settings={"channel_id": 1})

    @flow_registry.handles("woocommerce", "order.")
    def handle(**_):
        def fails(settings, attempt):
            raise error

        return run_record(SyncLog.get(), "orders", "webhook", fails)

    deliver_order(client)
    work()
    row = SyncLog.get()
    assert row.status == "pending" and row.pending_reason.startswith("retrying: ")
    assert Event.get().processed_at is None  # the inbox keeps the work
    queue = get_queue(redis_connection, INTERACTIVE)
    assert ScheduledJobRegistry(queue=queue).get_job_ids() == ["woocommerce-order-727"]
    assert FailedJobRegistry(queue=queue).get_job_ids() == []
