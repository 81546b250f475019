"""How many sync log rows each log type has in each status, per connection, kept on write.

Triggers on sync_log change the counts in the same transaction as every insert, status change
and delete, whichever code path makes it; reading them sums a few dozen rows instead of
grouping millions.

SQLite has one writer at a time, so its row triggers add to the counter rows directly.
PostgreSQL has many: there, statement triggers append one delta row per (connection, log type,
status) that a statement changed — inserts only, so concurrent workers never wait on a hot
counter row and cannot deadlock on two — and the poller folds the deltas into the counter rows every few
seconds (one statement). Reading sums both, so the counts are exact at any moment.
"""
from peewee import BigAutoField, BigIntegerField, CharField, IntegerField

from models.base import BaseModel
from models.connections import current_id
from models.logs import LOG_TYPES, STATUSES
from models.search import is_postgres


class SyncLogCount(BaseModel):
    """The number of rows of one (connection, log type, status), as of the last fold."""

    connection_id = IntegerField(default=1)
    log_type = CharField(max_length=16)
    status = CharField(max_length=8)
    n = BigIntegerField(default=0)

    class Meta:
        table_name = "sync_log_count"
        indexes = ((("connection_id", "log_type", "status"), True),)


class SyncLogCountDelta(BaseModel):
    """A change to a count not yet folded in (PostgreSQL only)."""

    id = BigAutoField()
    connection_id = IntegerField(default=1)
    log_type = CharField(max_length=16)
    status = CharField(max_length=8)
    d = BigIntegerField()

    class Meta:
        table_name = "sync_log_count_delta"


_KEY = "connection_id, log_type, status"
_UPSERT = (f"INSERT INTO sync_log_count ({_KEY}, n) VALUES ({{row}}.connection_id, "
           f"{{row}}.log_type, {{row}}.status, {{delta}}) ON CONFLICT ({_KEY}) DO UPDATE SET "
           "n = sync_log_count.n + {delta}")
_TRIGGERS = ("sync_log_count_ai", "sync_log_count_ad", "sync_log_count_au")
_SQLITE = [
    "CREATE TRIGGER sync_log_count_ai AFTER INSERT ON sync_log BEGIN "
    + _UPSERT.format(row="new", delta=1) + "; END",
    "CREATE TRIGGER sync_log_count_ad AFTER DELETE ON sync_log BEGIN "
    + _UPSERT.format(row="old", delta=-1) + "; END",
    "CREATE TRIGGER sync_log_count_au AFTER UPDATE OF status, log_type, connection_id ON "
    "sync_log WHEN old.status IS NOT new.status OR old.log_type IS NOT new.log_type "
    "OR old.connection_id IS NOT new.connection_id BEGIN "
    + _UPSERT.format(row="old", delta=-1) + "; " + _UPSERT.format(row="new", delta=1) + "; END",
]

_CHANGED = ("FROM old_rows o JOIN new_rows r ON r.id = o.id WHERE o.status IS DISTINCT FROM "
            "r.status OR o.log_type IS DISTINCT FROM r.log_type OR o.connection_id IS DISTINCT "
            "FROM r.connection_id")
_DELTAS = {
    "insert": ("NEW TABLE AS new_rows", f"SELECT {_KEY}, COUNT(*) FROM new_rows "
               f"GROUP BY {_KEY}"),
    "delete": ("OLD TABLE AS old_rows", f"SELECT {_KEY}, -COUNT(*) FROM old_rows "
               f"GROUP BY {_KEY}"),
    "update": ("OLD TABLE AS old_rows NEW TABLE AS new_rows",
               f"SELECT {_KEY}, SUM(d) FROM (SELECT o.connection_id, o.log_type, o.status, "
               f"-1 AS d {_CHANGED} UNION ALL SELECT r.connection_id, r.log_type, r.status, 1 "
               f"{_CHANGED}) AS x GROUP BY {_KEY} HAVING SUM(d) <> 0"),
}


def _postgres_statements():
    for event, (tables, select) in _DELTAS.items():
        name = f"sync_log_count_{event}"
        yield (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
               f"INSERT INTO sync_log_count_delta ({_KEY}, d) {select}; "
               "RETURN NULL; END $$ LANGUAGE plpgsql")
        yield f"DROP TRIGGER IF EXISTS {name} ON sync_log"
        yield (f"CREATE TRIGGER {name} AFTER {event.upper()} ON sync_log REFERENCING {tables} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")


def create_counts(database):
    """The counter tables and triggers (made anew), and the counts of the rows already there.

    Runs in the migration's transaction; writers to sync_log wait until it commits, so no
    change falls between the counting and the triggers.
    """
    postgres = is_postgres(database)
    if postgres:
        database.execute_sql("LOCK TABLE sync_log IN SHARE ROW EXCLUSIVE MODE")
    else:
        for name in _TRIGGERS:
            database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    # Made anew: a database from before connections has the tables without connection_id.
    database.drop_tables([SyncLogCount, SyncLogCountDelta], safe=True)
    database.create_tables([SyncLogCount, SyncLogCountDelta])
    for sql in _postgres_statements() if postgres else _SQLITE:
        database.execute_sql(sql)
    database.execute_sql(f"INSERT INTO sync_log_count ({_KEY}, n) SELECT {_KEY}, COUNT(*) "
                         f"FROM sync_log GROUP BY {_KEY}")


def fold_counts(database):
    """Move the pending deltas into the counter rows (one statement); a no-op on SQLite."""
    if not is_postgres(database):
        return 0
    cursor = database.execute_sql(
        f"WITH moved AS (DELETE FROM sync_log_count_delta RETURNING {_KEY}, d) "
        f"INSERT INTO sync_log_count ({_KEY}, n) SELECT {_KEY}, SUM(d) "
        f"FROM moved GROUP BY {_KEY} ON CONFLICT ({_KEY}) "
        "DO UPDATE SET n = sync_log_count.n + excluded.n")
    return cursor.rowcount


_READ_SQL = ("SELECT log_type, status, SUM(n) FROM (SELECT log_type, status, n FROM "
             "sync_log_count WHERE connection_id = {p} UNION ALL SELECT log_type, status, d "
             "FROM sync_log_count_delta WHERE connection_id = {p}) AS c GROUP BY log_type, status")


def status_counts():
    """{log_type: {status: count}} of the connection's rows, every type and status (zeros
    included)."""
    counts = {t: {s: 0 for s in STATUSES} for t in LOG_TYPES}
    database = SyncLogCount._meta.database
    connection_id = current_id()
    for log_type, status, count in database.execute_sql(_READ_SQL.format(p=database.param),
                                                         (connection_id, connection_id)):
        if log_type in counts and status in counts[log_type]:
            counts[log_type][status] = int(count or 0)
    return counts
