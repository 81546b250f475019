"""The base model and the UTC clock every timestamp comes from."""
from datetime import datetime, timezone

from decimal import Decimal

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


class MoneyField(DecimalField):
    """An amount with two decimal places, always read back as an exact, quantized Decimal.

    SQLite keeps NUMERIC values as integers or doubles; quantizing on read restores "52.00".
    """

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, auto_round=True, **kwargs)

    def python_value(self, value):
        value = super().python_value(value)
        return value.quantize(Decimal("0.01")) if value is not None else None
