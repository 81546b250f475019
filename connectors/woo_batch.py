"""WooCommerce batch writes (§2.3): at most 100 items per request across create/update/delete,
per-item errors inside a 200 answer surfaced one by one, and a 413 answered by halving."""
from dataclasses import dataclass, field

from connectors.errors import PermanentError

BATCH_LIMIT = 100
ACTIONS = ("create", "update", "delete")


@dataclass
class BatchFailure:
    """One item the store refused: where it was in the request, and why."""

    action: str
    index: int
    item: object
    id: int | None
    code: str | None
    message: str
    status: int | None = None

    def as_error(self):
        """This failure as a PermanentError a job can record against its record."""
        return PermanentError(f"WooCommerce refused {self.action} of item {self.id or self.index}:"
                              f" {self.message}", code=self.code, status=self.status,
                              platform="woocommerce",
                              detail=f"batch {self.action}[{self.index}] {self.code}: "
                                     f"{self.message[:300]}")


@dataclass
class BatchResult:
    """What a batch write did: resources written per action, and every per-item failure."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    requests: int = 0

    @property
    def ok(self):
        """True when every item succeeded."""
        return not self.failed

    @property
    def succeeded(self):
        """Every written resource, whatever the action."""
        return self.created + self.updated + self.deleted

    def merge(self, other):
        """Add other's outcomes to this result; returns self."""
        for name in ("created", "updated", "deleted", "failed"):
            getattr(self, name).extend(getattr(other, name))
        self.requests += other.requests
        return self


def run_batch(post, create=(), update=(), delete=(), limit=BATCH_LIMIT):
    """Send create/update/delete through post(body) -> answer in chunks of at most limit items,
    halving a chunk the store answers 413 to; returns the combined BatchResult."""
    items = [(action, index, item) for action, values in zip(ACTIONS, (create, update, delete))
             for index, item in enumerate(values or [])]
    result = BatchResult()
    size = max(1, int(limit))
    start = 0
    while start < len(items):
        chunk = items[start:start + size]
        try:
            answer = post(_body(chunk))
        except PermanentError as exc:
            if exc.status != 413 or size == 1:
                raise
            size = max(1, size // 2)  # the store's limit is lower than ours: halve and resend
            continue
        result.requests += 1
        _collect(result, chunk, answer or {})
        start += len(chunk)
    return result


def _body(chunk):
    body = {}
    for action, _, item in chunk:
        body.setdefault(action, []).append(item)
    return body


def _collect(result, chunk, answer):
    positions = {action: 0 for action in ACTIONS}
    for action, index, item in chunk:
        answers = answer.get(action) or []
        slot = positions[action]
        positions[action] += 1
        entry = answers[slot] if slot < len(answers) else None
        if isinstance(entry, dict) and "error" not in entry:
            getattr(result, {"create": "created", "update": "updated", "delete": "deleted"}[action]
                    ).append(entry)
            continue
        error = (entry or {}).get("error") if isinstance(entry, dict) else None
        error = error if isinstance(error, dict) else {}
        data = error.get("data")
        status = data if isinstance(data, int) else (data or {}).get("status") \
            if isinstance(data, dict) else None
        item_id = item if action == "delete" else (item or {}).get("id") \
            if isinstance(item, dict) else None
        result.failed.append(BatchFailure(
            action, index, item, item_id, error.get("code") or "missing_answer",
            str(error.get("message") or "the store did not answer for this item"), status))
