"""What every flow job shares: the flow's switch and settings, the log row's transitions, the
attempt history, and one error policy.

    def work(settings, attempt):                 # raises to say why it cannot go on
        ...
        return Synced("created Brightpearl order #12", target_ref="12")

    run_record(row, "orders", "webhook", work)

Outcomes: Synced → row Synced; WaitingForSettings → Pending "waiting for settings: …";
Skipped → Pending with the reason; Rejected or a platform's PermanentError → Failed with the
reason (the job ends: the row, not RQ, carries it); TransientError → Pending "retrying: …" and
re-raised so RQ retries with backoff; anything else is a bug → Failed and re-raised.
"""
import traceback
from dataclasses import dataclass, field

from connectors.errors import PermanentError, TransientError
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from jobs.core.queues import fail_permanently
from models.base import utcnow
from models.flows import get_flow
from models.logs import FAILED, PENDING, SYNCED, WAITING_FOR_SETTINGS, SyncAttempt, excerpt

FLOW_LABELS = {"orders": "Orders", "order_status": "Order status", "refunds": "Refunds",
               "shipments": "Shipments", "products": "Products", "inventory": "Inventory"}


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


def run_record(row, flow_name, trigger, work):
    """Run work(settings, attempt) for one log row under the shared policy; returns the outcome."""
    attempt = Attempt(trigger)
    flow = get_flow(flow_name)
    if not flow.enabled:
        return _pending(row, attempt, f"flow off: {FLOW_LABELS.get(flow_name, flow_name)} is "
                                      f"switched off on the Flows page", "waiting")
    try:
        result = work(flow.settings, attempt)
    except WaitingForSettings as exc:
        return _pending(row, attempt, WAITING_FOR_SETTINGS + exc.missing, "waiting")
    except Skipped as exc:
        return _pending(row, attempt, exc.reason, "skipped")
    except Rejected as exc:
        return _failed(row, attempt, exc.reason, exc.detail)
    except PermanentError as exc:
        return _failed(row, attempt, str(exc), getattr(exc, "detail", None))
    except TransientError as exc:
        _pending(row, attempt, f"retrying: {exc}", "retrying")
        raise
    except Exception:
        _failed(row, attempt, "unexpected error; the operator has the details",
                traceback.format_exc(limit=8))
        fail_permanently()
        raise
    return _synced(row, attempt, result)


def _record(row, attempt, outcome, message):
    SyncAttempt.create(log=row, trigger=attempt.trigger, outcome=outcome, message=message,
                       request_excerpt=attempt.request, response_excerpt=attempt.response)
    row.attempt_count = (row.attempt_count or 0) + 1
    row.updated_at = utcnow()


def _pending(row, attempt, reason, outcome):
    row.status, row.pending_reason = PENDING, reason[:255]
    _record(row, attempt, outcome, reason)
    row.save()
    return reason


def _failed(row, attempt, reason, detail):
    row.status, row.pending_reason = FAILED, None
    row.failure_reason, row.failure_detail = reason, detail
    _record(row, attempt, "failed", reason)
    row.save()
    return f"failed: {reason}"


def _synced(row, attempt, result):
    row.status, row.pending_reason = SYNCED, None
    row.failure_reason = row.failure_detail = None
    if result.target_ref is not None:
        row.target_ref = str(result.target_ref)
    for name, value in result.row_changes.items():
        setattr(row, name, value)
    _record(row, attempt, result.outcome, result.message)
    row.synced_at = row.synced_at or row.updated_at
    row.save()
    return result.message
