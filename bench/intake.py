"""Benchmark: webhook intake under gunicorn (the Procfile's configuration) vs a bare endpoint.

    .venv/bin/python bench/intake.py [--count 4000] [--clients 16]

Prints accepted/s for both, the ratio (target >= 0.5), p50/p99 latency at half the measured
maximum rate (target p99 <= 25 ms) and checks every accepted delivery is in the inbox and
queued (target: zero lost).
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

import redis
import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import redis_url  # noqa: E402

from bench.load import drive, percentile  # noqa: E402

from bench import SECRET_KEY as BENCH_SECRET_KEY  # noqa: E402
from tests.fixtures import load, php_json, woo_headers  # noqa: E402

REDIS_URL = redis_url(12)  # BENCH_REDIS_URL picks the server
PORT = int(os.environ.get("BENCH_PORT", "8123"))
SECRET = "bench-secret"


def service_env(database_url):
    """The environment of the service under test: loopback, this database, the bench Redis."""
    return dict(os.environ, DATABASE_URL=database_url, REDIS_URL=REDIS_URL, PORT=str(PORT),
                HOST="127.0.0.1", SECRET_KEY=BENCH_SECRET_KEY, WOO_URL="http://127.0.0.1:9",
                WOO_CONSUMER_KEY="ck", WOO_CONSUMER_SECRET="cs", WOO_WEBHOOK_SECRET=SECRET,
                BRIGHTPEARL_URL="http://127.0.0.1:9/public-api/bench",
                BRIGHTPEARL_ACCOUNT="bench", BRIGHTPEARL_APP_REF="bench_app",
                BRIGHTPEARL_STAFF_TOKEN="token", BRIGHTPEARL_WEBHOOK_SECRET="bp-secret",
                LOG_LEVEL="WARNING")


def start_gunicorn(target, env):
    process = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-c", "gunicorn.conf.py",
         target], env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn ({target}) did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def order_requests(first_id, count):
    template = load("woo_order.json")
    pairs = []
    for order_id in range(first_id, first_id + count):
        template["id"], template["number"] = order_id, str(order_id)
        body = php_json(template)
        pairs.append((body, woo_headers(body, topic="order.created", secret=SECRET)))
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="pearlbridge-bench-")
    database_url = f"sqlite:///{workdir}/bench.db"
    env = service_env(database_url)
    redis_connection = redis.Redis.from_url(REDIS_URL)
    redis_connection.flushdb()
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "wsgi",
                    "migrate"], env=env, check=True, capture_output=True)
    url = f"http://127.0.0.1:{PORT}/webhooks/woocommerce"
    workers = env.get("WEB_CONCURRENCY", "2 x cores")
    print(f"gunicorn.conf.py: gthread, workers={workers}, threads={env.get('WEB_THREADS', 4)}; "
          f"{options.count} signed order.created deliveries, {options.clients} client processes; "
          f"SQLite {database_url}")

    bare = start_gunicorn("bench.bare_app:app", env)
    try:
        bare_elapsed, _, bare_statuses = drive(url, order_requests(1, options.count), options.clients)
    finally:
        stop(bare)
    bare_rate = bare_statuses.count(200) / bare_elapsed

    web = start_gunicorn("wsgi:app", env)
    try:
        max_elapsed, max_lat, max_statuses = drive(
            url, order_requests(1_000_000, options.count), options.clients)
        real_rate = max_statuses.count(200) / max_elapsed
        half_rate = real_rate / 2
        half_count = max(200, int(half_rate * 10))
        _, half_lat, half_statuses = drive(url, order_requests(2_000_000, half_count),
                                           options.clients, rate=half_rate)
    finally:
        stop(web)

    accepted = max_statuses.count(200) + half_statuses.count(200)
    lost = check_inbox(database_url, redis_connection, accepted)
    p50, p99 = percentile(half_lat, 0.50) * 1000, percentile(half_lat, 0.99) * 1000
    ratio = real_rate / bare_rate
    print(f"bare endpoint:      {bare_rate:8.0f} req/s")
    print(f"intake (max):       {real_rate:8.0f} accepted/s   ratio {ratio:.2f} (bound >= 0.50: "
          f"{ratio / 0.5:.2f}x)   p50 {percentile(max_lat, .5) * 1000:.1f} ms  "
          f"p99 {percentile(max_lat, .99) * 1000:.1f} ms")
    print(f"intake at {half_rate:.0f}/s:   p50 {p50:.1f} ms   p99 {p99:.1f} ms (bound <= 25 ms: "
          f"{p99 / 25:.2f}x)   {half_count} deliveries")
    errors = len(max_statuses) + len(half_statuses) - accepted
    print(f"accepted {accepted}, non-200 {errors}, lost {lost} (bound 0)")


def check_inbox(database_url, redis_connection, accepted):
    """Deliveries answered 200 but missing from the inbox or the queue."""
    from jobs.core.queues import INTERACTIVE, get_queue
    from models.db import bind, connection
    from models.events import Event

    bind(database_url)
    with connection():
        stored = Event.select().count()
        not_enqueued = Event.select().where(Event.enqueued_at.is_null()).count()
    queued = len(get_queue(redis_connection, INTERACTIVE).job_ids)
    print(f"inbox rows {stored}, not enqueued {not_enqueued}, jobs queued {queued}")
    return max(0, accepted - stored) + not_enqueued + max(0, stored - not_enqueued - queued)


if __name__ == "__main__":
    main()
