"""Both emulators served over real HTTP, with the app's settings pointed at them.

Used by the products and shipments tests: `platforms` (fixture below, re-exported by each
package's conftest) serves a Brightpearl account and a WooCommerce store on loopback ports,
and rewrites the test settings (dict and environment) before the app is built.
"""
import pytest
import requests

from sandbox.brightpearl import create_app as brightpearl_app
from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app as woocommerce_app
from tests.conftest import TEST_SETTINGS

ACCOUNT = TEST_SETTINGS["BRIGHTPEARL_ACCOUNT"]
BP_HEADERS = {"brightpearl-app-ref": TEST_SETTINGS["BRIGHTPEARL_APP_REF"],
              "brightpearl-staff-token": TEST_SETTINGS["BRIGHTPEARL_STAFF_TOKEN"]}


class Brightpearl:
    """The served Brightpearl emulator: api() for /public-api calls, control() for /_sandbox."""

    def __init__(self, url):
        self.url, self.session = url, requests.Session()
        self.session.headers.update(BP_HEADERS)

    def api(self, method, path, body=None):
        """Call the account's API; returns the envelope's response part (asserting success)."""
        answer = self.session.request(method, f"{self.url}/public-api/{ACCOUNT}/{path.lstrip('/')}",
                                      json=body, timeout=10)
        assert answer.status_code < 400, answer.text
        return (answer.json() or {}).get("response") if answer.content else None

    def control(self, method, path, body=None):
        """Call the /_sandbox control API; returns the decoded JSON (asserting success)."""
        answer = requests.request(method, f"{self.url}/_sandbox/{path.lstrip('/')}", json=body,
                                  timeout=30)
        assert answer.status_code < 400, answer.text
        return answer.json()

    def requests(self):
        """API calls counted by the emulator since the last reset."""
        return self.control("GET", "requests")


class WooCommerce:
    """The served WooCommerce emulator: wc() for REST calls, control() for /_sandbox."""

    def __init__(self, url):
        self.url, self.session = url, requests.Session()
        self.session.auth = (TEST_SETTINGS["WOO_CONSUMER_KEY"], TEST_SETTINGS["WOO_CONSUMER_SECRET"])

    def wc(self, method, path, body=None, **params):
        """Call wc/v3; returns the decoded JSON (asserting success)."""
        answer = self.session.request(method, f"{self.url}/wp-json/wc/v3/{path.lstrip('/')}",
                                      json=body, params=params or None, timeout=10)
        assert answer.status_code < 400, answer.text
        return answer.json()

    def control(self, method, path, body=None):
        """Call the /_sandbox control API; returns the decoded JSON (asserting success)."""
        answer = requests.request(method, f"{self.url}/_sandbox/{path.lstrip('/')}", json=body,
                                  timeout=30)
        assert answer.status_code < 400, answer.text
        return answer.json()

    def products(self):
        """Every product (not variations) in the store."""
        return self.wc("GET", "products", per_page=100)

    def writes(self):
        """How many write calls (anything but GET) the store has answered."""
        counts = self.control("GET", "requests")["counts"]
        return sum(n for key, n in counts.items() if not key.startswith("GET"))


class Platforms:
    """The two running emulators."""

    def __init__(self, bp_server, woo_server):
        self.servers = (bp_server, woo_server)
        self.bp, self.woo = Brightpearl(bp_server.url), WooCommerce(woo_server.url)

    def stop(self):
        """Stop both servers."""
        for server in self.servers:
            server.stop()


@pytest.fixture
def platforms(settings, monkeypatch):
    """Both emulators running, and the settings (dict + environment) pointed at them."""
    bp_server = serve_in_thread(brightpearl_app(
        account=ACCOUNT, app_ref=TEST_SETTINGS["BRIGHTPEARL_APP_REF"],
        staff_token=TEST_SETTINGS["BRIGHTPEARL_STAFF_TOKEN"]))
    woo_server = serve_in_thread(woocommerce_app(
        consumer_key=TEST_SETTINGS["WOO_CONSUMER_KEY"],
        consumer_secret=TEST_SETTINGS["WOO_CONSUMER_SECRET"], delivery_delay=0))
    running = Platforms(bp_server, woo_server)
    urls = {"BRIGHTPEARL_URL": f"{bp_server.url}/public-api/{ACCOUNT}", "WOO_URL": woo_server.url}
    settings.update(urls)
    for name, value in urls.items():
        monkeypatch.setenv(name, value)
    yield running
    running.stop()
