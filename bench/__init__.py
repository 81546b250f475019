"""Benchmarks (not tests): each prints its figures and the ratio to its bound."""
import os


def redis_url(database):
    """The benchmark's Redis database on BENCH_REDIS_URL's server (default localhost:6379), so
    a run on a shared machine can use its own redis-server."""
    base = os.environ.get("BENCH_REDIS_URL", "redis://localhost:6379/0")
    return f"{base.rsplit('/', 1)[0]}/{database}"
