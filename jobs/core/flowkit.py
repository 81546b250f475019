"""The one outcome policy every flow shares: the flow's switch and settings, the log row's
transitions, the attempt history, and what an error means.

    def work(settings, attempt):                 # raises to say why it cannot go on
        ...
        return Synced("created Brightpearl order #12", target_ref="12")

    run_record(row, "orders", "webhook", work)           # one record, its work run here

Batch flows (products, inventory) decide many records in one pass and record each outcome with
record_outcome(row, flow, trigger, outcome), under the same policy, without re-running anything.

Outcomes: Synced → row Synced; WaitingForSettings → Pending "waiting for settings: …";
Skipped → Pending with the reason; Rejected or a platform's PermanentError → Failed with the
reason (the job ends: the row, not RQ, carries it); a transient error → Pending "retrying: …" and
re-raised so RQ retries with backoff; anything else is a bug → Failed and re-raised.

Transient means a platform's TransientError or the infrastructure under the job: Redis (the
queue, a lock, the budget), the database connection, a lock lost, the job's time limit. None
of those says anything about the record, so none may leave it Failed (transient_reason).
"""
import traceback
from dataclasses import dataclass, field

from marshmallow import ValidationError
from peewee import InterfaceError, OperationalError, fn
from redis.exceptions import LockError, RedisError
from rq.timeouts import JobTimeoutException

import logconfig
from connectors.errors import PermanentError, TransientError
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from jobs.core.queues import fail_permanently
from models.base import utcnow
from models.flow_settings import load_settings, missing_settings
from models.flow_specs import flow_label
from models.flows import get_flow
from models.logs import FAILED, PENDING, SYNCED, WAITING_FOR_SETTINGS, SyncAttempt, SyncLog, excerpt


@dataclass
class Synced:
    """A successful sync: what was done, in words, and what the row should now show."""

    message: str
    target_ref: str | None = None
    outcome: str = "synced"
    row_changes: dict = field(default_factory=dict)


@dataclass
class Attempt:
    """The attempt being made; flows add request/response excerpts worth keeping."""

    trigger: str
    request: str | None = None
    response: str | None = None

    def note(self, request=None, response=None):
        """Keep excerpts of what was sent and received (secrets never reach here)."""
        self.request = excerpt(request) if request is not None else self.request
        self.response = excerpt(response) if response is not None else self.response


@dataclass(frozen=True)
class FlowState:
    """A flow's switch and settings, read once for a run and handed to its work."""

    name: str
    enabled: bool
    settings: dict
    problem: str | None = None  # why the stored settings cannot be used


def flow_state(name):
    """Read flow name's switch and load its settings through its schema (defaults filled)."""
    flow = get_flow(name)
    try:
        return FlowState(name, flow.enabled, load_settings(name, flow.settings))
    except ValidationError as exc:
        field_name, problems = next(iter(sorted(exc.messages.items())))
        words = "; ".join(map(str, problems)) if isinstance(problems, list) else str(problems)
        return FlowState(name, flow.enabled, {}, f"`{field_name}` is invalid: {words}")


def require_complete(flow_name, settings):
    """Raise WaitingForSettings naming the flow's required settings that are still empty."""
    missing = missing_settings(flow_name, settings)
    if missing:
        raise WaitingForSettings(", ".join(f"`{m}`" for m in missing) + " not set")


def ready_settings(name):
    """The flow's settings when it is on and they are valid and complete, else None.

    For polls and sweeps: while a flow is off or waits for settings, its cursors wait with it.
    """
    flow = flow_state(name)
    if not flow.enabled or flow.problem or missing_settings(name, flow.settings):
        return None
    return flow.settings


def transient_reason(exc):
    """Why exc is worth retrying, in words for the row; None when it is not transient.

    The chain of causes counts: a flow that re-raised an infrastructure error as its own is
    still retried.
    """
    while exc is not None:
        if isinstance(exc, TransientError):
            return str(exc)
        if isinstance(exc, LockError):
            return f"lost its lock: {exc}"
        if isinstance(exc, RedisError):
            return f"Redis is unavailable ({type(exc).__name__}: {exc})"
        if isinstance(exc, (OperationalError, InterfaceError)):
            return f"the database is unavailable ({type(exc).__name__}: {exc})"
        if isinstance(exc, JobTimeoutException):
            return "the run took longer than its time limit"
        exc = exc.__cause__
    return None


