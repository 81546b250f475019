"""A database made before connections moves into connection 1 without losing a row (SQLite, and
PostgreSQL when TEST_DATABASE_URL names one)."""
import json
import pathlib
import subprocess

import pytest

from models.connections import Connection
from models.credentials import Credential
from models.db import bind, db
from models.events import Event
from models.flows import Flow, ReferenceData
from models.links import Cursor, OrderLink, ProductLink
from models.log_counts import status_counts
from models.logs import SyncAttempt, SyncLog
from models.migrations import SchemaVersion, run_migrations
from models.orders import ContactLink, OrderPayment, RefundLink
from models.products import CategoryLink, ProductGroupLink, ProductWrite
from models.shipments import ShipmentTracking
from models.store_identity import check, switch
from models.users import User

DUMPS = pathlib.Path(__file__).parent.parent / "fixtures" / "v14"
EXPECTED_ROWS = {OrderLink: 2, ProductLink: 1, ContactLink: 1, OrderPayment: 1, RefundLink: 1,
                 ProductGroupLink: 1, ProductWrite: 1, CategoryLink: 1, ShipmentTracking: 1,
                 Cursor: 1, SyncLog: 3, Event: 1, Flow: 1, ReferenceData: 1, Credential: 1}


def _load_v14(url):
    if url.startswith("sqlite:"):
        # The sqlite3 shell restores its own dump, the search index's virtual table included.
        subprocess.run(["sqlite3", url.split("sqlite:///", 1)[1]], check=True,
                       input=(DUMPS / "sqlite.sql").read_bytes(), capture_output=True)
        return bind(url)
    database = bind(url)
    with database.connection_context():
        # Functions and the trigram extension outlive the tables the fixture drops.
        database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    database.close()
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", str(DUMPS / "postgres.sql")],
                   check=True, capture_output=True)
    return database


@pytest.fixture
def v14(database_url):
    database = _load_v14(database_url)
    with database.connection_context():
        assert max(v.version for v in SchemaVersion.select()) == 14
        yield database


def test_every_row_moves_into_connection_one(v14, settings):
    assert run_migrations() == [15]

    for model, count in EXPECTED_ROWS.items():
        assert model.select().count() == count, model.__name__
        assert {r.connection_id for r in model.select_everywhere()} == {1}, model.__name__
    assert [(c.id, c.woo_store) for c in Connection.select()] == [(1, None)]
    link = OrderLink.get(OrderLink.woo_order_id == 95)
    assert (link.bp_order_id, link.state, link.woo_status) == (100015, "created", "processing")
    row = SyncLog.get(SyncLog.record_key == "woo-95")
    assert (row.status, row.target_ref) == ("synced", "100015")
    assert [a.message for a in SyncAttempt.select().where(SyncAttempt.log == row)] == [
        "created 100015"]
    assert Event.get().log_id == row.id
    flow = Flow.get(Flow.name == "woo_orders")
    assert flow.enabled and flow.settings == {"warehouse_id": 2}
    assert json.loads(Credential.get().data_json) == {"access_token": "x"}
    assert User.get(User.username == "staff").check_password("a-long-password-123")
    counts = status_counts()
    assert (counts["order"]["synced"], counts["order"]["failed"],
            counts["inventory"]["pending"]) == (1, 1, 1)


def test_the_first_start_after_the_upgrade_records_the_store(v14, settings):
    run_migrations()
    connection = check(settings)
    assert (connection.id, connection.woo_store) == (1, "127.0.0.1:9")
    assert OrderLink.select().count() == 2  # the links stay this store's


def test_uniqueness_is_now_per_connection(v14, settings):
    from peewee import IntegrityError

    run_migrations()
    check(settings)
    with pytest.raises(IntegrityError), db.atomic():
        OrderLink.create(woo_order_id=95, bp_order_id=1)  # the same store: still one link
    switch(dict(settings, WOO_URL="https://shop.example.com"))
    OrderLink.create(woo_order_id=95, bp_order_id=100099)
    SyncLog.create(log_type="order", record_key="woo-95")
    assert OrderLink.select_everywhere().where(OrderLink.woo_order_id == 95).count() == 2
