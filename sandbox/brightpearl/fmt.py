"""Values the way Brightpearl writes them: 4-place money/quantity strings, local timestamps."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

# Recorded responses carry the account's local offset (reference §13.3); the sandbox account is
# in London so both +00:00 and +01:00 show up over a year.
ACCOUNT_TZ = ZoneInfo("Europe/London")
_FOUR = Decimal("0.0001")


def now():
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


def dec(value):
    """A Decimal from a JSON number or string; ValueError when it is not a finite number."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return result


def places(value):
    """How many decimal places a Decimal was written with."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def money(value):
    """A Decimal as Brightpearl's 4-place string, e.g. "9.0909"."""
    return str(Decimal(value).quantize(_FOUR, ROUND_HALF_UP))


def ts(moment):
    """A datetime as Brightpearl writes it: local time, milliseconds, explicit offset."""
    return moment.astimezone(ACCOUNT_TZ).isoformat(timespec="milliseconds")


def utc_z(moment):
    """A datetime as ISO-8601 UTC with a Z, the form of a webhook's raisedOn."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_ts(text, end_of_day=False):
    """Parse a date or date-time; offset-less values are read in the account's time zone.

    A bare date means the start of that day, or its last instant when end_of_day is true.
    Raises ValueError on anything else.
    """
    text = text.strip()
    if len(text) == 10:
        day = date.fromisoformat(text)
        moment = datetime.combine(day, time.min, ACCOUNT_TZ)
        return moment + timedelta(days=1, microseconds=-1) if end_of_day else moment
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "+"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ACCOUNT_TZ)
    return moment
