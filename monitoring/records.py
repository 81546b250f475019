"""The sync records' state per log type, read from sync_log through its status index: recent
failures, the oldest backlog, records held for settings, the last success."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import fn

from models.logs import FAILED, LOG_TYPES, PENDING, QUEUED, SYNCED, WAITING_FOR_SETTINGS, SyncLog

RETRYING = "retrying: "


@dataclass
class RecordFacts:
    """One log type: failures in the window, oldest backlog, held-for-settings, last success."""

    log_type: str
    failed_recent: int
    oldest_backlog_at: datetime | None
    waiting_count: int
    oldest_waiting_at: datetime | None
    last_success_at: datetime | None


def record_facts(now, failed_window_seconds):
    """RecordFacts for every log type (a few indexed queries each)."""
    since = now - timedelta(seconds=failed_window_seconds)
    return {log_type: _for_type(log_type, since) for log_type in LOG_TYPES}


def _for_type(log_type, since):
    of_type = SyncLog.log_type == log_type
    failed = SyncLog.select().where(of_type & (SyncLog.status == FAILED)
                                    & (SyncLog.updated_at >= since)).count()
    # The backlog is what the queue still owes: queued or retrying. Rows held for settings,
    # switched off or deliberately skipped are pending too, but nobody is working on them.
    backlog = _scalar(fn.MIN(SyncLog.updated_at), of_type & (SyncLog.status == PENDING) & (
        (SyncLog.pending_reason == QUEUED) | SyncLog.pending_reason.startswith(RETRYING)))
    waiting = of_type & (SyncLog.status == PENDING) & SyncLog.pending_reason.startswith(
        WAITING_FOR_SETTINGS)
    waiting_count, oldest_waiting = (SyncLog.select(fn.COUNT(SyncLog.id),
                                                    fn.MIN(SyncLog.updated_at))
                                     .where(waiting).tuples().get())
    last_success = _scalar(fn.MAX(SyncLog.updated_at), of_type & (SyncLog.status == SYNCED))
    return RecordFacts(log_type, failed, _stamp(backlog), waiting_count or 0,
                       _stamp(oldest_waiting), _stamp(last_success))


def _scalar(expression, where):
    return SyncLog.select(expression).where(where).scalar()


def _stamp(value):
    # Aggregates come back as text on SQLite.
    return SyncLog.updated_at.python_value(value) if isinstance(value, str) else value
