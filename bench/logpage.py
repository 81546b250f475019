"""Benchmark: server-side rendering of the staff pages over a million log rows.

    .venv/bin/python bench/logpage.py [--rows 1000000] [--database-url URL ...] [--repeat 30]

Fills sync_log with rows spread over the five log types (realistic Info strings, statuses,
timestamps; bulk inserts), then renders through the Flask test client, signed in: the first
page, a page 10,000 rows deep (keyset cursor), a status filter, two searches (a common word,
a single order number), the detail view, and the status counts (summed counter rows, kept on
write by triggers). Prints p50 / p95 per case and the ratio to its target (50 ms per page,
5 ms for the counts). Default: a temporary SQLite file and
postgresql://postgres@localhost/test (in its own schema, dropped afterwards).
"""
import argparse
import io
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import redis_url  # noqa: E402

from models.db import db  # noqa: E402

from bench import SECRET_KEY as BENCH_SECRET_KEY  # noqa: E402

TARGET_MS = 50.0
COUNTS_TARGET_MS = 5.0
PG_DEFAULT = "postgresql://postgres@localhost/test"
PG_SCHEMA = "bench_logpage"
REDIS_URL = redis_url(6)  # BENCH_REDIS_URL picks the server
SETTINGS = {
    "SECRET_KEY": BENCH_SECRET_KEY, "WOO_URL": "http://127.0.0.1:9", "WOO_CONSUMER_KEY": "ck",
    "WOO_CONSUMER_SECRET": "cs", "WOO_WEBHOOK_SECRET": "ws",
    "BRIGHTPEARL_URL": "http://127.0.0.1:9/public-api/acct", "BRIGHTPEARL_ACCOUNT": "acct",
    "BRIGHTPEARL_APP_REF": "acct_app", "BRIGHTPEARL_STAFF_TOKEN": "token",
    "BRIGHTPEARL_WEBHOOK_SECRET": "bp-secret-0123456789", "REDIS_URL": REDIS_URL,
    "LOG_LEVEL": "WARNING",
}
TYPES = ("inventory", "product", "order", "refund", "shipment")
WEIGHTS = (0.35, 0.15, 0.30, 0.05, 0.15)
WORDS = ("Merino", "Crew", "Sock", "Wool", "Linen", "Shirt", "Canvas", "Tote", "Leather",
         "Belt", "Cotton", "Hoodie", "Denim", "Jacket", "Silk", "Scarf", "Cashmere", "Beanie")
COLUMNS = ("log_type", "record_key", "status", "pending_reason", "failure_reason", "info",
           "source_ref", "target_ref", "quantity", "amount", "currency", "tracking",
           "created_at", "synced_at", "updated_at", "attempt_count")


def fake_rows(count, now, seed=7):
    """Yield count realistic sync_log rows as tuples in COLUMNS order."""
    rnd = random.Random(seed)
    for n in range(1, count + 1):
        log_type = rnd.choices(TYPES, WEIGHTS)[0]
        roll = rnd.random()
        status = "synced" if roll < 0.85 else "failed" if roll < 0.92 else "pending"
        # 90 days of history, newest densest; whole seconds so many rows share a timestamp.
        age = timedelta(seconds=int(rnd.expovariate(1 / (86400 * 20))) % (86400 * 90))
        updated = now - age
        created = updated - timedelta(minutes=rnd.randint(0, 600))
        sku = f"SKU-{rnd.randint(1, 40000):06d}"
        order = 100000 + n
        info, quantity, amount, tracking = _describe(rnd, log_type, n, sku, order)
        yield (log_type, f"{_prefix(log_type)}-{n}", status,
               "queued" if status == "pending" and roll < 0.96 else
               ("waiting for settings: payment method stripe has no mapping"
                if status == "pending" else None),
               "Brightpearl rejected the order: unknown SKU" if status == "failed" else None,
               info, str(n), str(n + 7), quantity, amount, "GBP" if amount else None, tracking,
               created, updated if status == "synced" else None, updated, rnd.randint(1, 3))


