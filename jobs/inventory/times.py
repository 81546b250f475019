"""Times at the edges of stock work: Brightpearl's offsets in, naive UTC everywhere inside."""
from datetime import datetime, timezone


def parse_bp_time(value):
    """A Brightpearl timestamp ("2022-01-26T10:39:46.000-06:00", "…Z") as naive UTC; None if bad."""
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def to_cursor(moment):
    """A naive-UTC datetime as a cursor value (ISO-8601 with Z, millisecond precision)."""
    return moment.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def from_cursor(value):
    """A cursor value back to naive UTC; None when unset or unreadable."""
    return parse_bp_time(value) if value else None
