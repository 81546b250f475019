"""python -m sandbox.traffic: a shop day played against both emulators, compressed in time.

    python -m sandbox.traffic --woo-url URL --bp-url URL [--speed 1.0] [--seed 1] [--duration S]

Checkouts on WooCommerce (70 % returning customers), bank transfers paid or abandoned, refunds
(some in full before dispatch) in its admin; stock changes, order status changes, shipments and
corrected tracking numbers in Brightpearl. Everything goes
through the emulators' REST and control APIs; one line is printed per action.
"""
import argparse
import random
import signal
import time

from sandbox.traffic_known import Known
from sandbox.traffic_plan import next_action
from sandbox.traffic_shop import Refused, Shop

INTERVAL = 3.0        # real seconds between actions at speed 1 (±50 %)
WOO_REFRESH = 30.0    # shop-day seconds between re-reads of the store (free)
BP_REFRESH = 20.0     # shop-day seconds between order searches (each spends Brightpearl budget)
BP_REFRESH_MIN = 2.0  # real seconds: at high speed, still at most 30 searches a minute


def _describe(error):
    if isinstance(error, Refused):
        return str(error)
    return f"{type(error).__name__}: {' '.join(str(error).split())[:160]}"


def run(woo_url, bp_url, speed=1.0, seed=1, duration=None, say=print):
    """Play until duration real seconds have passed (forever when None); returns actions done."""
    rng, known, shop = random.Random(seed), Known(), Shop(woo_url, bp_url)
    started = time.monotonic()
    refresh = {"woo": 0.0, "bp": 0.0}
    done = 0
    while True:
        elapsed = time.monotonic() - started
        if duration is not None and elapsed >= duration:
            return done
        known.clock = elapsed * speed
        for name, learn, every in (("woo", shop.learn_woo, WOO_REFRESH / speed),
                                   ("bp", shop.learn_bp, max(BP_REFRESH / speed, BP_REFRESH_MIN))):
            if elapsed >= refresh[name]:
                try:
                    learn(known)
                    refresh[name] = elapsed + every
                except Exception as error:  # noqa: BLE001 - an emulator restarting must not end the day
                    say(f"traffic: could not read {name} ({_describe(error)}); carrying on")
                    refresh[name] = elapsed + min(every, 5.0)
        action = next_action(rng, known)
        if action is not None:
            try:
                say(shop.perform(action, known, rng))
                done += 1
            except Exception as error:  # noqa: BLE001 - a refused step is logged, the day goes on
                if action.target is not None and isinstance(error, Refused) and error.status < 500:
                    # An order the emulator refuses to move is left alone from now on (an outage
                    # is not a refusal: the order is tried again once the emulator is back).
                    woo = action.kind in ("woo_status", "refund", "full_refund")
                    known.given_up.add(("woo" if woo else "bp", action.target))
                    (known.woo_orders if woo else known.bp_orders).pop(action.target, None)
                if action.kind == "checkout" and isinstance(error, Refused):
                    # The store refused the cart (sold out, gone): our picture of it is stale.
                    refresh["woo"] = 0.0
                say(f"traffic: {action.kind} skipped ({_describe(error)})")
        pause = INTERVAL / speed * rng.uniform(0.5, 1.5)
        if duration is not None:
            pause = max(0.0, min(pause, duration - (time.monotonic() - started)))
        time.sleep(pause)


def _stop(*_):
    # SIGTERM (the demo's supervisor) ends the day like Ctrl-C.
    raise KeyboardInterrupt


def main(argv=None):
    """Entry point of `python -m sandbox.traffic`."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.traffic",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--woo-url", default="http://127.0.0.1:8081")
    parser.add_argument("--bp-url", default="http://127.0.0.1:8082")
    parser.add_argument("--speed", type=float, default=1.0, help="time compression (2 = twice as busy)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the day")
    parser.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    options = parser.parse_args(argv)
    if options.speed <= 0:
        parser.error("--speed must be positive")
    signal.signal(signal.SIGTERM, _stop)
    lines = []

    def say(line):
        # Flushed at once: the demo's supervisor shows lines as they come.
        print(line, flush=True)
        lines.append(not line.startswith("traffic:"))

    say(f"traffic: shop day at speed {options.speed:g} against WooCommerce {options.woo_url} "
        f"and Brightpearl {options.bp_url}")
    started = time.monotonic()
    try:
        run(options.woo_url, options.bp_url, options.speed, options.seed, options.duration, say)
    except KeyboardInterrupt:
        pass
    say(f"traffic: stopped after {time.monotonic() - started:.0f} s, {sum(lines)} actions")


if __name__ == "__main__":
    main()
