"""Re-sync and Retry all failed: through the real queue, same row Failed → Pending → Synced."""
import pytest
from rq.job import Job

from jobs.core.inbox import sweep_inbox
from jobs.core.queues import INTERACTIVE, get_queue
from models.events import RESYNC_TOPIC, Event
from models.logs import SyncAttempt, SyncLog
from models.base import utcnow
from tests.logpage.conftest import make_row, post


@pytest.fixture
def syncing_flow(flow_registry):
    """A flow that marks the re-synced record's row Synced (what a real flow would end with)."""
    seen = []

    @flow_registry.handles("woocommerce", "order.")
    def handle(source, resource, resource_id, events):
        seen.append((source, resource, resource_id, [e.topic for e in events]))
        SyncLog.update(status="synced", pending_reason=None, synced_at=utcnow()).where(
            SyncLog.record_key == f"woo-{resource_id}").execute()
        return "synced"

    return seen


def test_resync_enqueues_and_the_worker_turns_the_row_synced(staff, redis_connection, work,
                                                            syncing_flow):
    row = make_row(n=727, status="failed", failure_reason="timeout")
    answer = post(staff, f"/logs/{row.id}/resync")
    assert answer.status_code == 302
    assert SyncLog.get_by_id(row.id).status == "pending"
    assert SyncLog.get_by_id(row.id).pending_reason == "queued"
    queue = get_queue(redis_connection, INTERACTIVE)
    assert queue.job_ids == ["woocommerce-order-727"]
    assert Job.fetch("woocommerce-order-727", connection=redis_connection).args == (
        "woocommerce", "order", "727")
    event = Event.get()
    assert (event.topic, event.log_id, event.payload) == (RESYNC_TOPIC, row.id, "{}")
    assert event.enqueued_at is not None
    attempt = SyncAttempt.get()
    assert (attempt.trigger, attempt.outcome) == ("manual", "queued")
    assert "by ann" in attempt.message
    page = staff.get(answer.location).get_data(as_text=True)
    assert "is queued for re-sync" in page
    work()
    assert syncing_flow == [("woocommerce", "order", "727", [RESYNC_TOPIC])]
    assert SyncLog.select().count() == 1  # the same row, never a second one
    assert SyncLog.get_by_id(row.id).status == "synced"


def test_resync_without_a_flow_ends_honestly_ignored(staff, work, empty_registry):
    row = make_row(n=5, status="failed")
    post(staff, f"/logs/{row.id}/resync")
    work()
    assert Event.get().outcome == "ignored: no flow handles manual.resync"
    assert SyncLog.get_by_id(row.id).status == "pending"


def test_two_clicks_coalesce_into_one_job_but_each_is_recorded(staff, redis_connection):
    row = make_row(n=8, status="failed")
    post(staff, f"/logs/{row.id}/resync")
    post(staff, f"/logs/{row.id}/resync")
    assert get_queue(redis_connection, INTERACTIVE).count == 1
    assert Event.select().count() == 2 and SyncAttempt.select().count() == 2


def test_resync_returns_to_the_list_it_came_from(staff):
    row = make_row(n=1, status="failed")
    answer = post(staff, f"/logs/{row.id}/resync", {"next": "/logs?type=order&status=failed"})
    assert answer.location == "/logs?type=order&status=failed"
    answer = post(staff, f"/logs/{row.id}/resync", {"next": "https://evil.example/"})
    assert answer.location == f"/logs/{row.id}"


def test_resync_of_unknown_record_says_so(staff):
    row = SyncLog.create(log_type="order", record_key="mystery", status="failed")
    answer = post(staff, f"/logs/{row.id}/resync", follow_redirects=True)
    assert "cannot be re-synced" in answer.get_data(as_text=True)
    assert SyncLog.get_by_id(row.id).status == "failed"
    assert post(staff, "/logs/424242/resync").status_code == 404


def test_retry_all_failed_confirms_the_count_then_requeues(staff, redis_connection, work,
                                                          syncing_flow):
    failed = [make_row(n=n, status="failed") for n in (1, 2, 3)]
    make_row(n=4, status="synced")
    make_row("refund", 5, status="failed")
    page = staff.get("/logs/retry-failed?type=order").get_data(as_text=True)
    assert "<strong>3</strong> failed order rows" in page
    answer = post(staff, "/logs/retry-failed", {"type": "order"}, follow_redirects=True)
    assert "3 failed order row(s) queued for retry" in answer.get_data(as_text=True)
    assert {r.status for r in SyncLog.select().where(SyncLog.id.in_([r.id for r in failed]))} \
        == {"pending"}
    assert sorted(get_queue(redis_connection, INTERACTIVE).job_ids) == [
        "woocommerce-order-1", "woocommerce-order-2", "woocommerce-order-3"]
    assert {a.trigger for a in SyncAttempt.select()} == {"retry"}
    assert SyncLog.get(SyncLog.log_type == "refund").status == "failed"
    work()
    assert SyncLog.select().where(SyncLog.status == "synced").count() == 4


def test_retry_with_nothing_failed_and_bad_type(staff):
    assert "There are no failed" in staff.get("/logs/retry-failed?type=shipment").get_data(
        as_text=True)
    answer = post(staff, "/logs/retry-failed", {"type": "shipment"}, follow_redirects=True)
    assert "No failed shipment rows to retry" in answer.get_data(as_text=True)
    assert staff.get("/logs/retry-failed?type=bogus").status_code == 400


@pytest.fixture
def redis_down_staff(settings, user):
    """A signed-in client of an app whose Redis does not answer."""
    from tests.logpage.conftest import sign_in
    from wsgi import create_app
    app = create_app(dict(settings, REDIS_URL="redis://127.0.0.1:1/0"))
    client = app.test_client()
    assert sign_in(client).status_code == 302
    return client


def test_redis_down_keeps_the_row_pending_and_the_event_for_the_sweep(
        redis_down_staff, redis_connection, work, syncing_flow):
    row = make_row(n=31, status="failed")
    answer = post(redis_down_staff, f"/logs/{row.id}/resync", follow_redirects=True)
    assert answer.status_code == 200
    assert "the queue is unavailable; nothing was lost" in answer.get_data(as_text=True).lower()
    row = SyncLog.get_by_id(row.id)
    assert (row.status, row.pending_reason) == ("pending", "queued")
    event = Event.get()
    assert event.enqueued_at is None and event.processed_at is None
    # Redis is back: the poller's sweep enqueues the event and the flow completes the row.
    Event.update(received_at=utcnow().replace(year=2020)).execute()
    assert sweep_inbox(redis_connection, grace_seconds=0) == 1
    work()
    assert SyncLog.get_by_id(row.id).status == "synced"


def test_redis_down_retry_all_and_pages_still_work(redis_down_staff):
    for n in range(3):
        make_row(n=n, status="failed")
    answer = post(redis_down_staff, "/logs/retry-failed", {"type": "order"},
                  follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "3 failed order row(s) set Pending" in text and "nothing was lost" in text
    assert Event.select().where(Event.enqueued_at.is_null()).count() == 3
    assert redis_down_staff.get("/logs").status_code == 200
    assert redis_down_staff.get("/flows").status_code == 200