def _prefix(log_type):
    return {"order": "woo", "refund": "woo", "shipment": "gon"}.get(log_type, "bp")


def _describe(rnd, log_type, n, sku, order):
    name = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(('S', 'M', 'L', 'XL'))}"
    if log_type == "inventory":
        return f"{name} ({sku})", rnd.randint(0, 500), None, None
    if log_type == "product":
        return f"Brightpearl product {n} ({sku}, Woo product {n + 7})", None, None, None
    if log_type == "order":
        amount = f"{rnd.randint(500, 90000) / 100:.2f}"
        return f"Woo order #{order} (Brightpearl order {order + 5000})", None, amount, None
    if log_type == "refund":
        return f"Woo refund {n} of order #{order}", None, f"{rnd.randint(100, 5000) / 100:.2f}", None
    return f"Goods-out note {n} of order #{order}", None, None, f"1Z{rnd.randint(10**9, 10**10)}"


def fill(rows, now):
    """Bulk-insert rows log rows (COPY on PostgreSQL, executemany on SQLite)."""
    database = db.obj
    if database.__class__.__name__.startswith("Postgres"):
        conn = database.connection()
        with conn.cursor() as cursor:
            batch = io.StringIO()
            for i, row in enumerate(fake_rows(rows, now), 1):
                batch.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
                if i % 100000 == 0 or i == rows:
                    batch.seek(0)
                    cursor.copy_expert(f"COPY sync_log ({', '.join(COLUMNS)}) FROM STDIN",
                                       batch)
                    batch = io.StringIO()
        conn.commit()
        database.execute_sql("ANALYZE sync_log")
        return
    sql = (f"INSERT INTO sync_log (connection_id, {', '.join(COLUMNS)}) VALUES "
           f"(1, {', '.join('?' * len(COLUMNS))})")  # a fresh database's first connection
    conn = database.connection()
    chunk = []
    with database.atomic():
        for row in fake_rows(rows, now):
            chunk.append(tuple(str(v) if isinstance(v, datetime) else v for v in row))
            if len(chunk) == 50000:
                conn.executemany(sql, chunk)
                chunk = []
        conn.executemany(sql, chunk)
    database.execute_sql("ANALYZE")


def sign_in(client):
    """Create a user and sign the test client in through the form."""
    from models.users import User
    user = User(username="bench")
    user.set_password("bench-password")
    user.save()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"username": "bench", "password": "bench-password",
                                         "csrf_token": token})
    assert answer.status_code == 302, answer.status_code


