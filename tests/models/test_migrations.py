"""Migrations: applied once, idempotent, and the schema has the indexes the pages need."""
from peewee import IntegerField

from models.db import db
from models.logs import SyncLog
from models.migrations import MIGRATIONS, SchemaVersion, add_missing_columns, pending, run_migrations


def test_all_applied_once(app):
    with db.connection_context():
        assert pending() == []
        assert run_migrations() == []
        applied = [v.version for v in SchemaVersion.select().order_by(SchemaVersion.version)]
        assert applied == sorted(m[0] for m in MIGRATIONS)


def test_log_indexes_match_the_page_filters(app):
    with db.connection_context():
        indexes = {tuple(i.columns) for i in db.get_indexes("sync_log")}
    assert ("connection_id", "log_type", "record_key") in indexes
    assert ("connection_id", "log_type", "updated_at", "id") in indexes
    assert ("connection_id", "log_type", "status", "updated_at", "id") in indexes


def test_add_missing_columns_is_idempotent(app):
    class Extra(SyncLog):
        retries = IntegerField(null=True)

        class Meta:
            table_name = "sync_log"

    with db.connection_context():
        add_missing_columns(db.obj, Extra, "retries")
        add_missing_columns(db.obj, Extra, "retries")
        assert "retries" in {c.name for c in db.get_columns("sync_log")}


def test_unique_record_per_type(app):
    from peewee import IntegrityError
    import pytest

    with db.connection_context():
        SyncLog.create(log_type="order", record_key="woo-1")
        SyncLog.create(log_type="refund", record_key="woo-1")
        with pytest.raises(IntegrityError):
            SyncLog.create(log_type="order", record_key="woo-1")


def test_versions_are_the_order_they_apply():
    versions = [m[0] for m in MIGRATIONS]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_a_database_numbered_by_area_is_renumbered_and_nothing_runs_twice(app):
    from models.migrations import RENUMBERED

    with db.connection_context():
        # As a database made before versions followed the order of writing recorded them
        # (migrations written after the renumbering, which may reuse an old area number such
        # as 10, were not there yet).
        later = [m[0] for m in MIGRATIONS if m[0] > max(RENUMBERED.values())]
        SchemaVersion.delete().where(SchemaVersion.version.in_(later)).execute()
        for new_version, old_version in {new: old for old, new in RENUMBERED.items()}.items():
            SchemaVersion.update(version=old_version).where(
                SchemaVersion.version == new_version).execute()
        assert sorted(v.version for v in SchemaVersion.select()) == [1, 10, 20, 30, 40, 41]
        assert [m[0] for m in pending()] == later
        assert run_migrations() == later  # each idempotent on the tables already there
        assert run_migrations() == []
        applied = [v.version for v in SchemaVersion.select().order_by(SchemaVersion.version)]
        assert applied == [m[0] for m in MIGRATIONS]


def test_hostile_input_migration_upgrades_an_existing_database(app):
    from models.events import EventBody
    from models.pings import WebhookPing
    from models.users import User

    with db.connection_context():
        # The database as it was before: no body store, no ping counts, no session versions.
        db.drop_tables([EventBody, WebhookPing])
        for table, column in (("event", "body_id"), ("user_account", "session_version"),
                              ("user_account", "disabled")):
            db.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        version = next(m[0] for m in MIGRATIONS if m[1].startswith("hostile input"))
        SchemaVersion.delete().where(SchemaVersion.version == version).execute()
        assert run_migrations() == [version]
        assert {"session_version", "disabled"} <= {c.name for c in db.get_columns("user_account")}
        assert "body_id" in {c.name for c in db.get_columns("event")}
        assert db.table_exists("event_body") and db.table_exists("webhook_ping")
        User.create(username="old", password_hash="x")
        assert User.get().session_version == 0 and User.get().disabled is False