def run_record(row, flow, trigger, work):
    """Run work(settings, attempt) for one log row under the policy; returns the outcome in words.

    flow is a flow name or a FlowState already read for this run.
    """
    with logconfig.record_context(f"{row.log_type}/{row.record_key}"):
        return _run(row, flow, trigger, work)


def _run(row, flow, trigger, work):
    flow = flow if isinstance(flow, FlowState) else flow_state(flow)
    attempt = Attempt(trigger)
    held = _held(flow)
    if held:
        return _settle(row, attempt, held)
    try:
        result = work(flow.settings, attempt)
    except Exception as exc:  # noqa: BLE001 - every error is settled by the one policy below
        words = _settle(row, attempt, exc)
        if transient_reason(exc) is not None:
            raise
        if not isinstance(exc, (WaitingForSettings, Skipped, Rejected, PermanentError)):
            fail_permanently()
            raise
        return words
    return _settle(row, attempt, result)


def record_outcome(row, flow, trigger, outcome, request=None):
    """Record an outcome a batch decided for one row (a Synced or an exception); never raises."""
    attempt = Attempt(trigger)
    if request is not None:
        attempt.note(request=request)
    return _settle(row, attempt, _held(flow) or outcome)


def _held(flow):
    if not flow.enabled:
        return Skipped(f"flow off: {flow_label(flow.name)} is switched off on the Flows page",
                       outcome="waiting")
    if flow.problem:
        return WaitingForSettings(flow.problem)
    return None


def _settle(row, attempt, outcome):
    """Write one outcome on the row and in its history; returns the outcome in words."""
    if isinstance(outcome, Synced):
        changes = {"status": SYNCED, "pending_reason": None, "failure_reason": None,
                   "failure_detail": None, **outcome.row_changes}
        if outcome.target_ref is not None:
            changes["target_ref"] = str(outcome.target_ref)
        return _write(row, attempt, changes, outcome.outcome, outcome.message,
                      first_synced=True)
    if isinstance(outcome, WaitingForSettings):
        return _pending(row, attempt, WAITING_FOR_SETTINGS + outcome.missing, "waiting")
    if isinstance(outcome, Skipped):
        return _pending(row, attempt, outcome.reason, outcome.outcome)
    if isinstance(outcome, Exception) and transient_reason(outcome) is not None:
        return _pending(row, attempt, f"retrying: {transient_reason(outcome)}", "retrying")
    if isinstance(outcome, Rejected):
        return _failed(row, attempt, outcome.reason, outcome.detail)
    if isinstance(outcome, PermanentError):
        return _failed(row, attempt, str(outcome), getattr(outcome, "detail", None))
    detail = "".join(traceback.format_exception(outcome, limit=8))
    return _failed(row, attempt, "unexpected error; the operator has the details", detail)


def _pending(row, attempt, reason, outcome):
    _write(row, attempt, {"status": PENDING, "pending_reason": reason[:255]}, outcome, reason)
    return reason


def _failed(row, attempt, reason, detail):
    changes = {"status": FAILED, "pending_reason": None, "failure_reason": reason,
               "failure_detail": detail}
    _write(row, attempt, changes, "failed", reason)
    return f"failed: {reason}"


def _write(row, attempt, changes, outcome, message, first_synced=False):
    """The attempt, and only the columns this outcome sets, in one atomic update of the row.

    Never the whole row: another worker or a receiver may have moved it on since it was read.
    """
    now = utcnow()
    # What the flow set on the row while working (info, amount…) is written along.
    changes = {**{f.name: getattr(row, f.name) for f in row.dirty_fields if f.name != "id"},
               **changes}
    SyncAttempt.create(log=row.id, at=now, trigger=attempt.trigger, outcome=outcome,
                       message=message, request_excerpt=attempt.request,
                       response_excerpt=attempt.response)
    values = {getattr(SyncLog, name): value for name, value in changes.items()}
    values[SyncLog.updated_at] = now
    values[SyncLog.attempt_count] = SyncLog.attempt_count + 1
    if first_synced:
        values[SyncLog.synced_at] = fn.COALESCE(SyncLog.synced_at, now)
    SyncLog.update(values).where(SyncLog.id == row.id).execute()
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at, row.attempt_count = now, (row.attempt_count or 0) + 1
    row.synced_at = (row.synced_at or now) if first_synced else row.synced_at
    row._dirty.clear()
    return message
