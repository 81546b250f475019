"""After a switch, Sync Logs shows the new store's rows; an earlier connection's rows stay
readable (?connection=N), read-only, in the list, a row's page and the exports."""
import os

import pytest

from models.db import db
from models.logs import SyncLog
from models.store_identity import check, switch
from tests.logpage.conftest import make_row
from tests.logpage.test_browser import browser, page, shot, site  # noqa: F401 (fixtures)
from tests.staff import post
from tools.screenshots import CHROMIUM


@pytest.fixture
def switched(app, settings, user):
    """Order #95 of the staging store (connection 1) failed; production is connection 2."""
    with db.connection_context():
        check(settings)
        old = make_row("order", 95, status="failed", info="Woo order #95 (staging)",
                       failure_reason="Order 100015 does not exist")
        switch(dict(settings, WOO_URL="https://shop.example.com"))
        new = make_row("order", 95, status="synced", info="Woo order #95 (production)")
    return old, new


def test_the_list_shows_the_current_store_and_offers_the_earlier_one(staff, switched):
    html = staff.get("/logs").get_data(as_text=True)
    assert "Woo order #95 (production)" in html and "(staging)" not in html
    assert "/logs?type=order&amp;connection=1" in html
    assert "Connection 1: WooCommerce store 127.0.0.1:9" in html
    earlier = staff.get("/logs?connection=1").get_data(as_text=True)
    assert "Woo order #95 (staging)" in earlier and "(production)" not in earlier
    assert "never synced again" in earlier
    assert "Re-sync" not in earlier and "Retry all failed" not in earlier
    assert f"/logs/{switched[0].id}?connection=1" in earlier


def test_an_earlier_row_opens_read_only_and_cannot_be_resynced(staff, switched):
    old, _ = switched
    assert staff.get(f"/logs/{old.id}").status_code == 404  # not the current store's row
    detail = staff.get(f"/logs/{old.id}?connection=1").get_data(as_text=True)
    assert "Order 100015 does not exist" in detail and 'id="resync"' not in detail
    assert post(staff, f"/logs/{old.id}/resync").status_code == 404
    with db.connection_context():
        assert SyncLog.select_everywhere().where(SyncLog.id == old.id).get().status == "failed"


def test_exports_follow_the_chosen_connection(staff, switched):
    current = staff.get("/logs/export.json").get_data(as_text=True)
    earlier = staff.get("/logs/export.json?connection=1").get_data(as_text=True)
    assert "(production)" in current and "(staging)" not in current
    assert "(staging)" in earlier and "(production)" not in earlier


@pytest.mark.parametrize("value", ["7", "x", "-1", "99999999999999"])
def test_an_unknown_connection_is_explained_not_an_error(staff, switched, value):
    response = staff.get(f"/logs?connection={value}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Unknown connection" in html and "(production)" in html


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent")
def test_staff_read_the_earlier_store_in_a_browser(page, site, switched):  # noqa: F811
    page.goto(f"{site}/logs")
    assert "(production)" in page.inner_text("#log-rows")
    page.click("nav.connections >> text=Connection 1")
    assert "(staging)" in page.inner_text("#log-rows")
    assert page.locator("#log-rows button").count() == 0
    shot(page, "browser-earlier-connection-list")
    page.click("text=Woo order #95 (staging)")
    assert "Order 100015 does not exist" in page.inner_text("main")
    assert page.locator("#resync").count() == 0
    shot(page, "browser-earlier-connection")


def test_health_names_the_store_and_account_in_use(staff, switched):
    html = staff.get("/health").get_data(as_text=True)
    assert "Connection 2: WooCommerce store <strong>shop.example.com</strong>" in html
    assert "Brightpearl account <strong>testacct</strong>" in html


def test_deliveries_from_another_site_are_accepted_and_shown_on_health(staff, settings, app):
    """A staging copy still sending its webhooks here after going live: said, not hidden."""
    from models.events import Event
    from tests.fixtures import load, php_json, woo_headers

    order = load("woo_order.json")
    for n, source in enumerate(("http://127.0.0.1:9/", "https://staging.shop.example/",
                                "https://www.staging.shop.example/")):
        order["id"] = 500 + n
        body = php_json(order)
        headers = dict(woo_headers(body, topic="order.created"), **{
            "X-WC-Webhook-Source": source})
        assert staff.post("/webhooks/woocommerce", data=body, headers=headers).status_code == 200
    with db.connection_context():
        assert Event.select().count() == 3  # nothing lost: each record is read from WOO_URL
    html = staff.get("/health").get_data(as_text=True)
    assert 'id="foreign-sites"' in html
    assert "<strong>staging.shop.example</strong>: 2" in html and "127.0.0.1:9</strong>:" not in html


def test_no_notice_when_every_delivery_is_from_the_store(staff, settings, app):
    from tests.fixtures import load, php_json, woo_headers

    body = php_json(load("woo_order.json"))
    staff.post("/webhooks/woocommerce", data=body, headers=woo_headers(body, topic="order.created"))
    assert 'id="foreign-sites"' not in staff.get("/health").get_data(as_text=True)
