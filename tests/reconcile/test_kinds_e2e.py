"""Every kind of discrepancy, end to end over real HTTP: planted through the emulators' control
APIs, found by a run, repaired with one click on the staff page, resolved by the next run."""
import pytest

from models.db import connection
from models.logs import SyncLog
from models.reconcile import RESOLVED, Discrepancy


def plant_order_missing(shop):
    """Someone deletes the Brightpearl order of a synced Woo order (its stock freed)."""
    order = shop.checkout("cy@example.com")
    shop.settle()
    shop.platforms.bp_control(f"orders/{shop.bp_order_id(order)}", method="DELETE")
    return f"woo-{order['id']}"


def plant_order_duplicated(shop):
    """Another integration posts order A again (same externalRef, a free-text row)."""
    bp_id = shop.bp_order_id(shop.order_a)
    customer = shop.platforms.bp("GET", f"/order-service/order/{bp_id}")[0]["parties"][
        "customer"]["contactId"]
    shop.platforms.bp("POST", "/order-service/sales-order", json={
        "customer": {"id": customer}, "ref": "copy", "externalRef": str(shop.order_a["id"]),
        "channelId": 2, "warehouseId": 2, "rows": [{"name": "Copied order", "quantity": "1",
                                                    "net": "10.00", "tax": "2.00",
                                                    "taxCode": "T"}]})
    return f"woo-{shop.order_a['id']}"


def plant_order_total(shop):
    """The Woo order's total is changed by a cent behind Pearlbridge's back."""
    total = f"{float(shop.order_a['total']) + 0.01:.2f}"
    shop.platforms.woo_control("orders/edit", {"edits": [{"id": shop.order_a["id"],
                                                          "total": total}]})
    return f"woo-{shop.order_a['id']}"


def plant_order_status(shop):
    """Staff move order A to Dispatched in Brightpearl; the status webhook is lost."""
    shop.mute()
    shop.platforms.bp_control(f"orders/{shop.bp_order_id(shop.order_a)}/status",
                              {"orderStatusId": 6})
    shop.mute(False)
    return f"woo-{shop.order_a['id']}"


def plant_payment_missing(shop):
    """Order A's payment disappears from Brightpearl."""
    bp_id = shop.bp_order_id(shop.order_a)
    found = shop.platforms.bp("GET", "/accounting-service/customer-payment-search",
                              params={"orderId": bp_id, "columns": "paymentId,paymentType"})
    for payment_id, kind in found["results"]:
        if kind == "RECEIPT":
            shop.platforms.bp_control(f"payments/{payment_id}", method="DELETE")
    return f"woo-{shop.order_a['id']}"


def plant_refund_missing(shop):
    """A second refund of order A whose webhook is lost."""
    shop.mute()
    refund = shop.platforms.woo_control(f"orders/{shop.order_a['id']}/refund",
                                        {"amount": "2.00", "reason": "goodwill"})
    shop.mute(False)
    return f"woo-{refund['id']}"


def plant_refund_amount(shop):
    """Order A's sales credit gets a row of a cent more in Brightpearl."""
    refund_id = shop.platforms.woo("GET", f"/orders/{shop.order_a['id']}")["refunds"][0]["id"]
    credit = shop.platforms.bp("GET", "/order-service/order-search", params={
        "externalRef": f"woo-refund-{refund_id}", "columns": "orderId"})["results"][0][0]
    shop.platforms.bp("POST", f"/order-service/order/{credit}/row", json={
        "productName": "Extra", "quantity": {"magnitude": "1"}, "nominalCode": "4000",
        "rowValue": {"taxCode": "Z", "rowNet": {"value": "0.01"}, "rowTax": {"value": "0.00"}}})
    return f"woo-{refund_id}"


def plant_shipment_tracking(shop):
    """Part of order A ships in Brightpearl; the webhook is lost."""
    bp_id = shop.bp_order_id(shop.order_a)
    row = min(int(r) for r in shop.platforms.bp("GET", f"/order-service/order/{bp_id}")[0][
        "orderRows"])
    shop.mute()
    note = shop.platforms.bp_control(f"orders/{bp_id}/ship", {
        "rows": [row], "reference": "TRACK-A-1", "shippingMethodId": 49})
    shop.mute(False)
    return f"gon-{note['goodsOutNoteId']}"


