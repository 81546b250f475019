"""Benchmark: the retention prune on a full database while webhooks keep arriving.

    BENCH_REDIS_URL=redis://localhost:6379/12 .venv/bin/python bench/retention.py \\
        [--events 1000000] [--attempts 2000000] [--payload-bytes 2000] [--rate 100]

A SQLite file (WAL, as shipped) is filled with `events` processed inbox events 40 days old
(payload-bytes each; real Woo order bodies are 5–20 KB, smaller here so the fill stays
tractable) and `attempts` attempts 100 days old (20 per log row). gunicorn serves the
receivers (the Procfile's configuration); signed order webhooks arrive at `rate` per second,
first without a prune (the baseline), then while `flask prune` runs with the default
RETENTION_* settings. Prints rows pruned per second, the intake p99 during the prune against
the baseline (target: within 2x), every delivery accounted for, and the file's size before
and after (incremental vacuum gives the space back).
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

import redis

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.intake import (REDIS_URL, PORT, order_requests, service_env,  # noqa: E402
                          start_gunicorn, stop)
from bench.load import drive, percentile  # noqa: E402

BIN = os.path.dirname(sys.executable)
ATTEMPTS_PER_ROW = 20
CHUNK = 50_000


def stamp(value):
    """A timestamp as peewee stores it in SQLite."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(path, events, attempts, payload_bytes):
    """Bulk-load old processed events, log rows and their old attempts."""
    now = datetime.utcnow()
    old_event, old_attempt = stamp(now - timedelta(days=40)), stamp(now - timedelta(days=100))
    payload = '{"id": 1, "note": "' + "x" * max(0, payload_bytes - 20) + '"}'
    rows = max(1, attempts // ATTEMPTS_PER_ROW)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=wal")
    with conn:
        conn.executemany(
            "INSERT INTO sync_log (connection_id, log_type, record_key, status, info, created_at, "
            "updated_at, attempt_count) VALUES (1, 'order', ?, 'synced', ?, ?, ?, ?)",
            ((f"woo-{n}", f"Woo order #{n}", old_attempt, old_attempt, ATTEMPTS_PER_ROW)
             for n in range(rows)))
    for start in range(0, attempts, CHUNK):
        with conn:
            conn.executemany(
                "INSERT INTO sync_attempt (log_id, at, \"trigger\", outcome, message, "
                "request_excerpt, response_excerpt) VALUES (?, ?, 'webhook', 'synced', "
                "'created Brightpearl order', '{\"customerRef\": \"x\"}', '{\"response\": 1}')",
                ((1 + n % rows, old_attempt) for n in range(start, min(start + CHUNK, attempts))))
    for start in range(0, events, CHUNK):
        with conn:
            conn.executemany(
                "INSERT INTO event (connection_id, source, topic, resource, resource_id, "
                "dedupe_key, payload, modified_at, received_at, enqueued_at, processed_at, "
                "outcome, log_id) VALUES (1, 'woocommerce', 'order.updated', 'order', ?, ?, ?, "
                "?, ?, ?, ?, 'synced', ?)",
                ((str(n % rows), f"old:{n}", payload, old_event, old_event, old_event,
                  old_event, 1 + n % rows) for n in range(start, min(start + CHUNK, events))))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def size(path):
    """The database's bytes on disk, after folding the WAL back in."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def deliveries_while(process, rate, first_id, chunk_seconds=5):
    """Send webhooks at rate in chunks until process ends; (latencies, statuses)."""
    latencies, statuses, next_id = [], [], first_id
    while process.poll() is None:
        count = int(rate * chunk_seconds)
        _, lats, sts = drive(f"http://127.0.0.1:{PORT}/webhooks/woocommerce",
                             order_requests(next_id, count), clients=8, rate=rate)
        latencies += lats
        statuses += sts
        next_id += count
    return latencies, statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--attempts", type=int, default=2_000_000)
    parser.add_argument("--payload-bytes", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--baseline-seconds", type=float, default=30.0)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="pearlbridge-bench-retention-")
    path = f"{folder}/bench.db"
    env = service_env(f"sqlite:///{path}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    subprocess.run([f"{BIN}/flask", "--app", "wsgi", "migrate"], env=env, check=True,
                   capture_output=True)
    began = time.perf_counter()
    fill(path, options.events, options.attempts, options.payload_bytes)
    before = size(path)
    print(f"SQLite {path}: {options.events} events ({options.payload_bytes} B payloads), "
          f"{options.attempts} attempts filled in {time.perf_counter() - began:.0f} s; "
          f"{before / 2**20:.0f} MB")
    web = start_gunicorn("wsgi:app", env)
    try:
        count = int(options.rate * options.baseline_seconds)
        _, base_lat, base_statuses = drive(f"http://127.0.0.1:{PORT}/webhooks/woocommerce",
                                           order_requests(5_000_000, count), clients=8,
                                           rate=options.rate)
        started = time.perf_counter()
        prune = subprocess.Popen([f"{BIN}/flask", "--app", "wsgi", "prune"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        during_lat, during_statuses = deliveries_while(prune, options.rate, 6_000_000)
        elapsed = time.perf_counter() - started
        output = prune.stdout.read().strip().splitlines()
    finally:
        stop(web)
    after = size(path)
    pruned = options.events + options.attempts
    base_p99, during_p99 = percentile(base_lat, 0.99) * 1000, percentile(during_lat, 0.99) * 1000
    print(f"prune: {output[-1] if output else '(no output)'}")
    print(f"pruned {pruned} rows in {elapsed:.0f} s: {pruned / elapsed:,.0f} rows/s "
          "(deletes, payload emptying and vacuum included)")
    print(f"intake at {options.rate:.0f}/s without prune: p50 "
          f"{percentile(base_lat, .5) * 1000:.1f} ms  p99 {base_p99:.1f} ms "
          f"({len(base_lat)} deliveries)")
    print(f"intake at {options.rate:.0f}/s during prune:  p50 "
          f"{percentile(during_lat, .5) * 1000:.1f} ms  p99 {during_p99:.1f} ms "
          f"({len(during_lat)} deliveries); ratio {during_p99 / base_p99:.2f} "
          f"(target <= 2.00: {during_p99 / base_p99 / 2:.2f}x)")
    accepted = base_statuses.count(200) + during_statuses.count(200)
    stored = sqlite3.connect(path).execute(
        "SELECT COUNT(*) FROM event WHERE dedupe_key NOT LIKE 'old:%'").fetchone()[0]
    print(f"deliveries {len(base_statuses) + len(during_statuses)}, answered 200: {accepted}, "
          f"in the inbox: {stored} (lost {max(0, accepted - stored)})")
    print(f"database size: {before / 2**20:.0f} MB before, {after / 2**20:.0f} MB after")


if __name__ == "__main__":
    main()
