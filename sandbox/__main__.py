"""python -m sandbox: both emulators on loopback, seeded with the same demo catalog.

    python -m sandbox [--woo-port 8081] [--bp-port 8082] [--products 60] [--customers 25]
                      [--seed 7] [--state-dir DIR] [--bp-rate 200] [--bp-window 60]
"""
import argparse
import os
import signal
import threading

from sandbox.brightpearl import create_app as brightpearl_app
from sandbox.server import ThreadedServer
from sandbox.woocommerce import create_app as woo_app


def parse(argv=None):
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--woo-port", type=int, default=8081)
    parser.add_argument("--bp-port", type=int, default=8082)
    parser.add_argument("--products", type=int, default=60)
    parser.add_argument("--customers", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--state-dir", help="keep each emulator's state in a file here")
    parser.add_argument("--bp-rate", type=int, default=200, help="Brightpearl requests per window")
    parser.add_argument("--bp-window", type=float, default=60.0, help="throttle window, seconds")
    return parser.parse_args(argv)


def main(argv=None):
    """Start, seed (unless persisted state exists), print where they are, run until stopped."""
    options = parse(argv)
    woo_state = bp_state = None
    if options.state_dir:
        os.makedirs(options.state_dir, exist_ok=True)
        woo_state = os.path.join(options.state_dir, "woocommerce.db")
        bp_state = os.path.join(options.state_dir, "brightpearl.db")
    fresh = {name: not (path and os.path.exists(path))
             for name, path in (("woo", woo_state), ("bp", bp_state))}
    woo = woo_app(state_path=woo_state)
    bp = brightpearl_app(rate_per_minute=options.bp_rate, window_seconds=options.bp_window,
                         state_path=bp_state)
    seed = {"products": options.products, "customers": options.customers, "seed": options.seed}
    for name, app in (("woo", woo), ("bp", bp)):
        if fresh[name]:
            answer = app.test_client().post("/_sandbox/seed", json=seed)
            if answer.status_code >= 300:
                raise SystemExit(f"sandbox: seeding {name} failed: {answer.get_data(as_text=True)}")
    servers = [ThreadedServer(woo, options.host, options.woo_port).start(),
               ThreadedServer(bp, options.host, options.bp_port).start()]
    print(f"sandbox: WooCommerce  {servers[0].url}  (keys ck_sandbox / cs_sandbox)", flush=True)
    print(f"sandbox: Brightpearl  {servers[1].url}/public-api/sandbox  (app ref "
          f"sandbox_pearlbridge, staff token sandbox-staff-token; {options.bp_rate} requests per "
          f"{options.bp_window:g} s)", flush=True)
    print(f"sandbox: seeded {options.products} products and {options.customers} customers "
          f"(seed {options.seed})" if any(fresh.values()) else "sandbox: state kept from "
          f"{options.state_dir}", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.stop()


if __name__ == "__main__":
    main()
