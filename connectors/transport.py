"""What both clients share at the HTTP edge: our User-Agent, timeouts, and turning requests'
exceptions into typed errors without leaking URLs (they can carry query-string credentials)."""
import logging
import random
import re
import time

import requests

from connectors.errors import TransientError

VERSION = "0.1"
USER_AGENT = f"Pearlbridge/{VERSION} (Brightpearl-WooCommerce sync)"
# (connect, read): a dead host fails fast; a slow WordPress gets time to finish a batch.
DEFAULT_TIMEOUT = (5.0, 30.0)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
NAMES = {"brightpearl": "Brightpearl", "woocommerce": "WooCommerce"}
_QUERY_CREDENTIAL = re.compile(r"([?&](?:consumer_key|consumer_secret|oauth_[a-z_]+)=)[^&\s\"]*",
                               re.IGNORECASE)


class QueryCredentialFilter(logging.Filter):
    """Masks query-string credentials (WOO_QUERY_STRING_AUTH) in the request lines urllib3
    logs at DEBUG."""

    def filter(self, record):
        """Rewrite the record's message when it carries a credential; never drops it."""
        message = record.getMessage()
        masked = _QUERY_CREDENTIAL.sub(r"\1***", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


# Logger filters run where the record is made, whatever handlers a process configures.
logging.getLogger("urllib3.connectionpool").addFilter(QueryCredentialFilter())


def timeout_from(settings):
    """(connect, read) timeouts from settings' HTTP_TIMEOUT_SECONDS (read), else the default."""
    read = settings.get("HTTP_TIMEOUT_SECONDS")
    return (DEFAULT_TIMEOUT[0], float(read)) if read else DEFAULT_TIMEOUT


def new_session():
    """A requests.Session carrying our User-Agent and JSON accept header."""
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


def send(session, method, url, *, platform, endpoint, timeout, **kwargs):
    """session.request, with timeouts and connection failures raised as TransientError;
    endpoint is the call's label ("GET /orders/{id}") used in the error detail."""
    name = NAMES.get(platform, platform)
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout as exc:
        raise TransientError(
            f"{name} did not answer in time; it will be tried again",
            detail=f"{endpoint}: {type(exc).__name__} after {timeout}s",
            platform=platform) from None
    except requests.RequestException as exc:
        # str(exc) names the full URL (and any query-string secret): keep only its class.
        raise TransientError(
            f"Could not reach {name}; it will be tried again",
            detail=f"{endpoint}: {type(exc).__name__}", platform=platform) from None


def backoff(attempt, base=0.5, cap=8.0):
    """Seconds to wait before retry number attempt (1-based): exponential with full jitter."""
    return random.uniform(base / 2, min(cap, base * 2 ** (attempt - 1)))


def jitter(seconds, spread=0.1, floor=0.05):
    """seconds plus a little random spread, so waiting workers do not wake in lockstep."""
    return seconds + random.uniform(floor, floor + max(0.0, seconds) * spread)


def json_or_none(response):
    """The response body parsed as JSON, or None when it is empty or not JSON."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


class Clock:
    """time.monotonic and time.sleep behind one object, so tests can count the waits."""

    def now(self):
        """Seconds on a monotonic clock."""
        return time.monotonic()

    def sleep(self, seconds):
        """Block for seconds (nothing when not positive)."""
        if seconds > 0:
            time.sleep(seconds)
