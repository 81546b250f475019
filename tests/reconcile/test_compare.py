"""The pure comparisons: facts in, findings out (no I/O), table by table."""
from decimal import Decimal

import pytest

from jobs.inventory.availability import rules_from_settings
from jobs.inventory.plan import Facts
from jobs.reconcile.orders import BpOrder, compare_orders
from jobs.reconcile.products import compare_products, same
from jobs.reconcile.shipments import compare_shipments, needs_note_texts
from jobs.reconcile.stock import compare_stock
from models.flow_settings import load_settings
from models.stock import StockItem

SETTINGS = {"import_statuses": ["processing", "completed", "on-hold"], "new_order_status_id": 2,
            "status_map": {"2": "processing", "6": "completed", "8": "cancelled"},
            "cancelled_status_id": 8}
ALL = {"orders", "status", "refunds"}


def woo(order_id=10, status="processing", total="24.99", paid=True, refunds=(), **extra):
    return dict({"id": order_id, "number": str(order_id), "status": status, "total": total,
                 "currency": "GBP", "date_created_gmt": "2026-03-01T10:00:00",
                 "date_paid_gmt": "2026-03-01T10:00:01" if paid else None,
                 "payment_method": "stripe", "refunds": list(refunds), "meta_data": [],
                 "line_items": [{"id": 1}]}, **extra)


def so(order_id=500, ref="10", total="24.99", status=2, paid="PAID", shipping="SNS"):
    return BpOrder(order_id, 1, ref, status, None, Decimal(total), paid, shipping)


def kinds(findings):
    return sorted(f.kind for f in findings)


@pytest.mark.parametrize("order, bp, expected", [
    (woo(), [so()], []),
    (woo(), [], ["order_missing"]),
    (woo(), [so(), so(501)], ["order_duplicated"]),
    (woo(), [so(), so(501, status=8)], []),  # a cancelled copy is no longer a duplicate
    (woo(), [so(total="24.98")], ["order_total"]),
    (woo(), [so(paid="UNPAID")], ["payment_missing"]),
    (woo(status="on-hold", paid=False), [so(paid="UNPAID")], []),  # not paid yet: nothing due
    (woo(), [so(status=6)], ["order_status"]),  # Brightpearl says dispatched → completed
    (woo(status="completed"), [so(status=2)], []),  # still new in Brightpearl: Woo stands
    (woo(), [so(status=6, shipping="ASS")], []),  # fully shipped: the shipments check's
    (woo(status="pending"), [], []),  # not an imported status
    (woo(refunds=[{"id": 77, "total": "-5.00"}]), [so()], ["refund_missing"]),
    (woo(refunds=[{"id": 77, "total": "-5.00"}]),
     [so(), BpOrder(900, 3, "woo-refund-77", 10, 500, Decimal("5.01"))], ["refund_amount"]),
    (woo(refunds=[{"id": 77, "total": "-5.00"}]),
     [so(), BpOrder(900, 3, "woo-refund-77", 10, 500, Decimal("5.00"))], []),
    (woo(status="refunded", refunds=[{"id": 77, "total": "-24.99"}]), [so()],
     ["refund_missing"]),  # a refunded order is not compared, its refunds are
])
def test_orders(order, bp, expected):
    assert kinds(compare_orders([order], bp, SETTINGS, ALL)) == expected


def test_order_findings_say_what_each_side_says_and_keep_the_linked_copy():
    [duplicate] = compare_orders([woo()], [so(500), so(501)], SETTINGS, ALL, links={10: 501})
    assert duplicate.facts["bp_order_id"] == 501 and duplicate.facts["extra_bp_order_ids"] == [500]
    assert duplicate.record_key == "woo-10" and duplicate.log_type == "order"
    [total] = compare_orders([woo()], [so(total="25.00")], SETTINGS, ALL)
    assert (total.woo_says, total.bp_says) == ("total 24.99", "total 25.00 (sales order #500)")
    assert "by 0.01" in total.title and str(total.occurred_at) == "2026-03-01 10:00:00"
    assert compare_orders([woo()], [so(status=6)], SETTINGS, {"orders"}) == []  # area off


