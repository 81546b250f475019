"""Mirror the state to a small SQLite file, one JSON row per object, when state_path is given."""
import datetime
import json
import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    collection TEXT, id INTEGER, body TEXT, PRIMARY KEY (collection, id));
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, body TEXT);
"""


def _default(value):
    if isinstance(value, datetime.datetime):
        return {"$dt": value.isoformat()}
    raise TypeError(type(value))


def _hook(obj):
    if len(obj) == 1 and "$dt" in obj:
        return datetime.datetime.fromisoformat(obj["$dt"])
    return obj


class Persistence:
    """A SQLite file holding the objects of every collection plus counters and settings."""

    def __init__(self, path):
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.executescript(_SCHEMA)

    def load(self, state):
        """Fill state from the file (no-op for a new file)."""
        for collection, obj_id, body in self._conn.execute("SELECT collection, id, body FROM objects ORDER BY collection, id"):
            getattr(state, collection)[obj_id] = json.loads(body, object_hook=_hook)
        for key, body in self._conn.execute("SELECT key, body FROM settings"):
            setattr(state, key, json.loads(body))
        state._everything_dirty = False

    def save(self, state, dirty, removed, everything):
        """Write dirty objects, drop removed ones; rewrite all after a reset or seed."""
        from .store import COLLECTIONS

        with self._conn:
            if everything:
                self._conn.execute("DELETE FROM objects")
                dirty = {(name, obj_id) for name in COLLECTIONS for obj_id in getattr(state, name)}
            rows = []
            for collection, obj_id in dirty:
                obj = getattr(state, collection).get(obj_id)
                if obj is not None:
                    rows.append((collection, obj_id, json.dumps(obj, default=_default)))
            self._conn.executemany("INSERT OR REPLACE INTO objects VALUES (?, ?, ?)", rows)
            self._conn.executemany("DELETE FROM objects WHERE collection = ? AND id = ?", list(removed))
            for key in ("counters", "settings"):
                self._conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)",
                                   (key, json.dumps(getattr(state, key))))