def plant_shipment_completion(shop):
    """Order B, shipped in full, is set back to processing in Woo by a plugin."""
    shop.platforms.woo_control("orders/edit", {"edits": [{"id": shop.order_b["id"],
                                                          "status": "processing"}]})
    return "gon-"


def plant_stock(shop):
    """Pearlbridge writes a SKU's new stock; then the store's figure is changed behind its back."""
    sku = shop.skus(1, 4)[0]
    shop.platforms.bp_control("stock", {"sku": sku, "warehouseId": 2, "delta": 5})
    shop.settle()  # the inventory flow writes it (and remembers what it wrote)
    product = shop.platforms.woo("GET", "/products", params={"sku": sku})[0]
    shop.platforms.woo_control("products/edit", {"edits": [{
        "sku": sku, "stock_quantity": product["stock_quantity"] + 3}]})
    return "bp-"


def plant_product_missing(shop):
    """A simple product is deleted from the store."""
    shop.platforms.woo_control("products/edit", {"edits": [{"sku": shop.skus(1, 5)[0],
                                                            "delete": True}]})
    return "bp-"


def plant_product_fields(shop):
    """A product's name (owned by Brightpearl) is edited in the store."""
    shop.platforms.woo_control("products/edit", {"edits": [{"sku": shop.skus(1, 6)[0],
                                                            "name": "Renamed in Woo"}]})
    return "bp-"


PLANTS = {name[len("plant_"):]: func for name, func in globals().items()
          if name.startswith("plant_")}
# What a planted fault drags along, genuinely: a deleted order frees its stock; a product
# created again by the repair has its stock written by the inventory flow's next sweep.
ALSO = {"order_missing": {"stock"}, "product_missing": set()}
AFTER_REPAIR = {"product_missing": {"stock"}}


def test_a_clean_pair_gives_zero(shop):
    with connection():
        run = shop.reconcile()
    assert run.status == "done", run.error
    assert run.total_found == 0, [(d.kind, d.title) for d in shop.open()]
    assert run.checked["Woo orders"] == 2 and run.checked["shipped orders"] == 1
    assert run.bp_calls > 0


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_each_kind_is_found_repaired_with_one_click_and_resolved(kind, shop, shop_staff):
    with connection():
        key = PLANTS[kind](shop)
        run = shop.reconcile()
        found = shop.open(kind)
        assert run.found[kind] == 1 and len(found) == 1, (run.found, run.error)
        assert found[0].record_key.startswith(key)
        others = {d.kind for d in shop.open()} - {kind}
        assert others <= ALSO.get(kind, set()), [(d.kind, d.title) for d in shop.open()]
        discrepancy = found[0]
    answer = shop_staff.post_form(f"/reconcile/{discrepancy.id}/repair")
    assert answer.status_code == 302
    shop.settle()
    with connection():
        repaired = Discrepancy.get_by_id(discrepancy.id)
        row = SyncLog.get_by_id(repaired.repair_log_id)
        assert row.record_key == discrepancy.record_key
        assert row.status == "synced" or kind == "stock", (row.pending_reason, row.failure_reason)
        again = shop.reconcile()
        assert Discrepancy.get_by_id(discrepancy.id).status == RESOLVED
        left = {d.kind for d in shop.open()}
        assert left <= AFTER_REPAIR.get(kind, set()), [(d.kind, d.title) for d in shop.open()]
        assert again.found[kind] == 0


def test_an_order_whose_webhook_was_lost_is_repaired_and_its_stock_follows(shop, shop_staff):
    shop.mute()
    order = shop.checkout("lost@example.com")
    shop.mute(False)
    with connection():
        run = shop.reconcile()
        [missing] = shop.open("order_missing")
        assert missing.record_key == f"woo-{order['id']}"
        assert missing.facts["linked_bp_order_id"] is None
        assert run.found["stock"] == 2  # the store sold two units Brightpearl does not know of
    assert shop_staff.post_form("/reconcile/repair-all", {"kind": "order_missing"}).status_code == 302
    shop.settle()
    with connection():
        run = shop.reconcile()
        assert run.total_found == 0, [(d.kind, d.title) for d in shop.open()]
        assert shop.bp_order_id(order)


