"""Brightpearl callbacks that could never succeed get 400, big ID sets are stored compactly in
bounded transactions, and the path's secret never reaches a log line."""
import logging
from contextlib import contextmanager

import pytest

import webhook.intake
from models.events import Event, EventBody
from models.logs import SyncLog
from tests.staff import sign_in
from tests.webhook.test_brightpearl_receiver import SECRET, URL, callback, queued_ids


@pytest.mark.parametrize("body", [
    callback(ids="1" * 5000),                   # int()'s digit limit: was a 500
    callback(ids="12345678901234567890"),       # a 20-digit id overflowed SQLite: was a 500
    callback(ids="2147483648"),                 # PostgreSQL INTEGER: was a 503
    callback(ids="5", fullEvent="x" * 97),
    callback(raisedOn="2026-11-20T10:20:41.691Z" * 3),
    callback(accountCode=["testacct"]),
    callback(ids=True),
    callback(resourceType={"a": 1}),
    b"[" * 2000 + b"]" * 2000,                  # RecursionError: was a 500
    b'{"accountCode": "testacct", "x": ' + b"[" * 2000 + b"]" * 2000 + b"}",
    b'{"accountCode": NaN}',
])
def test_callbacks_that_can_never_succeed_are_400(client, redis_connection, body):
    if isinstance(body, bytes):
        response = client.post(URL, data=body, content_type="application/json")
    else:
        response = client.post(URL, json=body)
    assert response.status_code == 400, response.get_json()
    assert Event.select().count() == 0 and SyncLog.select().count() == 0
    assert queued_ids(redis_connection) == []


def test_nul_in_a_field_is_stripped(client):
    response = client.post(URL, json=callback(ids="77", raisedOn="2026-11-20T10:20:41\x00Z"))
    assert response.status_code == 200 and response.get_json()["accepted"] == 1
    assert "\x00" not in Event.get().dedupe_key


def test_an_id_set_stores_its_body_once(client, user):
    padding = "p" * 20_000
    response = client.post(URL, json=callback(ids="1-2000", padding=padding))
    assert response.status_code == 200 and response.get_json()["accepted"] == 2000
    assert Event.select().count() == 2000 and EventBody.select().count() == 1
    stored = sum(len(e.payload) for e in Event.select(Event.payload))
    stored += sum(len(b.body) for b in EventBody.select())
    assert stored < 50_000  # the old receiver stored 2,000 copies: 40 MB
    assert {e.body_id for e in Event.select(Event.body_id)} == {EventBody.get().id}
    # A replay stores no second body.
    assert client.post(URL, json=callback(ids="1-2000")).get_json() == {"duplicates": 2000}
    assert EventBody.select().count() == 1
    # The row's detail page shows the shared body.
    assert sign_in(client).status_code == 302
    row = SyncLog.get(SyncLog.record_key == "bp-1500")
    page = client.get(f"/logs/{row.id}").get_data(as_text=True)
    assert "1-2000" in page and "product.modified.on-hand-modified" in page


def test_a_big_id_set_is_stored_in_bounded_transactions(client, redis_connection, monkeypatch):
    transactions = []
    real = webhook.intake.write_transaction

    @contextmanager
    def counted():
        with real():
            transactions.append(1)
            yield

    monkeypatch.setattr(webhook.intake, "CHUNK", 100)
    monkeypatch.setattr(webhook.intake, "write_transaction", counted)
    response = client.post(URL, json=callback(ids="1-1000"))
    assert response.get_json()["accepted"] == 1000
    assert len(transactions) == 10 and Event.select().count() == 1000
    assert len(queued_ids(redis_connection)) == 1000


def test_an_unexpected_error_logs_a_masked_path_and_answers_without_a_trace(
        client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("webhook.brightpearl.accept", broken)
    with caplog.at_level(logging.INFO):
        response = client.post(URL, json=callback())
    assert response.status_code == 500
    assert response.get_json() == {"message": "internal error"}
    assert SECRET not in caplog.text
    assert "/webhooks/brightpearl/***" in caplog.text and "RuntimeError: boom" in caplog.text



@pytest.mark.parametrize("path", ["/webhooks/brightpearl/%2F0", "/webhooks/brightpearl//0",
                                  "/webhooks/brightpearl/a//b"])
def test_a_secret_with_slashes_is_wrong_not_redirected(client, path):
    # Werkzeug merges slashes with a 308 by default; a wrong secret answers 404 like any other.
    answer = client.post(path, data=b"{}", headers={"Content-Type": "application/json"})
    assert answer.status_code == 404
    assert Event.select().count() == 0
