"""Refunds as sales credits and order status decisions: pure, table-tested."""
from decimal import Decimal

import pytest

from jobs.core.outcomes import WaitingForSettings
from jobs.orders.refund_mapping import (credit_rows, fully_refunded, new_refunds,
                                       payback_blockers, refund_payment, restocked_items,
                                       sales_credit)
from jobs.orders.status_mapping import cancel_blockers, woo_status_for
from tests.fixtures import load

SETTINGS = {"tax_codes": {"standard": "T20"}, "zero_tax_code": "T0",
            "refund_nominal_code": "4001", "payment_methods": {"stripe": "STRIPE"},
            "credit_status_id": 9, "warehouse_id": 2, "channel_id": 1}
SKUS = {"CLASSIC-CAP-00001": 1001}


def refund_line(item_id, sku, quantity, total, tax):
    return {"id": 500 + item_id, "name": sku, "quantity": -quantity, "tax_class": "",
            "subtotal": f"-{total}", "subtotal_tax": f"-{tax}", "total": f"-{total}",
            "total_tax": f"-{tax}", "sku": sku,
            "meta_data": [{"key": "_refunded_item_id", "value": str(item_id)}]}


def refund(refund_id=901, amount="10.00", lines=(), reason="Damaged in transit"):
    return {"id": refund_id, "amount": amount, "reason": reason,
            "date_created_gmt": "2026-11-21T09:00:00", "line_items": list(lines)}


def test_line_refund_credits_exactly_the_lines():
    rows = credit_rows(refund(amount="10.00", lines=[refund_line(315, "CLASSIC-CAP-00001", 1,
                                                                 "8.33", "1.67")]),
                       SETTINGS, SKUS)
    assert rows == [{"name": "CLASSIC-CAP-00001", "quantity": "1", "net": "8.33", "tax": "1.67",
                     "taxCode": "T20", "nominalCode": "4001", "externalRef": "315",
                     "productId": 1001}]


def test_money_only_refund_is_one_free_text_row():
    rows = credit_rows(refund(amount="4.99"), SETTINGS, SKUS)
    assert rows == [{"name": "Refund: Damaged in transit", "quantity": "1", "net": "4.99",
                     "tax": "0.00", "taxCode": "T0", "nominalCode": "4001",
                     "externalRef": "refund-901"}]


def test_lines_plus_shipping_refund_adds_the_remainder():
    rows = credit_rows(refund(amount="15.00", lines=[refund_line(315, "CLASSIC-CAP-00001", 1,
                                                                 "8.33", "1.67")]),
                       SETTINGS, SKUS)
    assert sum(Decimal(r["net"]) + Decimal(r["tax"]) for r in rows) == Decimal("15.00")
    assert rows[-1]["net"] == "5.00" and "not covered" in rows[-1]["name"]


def test_credit_body_and_payment():
    order = load("woo_order.json")
    body = sales_credit(order, refund(), SETTINGS, contact_id=200, bp_order_id=55,
                        product_ids=SKUS)
    assert (body["parentId"], body["externalRef"], body["customer"], body["statusId"]) == (
        55, "woo-refund-901", {"id": 200}, 9)
    assert body["placedOn"] == "2026-11-21T09:00:00+00:00"
    pay = refund_payment(order, refund(), SETTINGS, credit_id=77)
    assert (pay["paymentType"], pay["orderId"], pay["amountPaid"], pay["transactionRef"]) == (
        "PAYMENT", 77, "10.00", "woo-refund-901")


def test_new_refunds_and_restock():
    order = {"refunds": [{"id": 903, "total": "-1.00"}, {"id": 901, "total": "-2.00"}]}
    assert new_refunds(order, {901}) == [903]
    assert restocked_items(refund(lines=[refund_line(315, "CLASSIC-CAP-00001", 2, "1", "0")])) == [
        ("CLASSIC-CAP-00001", 2)]


def test_missing_refund_nominal_waits():
    with pytest.raises(WaitingForSettings, match="refund nominal code"):
        credit_rows(refund(), {"zero_tax_code": "T0"}, {})


@pytest.mark.parametrize("bp_order, shipped, expected", [
    ({"orderStatus": {"orderStatusId": 4}}, False, "processing"),
    ({"orderStatus": {"orderStatusId": 99}}, False, "on-hold"),
    ({"orderStatus": {"orderStatusId": 4}, "shippingStatusCode": "ASS"}, False, "completed"),
    ({"orderStatus": {"orderStatusId": 4}}, True, "completed"),
])
def test_woo_status_for(bp_order, shipped, expected):
    settings = {"status_map": {"4": "processing"}, "default_woo_status": "on-hold"}
    assert woo_status_for(bp_order, settings, fully_shipped=shipped) == expected


def test_unmapped_without_default_is_none():
    assert woo_status_for({"orderStatus": {"orderStatusId": 7}}, {}) is None


def test_cancel_blockers():
    assert cancel_blockers({"orderPaymentStatus": "UNPAID", "invoices": []}, []) == []
    assert cancel_blockers({"orderPaymentStatus": "PAID",
                            "invoices": [{"invoiceReference": "INV1"}]}, [{"id": 1}]) == [
        "it has goods-out notes", "it is invoiced", "it has payments"]


@pytest.mark.parametrize("total, refunds, expected", [
    ("30.00", ["-30.00"], True),
    ("30.00", ["-10.00", "-20.00"], True),
    ("30.00", ["-29.99"], False),
    ("30.00", [], False),
    ("0.00", ["-0.00"], False),  # nothing was paid, so nothing is refunded in full
])
def test_fully_refunded(total, refunds, expected):
    order = {"total": total, "refunds": [{"id": i, "total": t} for i, t in enumerate(refunds)]}
    assert fully_refunded(order) is expected


@pytest.mark.parametrize("bp_order, notes, credits, expected", [
    ({"orderPaymentStatus": "PAID"}, {}, [], []),  # payments are paid back: no reason
    ({}, {"7001": {}}, [], ["it has shipped (or has goods-out notes)"]),
    ({"invoices": [{"invoiceReference": "INV1"}]}, {}, [], ["it is invoiced"]),
    ({}, {}, [12, 9], ["an earlier refund became sales credit #9"]),
])
def test_payback_blockers(bp_order, notes, credits, expected):
    assert payback_blockers(bp_order, notes, credits) == expected


def test_cancel_mode_needs_its_cancelled_status():
    from marshmallow import ValidationError
    from models.flow_settings import load_settings

    with pytest.raises(ValidationError) as raised:
        load_settings("refunds", {"refund_nominal_code": "4000", "full_refund_unshipped": "cancel"})
    assert "cancelled_status_id" in raised.value.messages
    loaded = load_settings("refunds", {"refund_nominal_code": "4000"})
    assert loaded["full_refund_unshipped"] == "credit"  # the default: always accepted
