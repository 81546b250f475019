"""Short runs of bench/chaos.py's scenarios (a) and (b): the whole stack as processes, on a
redis-server of the test's own (a spare port in 6400-6409, or CHAOS_REDIS_PORT)."""
import shutil

import pytest

from bench.chaos import run_scenario

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None,
                       reason="redis-server is not installed: the chaos runs need one of their own"),
    pytest.mark.timeout(120),
]


@pytest.mark.parametrize("scenario", ["a", "b"])
def test_a_short_chaos_run_loses_nothing_and_recovers_in_seconds(scenario):
    """(a) workers and work-horses SIGKILLed every few seconds under a supervisor; (b) Redis
    killed mid-burst and started again empty. Nothing duplicated, missing or Failed."""
    result = run_scenario(scenario, orders=20, seconds=12, window=10, workers=2,
                          recovery_limit=60)
    print("\n".join(result.lines()))
    assert (result.duplicates, result.missing, result.payments_twice, result.contacts_twice,
            result.infra_failed) == (0, 0, 0, 0, 0), result.lines()
    assert result.recovery is not None and result.recovery <= 30, result.lines()
