"""The Brightpearl client against the emulator over real HTTP."""
from datetime import datetime, timedelta, timezone

import pytest
import requests

from connectors.brightpearl import BrightpearlClient
from connectors.errors import NotFoundError, PermanentError, TransientError

from .conftest import bp_settings


@pytest.fixture
def bp(bp_sandbox, redis13):
    """A client on the emulator sharing the budget in Redis DB 13."""
    return BrightpearlClient.from_config(bp_settings(bp_sandbox.url), redis=redis13)


def seed(server, **counts):
    answer = requests.post(f"{server.url}/_sandbox/seed", json=counts, timeout=30)
    answer.raise_for_status()
    return answer.json()


def api_requests(server):
    return requests.get(f"{server.url}/_sandbox/requests", timeout=10).json()


def fault(server, **rule):
    requests.post(f"{server.url}/_sandbox/faults", json=rule, timeout=10).raise_for_status()


def test_products_are_read_in_id_sets_of_200(bp, bp_sandbox):
    summary = seed(bp_sandbox, products=450, customers=1)
    low, high = summary["productIds"]
    products = bp.get_products(range(low, high + 1))
    assert len(products) == 450 and len({p["id"] for p in products}) == 450
    routes = {r["route"]: r["count"] for r in api_requests(bp_sandbox)["routes"]}
    assert routes["/public-api/<account>/product-service/product/<idset>"] == 3


def test_search_pages_and_zips_columns(bp, bp_sandbox):
    seed(bp_sandbox, products=40, customers=1)
    pages = list(bp.search_pages("/product-service/product-search",
                                 columns=["SKU", "productId"], page_size=7))
    rows = [row for page in pages for row in page.rows]
    assert len(pages) == 6 and len(rows) == 40
    assert list(rows[0]) == ["SKU", "productId"] and isinstance(rows[0]["productId"], int)
    assert len({row["productId"] for row in rows}) == 40
    by_sku = bp.find_products_by_sku(rows[5]["SKU"])
    assert [r["productId"] for r in by_sku] == [rows[5]["productId"]]


def test_period_filters_pass_with_an_unescaped_slash_and_an_offset(bp, bp_sandbox):
    seed(bp_sandbox, products=5, customers=1)
    since = datetime.now(timezone(timedelta(hours=2))) - timedelta(hours=1)
    assert len(list(bp.search_products(created_since=since))) == 5
    assert list(bp.search_products(created_since=since + timedelta(hours=2))) == []
    # Never edited: updatedOn is null, so an updatedOn period finds none of them.
    assert list(bp.search_products(updated_since=since)) == []


def test_both_not_found_shapes(bp, bp_sandbox):
    seed(bp_sandbox, products=2, customers=1)
    with pytest.raises(NotFoundError):
        bp.get_order(424242)  # 200 {"response": []}
    assert bp.get_contacts([424242]) == []  # 404 CMNC-404
    with pytest.raises(NotFoundError):
        bp.get_sales_credit(424242)


def test_a_bad_filter_value_is_permanent(bp, bp_sandbox):
    with pytest.raises(PermanentError) as caught:
        list(bp.search_orders(updatedOn="not-a-date/"))
    assert caught.value.code == "CMNC-018" and not isinstance(caught.value, TransientError)


def test_5xx_is_transient_and_retried_for_gets(bp, bp_sandbox):
    fault(bp_sandbox, route="warehouse-service/warehouse", status=500, count=2)
    assert bp.get_warehouses()  # two 500s, then the answer
    fault(bp_sandbox, route="warehouse-service/warehouse", status=502, count=5)
    with pytest.raises(TransientError) as caught:
        bp.get_warehouses()
    assert caught.value.status == 502


def test_timeouts_are_transient(bp_sandbox, redis13):
    bp = BrightpearlClient.from_config(bp_settings(bp_sandbox.url), redis=redis13,
                                       timeout=(2, 0.3), retries=0)
    fault(bp_sandbox, route="order-service/order-status", timeout_seconds=1.0, count=1)
    with pytest.raises(TransientError) as caught:
        bp.get_order_statuses()
    assert "in time" in str(caught.value)


def test_validation_errors_are_permanent_with_the_platform_message(bp, bp_sandbox):
    with pytest.raises(PermanentError) as caught:
        bp.create_sales_order({"ref": "WC-1"})
    assert caught.value.code == "ORDC-003" and "customer.id is required" in str(caught.value)


def test_customer_order_payment_and_status(bp, bp_sandbox):
    seed(bp_sandbox, products=3, customers=2)
    address = bp.create_postal_address({"addressLine1": "1 High St", "addressLine3": "Leeds",
                                        "postalCode": "LS1 1AA", "countryIsoCode": "GBR"})
    contact = bp.create_contact({"firstName": "Jo", "lastName": "Bloggs",
                                 "postAddressIds": {"DEF": address, "BIL": address,
                                                    "DEL": address},
                                 "communication": {"emails": {"PRI": {"email": "Jo@Example.com"}}}})
    bp.create_contact({"firstName": "Joe", "lastName": "Other",
                       "communication": {"emails": {"PRI": {"email": "xjo@example.com.au"}}}})
    found = bp.find_contacts_by_email("jo@example.com")
    assert [c["contactId"] for c in found] == [contact]  # substring matches filtered out
    product = bp.search_products().__next__()
    order_id = bp.create_sales_order({
        "customer": {"id": contact}, "ref": "WC-1001", "externalRef": "wc-1001",
        "placedOn": "2024-05-01T10:00:00+01:00",
        "rows": [{"productId": product["productId"], "quantity": "1", "taxCode": "T",
                  "net": "10.00", "tax": "2.00"}]})
    assert bp.get_order(order_id)["id"] == order_id
    assert [o["orderId"] for o in bp.find_orders_by_external_ref("wc-1001")] == [order_id]
    assert bp.find_orders_by_external_ref("wc-10") == []
    sales_order = bp.get_sales_order(order_id)
    assert isinstance(sales_order["rows"], list)
    status = next(s for s in bp.get_order_statuses()
                  if s["orderTypeCode"] == "SO" and s.get("visible", True)
                  and s["statusId"] != bp.get_order(order_id)["orderStatus"]["orderStatusId"]
                  and "cancel" not in s["name"].lower())
    bp.update_order_status(order_id, status["statusId"], note="from the tests")
    assert bp.get_order(order_id)["orderStatus"]["orderStatusId"] == status["statusId"]
    method = bp.get_payment_methods()[0]["code"]
    payment = bp.create_customer_payment({
        "paymentMethodCode": method, "paymentType": "RECEIPT", "orderId": order_id,
        "currencyIsoCode": "GBP", "amountPaid": "12.00", "transactionRef": "txn-1",
        "paymentDate": "2024-05-01T10:00:00+01:00"})
    rows = list(bp.search_customer_payments(transactionRef="txn-1"))
    assert [r["paymentId"] for r in rows] == [payment]


