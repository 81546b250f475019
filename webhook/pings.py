"""WooCommerce's activation ping (`webhook_id=N`, unsigned): answered 200, counted, not stored.

Anyone can send a ping, so a ping costs almost nothing: the body must be exactly
`webhook_id=N` (at most PING_MAX_BYTES, read no further), and each web process writes a
webhook's count at most once per interval (models.pings caps the rows). Pings between two
writes are counted in memory and added with the next write.
"""
import re
import threading
import time

from flask import current_app, request

from models.base import utcnow
from models.db import db, write_transaction
from models.pings import add_pings
from webhook.responses import answer

PING_MAX_BYTES = 32
# New webhook ids a process writes per interval: a store registers a handful of webhooks at a
# time, while a flood of made-up ids would otherwise queue a write per ping behind the
# receivers' own writes. Pings of ids past the budget are answered but not kept.
NEW_WEBHOOKS_PER_INTERVAL = 10
_PING = re.compile(rb"webhook_id=([0-9]{1,10})")


def ping_id(raw):
    """The webhook id of a ping body, or None when raw is anything else."""
    match = _PING.fullmatch(raw)
    return int(match.group(1)) if match else None


def read_ping():
    """The webhook id when the request body is a ping, reading at most PING_MAX_BYTES."""
    length = request.content_length
    if length is None or length > PING_MAX_BYTES:
        return None
    return ping_id(request.stream.read(PING_MAX_BYTES))


class PingCounter:
    """Per-process ping counts, written to the database at most once per webhook per interval."""

    def __init__(self, interval):
        self.interval = interval
        self._lock = threading.Lock()
        self._unwritten, self._written_at = {}, {}
        self._full_until = float("-inf")
        self._new_since, self._new_count = float("-inf"), 0

    def due(self, webhook_id, now):
        """Count one ping; the count to write now, or 0 when the webhook was written lately."""
        with self._lock:
            known = webhook_id in self._written_at
            if not known and not self._new_allowed(now):
                return 0  # the table is full or the budget spent: answered, not kept
            count = self._unwritten.get(webhook_id, 0) + 1
            if known and now - self._written_at[webhook_id] < self.interval:
                self._unwritten[webhook_id] = count
                return 0
            self._unwritten.pop(webhook_id, None)
            self._written_at[webhook_id] = now
            return count

    def _new_allowed(self, now):
        if now < self._full_until:
            return False
        if now - self._new_since >= self.interval:
            self._new_since, self._new_count = now, 0
        self._new_count += 1
        return self._new_count <= NEW_WEBHOOKS_PER_INTERVAL

    def refused(self, webhook_id, now):
        """The table had no room for webhook_id: stop trying new webhooks for an interval."""
        with self._lock:
            self._written_at.pop(webhook_id, None)
            self._full_until = now + self.interval


def record_ping(webhook_id):
    """Count one ping of webhook_id (written when due) and answer exactly 200."""
    counter = current_app.extensions["pearlbridge_pings"]
    now = time.monotonic()
    count = counter.due(webhook_id, now)
    if count:
        with write_transaction():
            stored = add_pings(db.obj, webhook_id, count, utcnow())
        if not stored:
            counter.refused(webhook_id, now)
    # WooCommerce needs exactly 200 here, or it keeps the webhook pending and re-pings.
    return answer(200, "ping received", webhook_id=webhook_id)
