"""Versioned schema migrations, run by the Procfile's release step and by `make run`.

Each migration is idempotent (tables created if missing, columns added if missing), so a fresh
database — whose first migration already creates today's tables — passes every later one too.
Versions are 1, 2, 3, … in the order the migrations were written, and a database applies them in
that order, fresh or upgraded. Add one by appending (next version, description, function) to
MIGRATIONS; never edit, renumber or reorder one that has shipped. A function marked
`outside_transaction = True` (SQLite's VACUUM cannot run in one) runs just before its version
is recorded.
"""
import logging

from peewee import IntegerField, TextField
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from models.base import BaseModel, utcnow
from models.connections import Connection, forget
from models.credentials import Credential
from models.db import db
from models.alerts import Alert, Notification
from models.events import Event, EventBody
from models.flows import Flow, FlowAudit, ReferenceData
from models.links import Cursor, OrderLink, ProductLink
from models.log_counts import create_counts
from models.logs import SyncAttempt, SyncLog
from models.orders import ContactLink, OrderPayment, RefundLink
from models.pings import WebhookPing
from models.probes import Probe
from models.search import create_search_index
from models.stock import STOCK_TABLES
from models.users import User

log = logging.getLogger(__name__)

INITIAL_TABLES = (SyncLog, SyncAttempt, Event, Flow, FlowAudit, ProductLink, OrderLink, Cursor,
                  User, Credential)


class SchemaVersion(BaseModel):
    """Which migrations have been applied, and when."""

    version = IntegerField(primary_key=True)
    description = TextField()
    applied_at = TextField()

    class Meta:
        table_name = "schema_version"


def _create_initial_tables(database):
    database.create_tables(INITIAL_TABLES, safe=True)


def _create_order_tables(database):
    database.create_tables([ContactLink, OrderPayment, RefundLink], safe=True)


def _create_reference_data_table(database):
    database.create_tables([ReferenceData], safe=True)


def _create_product_and_shipment_tables(database):
    from models.products import ProductGroupLink, ProductWrite
    from models.shipments import ShipmentTracking

    database.create_tables([ProductGroupLink, ProductWrite, ShipmentTracking], safe=True)


def _harden_intake_and_sessions(database):
    database.create_tables([EventBody, WebhookPing], safe=True)
    add_missing_columns(database, Event, "body_id")
    add_missing_columns(database, User, "session_version", "disabled")


def _create_alert_tables(database):
    database.create_tables([Alert, Notification, Probe], safe=True)
    SyncAttempt._schema.create_indexes(safe=True)  # (at), for the retention prune


def _sqlite_incremental_vacuum(database):
    # Space freed by the retention prune goes back to the file system a little at a time
    # (PRAGMA incremental_vacuum) only in this mode; converting an existing file takes one full
    # VACUUM, which cannot run inside a transaction. New files start in it (models.db).
    if _is_postgres(database):
        return
    if database.execute_sql("PRAGMA auto_vacuum").fetchone()[0] != 2:
        database.execute_sql("PRAGMA auto_vacuum = INCREMENTAL")
        database.execute_sql("VACUUM")


_sqlite_incremental_vacuum.outside_transaction = True


def _create_reconcile_and_backfill_tables(database):
    from models.backfill import Backfill
    from models.reconcile import Discrepancy, ReconcileRun

    database.create_tables([ReconcileRun, Discrepancy, Backfill], safe=True)


def _category_links_and_deleted_products(database):
    from models.products import CategoryLink

    database.create_tables([CategoryLink], safe=True)
    add_missing_columns(database, ProductLink, "woo_deleted_at")


def _scoped_models():
    from models.backfill import Backfill
    from models.products import CategoryLink, ProductGroupLink, ProductWrite
    from models.reconcile import Discrepancy, ReconcileRun
    from models.shipments import ShipmentTracking

    return (SyncLog, Event, Flow, FlowAudit, ReferenceData, ProductLink, OrderLink, Cursor,
            ContactLink, OrderPayment, RefundLink, ProductGroupLink, ProductWrite, CategoryLink,
            ShipmentTracking, Credential, ReconcileRun, Discrepancy, Backfill)


# The sync log's page indexes before they led with connection_id.
_OLD_PAGE_INDEXES = ("sync_log_log_type_updated_at_id", "sync_log_log_type_status_updated_at_id")


def _connections(database):
    # Every row so far belongs to connection 1, whose identity the first process to start
    # records (models/store_identity.py). The column is added with a constant default, which
    # neither engine writes row by row; uniqueness becomes "within the connection".
    database.create_tables([Connection], safe=True)
    if not Connection.select().exists():
        Connection.create()
    for model in _scoped_models():
        table = model._meta.table_name
        if "connection_id" not in {c.name for c in database.get_columns(table)}:
            database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN connection_id INTEGER '
                                 "NOT NULL DEFAULT 1")
        primary = [model._meta.primary_key.column_name]
        for index in database.get_indexes(table):
            stale_unique = (index.unique and "connection_id" not in index.columns
                            and list(index.columns) != primary)
            if stale_unique or index.name in _OLD_PAGE_INDEXES:
                database.execute_sql(f'DROP INDEX "{index.name}"')
        model._schema.create_indexes(safe=True)
    create_counts(database)


