"""How many sync log rows each log type has in each status (the Sync Logs summary, /metrics)."""
from peewee import fn

from models.logs import LOG_TYPES, STATUSES, SyncLog


def status_counts():
    """{log_type: {status: count}} for every type and status (zeros included)."""
    counts = {t: {s: 0 for s in STATUSES} for t in LOG_TYPES}
    query = (SyncLog.select(SyncLog.log_type, SyncLog.status, fn.COUNT(SyncLog.id))
             .group_by(SyncLog.log_type, SyncLog.status).tuples())
    for log_type, status, count in query:
        if log_type in counts and status in counts[log_type]:
            counts[log_type][status] = count
    return counts
