"""The shared flow policy: every outcome lands on the log row and in its attempt history."""
import peewee
import pytest
import redis
from rq.timeouts import JobTimeoutException

from connectors.errors import PermanentError, ThrottledError
from jobs.core.flowkit import Synced, flow_state, record_outcome, run_record
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from models.flows import save_flow
from models.logs import SyncAttempt, SyncLog


@pytest.fixture
def row(app):
    save_flow("orders", "test", enabled=True, settings={"channel_id": 1})
    return SyncLog.create(log_type="order", record_key="woo-1", info="Woo order #1")


def outcomes(row):
    return [(a.trigger, a.outcome, a.message) for a in SyncAttempt.select().where(
        SyncAttempt.log == row).order_by(SyncAttempt.id)]


def test_synced_sets_status_target_and_first_synced_time(row):
    def work(settings, attempt):
        assert settings["channel_id"] == 1
        assert settings["unknown_sku"] == "free_text"  # defaults come from the schema
        attempt.note(request='{"ref": "1"}', response='{"response": 12}')
        return Synced("created Brightpearl order #12", target_ref="12")

    assert run_record(row, "orders", "webhook", work) == "created Brightpearl order #12"
    fresh = SyncLog.get_by_id(row.id)
    assert (fresh.status, fresh.target_ref, fresh.pending_reason) == ("synced", "12", None)
    first_synced = fresh.synced_at
    assert first_synced is not None and fresh.attempt_count == 1
    attempt = SyncAttempt.get()
    assert attempt.request_excerpt == '{"ref": "1"}' and attempt.response_excerpt.endswith("12}")
    run_record(fresh, "orders", "retry", lambda s, a: Synced("status updated"))
    assert SyncLog.get_by_id(row.id).synced_at == first_synced  # Synced At = the first time


@pytest.mark.parametrize("raised, status, reason", [
    (WaitingForSettings("payment method `stripe` has no Brightpearl mapping"), "pending",
     "waiting for settings: payment method `stripe` has no Brightpearl mapping"),
    (Skipped("not imported: status pending is not in the import list"), "pending",
     "not imported: status pending is not in the import list"),
])
def test_waiting_and_skipped_stay_pending_with_the_reason(row, raised, status, reason):
    def work(settings, attempt):
        raise raised

    run_record(row, "orders", "webhook", work)
    fresh = SyncLog.get_by_id(row.id)
    assert (fresh.status, fresh.pending_reason) == (status, reason)


@pytest.mark.parametrize("raised, reason", [
    (Rejected("SKU ABC-1 is not in Brightpearl", "line 315"), "SKU ABC-1 is not in Brightpearl"),
    (PermanentError("Brightpearl refused the order: customer id required", code="ORDC-005"),
     "Brightpearl refused the order: customer id required"),
])
def test_permanent_problems_fail_the_row_with_the_reason(row, raised, reason):
    def work(settings, attempt):
        raise raised

    assert run_record(row, "orders", "webhook", work) == f"failed: {reason}"
    fresh = SyncLog.get_by_id(row.id)
    assert (fresh.status, fresh.failure_reason) == ("failed", reason)
    assert outcomes(row) == [("webhook", "failed", reason)]


def test_transient_errors_are_recorded_and_raised_for_rq(row):
    def work(settings, attempt):
        raise ThrottledError("Brightpearl asked us to wait 40 s", wait_seconds=40)

    with pytest.raises(ThrottledError):
        run_record(row, "orders", "webhook", work)
    fresh = SyncLog.get_by_id(row.id)
    assert fresh.status == "pending"
    assert fresh.pending_reason == "retrying: Brightpearl asked us to wait 40 s"


def test_a_bug_fails_the_row_and_is_raised(row):
    def work(settings, attempt):
        return {}["missing"]

    with pytest.raises(KeyError):
        run_record(row, "orders", "webhook", work)
    fresh = SyncLog.get_by_id(row.id)
    assert fresh.status == "failed" and "KeyError" in fresh.failure_detail


