"""The store and account a configuration names, checked against the database's connection at
every process start; and the two ways an operator moves on: switch and rename.

The check reads only the configuration (WOO_URL, BRIGHTPEARL_ACCOUNT) and one row: no API call,
so a process refuses at once, before it reads or writes anything of another store's.
"""
from urllib.parse import urlsplit

from models.base import utcnow
from models.connections import Connection, forget, use
from models.credentials import Credential
from models.db import bind, connection, db, write_transaction
from models.events import Event
from models.flows import Flow, ReferenceData
from models.stock import STOCK_TABLES

SWITCH, RENAME = "flask connection switch", "flask connection rename"
ENDED = "not synced: the connection ended (flask connection switch)"


class ConnectionChanged(SystemExit):
    """The configuration names another store or account than the database's connection."""


def store_of(woo_url):
    """A store's identity from its URL: host (lower-cased) and path, without scheme or slash.

    http and https name the same store; so do "shop.example" and "shop.example/".
    """
    parts = urlsplit(woo_url.strip() if "//" in woo_url else "//" + woo_url.strip())
    return (parts.netloc.lower() + parts.path.rstrip("/")) or woo_url.strip()


def identity(settings):
    """{woo_store, bp_account} named by the settings (pure)."""
    return {"woo_store": store_of(settings["WOO_URL"]),
            "bp_account": settings["BRIGHTPEARL_ACCOUNT"].strip().lower()}


def open_connection():
    """The connection in use (the newest not ended), or None before the migration made one."""
    if not db.table_exists(Connection._meta.table_name):
        return None
    return (Connection.select().where(Connection.ended_at.is_null())
            .order_by(Connection.id.desc()).first())


def mismatch(connection, wanted):
    """The one line refusing to start, or None when the configuration matches (pure)."""
    store_moved = connection.woo_store != wanted["woo_store"]
    account_changed = connection.bp_account != wanted["bp_account"]
    if not (store_moved or account_changed):
        return None
    named = []
    if store_moved:
        named.append(f"WooCommerce store {wanted['woo_store']} (WOO_URL)")
    if account_changed:
        named.append(f"Brightpearl account {wanted['bp_account']} (BRIGHTPEARL_ACCOUNT)")
    remedy = f'run "{SWITCH}" to start a new connection for it (the old one\'s logs stay readable)'
    if not account_changed:
        remedy += f', or "{RENAME}" if it is the same store at a new address'
    return (f"refusing to start: this database belongs to connection {connection.id} "
            f"({connection.describe()}), but the configuration names {' and '.join(named)}; "
            f"{remedy}")


def check(settings):
    """Record the configured identity on a new connection, or refuse a different one.

    Returns the connection (now this process's), None before migrations; raises
    ConnectionChanged with the one line an operator needs.
    """
    connection = open_connection()
    if connection is None:
        return None
    wanted = identity(settings)
    if connection.woo_store is None and connection.bp_account is None:
        Connection.update(recorded_at=utcnow(), **wanted).where(
            (Connection.id == connection.id) & Connection.woo_store.is_null()).execute()
        connection = Connection.get_by_id(connection.id)
    problem = mismatch(connection, wanted)
    if problem:
        raise ConnectionChanged(problem)
    use(connection.id)
    return connection


def check_at_start(settings):
    """A process's first step: bind the database and check() it (raises ConnectionChanged)."""
    bind(settings["DATABASE_URL"])
    with connection():
        return check(settings)


def note_instance(instance_id):
    """Record the OAuth installation's instance id on the open connection; the one it replaces
    (None when it is the first, or the same).

    Informational, not refused: a reinstallation in the same account keeps every Brightpearl id
    the links point to; only the account code decides whether the links still hold.
    """
    connection = open_connection()
    if connection is None or not instance_id or connection.bp_instance_id == str(instance_id):
        return None
    Connection.update(bp_instance_id=str(instance_id)).where(
        Connection.id == connection.id).execute()
    return connection.bp_instance_id


def switch(settings):
    """Start a new connection for the configured store and account; (old, new).

    The old one's rows stay, readable on the staff pages; none is used again. Flow settings
    are carried over — switched off when the Brightpearl account changed, since its warehouse,
    price list and status ids may mean nothing in the new one — and the Brightpearl lists and
    stored tokens too when the account is the same. Inbox events the old connection never
    processed are closed; the stock cache (product facts read from Brightpearl) is rebuilt.
    """
    wanted = identity(settings)
    with write_transaction():
        old = open_connection()
        new = Connection.create(recorded_at=utcnow(), **wanted)
        if old is not None:
            Connection.update(ended_at=utcnow()).where(Connection.id == old.id).execute()
            _carry_over(old, new)
            Event.update_everywhere(processed_at=utcnow(), outcome=ENDED).where(
                (Event.connection_id == old.id) & Event.processed_at.is_null()).execute()
        for model in STOCK_TABLES:
            model.delete().execute()
    forget()
    use(new.id)
    return old, new


def _carry_over(old, new):
    same_account = old.bp_account in (None, new.bp_account)
    for flow in Flow.select_everywhere().where(Flow.connection_id == old.id):
        Flow.create(connection_id=new.id, name=flow.name, settings_json=flow.settings_json,
                    enabled=flow.enabled and same_account)
    if same_account:
        for model in (ReferenceData, Credential):
            rows = model.select_everywhere().where(model.connection_id == old.id).dicts()
            for row in rows:
                row.pop("id")
                model.insert(dict(row, connection_id=new.id)).execute()


def rename(settings):
    """The same store at a new address: the open connection takes the configured URL; (old
    address, new address). Links are kept. Refused when the Brightpearl account changed."""
    wanted = identity(settings)
    connection = open_connection()
    if connection is None:
        raise ConnectionChanged("no connection yet: run \"flask migrate\" first")
    if connection.bp_account not in (None, wanted["bp_account"]):
        raise ConnectionChanged(
            f"refusing to rename: the Brightpearl account changed too ({connection.bp_account} "
            f"→ {wanted['bp_account']}), so this is another connection: run \"{SWITCH}\"")
    Connection.update(recorded_at=utcnow(), **wanted).where(
        Connection.id == connection.id).execute()
    use(connection.id)
    return connection.woo_store, wanted["woo_store"]