def note(note_id=7001, number="TRK1", shipped=True, kind="goods-out-note"):
    return kind, note_id, {"status": {"shipped": shipped}, "shipping": {"reference": number}}


def tracked(*numbers):
    items = [{"tracking_number": n} for n in numbers]
    return [{"key": "_wc_shipment_tracking_items", "value": items}]


@pytest.mark.parametrize("order, shipping, notes, texts, expected", [
    (woo(meta_data=tracked("TRK1")), "SPS", [note()], {}, []),
    (woo(), "SPS", [note()], {}, ["shipment_tracking"]),
    (woo(meta_data=[{"key": "_tracking_number", "value": "TRK1"}]), "SPS", [note()], {}, []),
    (woo(meta_data=tracked("TRK1")), "ASS", [note()], {}, ["shipment_completion"]),
    (woo(status="completed", meta_data=tracked("TRK1")), "ASS", [note()], {}, []),
    (woo(meta_data=tracked("TRK1")), "SPS", [note(number=""), note(7002, shipped=False)], {},
     []),
    (woo(meta_data=[{"key": "_tracking_number", "value": "TRK2"}]), "SPS",
     [note(), note(7002, "TRK2")], {10: "Shipped with Royal Mail: tracking number TRK1"}, []),
    (woo(), "SPS", [note(9001, "DS1", kind="drop-ship-note")], {}, ["shipment_tracking"]),
])
def test_shipments(order, shipping, notes, texts, expected):
    bp = so(shipping=shipping)
    found = compare_shipments([(order, bp)], {500: notes}, {"complete_when_shipped": True},
                              texts)
    assert kinds(found) == expected


def test_shipment_findings_name_the_note_and_the_fallback_needs_the_notes():
    [finding] = compare_shipments([(woo(), so(shipping="SPS"))], {500: [note()]},
                                  {"complete_when_shipped": True})
    assert finding.record_key == "gon-7001" and finding.facts["tracking_number"] == "TRK1"
    assert compare_shipments([(woo(), so(shipping="ASS"))], {500: [note(number="")]},
                             {"complete_when_shipped": False}) == []
    assert needs_note_texts(woo(), ["A", "B"]) and not needs_note_texts(woo(), ["A"])
    assert not needs_note_texts(woo(meta_data=tracked("A")), ["A", "B"])


def item(pid, sku, tracked=True, components=None, categories=""):
    return StockItem(bp_product_id=pid, sku=sku, name=sku, stock_tracked=tracked,
                     components_json=components, categories=categories)


def levels(**on_hand):
    return {str(pid): {"total": {}, "warehouses": {"2": {"onHand": n}}}
            for pid, n in ((int(k[1:]), v) for k, v in on_hand.items())}


def test_stock_applies_the_inventory_flows_rules():
    items = {1: item(1, "A"), 2: item(2, "B"), 3: item(3, "C", tracked=False),
             4: item(4, "KIT", tracked=False, components="[[1, 2]]"), 5: item(5, "D")}
    store = {"A": {"id": 11, "manage_stock": True, "stock_quantity": 10},
             "B": {"id": 12, "manage_stock": True, "stock_quantity": 4},  # buffer says 3
             "C": {"id": 13, "manage_stock": False, "stock_quantity": None},
             "KIT": {"id": 14, "manage_stock": True, "stock_quantity": 5},
             "D": {"id": 15, "manage_stock": False, "stock_quantity": None}}
    rules = rules_from_settings(load_settings("inventory", {"buffer_by_sku": {"B": 2}}))
    facts = Facts(items=items, links={}, levels=levels(p1=10, p2=5, p5=1), rules=rules)
    found = {f.facts["sku"]: f for f in compare_stock(items, store, facts)}
    assert sorted(found) == ["B", "D"]  # the kit: ⌊10 / 2⌋ = 5 matches; C is untracked
    assert found["B"].facts["expected"] == 3 and found["B"].woo_says == "stock 4"
    assert "buffer for B 2" in found["B"].bp_says
    assert found["D"].woo_says == "stock not managed" and found["D"].record_key == "bp-5"


