"""Which store and Brightpearl account the data belongs to: the connection, and the scoping
of every link, cursor, setting, inbox event and sync-log row to it.

A platform id means something only within its store or account: Woo order #95 of a staging
copy is not production's order #95. So each such row carries connection_id, and every query of
a scoped model is filtered by the process's connection — resolved once per process (the
intake's statements never look it up) — unless a staff page is viewing an older one.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from peewee import CharField, DateTimeField, IntegerField

from models.base import BaseModel, utcnow
from models.db import db


class Connection(BaseModel):
    """One WooCommerce store paired with one Brightpearl account; the newest open one is used.

    The identity columns are empty until the first process starts with a configuration (the
    migration that introduced connections made row 1 for the data already there).
    """

    woo_store = CharField(max_length=255, null=True)  # WOO_URL, normalised (see identity)
    bp_account = CharField(max_length=64, null=True)
    bp_instance_id = CharField(max_length=64, null=True)  # OAuth installations only
    created_at = DateTimeField(default=utcnow)
    recorded_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)  # set when `flask connection switch` started the next

    class Meta:
        table_name = "connection"

    @property
    def tag(self):
        """Names this connection in Redis keys: a new database's connection 1 is not the last
        one's (the id restarts; the creation time does not)."""
        return f"c{self.id}-{int(self.created_at.timestamp())}"

    def describe(self):
        """'store X and Brightpearl account Y' as an operator reads it."""
        return f"WooCommerce store {self.woo_store} and Brightpearl account {self.bp_account}"


# The process's connection, per bound database object (tests bind many), and a staff page's
# request-local choice to read an older one.
_process = {"database": None, "id": None}
_viewing = ContextVar("viewing_connection", default=None)


def current_id():
    """The id of the connection queries are scoped to (the open one unless viewing another)."""
    viewing = _viewing.get()
    if viewing is not None:
        return viewing
    database = db.obj
    if _process["database"] is database and _process["id"] is not None:
        return _process["id"]
    if database is None or not database.table_exists(Connection._meta.table_name):
        return 1  # before the migration: the data there becomes connection 1
    found = (Connection.select(Connection.id).where(Connection.ended_at.is_null())
             .order_by(Connection.id.desc()).scalar())
    _process.update(database=database, id=found or 1)
    return _process["id"]


def use(connection_id):
    """Scope this process's queries to connection_id from now on."""
    _process.update(database=db.obj, id=connection_id)


def forget():
    """Resolve the connection again on next use (after migrations, or a test's new database)."""
    _process.update(database=None, id=None)


@contextmanager
def viewing(connection_id):
    """Read another connection's rows for the block (a staff page showing an older store)."""
    token = _viewing.set(connection_id)
    try:
        yield
    finally:
        _viewing.reset(token)


class ScopedModel(BaseModel):
    """A table whose rows belong to one connection: reads, updates and deletes see only the
    current connection's rows, inserts are stamped with it. The *_everywhere methods are for
    the few jobs that look after every connection's rows (retention, the switch itself)."""

    connection_id = IntegerField(default=current_id)

    @classmethod
    def select(cls, *fields):
        """The current connection's rows."""
        return super().select(*fields).where(cls.connection_id == current_id())

    @classmethod
    def update(cls, __data=None, **update):
        """Update the current connection's rows."""
        return super().update(__data, **update).where(cls.connection_id == current_id())

    @classmethod
    def delete(cls):
        """Delete among the current connection's rows."""
        return super().delete().where(cls.connection_id == current_id())

    @classmethod
    def select_everywhere(cls, *fields):
        """Every connection's rows."""
        return super().select(*fields)

    @classmethod
    def update_everywhere(cls, __data=None, **update):
        """Update among every connection's rows."""
        return super().update(__data, **update)

    @classmethod
    def delete_everywhere(cls):
        """Delete among every connection's rows."""
        return super().delete()


def external_ref(text, connection_id=None):
    """The externalRef Brightpearl keeps for a Woo record of the connection: the plain value
    for the first connection (as every order written before connections), "c{N}-value" for a
    later one, so a new store's order #95 is never taken for the old store's."""
    number = connection_id or current_id()
    return str(text) if number == 1 else f"c{number}-{text}"


def local_ref(ref, connection_id=None):
    """The value external_ref() made ref from, or None when ref belongs to another connection."""
    if ref is None:
        return None
    number = connection_id or current_id()
    head, _, rest = str(ref).partition("-")
    prefixed = len(head) > 1 and head[0] == "c" and head[1:].isdigit() and bool(rest)
    if number == 1:
        return None if prefixed else str(ref)
    return rest if prefixed and int(head[1:]) == number else None
