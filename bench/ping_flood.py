"""Benchmark: an unsigned WooCommerce ping flood against the receivers under gunicorn.

    BENCH_REDIS_URL=redis://localhost:6379/11 .venv/bin/python bench/ping_flood.py \
        [--seconds 10] [--flood-rate 400] [--big-share 0.1] [--rate 40]

Signed order.created deliveries at a steady rate for --seconds without a flood (quiet), then
again while flood processes send unsigned pings: `webhook_id=N` with random ids, and (a
--big-share of them) 1 MB bodies that are a ping once whitespace is stripped. Prints the
rows and bytes the pings left in the database (target: bounded, not growing with the flood)
and the signed deliveries' p99 during the flood vs quiet (target: within 2x).
"""
import argparse
import http.client
import multiprocessing
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter

import redis

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import SECRET_KEY, redis_url  # noqa: E402
from bench.intake import order_requests, start_gunicorn, stop  # noqa: E402
from bench.load import drive, percentile  # noqa: E402

REDIS_URL = redis_url(11)  # BENCH_REDIS_URL picks the server
PORT = 8123  # bench.intake's start_gunicorn waits on this port
SECRET = "bench-secret"
BIG = 1024 * 1024


def _flood(args):
    """One flood process: unsigned pings at rate for seconds (open loop); its counts."""
    port, rate, seconds, big_share, seed = args
    rng, statuses, sent_bytes = random.Random(seed), Counter(), 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    padding = b"\n" * BIG
    begin, sent = time.perf_counter(), 0
    while time.perf_counter() - begin < seconds:
        delay = begin + sent / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        body = f"webhook_id={rng.randrange(1, 10**9)}".encode()
        if rng.random() < big_share:
            body += padding  # a ping once stripped: the old receiver stored it whole
        try:
            connection.request("POST", "/webhooks/woocommerce", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
        except (OSError, http.client.HTTPException):
            statuses[0] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent += 1
        sent_bytes += len(body)
    return statuses, sent_bytes


def start_flood(rate, seconds, big_share, processes=4):
    """Start the flood in the background; a function that waits for (statuses, bytes sent)."""
    pool = multiprocessing.get_context("fork").Pool(processes)
    pending = pool.map_async(_flood, [(PORT, rate / processes, seconds, big_share, seed)
                                      for seed in range(processes)])

    def finished():
        results = pending.get()
        pool.close()
        statuses, sent = Counter(), 0
        for counts, sent_bytes in results:
            statuses.update(counts)
            sent += sent_bytes
        return statuses, sent

    return finished


def stored(path):
    """(ping rows, ping bytes, database bytes on disk) in the SQLite file at path."""
    with sqlite3.connect(path) as connection:
        rows, payload = connection.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0) FROM event "
            "WHERE topic = 'ping'").fetchone()
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "webhook_ping" in tables:
            counted = connection.execute("SELECT COUNT(*) FROM webhook_ping").fetchone()[0]
            rows, payload = rows + counted, payload + 32 * counted  # id, two times, a count
    on_disk = sum(os.path.getsize(path + suffix) for suffix in ("", "-wal")
                  if os.path.exists(path + suffix))
    return rows, payload, on_disk


def signed(first_id, rate, seconds, clients=4):
    """Signed deliveries at rate for seconds: their latencies and statuses."""
    url = f"http://127.0.0.1:{PORT}/webhooks/woocommerce"
    _, latencies, statuses = drive(url, order_requests(first_id, int(rate * seconds)), clients,
                                   rate=rate)
    return latencies, statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--flood-rate", type=float, default=400, help="pings per second")
    parser.add_argument("--big-share", type=float, default=0.1)
    parser.add_argument("--rate", type=float, default=40, help="signed deliveries per second")
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="pearlbridge-bench-")
    path = f"{workdir}/bench.db"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{path}", REDIS_URL=REDIS_URL,
               PORT=str(PORT), HOST="127.0.0.1", SECRET_KEY=SECRET_KEY,
               WOO_URL="http://127.0.0.1:9", WOO_CONSUMER_KEY="ck", WOO_CONSUMER_SECRET="cs",
               WOO_WEBHOOK_SECRET=SECRET, BRIGHTPEARL_URL="http://127.0.0.1:9/public-api/bench",
               BRIGHTPEARL_ACCOUNT="bench", BRIGHTPEARL_APP_REF="bench_app",
               BRIGHTPEARL_STAFF_TOKEN="token", BRIGHTPEARL_WEBHOOK_SECRET="bp-secret",
               LOG_LEVEL="WARNING")
    redis.Redis.from_url(REDIS_URL).flushdb()
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "wsgi",
                    "migrate"], env=env, check=True, capture_output=True)
    print(f"gunicorn.conf.py (workers={env.get('WEB_CONCURRENCY', '2 x cores')}); SQLite {path}; "
          f"signed order.created at {options.rate:.0f}/s; flood {options.flood_rate:.0f} "
          f"pings/s for {options.seconds:.0f} s, {options.big_share:.0%} of them 1 MB")
    web = start_gunicorn("wsgi:app", env)
    try:
        signed(1, options.rate, 2)  # warm up: connections, caches
        quiet_before = stored(path)
        quiet_lat, quiet_statuses = signed(100_000, options.rate, options.seconds)
        quiet_after = stored(path)
        finished = start_flood(options.flood_rate, options.seconds, options.big_share)
        time.sleep(0.5)  # the flood is running before the measurement starts
        flood_lat, flood_statuses = signed(200_000, options.rate, options.seconds - 1)
        flood_counts, flood_bytes = finished()
        flood_after = stored(path)
    finally:
        stop(web)
    report(options, quiet_before, quiet_after, flood_after, quiet_lat, flood_lat,
           quiet_statuses + flood_statuses, flood_counts, flood_bytes)


def report(options, quiet_before, quiet_after, flood_after, quiet_lat, flood_lat, statuses,
           flood_counts, flood_bytes):
    """Print the figures and their ratios to the bounds."""
    pings = sum(flood_counts.values())
    ping_rows = flood_after[0] - quiet_after[0]
    ping_bytes = flood_after[1] - quiet_after[1]
    growth_quiet = quiet_after[2] - quiet_before[2]
    growth_flood = flood_after[2] - quiet_after[2]
    print(f"flood: {pings} pings sent ({pings / options.seconds:.0f}/s, "
          f"{flood_bytes / 1e6:.0f} MB), answers {dict(sorted(flood_counts.items()))}")
    print(f"stored by the flood: {ping_rows} rows, {ping_bytes / 1e3:.1f} kB of ping data; "
          f"database grew {growth_flood / 1e6:.2f} MB during the flood vs "
          f"{growth_quiet / 1e6:.2f} MB in the quiet phase (same signed traffic)")
    q99, f99 = percentile(quiet_lat, 0.99) * 1000, percentile(flood_lat, 0.99) * 1000
    q50, f50 = percentile(quiet_lat, 0.50) * 1000, percentile(flood_lat, 0.50) * 1000
    ratio = f99 / q99
    print(f"signed deliveries: quiet p50 {q50:.1f} ms p99 {q99:.1f} ms; during the flood "
          f"p50 {f50:.1f} ms p99 {f99:.1f} ms; p99 ratio {ratio:.2f} (bound <= 2: "
          f"{ratio / 2:.2f}x); non-200 {len(statuses) - statuses.count(200)}")


if __name__ == "__main__":
    main()
