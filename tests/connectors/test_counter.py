"""Every call counted per endpoint template and outcome, in memory or shared in Redis."""
import pytest

from connectors.counter import CallCounter, read_counts, totals


def test_counts_in_memory():
    counter = CallCounter()
    counter.record("brightpearl", "GET /order-service/order/{id}", "ok")
    counter.record("brightpearl", "GET /order-service/order/{id}", "ok")
    counter.record("woocommerce", "POST /products/batch", "transient")
    assert counter.counts() == {
        "brightpearl": {"GET /order-service/order/{id}": {"ok": 2}},
        "woocommerce": {"POST /products/batch": {"transient": 1}}}
    with pytest.raises(ValueError):
        counter.record("woocommerce", "GET /x", "weird")


def test_counts_shared_through_redis(redis13):
    first, second = CallCounter(redis13), CallCounter(redis13)
    first.record("brightpearl", "GET /a|b", "throttled")
    second.record("brightpearl", "GET /a|b", "ok")
    second.record("brightpearl", "GET /a|b", "ok")
    expected = {"brightpearl": {"GET /a|b": {"throttled": 1, "ok": 2}}}
    assert read_counts(redis13) == expected == first.counts()
    assert totals(expected)["brightpearl"] == {"ok": 2, "transient": 0, "permanent": 0,
                                               "throttled": 1}
    first.reset()
    assert read_counts(redis13) == {}
