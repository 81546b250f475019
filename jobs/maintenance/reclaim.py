"""Giving pruned space back, and what the tables hold (rows, bytes, oldest) for the Health page.

SQLite: freed pages go back to the file system a few megabytes at a time (incremental vacuum,
each step a short write transaction). PostgreSQL: autovacuum reuses the space by itself.
"""
import time

from models.db import db, writer_turn
from models.events import Event
from models.logs import SyncAttempt, SyncLog
from models.search import is_postgres

# 1 MB a step: the write lock is held for milliseconds, not a quarter of a second.
PAGES_PER_STEP = 256
TABLES = (("events", Event, Event.received_at), ("attempts", SyncAttempt, SyncAttempt.at),
          ("log rows", SyncLog, SyncLog.created_at))


def free_pages():
    """SQLite pages on the free list (0 on PostgreSQL)."""
    if is_postgres(db):
        return 0
    return db.execute_sql("PRAGMA freelist_count").fetchone()[0]


def checkpoint():
    """Copy the WAL into the SQLite file now, without waiting for anyone (PASSIVE), so the
    pruner pays for its own writes and a webhook's commit never has to (no-op on PostgreSQL)."""
    if not is_postgres(db):
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def reclaim(pause_seconds=0.05, deadline=None, pause=time.sleep):
    """Hand free SQLite pages back to the file system in steps; returns the pages freed."""
    if is_postgres(db) or db.execute_sql("PRAGMA auto_vacuum").fetchone()[0] != 2:
        return 0
    freed = 0
    while (before := free_pages()) > 0:
        with writer_turn():
            # executescript steps the pragma to the end; execute() would free one page.
            db.connection().executescript(f"PRAGMA incremental_vacuum({PAGES_PER_STEP});")
        checkpoint()
        after = free_pages()
        freed += before - after
        if after >= before or (deadline is not None and time.monotonic() > deadline):
            break
        pause(pause_seconds)
    return freed


def database_bytes():
    """(size of the database in bytes, bytes free inside it) — the SQLite file, or PostgreSQL's."""
    if is_postgres(db):
        return db.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0], 0
    page_size = db.execute_sql("PRAGMA page_size").fetchone()[0]
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    return pages * page_size, free_pages() * page_size


def table_state():
    """{table label: {rows, bytes, oldest}} for the inbox, the attempts and the log rows."""
    state = {}
    for label, model, stamp in TABLES:
        oldest = model.select(stamp).order_by(model.id).limit(1).scalar()
        state[label] = {"rows": model.select().count(), "bytes": _table_bytes(model),
                        "oldest": str(stamp.python_value(oldest)) if oldest else None}
    return state


def _table_bytes(model):
    table = model._meta.table_name
    if is_postgres(db):
        return db.execute_sql("SELECT pg_total_relation_size(%s)", (table,)).fetchone()[0]
    try:
        # dbstat reads every page of the table and its indexes: fine in a background job.
        return db.execute_sql("SELECT SUM(pgsize) FROM dbstat WHERE name = ? OR name IN "
                              "(SELECT name FROM sqlite_master WHERE tbl_name = ? AND "
                              "type = 'index')", (table, table)).fetchone()[0] or 0
    except Exception:  # noqa: BLE001 - SQLite built without dbstat: sizes unknown
        return None
