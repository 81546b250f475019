"""What each receiver payload may carry into the database and the pages: marshmallow schemas.

Every value that reaches a column is bounded here: ids fit the INTEGER link columns, money is
a finite decimal that fits MoneyField (14 digits, 2 after the point), text is cut to its
column and stripped of NUL and unpaired surrogates (PostgreSQL and UTF-8 accept neither).
Fields the service does not read are left alone (they stay in the stored payload only).
"""
from decimal import Decimal, InvalidOperation

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

MAX_ID = 2**31 - 1  # INTEGER columns (order and product links) on PostgreSQL
MONEY_LIMIT = Decimal(10) ** 12  # MoneyField: 12 digits before the point, 2 after
CENT = Decimal("0.01")


def clean_text(text):
    """text without NUL characters and with unpaired surrogates replaced by '?'."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


class Text(fields.Field):
    """A JSON string (or, where Brightpearl allows it, a number) as clean, bounded text."""

    def __init__(self, max_length, numbers=False, **kwargs):
        super().__init__(**kwargs)
        self.max_length, self.numbers = max_length, numbers

    def _deserialize(self, value, attr, data, **kwargs):
        kinds = (str, int) if self.numbers else (str,)
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise ValidationError("must be text")
        text = clean_text(str(value)).strip()
        if len(text) > self.max_length:
            raise ValidationError(f"longer than {self.max_length} characters")
        return text


class Money(fields.Field):
    """An amount as text or a number: a finite Decimal within MoneyField's range, to the cent."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError("must be an amount")
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(f"{_shown(value)} is not an amount") from None
        if not amount.is_finite() or abs(amount) >= MONEY_LIMIT:
            raise ValidationError(f"{_shown(value)} is not a finite amount below 10^12")
        return amount.quantize(CENT)


class RecordId(fields.Field):
    """A record id as WooCommerce sends it (a JSON integer, or its digits as text) that fits
    the INTEGER link columns: 1 to 2^31 - 1."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = value if isinstance(value, str) else None
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value) if -10**12 < value < 10**12 else "-"
        if text is None or not (text.isascii() and text.isdigit() and len(text) <= 10):
            raise ValidationError("not an id (1 to 10 digits)")
        if not 1 <= int(text) <= MAX_ID:
            raise ValidationError(f"id out of range (1 to {MAX_ID})")
        return int(text)


def _shown(value):
    return repr(clean_text(str(value))[:24])


class WooResourceSchema(Schema):
    """A WooCommerce resource body: only its id is read (products, deletions)."""

    class Meta:
        unknown = EXCLUDE

    id = RecordId(required=True)


class WooOrderSchema(WooResourceSchema):
    """A WooCommerce order body: the fields the Orders log row shows."""

    number = Text(64, numbers=True, allow_none=True, load_default=None)
    status = Text(32, allow_none=True, load_default=None)
    total = Money(allow_none=True, load_default=None)
    currency = Text(3, allow_none=True, load_default=None,
                    validate=validate.Regexp(r"^[A-Za-z]{0,3}$", error="not a currency code"))


class BrightpearlCallbackSchema(Schema):
    """A Brightpearl callback as the registered body template writes it."""

    class Meta:
        unknown = EXCLUDE

    accountCode = Text(64, numbers=True, required=True, validate=validate.Length(min=1))
    resourceType = Text(32, required=True, validate=validate.Length(min=1))
    id = Text(200_000, numbers=True, required=True, validate=validate.Length(min=1))
    lifecycleEvent = Text(64, required=True, validate=validate.Length(min=1))
    fullEvent = Text(96, required=True, validate=validate.Length(min=1))
    raisedOn = Text(40, required=True, validate=validate.Length(min=1))
    brightpearlVersion = Text(32, allow_none=True, load_default=None)


def problems(error):
    """A ValidationError's messages as one line: "total: … ; id: …"."""
    parts = []
    for name, messages in sorted(error.messages.items()):
        text = "; ".join(messages) if isinstance(messages, list) else str(messages)
        parts.append(f"{name}: {text}")
    return ", ".join(parts)
