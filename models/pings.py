"""WooCommerce's activation pings, counted per webhook: one row per webhook, never a body.

Pings are unsigned, so anyone can send them: the table is capped (MAX_WEBHOOKS rows) and a
webhook's row is written at most once per interval by each web process (webhook/pings.py).
"""
from peewee import BigIntegerField, DateTimeField, IntegerField

from models.base import BaseModel

# A store has a handful of webhooks (five topics); room for many re-creations of them.
MAX_WEBHOOKS = 200


class WebhookPing(BaseModel):
    """How often and when a WooCommerce webhook id was last pinged (its health)."""

    webhook_id = BigIntegerField(unique=True)
    first_at = DateTimeField()
    last_at = DateTimeField()
    count = IntegerField(default=0)

    class Meta:
        table_name = "webhook_ping"


_UPDATE_SQL = ("UPDATE webhook_ping SET count = count + {p}, last_at = {p} "
               "WHERE webhook_id = {p}")
# Inserted only while the table has room; a row another process added meanwhile is updated.
_INSERT_SQL = (
    "INSERT INTO webhook_ping (webhook_id, first_at, last_at, count) "
    "SELECT {p}, {p}, {p}, {p} WHERE (SELECT COUNT(*) FROM webhook_ping) < {p} "
    "ON CONFLICT (webhook_id) DO UPDATE SET count = webhook_ping.count + excluded.count, "
    "last_at = excluded.last_at"
)


def add_pings(database, webhook_id, count, now):
    """Add count pings of webhook_id at now; False when the table is full and it is new."""
    p = database.param
    cursor = database.execute_sql(_UPDATE_SQL.format(p=p), (count, now, webhook_id))
    if cursor.rowcount:
        return True
    cursor = database.execute_sql(_INSERT_SQL.format(p=p),
                                  (webhook_id, now, now, count, MAX_WEBHOOKS))
    return bool(cursor.rowcount)
