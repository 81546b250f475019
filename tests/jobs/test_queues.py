"""Deterministic job ids, coalescing per record, and the permanent-failure switch."""
import re

import pytest
from rq.job import Job, JobStatus

from jobs.core.queues import (INTERACTIVE, QueueUnavailable, enqueue_record, get_queue, job_id,
                         redis_client)

VALID = re.compile(r"^[A-Za-z0-9_-]+$")


@pytest.mark.parametrize("parts", [
    ("woocommerce", "order", "727"),
    ("brightpearl", "goods-out-note", "5"),
    ("brightpearl", "product", "a b/c:d"),
    ("x", "ü", "../../etc"),
])
def test_job_ids_use_only_safe_characters(parts):
    assert VALID.match(job_id(*parts))


def test_cleaned_ids_stay_distinct():
    assert job_id("a", "b c") != job_id("a", "b_c")
    assert job_id("woocommerce", "order", 1) == "woocommerce-order-1"


def test_burst_for_one_record_coalesces(redis_connection):
    results = [enqueue_record(redis_connection, "woocommerce", "order", "9") for _ in range(5)]
    assert results[0] == ("woocommerce-order-9", True)
    assert all(r == ("woocommerce-order-9", False) for r in results[1:])
    assert get_queue(redis_connection, INTERACTIVE).job_ids == ["woocommerce-order-9"]


def test_change_during_a_run_takes_the_second_slot(redis_connection):
    enqueue_record(redis_connection, "woocommerce", "order", "9")
    job = Job.fetch("woocommerce-order-9", connection=redis_connection)
    job.set_status(JobStatus.STARTED)
    assert enqueue_record(redis_connection, "woocommerce", "order", "9") == (
        "woocommerce-order-9-again", True)
    assert enqueue_record(redis_connection, "woocommerce", "order", "9") == (
        "woocommerce-order-9-again", False)


def test_finished_job_can_be_enqueued_again(app, redis_connection, work):
    enqueue_record(redis_connection, "brightpearl", "product", "1")
    work()
    assert enqueue_record(redis_connection, "brightpearl", "product", "1")[1] is True


def test_unreachable_redis_raises_queue_unavailable():
    with pytest.raises(QueueUnavailable):
        enqueue_record(redis_client("redis://127.0.0.1:1/0"), "woocommerce", "order", "1")
