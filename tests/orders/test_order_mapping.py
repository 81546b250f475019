"""Woo order → Brightpearl sales order: table-tested over realistic orders, cent-exact."""
import copy
from decimal import Decimal

import pytest

from jobs.orders.mapping import (check_importable, free_text_lines, iso3, payment, rows_total,
                                 sales_order, unmatched)
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from models.flow_settings import load_settings
from tests.fixtures import load

SETTINGS = load_settings("orders", {
    "channel_id": 1, "warehouse_id": 2, "price_list_id": 1, "new_order_status_id": 2,
    "tax_codes": {"standard": "T20", "reduced-rate": "T5", "zero-rate": "T0"},
    "zero_tax_code": "T0",
    "nominal_codes": {"sales": "4000", "shipping": "4040", "discount": "4010", "fees": "4020",
                      "rounding": "4030"},
    "shipping_methods": {"flat_rate": "3", "local_pickup": "4"},
    "payment_methods": {"stripe": "STRIPE", "bacs": "BANK"},
})
SKUS = {"CLASSIC-CAP-00001": 1001, "VINTAGE-NOTEBOOK-00000-RS": 1002}


def order(**changes):
    base = load("woo_order.json")
    base.update(changes)
    return base


def line(line_id, sku, quantity, subtotal, subtotal_tax, tax_class="", name=None):
    return {"id": line_id, "name": name or sku, "product_id": 90, "variation_id": 0,
            "quantity": quantity, "tax_class": tax_class, "subtotal": subtotal,
            "subtotal_tax": subtotal_tax, "total": subtotal, "total_tax": subtotal_tax,
            "taxes": [], "meta_data": [], "sku": sku, "price": 1.0}


def many_lines(count):
    lines = [line(1000 + i, "CLASSIC-CAP-00001", 1, "3.33", "0.67") for i in range(count)]
    total = Decimal("4.00") * count
    return order(line_items=lines, shipping_lines=[], coupon_lines=[], fee_lines=[],
                 total=str(total))


CASES = {
    "tax-exclusive with coupon and shipping": order(),
    "tax-inclusive store": order(prices_include_tax=True),
    "foreign currency": order(currency="EUR"),
    "fees and two shipping lines": order(
        fee_lines=[{"id": 401, "name": "Gift wrap &amp; card", "tax_class": "", "total": "2.50",
                    "total_tax": "0.50"}],
        shipping_lines=[
            {"id": 317, "method_title": "Flat Rate", "method_id": "flat_rate", "total": "4.17",
             "total_tax": "0.83"},
            {"id": 318, "method_title": "Pickup", "method_id": "local_pickup", "total": "0.00",
             "total_tax": "0.00"}],
        total="56.00"),
    "reduced and zero rates": order(line_items=[
        line(1, "CLASSIC-CAP-00001", 3, "10.00", "0.50", "reduced-rate"),
        line(2, "VINTAGE-NOTEBOOK-00000-RS", 1, "7.99", "0.00", "zero-rate")],
        coupon_lines=[], shipping_lines=[], total="18.49"),
    "rounding of a tax-inclusive cart": order(line_items=[
        line(1, "CLASSIC-CAP-00001", 3, "8.33", "1.67")], coupon_lines=[], shipping_lines=[],
        total="10.01", prices_include_tax=True),
    "120 lines": many_lines(120),
    "guest checkout": order(customer_id=0),
}


@pytest.mark.parametrize("name", CASES)
def test_rows_add_up_to_the_woo_total_to_the_cent(name):
    woo = copy.deepcopy(CASES[name])
    body = sales_order(woo, SETTINGS, contact_id=200, product_ids=SKUS)
    assert rows_total(body["rows"]) == Decimal(woo["total"])
    assert all(isinstance(r["net"], str) and len(r["net"].split(".")[1]) == 2 for r in body["rows"])
    assert body["externalRef"] == str(woo["id"]) and body["customer"]["id"] == 200
    assert body["placedOn"] == woo["date_created_gmt"] + "+00:00"
    assert body["currency"] == {"code": woo["currency"]}
    assert body["priceModeCode"] == ("INC" if woo["prices_include_tax"] else "EXC")
    product_rows = [r for r in body["rows"] if r["externalRef"].isdigit()]
    assert len(product_rows) == len(woo["line_items"])


