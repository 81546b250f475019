"""Benchmark: the shared Brightpearl budget under load from several processes.

    .venv/bin/python bench/bp_budget.py [--seconds 60] [--window 60] [--processes 3]
                                        [--threads 4] [--rate 200] [--budget 190]

Starts the Brightpearl emulator (throttling at --rate requests per --window seconds, like the
real 200 per rolling minute), then N worker processes x T threads issue GETs through
BrightpearlClient with one Redis-backed budget (--budget per window; half the threads
"interactive", half "bulk") for --seconds. A shorter run with a scaled window
(e.g. --seconds 30 --window 10) measures the same thing faster.

Prints the achieved requests per window against the budget (target >= 95 %) and against the
platform's bound (must stay <= 100 %), the 503s the platform sent (from /_sandbox/requests)
and the 503s that reached callers (target 0).
"""
import argparse
import logging
import multiprocessing
import os
import sys
import threading
import time

import redis
import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import redis_url  # noqa: E402

from connectors.brightpearl import BrightpearlClient  # noqa: E402
from connectors.errors import ThrottledError, TransientError  # noqa: E402

REDIS_URL = redis_url(8)  # BENCH_REDIS_URL picks the server
ACCOUNT = "sandbox"


def settings_for(url, args):
    """Client settings for the emulator at url with the bench's budget."""
    return {"BRIGHTPEARL_URL": f"{url}/public-api/{ACCOUNT}", "BRIGHTPEARL_ACCOUNT": ACCOUNT,
            "BRIGHTPEARL_APP_REF": "sandbox_pearlbridge",
            "BRIGHTPEARL_STAFF_TOKEN": "sandbox-staff-token",
            "BRIGHTPEARL_RATE_PER_MINUTE": args.budget,
            "BRIGHTPEARL_BUDGET_WINDOW_SECONDS": args.window,
            "BRIGHTPEARL_MAX_WAIT_SECONDS": max(120, 3 * args.window)}


def worker(settings, threads, start_at, end_at, counters):
    """One process: threads issuing GETs from start_at until end_at, counting outcomes."""
    client = BrightpearlClient.from_config(settings, redis=redis.Redis.from_url(REDIS_URL))
    lock = threading.Lock()

    def loop(index):
        view = client.with_priority("interactive" if index % 2 == 0 else "bulk")
        time.sleep(max(0.0, start_at - time.time()))
        while time.time() < end_at:
            try:
                view.get_warehouses()
                outcome = "ok"
            except ThrottledError:
                outcome = "caller_503"
            except TransientError as exc:
                outcome = "caller_503" if exc.status == 503 else "errors"
            except Exception:  # noqa: BLE001 - counted and shown, never hidden
                outcome = "errors"
            if time.time() <= end_at:  # only what completed inside the measured period
                with lock, counters[outcome].get_lock():
                    counters[outcome].value += 1

    pool = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def main():
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rate", type=int, default=200, help="the platform's cap per window")
    parser.add_argument("--budget", type=int, default=190, help="our budget per window")
    args = parser.parse_args()

    from sandbox.brightpearl import create_app
    from sandbox.server import serve_in_thread

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = serve_in_thread(create_app(account=ACCOUNT, rate_per_minute=args.rate,
                                        window_seconds=args.window))
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"pearlbridge:bp-budget:{ACCOUNT}:*"):
        connection.delete(key)
    requests.post(f"{server.url}/_sandbox/seed", json={"products": 20, "customers": 2},
                  timeout=30)
    requests.delete(f"{server.url}/_sandbox/requests", timeout=10)

    context = multiprocessing.get_context("spawn")
    counters = {name: context.Value("i", 0) for name in ("ok", "caller_503", "errors")}
    start_at = time.time() + 3.0  # every process imported and waiting before the clock starts
    end_at = start_at + args.seconds
    processes = [context.Process(target=worker, daemon=True, args=(
        settings_for(server.url, args), args.threads, start_at, end_at, counters))
        for _ in range(args.processes)]
    for process in processes:
        process.start()
    time.sleep(max(0.0, end_at - time.time()) + 0.5)
    # Threads still waiting for budget would only be granted after the end: stop them.
    for process in processes:
        process.terminate()
        process.join(timeout=10)
    log = requests.get(f"{server.url}/_sandbox/requests", timeout=10).json()
    server.stop()

    ok = counters["ok"].value
    windows = args.seconds / args.window
    per_window = ok / windows
    per_minute = per_window * 60.0 / args.window
    print(f"Brightpearl budget: {args.processes} processes x {args.threads} threads "
          f"(half interactive, half bulk), {args.seconds:g} s, platform {args.rate} per "
          f"{args.window:g} s window, our budget {args.budget} per window")
    print(f"requests ok:               {ok} in {args.seconds:g} s = {per_window:.1f} per window "
          f"({per_minute:.1f}/min real time)")
    print(f"vs our budget ({args.budget}/window):  ratio {per_window / args.budget:.3f} "
          f"(target >= 0.95)")
    print(f"vs platform ({args.rate}/window):    ratio {per_window / args.rate:.3f} "
          f"(bound <= 1.00)")
    print(f"503s sent by the platform: {log['throttled']} (of {log['total']} API calls)")
    print(f"503s reaching callers:     {counters['caller_503'].value} (target 0)")
    print(f"other errors:              {counters['errors'].value}")


if __name__ == "__main__":
    main()
