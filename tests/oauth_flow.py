"""The OAuth connect steps of the README, against the emulator's authorise page and token
endpoint: settings for an OAuth app (no staff token) and the admin's approval on Brightpearl.

    from tests.oauth_flow import approve, oauth_emulator, switch_to_oauth  # noqa: F401

    @pytest.fixture
    def settings(settings, oauth_emulator, monkeypatch):
        return switch_to_oauth(settings, oauth_emulator, monkeypatch)
"""
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sandbox.brightpearl import create_app as brightpearl_app
from sandbox.server import serve_in_thread

PUBLIC = "https://pearlbridge.example"


def oauth_values(base, public=PUBLIC):
    """The README's OAuth settings, pointed at the emulator at base."""
    return {"BRIGHTPEARL_URL": f"{base}/public-api/sandbox", "BRIGHTPEARL_ACCOUNT": "sandbox",
            "BRIGHTPEARL_APP_REF": "", "BRIGHTPEARL_STAFF_TOKEN": "",
            "BRIGHTPEARL_OAUTH_CLIENT_ID": "sandbox-oauth-app", "BRIGHTPEARL_DEV_REF": "sandbox-dev",
            "BRIGHTPEARL_OAUTH_AUTHORIZE_URL": f"{base}/authorize/{{account}}",
            "BRIGHTPEARL_OAUTH_TOKEN_URL": f"{base}/token/{{account}}", "PUBLIC_URL": public}


@pytest.fixture(scope="module")
def oauth_emulator():
    """The Brightpearl emulator for a test module."""
    server = serve_in_thread(brightpearl_app(rate_per_minute=100000))
    yield server
    server.stop()


def switch_to_oauth(settings, emulator, monkeypatch):
    """The test settings switched to the OAuth app (dict and environment), emulator reset."""
    values = dict(settings, **oauth_values(emulator.url))
    for name, value in values.items():
        monkeypatch.setenv(name, str(value))
    requests.post(f"{emulator.url}/_sandbox/reset", timeout=10)
    return values


def approve(location, decision="allow"):
    """What the admin does on Brightpearl: open the authorisation URL and decide; returns where
    Brightpearl sends the browser back to."""
    parts = urlsplit(location)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    page = requests.get(location, timeout=10)
    assert page.status_code == 200 and 'value="allow"' in page.text
    answer = requests.post(f"{parts.scheme}://{parts.netloc}{parts.path}", timeout=10,
                           data=dict(params, decision=decision), allow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["Location"]
