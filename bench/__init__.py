"""Benchmarks (not tests): each prints its figures and the ratio to its bound."""
import os
from urllib.parse import urlsplit, urlunsplit

# Signs the benchmark app's sessions: random-looking and 32+ bytes, as the service demands.
SECRET_KEY = "bench-session-signing-key-0c5e8a1f7b2d94"


def redis_url(database):
    """The benchmark's own Redis database on BENCH_REDIS_URL's server (default localhost:6379):
    a run on a shared machine can use its own redis-server, and no benchmark flushes another's
    database (BENCH_REDIS_URL=redis://localhost:6312 and …/6312/0 name the same server)."""
    parts = urlsplit(os.environ.get("BENCH_REDIS_URL", "redis://localhost:6379"))
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))
