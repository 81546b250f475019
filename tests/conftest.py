"""Shared fixtures: a fresh app per test on a real SQLite file (or PostgreSQL) and real Redis."""
import os

import pytest
import redis
from rq import SimpleWorker
from rq.job import Job
from rq.registry import ScheduledJobRegistry

from jobs.core.queues import QUEUE_NAMES, get_queue
from models.db import bind, db
from models.migrations import run_migrations

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://localhost:6379/15")
TEST_SETTINGS = {
    "SECRET_KEY": "test-session-signing-key-4f9a2c7e1b8d",
    "WOO_URL": "http://127.0.0.1:9",
    "WOO_CONSUMER_KEY": "ck_test",
    "WOO_CONSUMER_SECRET": "cs_test",
    "WOO_WEBHOOK_SECRET": "secret",
    "BRIGHTPEARL_URL": "http://127.0.0.1:9/public-api/testacct",
    "BRIGHTPEARL_ACCOUNT": "testacct",
    "BRIGHTPEARL_APP_REF": "testacct_pearlbridge",
    "BRIGHTPEARL_STAFF_TOKEN": "staff-token",
    "BRIGHTPEARL_WEBHOOK_SECRET": "bp-hook-secret-0123456789",
}


@pytest.fixture
def database_url(tmp_path):
    """A real database per test: a new SQLite file, or TEST_DATABASE_URL emptied first."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path}/pearlbridge.db"
    database = bind(url)
    with database.connection_context():
        for table in database.get_tables():
            database.execute_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    return url


@pytest.fixture
def redis_connection():
    """A raw client on the tests' own Redis database, flushed before and after each test."""
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture
def settings(database_url, redis_connection, monkeypatch):
    """The test settings, also exported to the environment for jobs run in-process."""
    values = dict(TEST_SETTINGS, DATABASE_URL=database_url, REDIS_URL=TEST_REDIS_URL)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def app(settings):
    """A fresh app per test, its schema migrated."""
    from wsgi import create_app

    application = create_app(dict(settings))
    with db.connection_context():
        run_migrations()
    yield application
    if not db.is_closed():
        db.close()


@pytest.fixture
def client(app):
    """Flask's test client for app."""
    return app.test_client()


@pytest.fixture
def work(redis_connection):
    """Run every queued job to completion in-process (a real RQ worker, no fork)."""

    def run(retries_due=False):
        queues = [get_queue(redis_connection, name) for name in QUEUE_NAMES]
        if retries_due:
            # As if the retry backoff had passed: move scheduled retries onto their queues.
            for queue in queues:
                registry = ScheduledJobRegistry(queue=queue)
                for job_id in registry.get_job_ids():
                    registry.remove(job_id)
                    queue.enqueue_job(Job.fetch(job_id, connection=redis_connection))
        SimpleWorker(queues, connection=redis_connection).work(burst=True)

    return run


@pytest.fixture
def flow_registry():
    """The flows' registry, every flow loaded; what a test registers is undone after it.

    A handler a test registers for a real flow's (source, prefix) takes its place meanwhile.
    """
    from jobs.core import registry

    registry.load_flows()
    saved = dict(registry._handlers), dict(registry._periodic)
    yield registry
    for table, copy in zip((registry._handlers, registry._periodic), saved):
        table.clear()
        table.update(copy)


@pytest.fixture
def empty_registry(flow_registry):
    """The flows' registry with no flow in it (restored after the test)."""
    flow_registry._handlers.clear()
    flow_registry._periodic.clear()
    return flow_registry


from tests.platforms import platforms  # noqa: E402,F401  (the end-to-end fixture)
from tests.staff import staff, user  # noqa: E402,F401  (a signed-in member of staff)
