"""Fixtures for the connector tests: Redis DB 13 (ours alone), the emulators over real HTTP, a
recording fake session at the transport edge, and a fake clock."""
import json
import os

import pytest
import redis
import requests
from requests.structures import CaseInsensitiveDict

# The same server as the other tests (TEST_REDIS_URL), on database 13.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://localhost:6379/15").rsplit("/", 1)[0] + "/13"
BP_ACCOUNT = "sandbox"
WOO_KEY, WOO_SECRET = "ck_sandbox", "cs_sandbox"


@pytest.fixture
def redis13():
    """A raw client on Redis DB 13, flushed before and after each test."""
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


# -- the emulators -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def bp_server():
    """The Brightpearl emulator on a loopback port for the whole session."""
    brightpearl = pytest.importorskip("sandbox.brightpearl")
    from sandbox.server import serve_in_thread

    server = serve_in_thread(brightpearl.create_app(
        account=BP_ACCOUNT, app_ref="sandbox_pearlbridge", staff_token="sandbox-staff-token",
        dev_ref="sandbox-dev", oauth_client_id="sandbox-oauth-app", rate_per_minute=200,
        window_seconds=60))
    yield server
    server.stop()


@pytest.fixture
def bp_sandbox(bp_server):
    """The Brightpearl emulator, reset before the test."""
    requests.post(f"{bp_server.url}/_sandbox/reset", timeout=10).raise_for_status()
    return bp_server


def bp_settings(url, **extra):
    """Settings naming the Brightpearl emulator at url (private app, staff token)."""
    return {"BRIGHTPEARL_URL": f"{url}/public-api/{BP_ACCOUNT}", "BRIGHTPEARL_ACCOUNT": BP_ACCOUNT,
            "BRIGHTPEARL_APP_REF": "sandbox_pearlbridge",
            "BRIGHTPEARL_STAFF_TOKEN": "sandbox-staff-token", "BRIGHTPEARL_RATE_PER_MINUTE": 190,
            **extra}


@pytest.fixture(scope="session")
def woo_server():
    """The WooCommerce emulator on a loopback port for the whole session."""
    woocommerce = pytest.importorskip("sandbox.woocommerce")
    from sandbox.server import serve_in_thread

    server = serve_in_thread(woocommerce.create_app(
        consumer_key=WOO_KEY, consumer_secret=WOO_SECRET, tracking_extension=True))
    yield server
    server.stop()


@pytest.fixture
def woo_sandbox(woo_server):
    """The WooCommerce emulator, reset before the test."""
    requests.post(f"{woo_server.url}/_sandbox/reset", timeout=10).raise_for_status()
    return woo_server


def woo_settings(url, **extra):
    """Settings naming the WooCommerce emulator at url."""
    return {"WOO_URL": url, "WOO_CONSUMER_KEY": WOO_KEY, "WOO_CONSUMER_SECRET": WOO_SECRET,
            "WOO_QUERY_STRING_AUTH": False, **extra}


# -- the transport edge ------------------------------------------------------------------------

def response(status=200, body=None, headers=None, text=None):
    """A real requests.Response with status, a JSON (or raw text) body and headers."""
    answer = requests.Response()
    answer.status_code = status
    raw = text if text is not None else ("" if body is None else json.dumps(body))
    answer._content = raw.encode()
    answer.headers = CaseInsensitiveDict(headers or {})
    if text is None and body is not None:
        answer.headers.setdefault("Content-Type", "application/json")
    return answer


class FakeSession:
    """A recording stand-in for requests.Session: answers from a script, keeps every call.

    Each script entry is a Response, an exception to raise, or fn(method, url, kwargs); the
    last entry repeats when the script runs out.
    """

    def __init__(self, *script):
        self.script, self.calls = list(script), []
        self.headers, self.auth = {}, None

    def request(self, method, url, **kwargs):
        """Record the call and answer the next scripted entry."""
        self.calls.append({"method": method, "url": url, **kwargs})
        entry = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(entry, Exception):
            raise entry
        return entry(method, url, kwargs) if callable(entry) else entry


class FakeClock:
    """A clock that only moves when slept on; records every sleep."""

    def __init__(self):
        self.time, self.sleeps = 1000.0, []

    def now(self):
        """The fake monotonic time."""
        return self.time

    def sleep(self, seconds):
        """Advance time instead of blocking."""
        self.sleeps.append(seconds)
        self.time += max(0.0, seconds)