MIGRATIONS = [
    (1, "initial schema: sync logs, attempts, inbox, flows, links, cursors, users", _create_initial_tables),
    (2, "order flows: contact links, payments, refund links", _create_order_tables),
    (3, "Brightpearl reference lists for the Flows page", _create_reference_data_table),
    (4, "inventory: stock items (product facts) and pending stock changes",
     lambda database: database.create_tables(STOCK_TABLES, safe=True)),
    (5, "staff pages: trigram search index on sync log Info", create_search_index),
    (6, "products: group links and last writes; shipments: tracking written per note",
     _create_product_and_shipment_tables),
    (7, "hostile input: ID-set bodies stored once, ping counts per webhook, session versions "
         "and disabled staff accounts", _harden_intake_and_sessions),
    (8, "operations: alerts, their notification outbox, stored check results, attempts by time",
     _create_alert_tables),
    (9, "SQLite: incremental auto-vacuum, so pruned space is given back",
     _sqlite_incremental_vacuum),
    (10, "Sync Logs counts kept on write: counter rows maintained by triggers",
     create_counts),
    (11, "reconciliation runs and discrepancies; resumable backfills",
     _create_reconcile_and_backfill_tables),
    (12, "refunds: how a refund was handled (a full refund before shipping is paid back)",
     lambda database: add_missing_columns(database, RefundLink, "handled_as")),
    (13, "order status: the Woo status last seen per order (Woo → Brightpearl status changes)",
     lambda database: add_missing_columns(database, OrderLink, "woo_status")),
    (14, "products: category links; when staff deleted a linked Woo product",
     _category_links_and_deleted_products),
    (15, "connections: links, cursors, settings, inbox and sync logs belong to one store and "
         "one Brightpearl account", _connections),
]
# Before versions followed the order of writing, each area had a range; databases made then
# recorded these numbers. They are renamed (matched by description too) before anything runs.
RENUMBERED = {40: 2, 41: 3, 20: 4, 10: 5, 30: 6}


def _is_postgres(database):
    # The shared DatabaseProxy names no engine: look at the database it stands for.
    return getattr(database, "obj", database).__class__.__name__.startswith("Postgres")


def migrator_for(database):
    """The playhouse migrator matching the database engine (for add/drop column migrations)."""
    database = getattr(database, "obj", database)
    if _is_postgres(database):
        return PostgresqlMigrator(database)
    return SqliteMigrator(database)


def add_missing_columns(database, model, *field_names):
    """Add each named field of model as a column unless the table already has it."""
    existing = {column.name for column in database.get_columns(model._meta.table_name)}
    operations = [
        migrator_for(database).add_column(model._meta.table_name, field.column_name, field)
        for field in (model._meta.fields[name] for name in field_names)
        if field.column_name not in existing
    ]
    if operations:
        migrate(*operations)


def _lock(database):
    # Two release steps at once on PostgreSQL must not both apply a migration.
    if _is_postgres(database):
        database.execute_sql("SELECT pg_advisory_xact_lock(7100117)")


def _renumber(database):
    descriptions = {version: description for version, description, _ in MIGRATIONS}
    with database.atomic():
        _lock(database)
        for old, new in RENUMBERED.items():
            SchemaVersion.update(version=new).where(
                (SchemaVersion.version == old)
                & (SchemaVersion.description == descriptions[new])).execute()


def pending(database=None):
    """The migrations not yet applied, in order."""
    database = database or db
    database.create_tables([SchemaVersion], safe=True)
    _renumber(database)
    applied = {row.version for row in SchemaVersion.select(SchemaVersion.version)}
    return sorted((m for m in MIGRATIONS if m[0] not in applied), key=lambda m: m[0])


def run_migrations(database=None):
    """Apply every pending migration, each in its own transaction; returns the versions applied."""
    database = database or db
    applied = []
    with database.connection_context():
        for version, description, function in pending(database):
            outside = getattr(function, "outside_transaction", False)
            if outside:
                function(database)  # idempotent by contract, so a concurrent release is fine
            with database.atomic():
                _lock(database)
                if SchemaVersion.get_or_none(SchemaVersion.version == version):
                    continue
                if not outside:
                    function(database)
                SchemaVersion.create(version=version, description=description,
                                     applied_at=utcnow().isoformat())
            log.info("applied migration %s: %s", version, description)
            applied.append(version)
    forget()  # the connection is looked up again in the migrated schema
    return applied
