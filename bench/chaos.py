"""Benchmark: faults as an operator meets them, and what they cost.

    .venv/bin/python bench/chaos.py [--scenarios a b c d e] [--orders 120] [--seconds 40]
                                    [--window 10] [--workers 3]

Each scenario starts the whole stack as processes (bench/stack.py: emulators, gunicorn, RQ
workers, pollers, under the demo's supervisor, which starts a crashed process again after 1 s)
on a redis-server of its own (a spare port in 6400-6409, or CHAOS_REDIS_PORT), places --orders
Woo checkouts spread over --seconds while the fault runs, ends the fault and prints: Woo orders,
Brightpearl orders, duplicates, missing, payments twice, contacts twice, rows Failed by
infrastructure, and seconds from the end of the fault to all Synced (targets 0 … 0, ≤ 30 s).

  a  RQ workers and work-horses SIGKILLed every 2-4 s (the horse, the worker, or both)
  b  Redis SIGKILLed two thirds into the burst, started again empty when the burst ends
     (only order.created subscribed: no later webhook brings a lost order back)
  c  gunicorn workers SIGKILLed every 1-2 s while the deliveries arrive (WooCommerce never
     retries: what never got an answer comes back through the orders reconciliation poll)
  d  Brightpearl 500s, throttling (a quarter of its rate) and lost answers (the order or payment
     is made, the answer never comes); WooCommerce 502s and timeouts — for the whole burst
  e  the poller leader SIGKILLed every 5-8 s, two pollers (no Woo webhooks: every order comes
     through the leader's reconciliation poll); also counts reference-data refreshes

Brightpearl's 200 requests per minute are scaled to 200 per --window seconds.
"""
import argparse
import os
import random
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.chaos_measure import tally, wait_synced  # noqa: E402
from bench.orders import checkout, enable_order_flows, stock_up  # noqa: E402
from bench.redis_server import RedisServer  # noqa: E402
from bench.stack import Stack  # noqa: E402

ENV = {"HTTP_TIMEOUT_SECONDS": "5", "ORDERS_RECONCILE_SECONDS": "10"}
CUSTOMERS = 100


class Placer(threading.Thread):
    """Places orders Woo checkouts evenly over seconds: returning customers and new ones, each
    new one ordering twice in a row (two jobs racing for one new contact)."""

    def __init__(self, stack, orders, seconds, seed=1):
        super().__init__(daemon=True)
        self.stack, self.orders, self.seconds = stack, orders, seconds
        self.rng, self.ids, self.skus = random.Random(seed), [], stock_up(stack)

    def run(self):
        from sandbox.catalog import demo_customers

        pool = demo_customers(CUSTOMERS, 7)
        started = time.monotonic()
        for index in range(self.orders):
            email = (self.rng.choice(pool)["email"] if index % 4 < 2
                     else f"new-{index // 4}@example.com")
            self.ids.append(self._place(email)["id"])
            time.sleep(max(0.0, started + (index + 1) * self.seconds / self.orders
                           - time.monotonic()))

    def _place(self, email):
        for _ in range(30):
            try:
                return checkout(self.stack, self.rng, self.skus, email)
            except Exception:  # noqa: BLE001 - the shop itself is never the fault under test
                time.sleep(0.5)
        raise SystemExit("the Woo emulator stopped taking checkouts")

    def placed(self):
        """How many orders are placed so far."""
        return len(self.ids)


def kill_workers(stack, placer, notes):
    """a: SIGKILL a work-horse, a worker, or both, every 2-4 s, while orders are placed."""
    rng, kills = random.Random(2), {"horse": 0, "worker": 0, "both": 0}
    while placer.is_alive():
        time.sleep(rng.uniform(2, 4))
        workers = stack.pids("worker-")
        if not workers:
            continue
        busy = {name: _horses(pid) for name, pid in workers.items()}
        # A busy worker when there is one: the horse is what a kill should often hit.
        name = rng.choice(sorted(n for n in busy if busy[n]) or sorted(workers))
        pid, horses = workers[name], busy[name]
        kind = rng.choice(("horse", "worker", "both")) if horses else "worker"
        for victim in (horses if kind != "worker" else []) + ([pid] if kind != "horse" else []):
            _kill(victim)
        kills[kind] += 1
    notes.append("kills: " + ", ".join(f"{n} {k}" for k, n in kills.items()))


def restart_redis(stack, placer, notes, redis_server):
    """b: SIGKILL Redis two thirds into the burst; start it again, empty, when the burst ends."""
    while placer.is_alive() and placer.placed() < placer.orders * 2 // 3:
        time.sleep(0.1)
    redis_server.kill()
    down = time.monotonic()
    placer.join()
    time.sleep(max(0.0, 5 - (time.monotonic() - down)))
    redis_server.start()
    notes.append(f"Redis down for {time.monotonic() - down:.1f} s, started again empty")


def kill_gunicorn_workers(stack, placer, notes):
    """c: SIGKILL a gunicorn worker every 1-2 s while the deliveries arrive."""
    rng, kills = random.Random(3), 0
    while placer.is_alive():
        time.sleep(rng.uniform(1, 2))
        master = stack.pids("web").get("web")
        workers = _children(master) if master else []
        if workers:
            _kill(rng.choice(workers))
            kills += 1
    time.sleep(2)  # deliveries of the last orders
    deliveries = stack.control("woo", "deliveries", method="GET")
    answered = [d for d in deliveries if d.get("kind") == "delivery"]
    refused = sum(1 for d in answered if d.get("status_code") != 200)
    notes.append(f"gunicorn workers killed: {kills}; deliveries {len(answered)}, "
                 f"not answered 200: {refused} (left to the reconciliation poll); "
                 f"answered 200 but not in the inbox: {_lost_200s(answered)}")


