"""How many sync log rows each log type has in each status, kept on write.

Triggers on sync_log add and subtract in sync_log_count in the same statement — so in the same
transaction — as every insert, status change and delete, whichever code path makes it. Reading
the counts sums a few dozen rows instead of grouping millions.

Exact under concurrent workers: each change is one atomic `n = n + delta` upsert. On
PostgreSQL each connection writes its own shard (backend pid % SHARDS), so workers do not queue
on one hot row, and a row's two updates take their locks in a fixed (key) order, so two
opposite transitions cannot deadlock. SQLite has one writer at a time: one shard.
"""
from peewee import BigIntegerField, CharField, IntegerField, fn

from models.base import BaseModel
from models.logs import LOG_TYPES, STATUSES
from models.search import is_postgres

SHARDS = 8


class SyncLogCount(BaseModel):
    """A share of the row count of one (log type, status); the sum over shards is the count."""

    log_type = CharField(max_length=16)
    status = CharField(max_length=8)
    shard = IntegerField(default=0)
    n = BigIntegerField(default=0)

    class Meta:
        table_name = "sync_log_count"
        indexes = ((("log_type", "status", "shard"), True),)


_UPSERT = ("INSERT INTO sync_log_count (log_type, status, shard, n) VALUES ({row}.log_type, "
           "{row}.status, {shard}, {delta}) ON CONFLICT (log_type, status, shard) DO UPDATE SET "
           "n = sync_log_count.n + {delta}")

_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS sync_log_count_ai AFTER INSERT ON sync_log BEGIN "
    + _UPSERT.format(row="new", shard=0, delta=1) + "; END",
    "CREATE TRIGGER IF NOT EXISTS sync_log_count_ad AFTER DELETE ON sync_log BEGIN "
    + _UPSERT.format(row="old", shard=0, delta=-1) + "; END",
    "CREATE TRIGGER IF NOT EXISTS sync_log_count_au AFTER UPDATE OF status, log_type ON "
    "sync_log WHEN old.status IS NOT new.status OR old.log_type IS NOT new.log_type BEGIN "
    + _UPSERT.format(row="old", shard=0, delta=-1) + "; "
    + _UPSERT.format(row="new", shard=0, delta=1) + "; END",
]

_POSTGRES = [
    "CREATE OR REPLACE FUNCTION sync_log_count_change() RETURNS trigger AS $$ "
    f"DECLARE s integer := mod(pg_backend_pid(), {SHARDS}); BEGIN "
    "IF TG_OP = 'INSERT' THEN " + _UPSERT.format(row="NEW", shard="s", delta=1) + "; "
    "ELSIF TG_OP = 'DELETE' THEN " + _UPSERT.format(row="OLD", shard="s", delta=-1) + "; "
    "ELSIF (OLD.log_type, OLD.status) < (NEW.log_type, NEW.status) THEN "
    + _UPSERT.format(row="OLD", shard="s", delta=-1) + "; "
    + _UPSERT.format(row="NEW", shard="s", delta=1) + "; "
    "ELSE " + _UPSERT.format(row="NEW", shard="s", delta=1) + "; "
    + _UPSERT.format(row="OLD", shard="s", delta=-1) + "; "
    "END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS sync_log_count_insert_delete ON sync_log",
    "CREATE TRIGGER sync_log_count_insert_delete AFTER INSERT OR DELETE ON sync_log "
    "FOR EACH ROW EXECUTE FUNCTION sync_log_count_change()",
    "DROP TRIGGER IF EXISTS sync_log_count_update ON sync_log",
    "CREATE TRIGGER sync_log_count_update AFTER UPDATE OF status, log_type ON sync_log "
    "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.log_type IS DISTINCT FROM NEW.log_type) EXECUTE FUNCTION sync_log_count_change()",
]


def create_counts(database):
    """The counter table and its triggers, and the counts of the rows already there.

    Runs in the migration's transaction; writers to sync_log wait until it commits, so no
    change falls between the backfill and the triggers.
    """
    database.create_tables([SyncLogCount], safe=True)
    if is_postgres(database):
        database.execute_sql("LOCK TABLE sync_log IN SHARE ROW EXCLUSIVE MODE")
    for sql in _POSTGRES if is_postgres(database) else _SQLITE:
        database.execute_sql(sql)
    database.execute_sql("DELETE FROM sync_log_count")
    database.execute_sql("INSERT INTO sync_log_count (log_type, status, shard, n) "
                         "SELECT log_type, status, 0, COUNT(*) FROM sync_log "
                         "GROUP BY log_type, status")


def status_counts():
    """{log_type: {status: count}} for every type and status (zeros included)."""
    counts = {t: {s: 0 for s in STATUSES} for t in LOG_TYPES}
    query = (SyncLogCount.select(SyncLogCount.log_type, SyncLogCount.status,
                                 fn.SUM(SyncLogCount.n))
             .group_by(SyncLogCount.log_type, SyncLogCount.status).tuples())
    for log_type, status, count in query:
        if log_type in counts and status in counts[log_type]:
            counts[log_type][status] = int(count or 0)
    return counts
