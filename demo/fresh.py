"""Each `make run` is a new shop: the sandbox starts empty, so the database must not carry the
previous run's links (its order #95 is not this run's order #95).

The demo's own database file is made fresh with the sandbox. A database the user named in
DATABASE_URL is never deleted: when it holds an earlier run's data, the run starts a new
connection on it instead (`flask connection switch`), and the earlier runs stay readable on
the Sync Logs page.
"""
import os

DEMO_DATABASE_URL = "sqlite:///var/demo.db"
SQLITE_SIDE_FILES = ("", "-wal", "-shm", ".writer-lock")


def fresh_demo_database(env, named_by_user):
    """Delete the demo's own SQLite file (and its side files) unless the user named one."""
    if named_by_user:
        return False
    env["DATABASE_URL"] = DEMO_DATABASE_URL
    path = DEMO_DATABASE_URL.split("sqlite:///", 1)[1]
    for suffix in SQLITE_SIDE_FILES:
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return True


def new_connection_if_used(settings):
    """In a kept database: start a new connection when the open one has synced anything.

    Returns the (old, new) connections switched between, or None. Needs a bound database.
    """
    from models.events import Event
    from models.logs import SyncLog
    from models.store_identity import switch

    if not (SyncLog.select().exists() or Event.select().exists()):
        return None
    return switch(settings)