def test_the_fixture_order_in_detail():
    body = sales_order(order(), SETTINGS, contact_id=200, product_ids=SKUS)
    rows = {r["externalRef"]: r for r in body["rows"]}
    assert rows["315"] == {"name": "Woo Single #1", "quantity": "2", "net": "20.00", "tax": "4.00",
                           "taxCode": "T20", "nominalCode": "4000", "externalRef": "315",
                           "productId": 1001}
    assert rows["316"]["name"] == "Ship Your Idea – Color: Black"  # entities decoded
    assert rows["shipping-317"]["nominalCode"] == "4040"
    assert rows["coupon-319"] == {"name": "Discount: welcome5", "quantity": "1", "net": "-5.00",
                                  "tax": "-1.00", "taxCode": "T20", "nominalCode": "4010",
                                  "externalRef": "coupon-319"}
    assert "rounding" not in rows
    assert body["delivery"]["shippingMethodId"] == 3
    assert body["delivery"]["address"]["countryIsoCode"] == "GBR"
    assert body["customer"]["address"]["addressFullName"] == "Chloé O'Brien"


def test_rounding_row_when_rows_miss_the_total_by_a_cent():
    body = sales_order(CASES["rounding of a tax-inclusive cart"], SETTINGS, 200, SKUS)
    rounding = body["rows"][-1]
    assert (rounding["name"], rounding["net"], rounding["nominalCode"]) == (
        "Rounding difference", "0.01", "4030")


def test_unknown_sku_free_text_or_fail():
    body = sales_order(order(), SETTINGS, 200, {"CLASSIC-CAP-00001": 1001})
    unknown = [r for r in body["rows"] if r["externalRef"] == "316"][0]
    assert "productId" not in unknown and "not in Brightpearl" in unknown["name"]
    with pytest.raises(Rejected, match="SKU VINTAGE-NOTEBOOK-00000-RS is not in Brightpearl"):
        sales_order(order(), dict(SETTINGS, unknown_sku="fail"), 200, {"CLASSIC-CAP-00001": 1})
    with pytest.raises(Skipped, match="^held: line .*SKU VINTAGE-NOTEBOOK-00000-RS is not in "
                                      "Brightpearl — add a product with SKU"):
        sales_order(order(), dict(SETTINGS, unknown_sku="hold"), 200, {"CLASSIC-CAP-00001": 1})


@pytest.mark.parametrize("line, expected", [
    ({"sku": "ABC", "product_id": 5}, "SKU ABC is not in Brightpearl"),
    ({"sku": None, "product_id": 5}, "its product was deleted in WooCommerce, so it has no SKU"),
    ({"sku": "", "product_id": 0, "variation_id": 0}, "it has no SKU"),
])
def test_why_a_line_has_no_product(line, expected):
    assert unmatched(line)[0] == expected


def test_free_text_lines_are_named_for_the_row():
    lines = {"line_items": [{"name": "Cap", "sku": "CAP"}, {"name": "Mug &amp; Co", "sku": None,
                                                             "product_id": 9}]}
    assert free_text_lines(lines, {"CAP": 1}) == (
        "; 1 line as a free-text row, no stock allocated: 'Mug & Co' (its product was deleted "
        "in WooCommerce, so it has no SKU)")
    assert free_text_lines({"line_items": lines["line_items"][:1]}, {"CAP": 1}) == ""


@pytest.mark.parametrize("missing, message", [
    ("shipping_methods", "shipping method `flat_rate` has no Brightpearl mapping"),
    ("tax_codes", "tax class `standard` has no Brightpearl tax code"),
    ("new_order_status_id", "the Brightpearl status for new orders is not set"),
])
def test_missing_settings_are_named(missing, message):
    settings = dict(SETTINGS)
    settings.pop(missing)
    with pytest.raises(WaitingForSettings) as caught:
        sales_order(order(), settings, 200, SKUS)
    assert caught.value.missing == message


@pytest.mark.parametrize("status, imported", [
    ("processing", True), ("completed", True), ("on-hold", True), ("pending", False),
    ("checkout-draft", False), ("cancelled", False)])
def test_import_statuses(status, imported):
    if imported:
        check_importable({"status": status}, load_settings("orders", {}))
    else:
        with pytest.raises(Skipped):
            check_importable({"status": status}, load_settings("orders", {}))


def test_payment_is_retry_safe_and_mapped():
    body = payment(order(), SETTINGS, bp_order_id=55)
    assert body == {"transactionRef": "ch_3Q2x9y", "paymentMethodCode": "STRIPE",
                    "paymentType": "RECEIPT", "orderId": 55, "currencyIsoCode": "GBP",
                    "exchangeRate": "1", "amountPaid": "53.00",
                    "paymentDate": "2026-11-20T10:15:03+00:00"}
    assert payment(order(transaction_id=""), SETTINGS, 55)["transactionRef"] == "woo-order-727"
    with pytest.raises(WaitingForSettings, match="payment method `paypal`"):
        payment(order(payment_method="paypal"), SETTINGS, 55)


def test_iso3():
    assert (iso3("GB"), iso3("de"), iso3("XX"), iso3("")) == ("GBR", "DEU", "", "")
