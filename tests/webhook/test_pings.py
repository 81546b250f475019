"""WooCommerce's unsigned activation ping: exactly `webhook_id=N`, counted, never a body stored."""
import pytest

import models.pings
from models.events import Event
from models.logs import SyncLog
from models.pings import WebhookPing

URL = "/webhooks/woocommerce"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def ping(client, body):
    return client.post(URL, data=body, headers=FORM)


def stored():
    return WebhookPing.select().count() + Event.select().count() + SyncLog.select().count()


@pytest.mark.parametrize("body", [
    b"webhook_id=12\n",             # was stripped, then stored as sent
    b" webhook_id=12",
    b"webhook_id=12" + b" " * 10_000,
    b"webhook_id=12&x=1",
    b"webhook_id=" + b"1" * 11,    # more digits than any WooCommerce webhook id
    b"webhook_id=",
    b"webhook_id=\xff",
    b"x" * (1024 * 1024),           # a megabyte claiming nothing: was 401 after reading it all
])
def test_anything_but_an_exact_ping_is_401_and_nothing_is_stored(client, body):
    assert ping(client, body).status_code == 401
    assert stored() == 0


def test_a_ping_flood_keeps_one_row_per_webhook_with_no_body(client):
    for _ in range(200):
        assert ping(client, b"webhook_id=12").status_code == 200
    assert Event.select().count() == 0
    row = WebhookPing.get()
    # Written once per interval (60 s by default): later pings wait in memory for the next write.
    assert (row.webhook_id, row.count) == (12, 1)


def test_counts_are_written_once_per_interval(settings):
    from wsgi import create_app
    from models.db import db
    from models.migrations import run_migrations

    app = create_app(dict(settings, WOO_PING_INTERVAL_SECONDS=0))
    with db.connection_context():
        run_migrations()
    client = app.test_client()
    for _ in range(30):
        assert ping(client, b"webhook_id=7").status_code == 200
    assert WebhookPing.get().count == 30


def test_new_webhook_ids_stop_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(models.pings, "MAX_WEBHOOKS", 5)
    for webhook_id in range(1, 301):
        assert ping(client, f"webhook_id={webhook_id}".encode()).status_code == 200
    assert WebhookPing.select().count() == 5
    assert Event.select().count() == 0


def test_made_up_webhook_ids_cost_at_most_a_few_writes_per_interval(client):
    # A store registers a handful of webhooks at once; a flood of made-up ids must not queue
    # a database write per ping behind the receivers' own writes.
    from webhook.pings import NEW_WEBHOOKS_PER_INTERVAL

    for webhook_id in range(1000, 1100):
        assert ping(client, f"webhook_id={webhook_id}".encode()).status_code == 200
    assert WebhookPing.select().count() == NEW_WEBHOOKS_PER_INTERVAL
    # A webhook already written keeps being counted.
    assert ping(client, b"webhook_id=1000").status_code == 200