def test_repair_all_of_a_kind(shop, shop_staff):
    for offset in (3, 4):
        sku = shop.skus(1, offset)[0]
        product = shop.platforms.woo("GET", "/products", params={"sku": sku})[0]
        shop.platforms.woo_control("products/edit", {"edits": [{
            "sku": sku, "stock_quantity": product["stock_quantity"] + 1}]})
    with connection():
        assert shop.reconcile().found["stock"] == 2
    assert shop_staff.post_form("/reconcile/repair-all", {"kind": "stock"}).status_code == 302
    shop.settle()
    with connection():
        assert shop.reconcile().total_found == 0
        assert {d.status for d in Discrepancy.select()} == {RESOLVED}


def test_flask_reconcile_prints_the_report_and_fails_when_they_disagree(shop):
    runner = shop.platforms.app.test_cli_runner()
    since = "2026-01-01"
    clean = runner.invoke(args=["reconcile", "--since", since])
    assert clean.exit_code == 0, clean.output
    assert "The two platforms agree: no discrepancies." in clean.output
    assert "Woo orders 2" in clean.output and "Brightpearl calls" in clean.output
    plant_product_fields(shop)
    drift = runner.invoke(args=["reconcile", "--since", since, "--only", "products"])
    assert drift.exit_code == 1, drift.output
    assert "Woo product fields differ from Brightpearl: 1" in drift.output
    assert "Woo: name Renamed in Woo" in drift.output and "1 discrepancy remains" in drift.output
    assert "not checked: orders" in drift.output
    bad = runner.invoke(args=["reconcile", "--since", "2026-02-01", "--until", "2026-01-01"])
    assert bad.exit_code == 2


def repair_and_rerun(shop, shop_staff, kind):
    """Find exactly one discrepancy of kind, repair it on the page, settle, run again."""
    with connection():
        [found] = shop.open(kind)
        assert {d.kind for d in shop.open()} == {kind}
    assert shop_staff.post_form(f"/reconcile/{found.id}/repair").status_code == 302
    shop.settle()
    with connection():
        run = shop.reconcile()
        return Discrepancy.get_by_id(found.id), run


def test_tracking_removed_from_the_store_is_written_again(shop, shop_staff):
    # Pearlbridge remembers writing order B's tracking; a plugin then wipes it from the order.
    shop.platforms.woo_control("orders/edit", {"edits": [{
        "id": shop.order_b["id"], "remove_meta": ["_wc_shipment_tracking_items"]}]})
    with connection():
        shop.reconcile()
    repaired, run = repair_and_rerun(shop, shop_staff, "shipment_tracking")
    assert repaired.status == RESOLVED and run.total_found == 0
    order = shop.platforms.woo("GET", f"/orders/{shop.order_b['id']}")
    assert "TRACK-B-1" in str(order["meta_data"])


def test_a_deleted_sales_credit_is_made_again(shop, shop_staff):
    # Order A's refund has its credit in Brightpearl (and Pearlbridge remembers making it);
    # someone deletes the credit.
    refund_id = shop.platforms.woo("GET", f"/orders/{shop.order_a['id']}")["refunds"][0]["id"]
    credit = shop.platforms.bp("GET", "/order-service/order-search", params={
        "externalRef": f"woo-refund-{refund_id}", "columns": "orderId"})["results"][0][0]
    shop.platforms.bp_control(f"orders/{credit}", method="DELETE")
    with connection():
        shop.reconcile()
    repaired, run = repair_and_rerun(shop, shop_staff, "refund_missing")
    assert repaired.status == RESOLVED and run.total_found == 0
    again = shop.platforms.bp("GET", "/order-service/order-search", params={
        "externalRef": f"woo-refund-{refund_id}", "columns": "orderId"})["results"]
    assert len(again) == 1 and again[0][0] != credit
