"""How many sync log rows each log type has in each status, kept on write.

Triggers on sync_log change the counts in the same transaction as every insert, status change
and delete, whichever code path makes it; reading them sums a few dozen rows instead of
grouping millions.

SQLite has one writer at a time, so its row triggers add to the counter rows directly.
PostgreSQL has many: there, statement triggers append one delta row per (log type, status)
that a statement changed — inserts only, so concurrent workers never wait on a hot counter row
and cannot deadlock on two — and the poller folds the deltas into the counter rows every few
seconds (one statement). Reading sums both, so the counts are exact at any moment.
"""
from peewee import BigAutoField, BigIntegerField, CharField

from models.base import BaseModel
from models.logs import LOG_TYPES, STATUSES
from models.search import is_postgres


class SyncLogCount(BaseModel):
    """The number of rows of one (log type, status), as of the last fold."""

    log_type = CharField(max_length=16)
    status = CharField(max_length=8)
    n = BigIntegerField(default=0)

    class Meta:
        table_name = "sync_log_count"
        indexes = ((("log_type", "status"), True),)


class SyncLogCountDelta(BaseModel):
    """A change to a count not yet folded in (PostgreSQL only)."""

    id = BigAutoField()
    log_type = CharField(max_length=16)
    status = CharField(max_length=8)
    d = BigIntegerField()

    class Meta:
        table_name = "sync_log_count_delta"


_UPSERT = ("INSERT INTO sync_log_count (log_type, status, n) VALUES ({row}.log_type, "
           "{row}.status, {delta}) ON CONFLICT (log_type, status) DO UPDATE SET "
           "n = sync_log_count.n + {delta}")
_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS sync_log_count_ai AFTER INSERT ON sync_log BEGIN "
    + _UPSERT.format(row="new", delta=1) + "; END",
    "CREATE TRIGGER IF NOT EXISTS sync_log_count_ad AFTER DELETE ON sync_log BEGIN "
    + _UPSERT.format(row="old", delta=-1) + "; END",
    "CREATE TRIGGER IF NOT EXISTS sync_log_count_au AFTER UPDATE OF status, log_type ON "
    "sync_log WHEN old.status IS NOT new.status OR old.log_type IS NOT new.log_type BEGIN "
    + _UPSERT.format(row="old", delta=-1) + "; " + _UPSERT.format(row="new", delta=1) + "; END",
]

_CHANGED = ("FROM old_rows o JOIN new_rows r ON r.id = o.id WHERE o.status IS DISTINCT FROM "
            "r.status OR o.log_type IS DISTINCT FROM r.log_type")
_DELTAS = {
    "insert": ("NEW TABLE AS new_rows", "SELECT log_type, status, COUNT(*) FROM new_rows "
               "GROUP BY log_type, status"),
    "delete": ("OLD TABLE AS old_rows", "SELECT log_type, status, -COUNT(*) FROM old_rows "
               "GROUP BY log_type, status"),
    "update": ("OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "SELECT log_type, status, SUM(d) FROM (SELECT o.log_type, o.status, -1 AS d "
               f"{_CHANGED} UNION ALL SELECT r.log_type, r.status, 1 {_CHANGED}) AS x "
               "GROUP BY log_type, status HAVING SUM(d) <> 0"),
}


def _postgres_statements():
    for event, (tables, select) in _DELTAS.items():
        name = f"sync_log_count_{event}"
        yield (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
               f"INSERT INTO sync_log_count_delta (log_type, status, d) {select}; "
               "RETURN NULL; END $$ LANGUAGE plpgsql")
        yield f"DROP TRIGGER IF EXISTS {name} ON sync_log"
        yield (f"CREATE TRIGGER {name} AFTER {event.upper()} ON sync_log REFERENCING {tables} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")


def create_counts(database):
    """The counter tables and triggers, and the counts of the rows already there.

    Runs in the migration's transaction; writers to sync_log wait until it commits, so no
    change falls between the counting and the triggers.
    """
    database.create_tables([SyncLogCount, SyncLogCountDelta], safe=True)
    postgres = is_postgres(database)
    if postgres:
        database.execute_sql("LOCK TABLE sync_log IN SHARE ROW EXCLUSIVE MODE")
    for sql in _postgres_statements() if postgres else _SQLITE:
        database.execute_sql(sql)
    database.execute_sql("DELETE FROM sync_log_count_delta")
    database.execute_sql("DELETE FROM sync_log_count")
    database.execute_sql("INSERT INTO sync_log_count (log_type, status, n) SELECT log_type, "
                         "status, COUNT(*) FROM sync_log GROUP BY log_type, status")


def fold_counts(database):
    """Move the pending deltas into the counter rows (one statement); a no-op on SQLite."""
    if not is_postgres(database):
        return 0
    cursor = database.execute_sql(
        "WITH moved AS (DELETE FROM sync_log_count_delta RETURNING log_type, status, d) "
        "INSERT INTO sync_log_count (log_type, status, n) SELECT log_type, status, SUM(d) "
        "FROM moved GROUP BY log_type, status ON CONFLICT (log_type, status) "
        "DO UPDATE SET n = sync_log_count.n + excluded.n")
    return cursor.rowcount


_READ_SQL = ("SELECT log_type, status, SUM(n) FROM (SELECT log_type, status, n FROM "
             "sync_log_count UNION ALL SELECT log_type, status, d FROM sync_log_count_delta) "
             "AS c GROUP BY log_type, status")


def status_counts():
    """{log_type: {status: count}} for every type and status (zeros included)."""
    counts = {t: {s: 0 for s in STATUSES} for t in LOG_TYPES}
    for log_type, status, count in SyncLogCount._meta.database.execute_sql(_READ_SQL):
        if log_type in counts and status in counts[log_type]:
            counts[log_type][status] = int(count or 0)
    return counts
