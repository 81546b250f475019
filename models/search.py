"""Free-text search on sync_log.info: a trigram index on each engine (migration 10).

SQLite: an FTS5 table with the trigram tokenizer over sync_log.info (external content, kept in
step by triggers). PostgreSQL: pg_trgm and a GIN index, which ILIKE uses directly. Either is
optional: without it search still works, by scanning.
"""
import logging

log = logging.getLogger(__name__)
FTS_TABLE = "sync_log_search"

_SQLITE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "info, content='sync_log', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON sync_log BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, info) VALUES (new.id, new.info); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON sync_log BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, info) VALUES ('delete', old.id, old.info); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF info ON sync_log BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, info) VALUES ('delete', old.id, old.info); "
    f"INSERT INTO {FTS_TABLE}(rowid, info) VALUES (new.id, new.info); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
_POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS sync_log_info_trgm ON sync_log USING gin (info gin_trgm_ops)",
)


def is_postgres(database):
    """True for a PostgreSQL database (else SQLite); a DatabaseProxy is looked through."""
    database = getattr(database, "obj", None) or database
    return database.__class__.__name__.startswith("Postgres")


def create_search_index(database):
    """Create the engine's trigram index on sync_log.info; a missing feature only logs."""
    statements = _POSTGRES if is_postgres(database) else _SQLITE
    try:
        # A savepoint: on PostgreSQL a failed statement would abort the whole migration.
        with database.atomic():
            for sql in statements:
                database.execute_sql(sql)
    except Exception as exc:  # e.g. no FTS5 in this SQLite build, no right to add pg_trgm
        log.warning("search index not created (search will scan): %s", exc)


def sqlite_search_ready(database):
    """True when the SQLite FTS table exists (checked once per database object)."""
    cached = getattr(database, "_pearlbridge_fts", None)
    if cached is None:
        cached = not is_postgres(database) and FTS_TABLE in database.get_tables()
        if cached or not is_postgres(database):
            database._pearlbridge_fts = cached
    return cached