def test_stock_kept_on_a_parent_is_the_sum_of_its_variations():
    items = {1: item(1, "V1"), 2: item(2, "V2")}
    store = {s: {"id": 20 + i, "parent_id": 9, "manage_stock": "parent", "stock_quantity": q}
             for i, (s, q) in enumerate((("V1", 7), ("V2", 7)))}
    facts = Facts(items=items, links={}, levels=levels(p1=3, p2=4),
                  rules=rules_from_settings(load_settings("inventory", {})))
    assert compare_stock(items, store, facts) == []
    facts.levels = levels(p1=3, p2=5)
    [finding] = compare_stock(items, store, facts)
    assert finding.facts["expected"] == 8 and "parent product #9" in finding.bp_says


PRODUCT_SETTINGS = {"price_list_id": 1, "owned_fields": ["name", "price", "weight"],
                    "include": "all", "new_product_status": "publish"}


def bp_product(pid=1001, sku="MUG-1", name="Classic Mug", group=None, status="LIVE"):
    return {"id": pid, "identity": {"sku": sku}, "status": status, "productGroupId": group,
            "salesChannels": [{"productName": name}], "stock": {"weight": {"magnitude": 0.5}},
            "variations": [{"optionName": "Colour", "optionValue": "Red"}] if group else []}


def test_products_missing_and_owned_fields():
    prices = {1001: {1: {"1": "12.50"}}, 1002: {1: {"1": "3.00"}}}
    store = {"MUG-1": {"id": 31, "name": "Classic Mug", "regular_price": "12.5",
                       "sale_price": "", "weight": "0.50"},
             "CUP-1": {"id": 32, "name": "Renamed", "regular_price": "3.00", "sale_price": "",
                       "weight": "0.5"}}
    products = [bp_product(), bp_product(1002, "CUP-1", "Cup"), bp_product(1003, "NEW-1", "New"),
                bp_product(1004, "OLD-1", "Old", status="DISCONTINUED")]
    found = {f.record_key: f for f in compare_products(products, prices, store, {},
                                                       PRODUCT_SETTINGS)}
    assert sorted(found) == ["bp-1002", "bp-1003"]  # 12.5 = 12.50; the old one is not in scope
    assert found["bp-1002"].kind == "product_fields" and found["bp-1002"].facts["fields"] == [
        "name"]
    assert (found["bp-1002"].woo_says, found["bp-1002"].bp_says) == ("name Renamed", "name Cup")
    assert found["bp-1003"].kind == "product_missing"


def test_a_variable_products_own_fields_are_compared_too():
    members = [bp_product(1001, "MUG-R", "Mug (Red)", group=1001)]
    store = {"MUG-R": {"id": 41, "parent_id": 40, "regular_price": "12.50", "weight": "0.5"}}
    parents = {40: {"id": 40, "name": "Mug, renamed"}}
    [finding] = compare_products(members, {1001: {1: {"1": "12.50"}}}, store, parents,
                                 PRODUCT_SETTINGS)
    assert finding.facts["fields"] == ["parent name"] and "Mug" in finding.bp_says


@pytest.mark.parametrize("key, want, have, equal", [
    ("regular_price", "12.50", "12.5", True), ("regular_price", "12.50", "12.51", False),
    ("sale_price", "", None, True), ("weight", "0.5", "0.500", True),
    ("dimensions", {"length": "2", "width": "1", "height": "0"},
     {"length": "2.0", "width": "1", "height": ""}, True),
    ("categories", [{"id": 3}, {"id": 1}], [{"id": 1, "name": "x"}, {"id": 3}], True),
    ("name", "Mug", "mug", False), ("description", "", None, True),
])
def test_values_compare_as_woo_stores_them(key, want, have, equal):
    assert same(key, want, have) is equal
