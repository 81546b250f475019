"""The summary at the top of the pages: counts by status per log type, briefly cached.

A GROUP BY over millions of rows costs tens of milliseconds on every page view; counts a few
seconds old are good enough for a summary, and this process drops them after its own actions.
"""
import time

from flask import current_app

from models.log_counts import status_counts

DEFAULT_TTL = 5.0
_KEY = "pearlbridge_summary_cache"


def summary_counts():
    """{log_type: {status: count}}, recomputed when older than LOGPAGE_SUMMARY_TTL seconds."""
    ttl = float(current_app.config.get("LOGPAGE_SUMMARY_TTL", DEFAULT_TTL))
    cache = current_app.extensions.setdefault(_KEY, {})
    now = time.monotonic()
    if ttl <= 0 or cache.get("expires", 0) <= now:
        cache["counts"], cache["expires"] = status_counts(), now + ttl
    return cache["counts"]


def forget_counts():
    """Drop the cached counts (after this process changed statuses)."""
    current_app.extensions.setdefault(_KEY, {}).clear()
