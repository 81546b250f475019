"""What a job needs around it: settings, a bound database, and Redis."""
from contextlib import contextmanager

import config
from jobs.core.queues import redis_client
from models.db import bind, connection


def settings():
    """The settings from the environment (read per job, so a test can change them)."""
    return config.from_env()


@contextmanager
def job_database():
    """Bind the database from DATABASE_URL and hold a connection for the job's duration.

    RQ forks per job, so no connection is inherited: each job opens (and closes) its own.
    """
    bind(settings()["DATABASE_URL"])
    with connection() as db:
        yield db


def job_redis():
    """The raw Redis client for REDIS_URL."""
    return redis_client(settings()["REDIS_URL"])