def platform_faults(stack, placer, notes):
    """d: platform errors, throttling and lost answers for the whole burst."""
    for rule in ({"route": ".", "error_rate": 0.03, "status": 500},
                 {"route": "sales-order$", "method": "POST", "timeout_seconds": 6, "count": 4},
                 {"route": "customer-payment$", "method": "POST", "timeout_seconds": 6,
                  "count": 3}):
        stack.control("bp", "faults", rule)
    stack.control("bp", "throttle", {"rate_per_minute": 50})
    stack.control("bp", "throttle/exhaust")  # and the rest of this window spent by others
    for rule in ({"route": r"wc/v3/orders/\d+$", "timeout_seconds": 6, "count": 4},
                 {"route": "wc/v3/orders", "error_rate": 0.1, "status": 502}):
        stack.control("woo", "faults", rule)
    while placer.is_alive() and placer.placed() < placer.orders // 2:
        time.sleep(0.1)
    stack.control("bp", "throttle/exhaust")
    placer.join()
    for platform in ("bp", "woo"):
        stack.control(platform, "faults", method="DELETE")
    stack.control("bp", "throttle", {"rate_per_minute": 200})
    throttled = stack.control("bp", "requests", method="GET").get("throttled")
    notes.append(f"Brightpearl 503s sent while throttled: {throttled}")


def kill_leader(stack, placer, notes):
    """e: SIGKILL whichever poller leads, every 5-8 s; the supervisor starts it again."""
    import redis

    from poller.main import LEADER_KEY

    rng, kills, connection = random.Random(5), 0, redis.Redis.from_url(stack.redis_url)
    before = _refreshes(stack)
    while placer.is_alive():
        time.sleep(rng.uniform(5, 8))
        token = connection.get(LEADER_KEY)
        if token:
            _kill(int(token.decode().rsplit("#", 2)[0].rpartition("/")[2]))
            kills += 1
    notes.append(f"leaders killed: {kills}; reference-data refreshes by the new leaders: "
                 f"{_refreshes(stack) - before} (none due: REFERENCE_DATA_SECONDS 600)")


def _refreshes(stack):
    # Each refresh of Brightpearl's reference lists reads the price lists once; nothing else
    # in these scenarios does.
    return sum(r["count"] for r in stack.control("bp", "requests", method="GET")["routes"]
               if r["route"].endswith("price-list"))


SCENARIOS = {
    "a": ("worker and work-horse SIGKILLs", kill_workers, ("order.created", "order.updated")),
    "b": ("Redis killed and restarted empty", restart_redis, ("order.created",)),
    "c": ("gunicorn workers killed", kill_gunicorn_workers, ("order.created", "order.updated")),
    "d": ("platform 5xx, throttling, lost answers", platform_faults,
          ("order.created", "order.updated")),
    "e": ("poller leader killed", kill_leader, ()),
}


def run_scenario(key, orders=120, seconds=40.0, window=10.0, workers=3, recovery_limit=180):
    """Run one scenario on a stack of its own; returns its Tally."""
    _, fault, topics = SCENARIOS[key]
    redis_server, stack = RedisServer().start(), None
    try:
        stack = Stack(bp_rate=200, bp_window=window, budget_rate=190, workers=workers,
                      redis_url=redis_server.url, extra_env=ENV)
        stack.start(pollers=2 if key == "e" else 1)
        placer = _prepare(stack, topics, orders, seconds)
        notes = []
        placer.start()
        extra = (redis_server,) if key == "b" else ()
        fault(stack, placer, notes, *extra)
        placer.join()
        ended = time.monotonic()
        result = tally(stack, placer.ids, wait_synced(placer.ids, ended, recovery_limit))
        result.notes[:0] = notes
        return result
    finally:
        if stack is not None:
            stack.stop()
        redis_server.stop()


def _prepare(stack, topics, orders, seconds):
    from models.db import bind, connection

    bind(stack.env["DATABASE_URL"])
    stack.control("woo", "seed", {"products": 60, "customers": CUSTOMERS, "seed": 7})
    stack.control("bp", "seed", {"products": 60, "customers": CUSTOMERS, "seed": 7})
    stack.register_webhooks(topics, ())
    with connection():
        enable_order_flows()
    stack.control("bp", "requests", method="DELETE")
    return Placer(stack, orders, seconds)


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
            return [int(p) for p in listing.read().split()]
    except OSError:
        return []


def _horses(pid):
    # A work-horse leads its own process group; RQ's scheduler process shares the worker's.
    found = []
    for child in _children(pid):
        try:
            if os.getpgid(child) == child:
                found.append(child)
        except OSError:
            pass
    return found


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _lost_200s(deliveries):
    from models.db import connection
    from models.events import Event

    ids = {str(d.get("arg")) for d in deliveries if d.get("status_code") == 200}
    with connection():
        stored = {e.resource_id for e in Event.select(Event.resource_id).where(
            (Event.source == "woocommerce") & Event.resource_id.in_(list(ids)))}
    return len(ids - stored)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="+", default=sorted(SCENARIOS), choices=SCENARIOS)
    parser.add_argument("--orders", type=int, default=120)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--window", type=float, default=10.0, help="seconds per budget window")
    parser.add_argument("--workers", type=int, default=3)
    options = parser.parse_args()
    print(f"{options.orders} orders over {options.seconds:g} s per scenario, {options.workers} "
          f"workers, Brightpearl 200 requests per {options.window:g} s (budget 190)", flush=True)
    met = True
    for key in options.scenarios:
        result = run_scenario(key, options.orders, options.seconds, options.window,
                              options.workers)
        print(f"({key}) {SCENARIOS[key][0]}", *result.lines(), sep="\n", flush=True)
        met = met and result.met
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