def timed(client, path, repeat):
    """Render path repeat times (after a warm-up); the durations in milliseconds."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = client.get(path)
        answer.get_data()
        out.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200
    return out


def deep_cursor(depth):
    """The keyset cursor of the order row depth rows from the top (what 200 clicks reach)."""
    from logpage.queries import encode_cursor
    from models.logs import SyncLog
    row = (SyncLog.select().where(SyncLog.log_type == "order")
           .order_by(SyncLog.updated_at.desc(), SyncLog.id.desc()).offset(depth - 1).limit(1)
           .get())
    return encode_cursor(row)


def add_history(row_id):
    """Give one row a realistic history: attempts and inbox events."""
    from models.events import Event
    from models.logs import SyncAttempt
    for i in range(20):
        SyncAttempt.create(log=row_id, trigger=("webhook", "poll", "retry")[i % 3],
                           outcome=("failed", "synced")[i % 2], message="Brightpearl said 503",
                           request_excerpt='{"customerRef": "x", "Authorization": "Bearer t"}',
                           response_excerpt='{"errors": [{"message": "busy"}]}')
        Event.create(source="woocommerce", topic="order.updated", resource="order",
                     resource_id=str(row_id), dedupe_key=f"bench:{row_id}:{i}",
                     payload='{"id": 1, "status": "processing"}', log=row_id)


def run(url, rows, repeat, only_counts=False):
    """Fill one database and time every case; prints one line per case."""
    from models.log_counts import fold_counts, status_counts
    from models.migrations import run_migrations
    from wsgi import create_app

    app = create_app(dict(SETTINGS, DATABASE_URL=url))
    with db.connection_context():
        run_migrations()
    now = datetime.utcnow().replace(microsecond=0)
    client = app.test_client()
    with app.app_context():
        db.connect(reuse_if_open=True)
        start = time.perf_counter()
        fill(rows, now)
        print(f"  filled {rows} rows in {time.perf_counter() - start:.1f} s")
        detail_id = db.execute_sql("SELECT MAX(id) FROM sync_log WHERE log_type = 'order'") \
            .fetchone()[0]
        add_history(detail_id)
        sign_in(client)
        cursor = deep_cursor(min(10000, max(rows // 10, 1)))
        rare = db.execute_sql("SELECT info FROM sync_log WHERE log_type = 'order' AND id >= "
                              f"{detail_id // 2} ORDER BY id LIMIT 1").fetchone()
        rare_q = re.search(r"#\d+", rare[0]).group(0)
        cases = [
            ("first page (orders)", "/logs?type=order"),
            ("10,000 rows deep (keyset)", f"/logs?type=order&older={cursor}"),
            ("status filter (failed orders)", "/logs?type=order&status=failed"),
            ("search, common word (inventory 'merino')", "/logs?type=inventory&q=merino"),
            (f"search, one order ({rare_q})", f"/logs?type=order&q={rare_q.replace('#', '%23')}"),
            ("detail view (20 attempts)", f"/logs/{detail_id}"),
        ]
        for label, path in cases if not only_counts else ():
            report(label, timed(client, path, repeat))
        fold_counts(db)  # the steady state: the poller folds every 10 s (PostgreSQL)
        durations = []
        for _ in range(repeat):
            start = time.perf_counter()
            status_counts()
            durations.append((time.perf_counter() - start) * 1000)
        report("status counts (counter rows, query only)", durations, target=COUNTS_TARGET_MS)
        grouped = {}
        for log_type, status, count in db.execute_sql(
                "SELECT log_type, status, COUNT(*) FROM sync_log GROUP BY log_type, status"):
            grouped.setdefault(log_type, {})[status] = count
        kept = {t: {s: n for s, n in by.items() if n} for t, by in status_counts().items()}
        print(f"  counts kept on write equal a GROUP BY over the table: "
              f"{'yes' if kept == grouped else 'NO'}")


def report(label, durations, target=TARGET_MS):
    """One line: p50, p95 and their ratio to the target."""
    p50 = statistics.median(durations)
    p95 = sorted(durations)[max(int(len(durations) * 0.95) - 1, 0)]
    print(f"  {label:<44} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
          f"(target {target:.0f} ms: p95 {p95 / target:.2f}x)")


def pg_schema_url(url, action):
    """The URL with search_path set to the bench schema, after creating or dropping it."""
    import psycopg2
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        if action == "create":
            cursor.execute(f"CREATE SCHEMA {PG_SCHEMA}")
    conn.close()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{PG_SCHEMA}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", action="append", dest="urls")
    parser.add_argument("--only-counts", action="store_true", help="time the counts alone")
    args = parser.parse_args()
    urls = args.urls or ["sqlite", PG_DEFAULT]
    for url in urls:
        if url == "sqlite":
            folder = tempfile.mkdtemp(prefix="pearlbridge-bench-logpage-")
            url = f"sqlite:///{folder}/bench.db"
            print(f"SQLite {url}, {args.rows} rows")
            run(url, args.rows, args.repeat, args.only_counts)
        elif url.startswith("postgres"):
            print(f"PostgreSQL {url} (schema {PG_SCHEMA}), {args.rows} rows")
            try:
                run(pg_schema_url(url, "create"), args.rows, args.repeat, args.only_counts)
            finally:
                if not db.is_closed():
                    db.close()
                pg_schema_url(url, "drop")
        else:
            print(f"SQLite {url}, {args.rows} rows")
            run(url, args.rows, args.repeat, args.only_counts)


if __name__ == "__main__":
    main()
