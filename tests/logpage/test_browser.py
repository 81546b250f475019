"""The staff pages in a real browser: Debian's Chromium driven by Playwright over real HTTP."""
import os
from datetime import datetime, timedelta

import pytest

from tools.screenshots import CHROMIUM, launch, sign_in, signed_in_tab
from models.base import utcnow
from models.flows import get_flow
from models.logs import SyncLog
from sandbox.server import serve_in_thread
from tests.logpage.conftest import PASSWORD, make_row

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is absent (apt-get install chromium)")
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def site(app, user):
    """The app served over real HTTP in a thread; its base URL."""
    server = serve_in_thread(app)
    yield server.url
    server.stop()


@pytest.fixture
def page(browser, site):
    """A signed-in page; every dialog (alert) it opens is recorded and dismissed."""
    tab = signed_in_tab(browser, site, "ann", PASSWORD)
    yield tab
    tab.context.close()


def shot(tab, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    tab.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def test_sign_in_is_required(browser, site):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{site}/logs?type=refund")
    assert "/login" in tab.url
    sign_in(tab, site, "ann", "wrong password")
    assert "Wrong name or password" in tab.inner_text("main")
    sign_in(tab, site, "ann", PASSWORD)
    assert tab.url.endswith("/logs")
    shot(tab, "browser-signed-in")
    context.close()


def test_types_filters_search_and_pages(page, site, monkeypatch):
    from logpage import queries
    monkeypatch.setattr(queries.keyset_page, "__defaults__", (None, None, 5))
    now = utcnow()
    for n in range(12):
        make_row("order", n, status="failed" if n % 4 == 0 else "synced",
                 at=now - timedelta(minutes=n), info=f"Woo order #{500 + n}")
    make_row("inventory", 99, quantity=7, info="Merino Crew Sock (SKU-99)")
    page.goto(f"{site}/logs")
    assert page.locator("#log-rows tbody tr").count() == 5
    page.click("nav.tabs >> text=Inventory")
    assert "Merino Crew Sock" in page.inner_text("#log-rows")
    assert "Synced At" not in page.inner_text("#log-rows thead")
    page.click("nav.tabs >> text=Order")
    page.select_option("select[name=status]", "failed")
    page.click("form.filters button[type=submit]")
    assert page.locator("#log-rows tbody tr").count() == 3
    page.fill("input[name=q]", "#508")
    page.click("form.filters button[type=submit]")
    rows = page.locator("#log-rows tbody tr")
    assert rows.count() == 1 and "Woo order #508" in rows.inner_text()
    page.click("text=Clear")
    first = page.inner_text("#log-rows tbody")
    page.click("text=Older →")
    second = page.inner_text("#log-rows tbody")
    assert "Woo order #505" in second and "Woo order #505" not in first
    page.click("text=← Newer")
    assert page.inner_text("#log-rows tbody") == first
    shot(page, "browser-sync-logs")


def test_open_a_row_and_resync_it_until_synced(page, site, work, flow_registry):
    @flow_registry.handles("woocommerce", "order.")
    def handle(source, resource, resource_id, events):
        SyncLog.update(status="synced", pending_reason=None, synced_at=utcnow()).where(
            SyncLog.record_key == f"woo-{resource_id}").execute()
        return "synced"

    row = make_row("order", 727, status="failed", info="Woo order #727",
                   failure_reason="Brightpearl was unavailable")
    page.goto(f"{site}/logs?type=order&status=failed")
    page.click("text=Woo order #727")
    assert page.url.endswith(f"/logs/{row.id}")
    assert "Brightpearl was unavailable" in page.inner_text("main")
    page.click("#resync")
    assert "queued for re-sync" in page.inner_text("main")
    assert "Pending" in page.inner_text(".facts")
    work()
    page.reload()
    assert "Synced" in page.inner_text(".facts")
    shot(page, "browser-row-synced")
    assert SyncLog.get_by_id(row.id).status == "synced"


def test_change_a_flow_setting(page, site):
    page.goto(f"{site}/flows")
    page.click("#flow-inventory >> text=Turn on")
    assert "Inventory flow turned on" in page.inner_text("main")
    page.click("#flow-inventory >> text=Inventory")
    page.fill("input[name=buffer_all]", "-3")
    page.click("#save-settings")
    assert page.locator("#field-buffer_all .error").count() == 1
    page.fill("input[name=buffer_all]", "4")
    page.click("#save-settings")
    assert "Inventory settings saved" in page.inner_text("main")
    assert "buffer_all" in page.inner_text(".history")
    assert get_flow("inventory").settings["buffer_all"] == 4
    shot(page, "browser-flow-settings")


def test_script_in_a_payload_is_shown_as_text(page, site):
    row = make_row("product", 1001, status="failed", info=XSS, failure_reason=XSS,
                   at=datetime(2026, 1, 1))
    page.goto(f"{site}/logs?type=product")
    assert XSS in page.inner_text("#log-rows")
    page.goto(f"{site}/logs/{row.id}")
    assert XSS in page.inner_text("h1")
    page.goto(f"{site}/logs?type=product&q=%3Cscript%3E")
    assert XSS in page.inner_text("#log-rows")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('main img, main script').length") == 0
    shot(page, "browser-xss-as-text")


def test_health_page_shows_alerts_and_reregisters(page, site, redis_connection):
    from jobs.core.queues import INTERACTIVE, get_queue
    from tools.screenshots import seed_health

    seed_health(redis_connection)
    page.goto(f"{site}/logs")
    page.click("nav >> text=Health")
    assert page.url.endswith("/health")
    alerts = page.inner_text("#alerts")
    assert "WooCommerce: 1 webhook(s) missing or not active" in alerts
    assert "disabled" in page.inner_text("#platform-woocommerce")
    assert "shop-1:2817" in page.inner_text("#processes")
    assert "GET /order-service/order/{ids}" in page.inner_text("#calls")
    assert "298.0 MB" in page.inner_text("#retention")
    page.click("#reregister")
    assert "Re-registering the webhooks" in page.inner_text("main")
    assert get_queue(redis_connection, INTERACTIVE).job_ids == ["webhooks-register"]
    shot(page, "browser-health")
