"""The shared budget on real Redis: the rate per rolling window, the interactive reserve,
corrections from the platform's headers, pauses after a throttle, and the max wait."""
import threading
import time

import pytest

from connectors.errors import ThrottledError
from connectors.ratelimit import RedisBudget


def budget(redis13, **kwargs):
    options = dict(rate=10, window_seconds=1.0, interactive_share=0.3, max_wait_seconds=5)
    options.update(kwargs)
    return RedisBudget(redis13, "acct", **options)


def grants_within(limiter, priority, seconds):
    """How many acquires succeed without waiting longer than seconds in total."""
    count, deadline = 0, limiter.clock.now() + seconds
    while True:
        try:
            limiter.acquire(priority, deadline)
        except ThrottledError:
            return count
        count += 1


def test_interactive_spends_the_whole_rate_bulk_stops_at_the_reserve(redis13):
    limiter = budget(redis13)
    assert limiter.limit_for("interactive") == 10 and limiter.limit_for("bulk") == 7
    assert grants_within(limiter, "bulk", 0.2) == 7
    assert grants_within(limiter, "interactive", 0.2) == 3  # the reserve is still there
    assert limiter.used() == 10
    with pytest.raises(ValueError):
        limiter.limit_for("urgent")


def test_the_window_rolls(redis13):
    limiter = budget(redis13, rate=5, window_seconds=0.5)
    started = time.monotonic()
    for _ in range(10):
        limiter.acquire("interactive")
    # The second five waited for the first five to leave the rolling window.
    assert time.monotonic() - started >= 0.45


def test_waiting_past_the_max_wait_raises_throttled(redis13):
    limiter = budget(redis13, rate=2, window_seconds=30, max_wait_seconds=0.2)
    limiter.acquire()
    limiter.acquire()
    with pytest.raises(ThrottledError) as caught:
        limiter.acquire()
    assert 29 < caught.value.wait_seconds <= 30


def test_headers_saying_fewer_remain_take_over(redis13):
    limiter = budget(redis13, rate=100, window_seconds=30, max_wait_seconds=0.2)
    ticket = limiter.acquire()
    # Another app on the account has spent most of the pool: 3 left for 20 s.
    assert limiter.observe(ticket, {"brightpearl-requests-remaining": "3",
                                    "brightpearl-next-throttle-period": "20000"})
    assert grants_within(limiter, "interactive", 0.1) == 2  # 3 left, this ticket spent one
    # A later, more optimistic answer from the same period does not loosen the correction.
    assert not limiter.observe(ticket, {"brightpearl-requests-remaining": "90",
                                        "brightpearl-next-throttle-period": "19000"})
    assert grants_within(limiter, "interactive", 0.1) == 0


def test_bulk_keeps_the_reserve_of_what_the_platform_says_remains(redis13):
    limiter = budget(redis13, rate=100, window_seconds=30, interactive_share=0.1,
                     max_wait_seconds=0.1)
    ticket = limiter.acquire()
    limiter.observe(ticket, {"brightpearl-requests-remaining": "15",
                             "brightpearl-next-throttle-period": "20000"})
    assert grants_within(limiter, "bulk", 0.05) == 4  # stops with 10 (the reserve) left
    assert grants_within(limiter, "interactive", 0.05) == 10


def test_a_period_that_ended_is_forgotten(redis13):
    limiter = budget(redis13, rate=100, window_seconds=30)
    ticket = limiter.acquire()
    limiter.observe(ticket, {"brightpearl-requests-remaining": "0",
                             "brightpearl-next-throttle-period": "150"})
    started = time.monotonic()
    limiter.acquire()
    assert 0.1 <= time.monotonic() - started < 1.0


def test_a_throttle_pauses_every_process(redis13):
    first, second = budget(redis13, rate=100), budget(redis13, rate=100)
    first.penalize(0.3)
    started = time.monotonic()
    second.acquire()
    assert time.monotonic() - started >= 0.28


def test_missing_or_bad_headers_change_nothing(redis13):
    limiter = budget(redis13)
    ticket = limiter.acquire()
    assert not limiter.observe(ticket, {})
    assert not limiter.observe(ticket, {"brightpearl-requests-remaining": "x",
                                        "brightpearl-next-throttle-period": "1"})


def test_concurrent_threads_never_exceed_the_rate_in_any_window(redis13):
    limiter = budget(redis13, rate=15, window_seconds=0.5, max_wait_seconds=10)
    granted, lock = [], threading.Lock()

    def worker():
        for _ in range(10):
            ticket = limiter.acquire("interactive" if threading.get_ident() % 2 else "bulk")
            with lock:
                granted.append(ticket.granted_at_ms)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    granted.sort()
    assert len(granted) == 60
    # In every rolling 500 ms window at most 15 grants (Redis clock, ms resolution).
    for i, start in enumerate(granted):
        assert sum(1 for t in granted[i:] if t < start + 500) <= 15
