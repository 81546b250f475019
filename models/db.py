"""The database handle: one DatabaseProxy, bound from DATABASE_URL when a process starts."""
import fcntl
import os
import threading
from contextlib import contextmanager

from peewee import DatabaseProxy
from playhouse.db_url import connect as connect_url

db = DatabaseProxy()

# Why these pragmas: WAL lets the web, worker and poller processes read while one writes;
# busy_timeout makes a writer wait for the lock instead of failing at once; synchronous=FULL
# keeps every committed webhook on disk across a power cut ("nothing accepted is lost");
# incremental auto-vacuum lets the retention prune hand freed pages back (takes effect in new
# files; migration 8 converts existing ones).
SQLITE_PRAGMAS = {
    "auto_vacuum": "incremental",
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "synchronous": "full",
    "foreign_keys": 1,
}


def open_database(url):
    """Build a peewee Database for url (sqlite:///… or postgresql://…), not yet connected."""
    if url.startswith("sqlite:"):
        path = url.split("sqlite:///", 1)[-1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return connect_url(url, pragmas=SQLITE_PRAGMAS, timeout=10)
    return connect_url(url)


def bind(url):
    """Point the shared proxy at the database for url, once per process (or per test app)."""
    current = getattr(db, "obj", None)
    if current is not None and getattr(current, "_pearlbridge_url", None) == url:
        return current
    if current is not None and not current.is_closed():
        current.close()
    database = open_database(url)
    database._pearlbridge_url = url
    db.initialize(database)
    return database


@contextmanager
def connection():
    """Hold a connection for the block; opened and closed here unless one was already open."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened and not db.is_closed():
            db.close()


@contextmanager
def write_transaction():
    """A write transaction; on SQLite, writers queue on a file lock before taking SQLite's.

    SQLite's busy handler polls with growing sleeps (1, 2, 5, 10… ms), so under contention
    writers sleep far longer than the lock is held. A blocking flock wakes the next writer the
    moment the previous one commits; IMMEDIATE avoids read-to-write upgrade deadlocks.
    """
    database = db.obj
    if not database.__class__.__name__.startswith("Sqlite"):
        with database.atomic():
            yield
        return
    with _sqlite_writer_lock(database), database.atomic("IMMEDIATE"):
        yield


@contextmanager
def writer_turn():
    """On SQLite, wait for the writers' file lock (as write_transaction does) without opening a
    transaction: for statements that manage their own (PRAGMA incremental_vacuum)."""
    database = db.obj
    if not database.__class__.__name__.startswith("Sqlite"):
        yield
        return
    with _sqlite_writer_lock(database):
        yield


_thread_locks = {}


@contextmanager
def _sqlite_writer_lock(database):
    path = database.database
    if path in ("", ":memory:"):
        yield
        return
    lock = _thread_locks.setdefault(path, threading.Lock())
    with lock, open(path + ".writer-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
