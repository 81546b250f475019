"""LOG_FORMAT=json: every line one JSON object, naming the record and the RQ job it belongs to."""
import json
import logging
import logging.config

import pytest

import logconfig
from jobs.core.queues import BULK, get_queue


def noisy_job():
    """A job that logs inside a record's context (as the dispatcher and flowkit do)."""
    with logconfig.record_context("order/woo-123"):
        logging.getLogger("jobs.orders").info("created Brightpearl order %s", 5001)


@pytest.fixture
def configured():
    """Apply a configuration to the root logger for the test; the old one restored after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level

    def apply(settings):
        root.handlers[:] = []
        logging.config.dictConfig(logconfig.dict_config(settings))

    yield apply
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def test_json_lines_carry_record_key_and_job_id(configured, capsys, redis_connection, work):
    configured({"LOG_FORMAT": "json", "LOG_LEVEL": "INFO"})
    job = get_queue(redis_connection, BULK).enqueue("tests.test_logconfig.noisy_job")
    work()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    mine = [line for line in lines if line["logger"] == "jobs.orders"]
    assert mine and mine[0]["message"] == "created Brightpearl order 5001"
    assert mine[0]["record_key"] == "order/woo-123" and mine[0]["job_id"] == job.id
    assert mine[0]["level"] == "INFO" and "time" in mine[0]
    assert any(line["logger"].startswith("rq.") and line["job_id"] is None for line in lines)


def test_text_lines_by_default(configured, capsys):
    configured({"LOG_LEVEL": "INFO"})
    logging.getLogger("poller").warning("standing by")
    assert capsys.readouterr().err.strip().endswith("WARNING poller: standing by")


def test_an_already_configured_process_is_left_alone():
    root = logging.getLogger()
    marker = logging.NullHandler()
    root.addHandler(marker)
    try:
        logconfig.setup({"LOG_FORMAT": "json"})
        assert marker in root.handlers
    finally:
        root.removeHandler(marker)