def test_a_switched_off_flow_holds_the_record(row):
    save_flow("orders", "test", enabled=False)
    run_record(row, "orders", "webhook", lambda s, a: Synced("never"))
    fresh = SyncLog.get_by_id(row.id)
    assert (fresh.status, fresh.pending_reason) == (
        "pending", "flow off: Orders is switched off on the Flows page")


def test_settings_come_through_the_schema_once_per_run(row):
    save_flow("orders", "test", settings={"channel_id": "7", "unknown_sku": "fail"})
    seen = []
    run_record(row, "orders", "webhook", lambda s, a: seen.append(s) or Synced("ok"))
    assert seen[0]["channel_id"] == 7  # loaded (typed) by OrderSettings
    assert seen[0]["import_statuses"] == ["processing", "completed", "on-hold"]


def test_invalid_stored_settings_hold_the_record_naming_the_field(row):
    save_flow("orders", "test", settings={"channel_id": "not a number"})
    run_record(row, "orders", "webhook", lambda s, a: Synced("never"))
    fresh = SyncLog.get_by_id(row.id)
    assert fresh.status == "pending"
    assert fresh.pending_reason.startswith("waiting for settings: `channel_id` is invalid")


def test_a_batch_records_decided_outcomes_without_running_anything(row):
    flow = flow_state("orders")
    other = SyncLog.create(log_type="order", record_key="woo-2", info="Woo order #2")
    assert record_outcome(row, flow, "poll", Synced("written", target_ref="9"),
                          request='{"id": 1}') == "written"
    # Errors are outcomes too: recorded, never raised (the batch decides what RQ sees).
    assert record_outcome(other, flow, "poll", ThrottledError("wait", wait_seconds=5)) \
        == "retrying: wait"
    assert SyncLog.get_by_id(row.id).status == "synced"
    assert SyncAttempt.get(SyncAttempt.log == row.id).request_excerpt == '{"id": 1}'
    assert SyncLog.get_by_id(other.id).pending_reason == "retrying: wait"


def test_an_outcome_never_overwrites_what_another_worker_changed_meanwhile(row):
    # Read here, changed elsewhere (a receiver touching the row, a second run counting up).
    SyncLog.update(amount="12.50", attempt_count=3).where(SyncLog.id == row.id).execute()
    row.info = "Woo order #1 → Brightpearl #5"  # what this run itself changed is written
    run_record(row, "orders", "webhook", lambda s, a: Synced("done", target_ref="5"))
    fresh = SyncLog.get_by_id(row.id)
    assert str(fresh.amount) == "12.50" and fresh.attempt_count == 4
    assert fresh.info == "Woo order #1 → Brightpearl #5" and fresh.target_ref == "5"


@pytest.mark.parametrize("raised, words", [
    (redis.exceptions.ConnectionError("Error 111 connecting to localhost:6379"),
     "retrying: Redis is unavailable (ConnectionError: Error 111 connecting to localhost:6379)"),
    (redis.exceptions.LockNotOwnedError("Cannot release a lock that's no longer owned"),
     "retrying: lost its lock: Cannot release a lock that's no longer owned"),
    (peewee.InterfaceError("connection already closed"),
     "retrying: the database is unavailable (InterfaceError: connection already closed)"),
    (JobTimeoutException("Task exceeded maximum timeout value (600 seconds)"),
     "retrying: the run took longer than its time limit"),
])
def test_infrastructure_errors_are_retried_never_failed(row, raised, words):
    """A Redis, database or lock error said "unexpected error" and Failed the row."""
    def work(settings, attempt):
        try:
            raise raised
        except Exception as exc:  # a flow wrapping it keeps it transient: the cause counts
            raise RuntimeError("while writing the payment") from exc

    with pytest.raises(RuntimeError):
        run_record(row, "orders", "webhook", work)
    fresh = SyncLog.get_by_id(row.id)
    assert (fresh.status, fresh.pending_reason) == ("pending", words)
    assert outcomes(row) == [("webhook", "retrying", words)]