def test_webhook_subscriptions(bp, bp_sandbox):
    assert bp.list_webhooks() == []  # 404 CMNC-404 when there are none
    hook = bp.create_webhook({"subscribeTo": "product.modified.on-hand-modified",
                              "httpMethod": "POST", "uriTemplate": "http://127.0.0.1:9/h/s",
                              "bodyTemplate": "{}", "contentType": "application/json",
                              "idSetAccepted": True, "qualityOfService": 1})
    assert [h["id"] for h in bp.list_webhooks()] == [hook]
    with pytest.raises(PermanentError) as caught:
        bp.create_webhook({"subscribeTo": "order.created", "httpMethod": "POST",
                           "uriTemplate": "http://x/", "bodyTemplate": "{}",
                           "contentType": "application/json"})
    assert caught.value.code == "INTC-064"
    bp.delete_webhook(hook)
    assert bp.list_webhooks() == []


def test_reference_lists_and_availability(bp, bp_sandbox):
    summary = seed(bp_sandbox, products=30, customers=1, bundles=1)
    for method in ("get_warehouses", "get_price_lists", "get_order_statuses", "get_channels",
                   "get_payment_methods", "get_shipping_methods", "get_tax_codes",
                   "get_nominal_codes"):
        assert isinstance(getattr(bp, method)(), list) and getattr(bp, method)(), method
    low, high = summary["productIds"]
    availability = bp.get_availability(range(low, high + 1))
    assert availability and all("total" in v for v in availability.values())
    bundle = summary["bundleIds"][0]
    assert "total" in bp.get_bundle_availability(bundle)
    prices = bp.get_prices(range(low, high + 1), bp.get_price_lists()[0]["id"])
    assert prices and all(p["priceLists"][0]["quantityPrice"] for p in prices)


def test_every_call_is_counted(bp, bp_sandbox):
    bp.get_warehouses()
    bp.get_warehouses()
    with pytest.raises(NotFoundError):
        bp.get_order(5)
    counts = bp.counter.counts()["brightpearl"]
    assert counts["GET /warehouse-service/warehouse"] == {"ok": 2}
    assert counts["GET /order-service/order/{id}"] == {"ok": 1}


def test_a_bad_patch_500_is_permanent_and_not_retried(bp, bp_sandbox):
    # Issue 12, item 6: CMNC-044 (a JSON-Patch operation Brightpearl refuses) comes back as
    # HTTP 500 like an outage would; it is the client's error, so it must not be retried.
    fault(bp_sandbox, route="order-service/order-status", status=500, count=3, body={
        "errors": [{"code": "CMNC-044",
                    "message": "Invalid patch operation (add) for given path (/reference)"}]})
    with pytest.raises(PermanentError) as caught:
        bp.get_order_statuses()
    assert caught.value.code == "CMNC-044" and not isinstance(caught.value, TransientError)
    calls = bp.counter.counts()["brightpearl"]["GET /order-service/order-status"]
    assert calls == {"permanent": 1}


def test_customers_are_looked_up_by_primary_email(bp, bp_sandbox):
    # Issue 12, item 5: allEmail is not a column of the real contact search (the strict
    # emulator refuses it, as the stricter reading of an UNCONFIRMED point); primaryEmail is.
    seed(bp_sandbox, products=1, customers=3)
    email = bp.get_contacts([201])[0]["communication"]["emails"]["PRI"]["email"]
    assert [c["contactId"] for c in bp.find_contacts_by_email(email.upper())] == [201]
    calls = bp.counter.counts()["brightpearl"]["GET /contact-service/contact-search"]
    assert calls == {"ok": 1}


def test_categories_for_the_flows_page(bp, bp_sandbox):
    from jobs.core.reference_data import reference_pairs

    pairs = reference_pairs("categories", bp.get_categories())
    assert ("296", "296 — Clothing") in pairs and len(pairs) == 6


def test_a_401_that_echoes_the_token_never_shows_it(bp_sandbox, redis13):
    # Brightpearl echoes a refused token in the 401 body ("Invalid instance token: …").
    token = "wrong-staff-token-123456"
    bp = BrightpearlClient.from_config(bp_settings(bp_sandbox.url,
                                                   BRIGHTPEARL_STAFF_TOKEN=token), redis=redis13)
    with pytest.raises(PermanentError) as caught:
        bp.get_warehouses()
    assert caught.value.status == 401
    assert token not in str(caught.value) and token not in caught.value.detail
    assert "***" in caught.value.detail
