"""Which connection (store and Brightpearl account) a staff page shows: the current one, or an
earlier one read-only after `flask connection switch` (its rows are never synced again)."""
from contextlib import nullcontext

from models.connections import Connection, current_id, viewing

MAX_CONNECTION_ID = 2**31 - 1


def earlier_connection(raw):
    """(id of the earlier connection raw names, or None; the problem to explain, or None)."""
    raw = str(raw).strip()[:12]
    if not raw:
        return None, None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_CONNECTION_ID \
            or Connection.get_or_none(Connection.id == int(raw)) is None:
        return None, f"Unknown connection {raw!r}; showing the current store."
    return (None if int(raw) == current_id() else int(raw)), None


def scoped(connection_id):
    """A context in which queries read connection_id's rows (the current one's when None)."""
    return viewing(connection_id) if connection_id else nullcontext()


def connections_for_staff():
    """[(id, description, ended_at)] newest first, when there is more than one; else []."""
    rows = list(Connection.select().order_by(Connection.id.desc()))
    if len(rows) < 2:
        return []
    return [(row.id, row.describe(), row.ended_at) for row in rows]
