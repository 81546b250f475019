"""The Reconciliation page in a real browser (Debian's Chromium under Playwright), over real
HTTP against both emulators: run on demand, see the drift, repair it with one click, and the
next run resolves it."""
import os

import pytest

from tools.screenshots import CHROMIUM, launch, signed_in_tab
from models.db import connection
from models.users import User
from tests.staff import PASSWORD

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is absent (apt-get install chromium)")
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


@pytest.fixture
def page(shop):
    from playwright.sync_api import sync_playwright

    with connection():
        user = User(username="ann")
        user.set_password(PASSWORD)
        user.save()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield signed_in_tab(browser, shop.platforms.app_url, "ann", PASSWORD)
        browser.close()


def shot(tab, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    tab.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def run_from_the_page(tab, shop):
    tab.click("#run-now")
    assert "queued" in tab.inner_text("main")
    shop.work()  # the worker runs the queued reconciliation
    tab.reload()


def test_run_see_repair_and_resolve_in_the_browser(page, shop):
    base = shop.platforms.app_url
    sku = shop.skus(1, 6)[0]
    shop.platforms.woo_control("products/edit", {"edits": [{
        "sku": sku, "name": "<script>alert(1)</script> renamed"}]})
    page.goto(f"{base}/reconcile")
    assert "No run yet" in page.inner_text("#latest-run")
    run_from_the_page(page, shop)
    assert "Done" in page.inner_text("#latest-run")
    assert "Open discrepancies: 1" in page.inner_text("main")
    section = page.locator("#kind-product_fields")
    assert "Woo product fields differ from Brightpearl" in section.inner_text()
    assert "<script>alert(1)</script> renamed" in section.inner_text()  # shown as text
    shot(page, "browser-reconciliation-found")
    section.locator("button:has-text('Repair')").last.click()
    assert "Repair queued" in page.inner_text("main")
    assert "repair queued" in page.inner_text("#kind-product_fields")
    page.click("#kind-product_fields >> text=Sync Logs row")
    assert "/logs/" in page.url and sku in page.inner_text("main")
    shop.settle()
    page.reload()
    assert "Synced" in page.inner_text(".facts")
    page.goto(f"{base}/reconcile")
    run_from_the_page(page, shop)
    assert "Open discrepancies: 0" in page.inner_text("main")
    assert "Recently resolved" in page.inner_text("main")
    assert page.dialogs == []
    shot(page, "browser-reconciliation-resolved")
