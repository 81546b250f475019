"""Benchmark: what scoping every row to a connection costs.

    .venv/bin/python bench/connections.py [--webhooks 2000] [--rows 1000000]
    BENCH_CODE=/path/to/an/older/checkout .venv/bin/python bench/connections.py --webhooks 2000

1. The intake, in-process (Flask test client, SQLite, real Redis): CPU per signed
   order.created delivery and SQL statements per delivery. Bound: as many statements as
   before connections (the connection is resolved once per process, never per webhook).
   BENCH_CODE runs the same measurement on another checkout's code (the one before).
2. Migration 15 on a database made before connections (tests/fixtures/v14) grown to --rows
   sync-log rows, as many inbox events and a tenth as many order links: how long it takes,
   and that every row is still there. Bound: 60 s per million log rows. SQLite by default;
   --database-url postgresql://… times it there (the database is emptied first).
"""
import argparse
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODE = os.environ.get("BENCH_CODE", HERE)
sys.path.insert(0, CODE)
sys.path.insert(1, HERE)  # bench/ and tests/ helpers; the code under test comes first

from bench import SECRET_KEY, redis_url  # noqa: E402
from tests.fixtures import load, php_json, woo_headers  # noqa: E402

REDIS_URL = redis_url(11)
MIGRATION_BOUND_PER_MILLION = 60.0


class Counter(logging.Handler):
    """Counts the statements peewee runs (it logs each at DEBUG)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def intake(webhooks):
    """(CPU ms per webhook, statements per webhook) for signed order.created deliveries."""
    import redis

    from models.db import db
    from models.migrations import run_migrations
    from wsgi import create_app

    folder = tempfile.mkdtemp(prefix="pearlbridge-bench-conn-")
    redis.Redis.from_url(REDIS_URL).flushdb()
    app = create_app({
        "SECRET_KEY": SECRET_KEY, "WOO_URL": "http://127.0.0.1:9", "WOO_CONSUMER_KEY": "ck",
        "WOO_CONSUMER_SECRET": "cs", "WOO_WEBHOOK_SECRET": "secret",
        "BRIGHTPEARL_URL": "http://127.0.0.1:9/public-api/bench", "BRIGHTPEARL_ACCOUNT": "bench",
        "BRIGHTPEARL_APP_REF": "bench_app", "BRIGHTPEARL_STAFF_TOKEN": "t",
        "BRIGHTPEARL_WEBHOOK_SECRET": "bench-hook-secret-0123456789",
        "DATABASE_URL": f"sqlite:///{folder}/bench.db", "REDIS_URL": REDIS_URL})
    with db.connection_context():
        run_migrations()
    client = app.test_client()
    order = load("woo_order.json")
    bodies = []
    for n in range(webhooks + 50):
        order["id"] = 10_000 + n
        body = php_json(order)
        bodies.append((body, woo_headers(body, topic="order.created")))
    for body, headers in bodies[:50]:  # warm-up: the connection is resolved here, once
        assert client.post("/webhooks/woocommerce", data=body, headers=headers).status_code == 200
    counter = Counter()
    peewee_log = logging.getLogger("peewee")
    peewee_log.addHandler(counter)
    peewee_log.setLevel(logging.DEBUG)
    started = time.process_time()
    for body, headers in bodies[50:]:
        client.post("/webhooks/woocommerce", data=body, headers=headers)
    cpu = time.process_time() - started
    peewee_log.removeHandler(counter)
    return cpu / webhooks * 1000, counter.count / webhooks


def _counts(database):
    return tuple(database.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                 for table in ("sync_log", "event", "order_link"))


_GROW = (
    "INSERT INTO sync_log (log_type, record_key, status, info, created_at, updated_at, "
    "attempt_count) SELECT 'order', 'woo-' || (1000 + g), 'synced', 'Woo order #' || (1000 + g), "
    "'2026-01-01', '2026-01-01', 1 FROM {series}",
    "INSERT INTO event (source, topic, resource, resource_id, dedupe_key, payload, received_at, "
    "processed_at) SELECT 'woocommerce', 'order.created', 'order', g, 'bench:' || g, '', "
    "'2026-01-01', '2026-01-01' FROM {series}",
    "INSERT INTO order_link (woo_order_id, bp_order_id, state, updated_at) SELECT 1000 + g, "
    "200000 + g, 'created', '2026-01-01' FROM {series} WHERE g % 10 = 0",
)


def _v14_sqlite(rows):
    path = os.path.join(tempfile.mkdtemp(prefix="pearlbridge-bench-v14-"), "v14.db")
    with open(os.path.join(HERE, "tests/fixtures/v14/sqlite.sql"), "rb") as dump:
        subprocess.run(["sqlite3", path], stdin=dump, check=True)  # its own dump, FTS included
    raw = sqlite3.connect(path)
    series = (f"(WITH RECURSIVE s(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM s "
              f"WHERE g < {rows - 1}) SELECT g FROM s)")
    for sql in _GROW:
        raw.execute(sql.format(series=series))
    raw.commit()
    raw.close()
    return f"sqlite:///{path}"


def _v14_postgres(url, rows):
    subprocess.run(["psql", "-q", url, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"],
                   check=True, capture_output=True)
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-f",
                    os.path.join(HERE, "tests/fixtures/v14/postgres.sql")],
                   check=True, capture_output=True)
    series = f"generate_series(0, {rows - 1}) AS g"
    for sql in _GROW:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                        "SET search_path = public; " + sql.format(series=series)
                        .replace("g, 'bench:'", "g::text, 'bench:'")], check=True)
    return url


def migration(rows, url=None):
    """(seconds to apply migration 15, row counts) on a v14 database grown to rows: a new
    SQLite file, or the PostgreSQL database url (emptied first)."""
    from models.db import bind, db
    from models.logs import SyncLog
    from models.migrations import run_migrations

    url = _v14_postgres(url, rows) if url else _v14_sqlite(rows)
    bind(url)
    with db.connection_context():
        before = _counts(db)
        started = time.perf_counter()
        applied = run_migrations()
        seconds = time.perf_counter() - started
        after = _counts(db)
        assert SyncLog.select().count() == after[0]  # all of them connection 1's
    assert applied == [15], applied
    assert before == after, (before, after)
    return seconds, after


def main():
    """Run both measurements and print them with their bounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhooks", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-migration", action="store_true")
    parser.add_argument("--database-url", help="time the migration on this PostgreSQL database "
                        "(emptied first) instead of a new SQLite file")
    options = parser.parse_args()
    cpu_ms, statements = intake(options.webhooks)
    print(f"code: {CODE}")
    print(f"intake: {cpu_ms:.2f} ms CPU per webhook, {statements:.2f} statements per webhook "
          f"({options.webhooks} signed order.created deliveries, in-process)")
    if options.skip_migration or CODE != HERE:
        return
    seconds, counts = migration(options.rows, options.database_url)
    bound = MIGRATION_BOUND_PER_MILLION * options.rows / 1_000_000
    engine = "PostgreSQL" if options.database_url else "SQLite"
    print(f"migration 15 ({engine}): {seconds:.1f} s for {counts[0]:,} log rows, {counts[1]:,} events, "
          f"{counts[2]:,} order links (bound {bound:.0f} s: {seconds / bound:.2f}x); "
          "every row still there")


if __name__ == "__main__":
    main()
