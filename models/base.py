"""The base model and the UTC clock every timestamp comes from."""
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from peewee import DecimalField, Model

from models.db import db


def utcnow():
    """Now in UTC, naive (stored naive, always meaning UTC, on both SQLite and PostgreSQL)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    """All tables live in the proxied database."""

    class Meta:
        database = db
        legacy_table_names = False


def upsert(model, key, **values):
    """Insert the row whose unique column(s) `key` (a field name or tuple of them) take the
    values given, or update its other given columns: one atomic statement, never the racy
    "update, else create" that two workers meeting the same new record would both take.
    """
    keys = (key,) if isinstance(key, str) else tuple(key)
    if "connection_id" in model._meta.fields:  # a ScopedModel: unique within its connection
        keys = ("connection_id",) + keys
    update = {getattr(model, name): value for name, value in values.items() if name not in keys}
    query = model.insert(**values)  # connection_id, when not given, is the current one
    if update:
        query = query.on_conflict(conflict_target=[getattr(model, k) for k in keys], update=update)
    else:
        query = query.on_conflict_ignore()
    query.execute()


class MoneyField(DecimalField):
    """An amount with two decimal places, always read back as an exact, quantized Decimal.

    SQLite keeps NUMERIC values as integers or doubles; quantizing on read restores "52.00".
    A value no amount can be (NaN, Infinity, beyond the column: written before the receivers
    validated amounts) reads as None, so one odd row cannot break a page.
    """

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, auto_round=True, **kwargs)

    def python_value(self, value):
        try:
            value = super().python_value(value)
            if value is None or not value.is_finite():
                return None
            return value.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError, TypeError):
            return None
