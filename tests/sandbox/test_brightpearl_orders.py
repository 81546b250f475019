"""Contract tests: sales orders, the duplicate rule, payments, cancel rules, credits, GONs."""
from tests.sandbox.bp_fixtures import bp, bp_server  # noqa: F401


def _order(bp, order_id):
    return bp.get(f"order-service/order/{order_id}").json()["response"][0]


def _on_hand(bp, product_id, warehouse=2):
    levels = bp.get(f"warehouse-service/product-availability/{product_id}").json()["response"]
    return levels[str(product_id)]["warehouses"].get(str(warehouse), {"onHand": 0, "inStock": 0})


def _pay(bp, order_id, ref="txn-1", amount="24.00", kind="RECEIPT", method="STRIPE"):
    return bp.post("accounting-service/customer-payment", {
        "transactionRef": ref, "paymentMethodCode": method, "paymentType": kind, "orderId": order_id,
        "currencyIsoCode": "GBP", "amountPaid": amount, "paymentDate": "2024-05-01T10:00:00+01:00"})


def test_sales_order_shape(bp):
    product = bp.stocked_product()
    order_id = bp.order(rows=[
        {"productId": product, "quantity": "2", "net": "20.00", "tax": "4.00", "taxCode": "T",
         "externalRef": "line-1", "nominalCode": "4000"},
        {"name": "Shipping", "quantity": "1", "net": "3.33", "tax": "0.67", "taxCode": "T", "nominalCode": "4040"},
    ]).json()["response"]
    order = _order(bp, order_id)
    assert order["orderTypeCode"] == "SO" and order["orderStatus"]["orderStatusId"] == 2
    assert all(key.isdigit() for key in order["orderRows"])
    first = order["orderRows"][min(order["orderRows"], key=int)]
    assert first["quantity"]["magnitude"] == "2.0000" and first["productPrice"]["value"] == "10.0000"
    assert first["rowValue"]["rowNet"]["value"] == "20.0000"
    assert order["totalValue"]["total"] == "28.0000" and order["totalValue"]["net"] == "23.3300"
    assert order["orderPaymentStatus"] == "UNPAID" and order["shippingStatusCode"] == "SNS"
    assert order["parties"]["delivery"]["countryIsoCode3"] == "GBR"
    sales = bp.get(f"order-service/sales-order/{order_id}").json()["response"][0]
    assert isinstance(sales["rows"], list) and sales["rows"][0]["externalRef"] == "line-1"


def test_validation_errors_are_400_with_codes(bp):
    assert bp.post("order-service/sales-order", {"rows": [{"name": "x"}]}).json()["errors"][0]["code"] == "ORDC-003"
    cases = [
        {"rows": [{"productId": 999999, "quantity": "1"}]},
        {"rows": [{"quantity": "1", "net": "1.00"}]},
        {"rows": [{"name": "x", "net": "1.005"}]},
        {"rows": [{"productId": bp.stocked_product(), "quantity": "1.5"}]},
        {"rows": [{"name": "x", "taxCode": "NOPE"}]},
        {"rows": [{"name": "x"}], "statusId": 11},
        {"rows": [{"name": "x"}], "warehouseId": 99},
    ]
    for extra in cases:
        answer = bp.post("order-service/sales-order", {"customer": {"id": 201}, **extra})
        assert answer.status_code == 400, extra
        assert answer.json()["errors"][0]["code"][:4] in ("ORDC", "WHSC")
    assert bp.api("POST", "order-service/sales-order", data="nope",
                  headers={**bp.headers, "Content-Type": "application/json"}).status_code == 400


def test_duplicate_external_ref_is_a_no_op(bp):
    product = bp.stocked_product()
    before = _on_hand(bp, product)["onHand"]
    first = bp.order(externalRef="wc-100")
    assert first.status_code == 200
    second = bp.order(externalRef="wc-100", rows=[{"name": "different", "quantity": "1", "net": "1.00"}])
    assert second.status_code == 200 and second.json()["response"] == first.json()["response"]
    assert len(_order(bp, first.json()["response"])["orderRows"]) == 1
    assert _on_hand(bp, product)["onHand"] == before - 2
    other_instance = bp.order(externalRef="wc-100", installedIntegrationInstanceId=14)
    assert other_instance.json()["response"] != first.json()["response"]


def test_allocation_lowers_on_hand_without_a_goods_movement(bp):
    product = bp.stocked_product()
    before = _on_hand(bp, product)
    bp.order()
    after = _on_hand(bp, product)
    assert after["onHand"] == before["onHand"] - 2 and after["inStock"] == before["inStock"]
    moves = bp.get(f"warehouse-service/goods-movement-search?productId={product}").json()["response"]
    assert moves["metaData"]["resultsAvailable"] == 0


def test_payment_key_is_unique_and_sets_payment_status(bp):
    order_id = bp.order().json()["response"]
    assert _pay(bp, order_id, amount="10.00").status_code == 200
    assert _order(bp, order_id)["orderPaymentStatus"] == "PARTIALLY_PAID"
    repeat = _pay(bp, order_id, amount="10.00")
    assert repeat.status_code == 400 and repeat.json()["errors"][0]["code"] == "ACCC-020"
    assert _pay(bp, order_id, ref="txn-1", amount="14.00", method="PAYPAL").status_code == 200
    assert _order(bp, order_id)["orderPaymentStatus"] == "PAID"
    too_much = _pay(bp, order_id, ref="back-1", kind="PAYMENT", amount="24.01")
    assert too_much.status_code == 400 and too_much.json()["errors"][0]["code"] == "ACCC-019"
    search = bp.get(f"accounting-service/customer-payment-search?orderId={order_id}").json()["response"]
    assert search["metaData"]["resultsAvailable"] == 2
    names = [c["name"] for c in search["metaData"]["columns"]]
    assert search["results"][0][names.index("amountPaid")] == "10.0000"


def test_cancel_rules(bp):
    cancel = {"orderStatusId": 8, "orderNote": {"text": "customer cancelled", "isPublic": False}}
    paid = bp.order().json()["response"]
    _pay(bp, paid, ref="p-1")
    refused = bp.api("PUT", f"order-service/order/{paid}/status", json=cancel)
    assert refused.status_code == 400 and _order(bp, paid)["orderStatus"]["orderStatusId"] == 2
    invoiced = bp.order().json()["response"]
    bp.control("POST", f"/orders/{invoiced}/invoice")
    assert bp.api("PUT", f"order-service/order/{invoiced}/status", json=cancel).status_code == 400
    shipped = bp.order().json()["response"]
    bp.control("POST", f"/orders/{shipped}/ship", {"reference": "T1"})
    assert bp.api("PUT", f"order-service/order/{shipped}/status", json=cancel).status_code == 400
    # Paid back in full (PAYMENT against the order), the order holds nothing and may cancel.
    assert _pay(bp, paid, ref="p-1-back", kind="PAYMENT").status_code == 200
    assert _order(bp, paid)["orderPaymentStatus"] == "UNPAID"
    assert bp.api("PUT", f"order-service/order/{paid}/status", json=cancel).status_code == 200
    product = bp.stocked_product()
    clean = bp.order().json()["response"]
    held = _on_hand(bp, product)["onHand"]
    answer = bp.api("PUT", f"order-service/order/{clean}/status", json=cancel)
    assert answer.status_code == 200 and answer.json() == {}
    assert _order(bp, clean)["orderStatus"] == {"orderStatusId": 8, "name": "Cancelled"}
    assert _on_hand(bp, product)["onHand"] == held + 2
    notes = bp.get(f"order-service/order/{clean}/note").json()["response"]
    assert notes[-1]["text"] == "customer cancelled"
    assert bp.api("PUT", f"order-service/order/{clean}/status", json={"orderStatusId": 9}).status_code == 400
    assert bp.api("PUT", f"order-service/order/{clean}/status", json={"orderStatusId": 10}).status_code == 400


def test_sales_credit_and_goods_in_restock(bp):
    product = bp.stocked_product()
    order_id = bp.order(externalRef="wc-5").json()["response"]
    order = _order(bp, order_id)
    credit = bp.post("order-service/sales-credit", {
        "customer": {"id": 201}, "parentId": order_id, "externalRef": "wc-refund-9",
        "installedIntegrationInstanceId": 13, "warehouseId": 2,
        "rows": [{"productId": product, "quantity": "1", "net": "10.00", "tax": "2.00", "taxCode": "T"}]})
    assert credit.status_code == 200
    credit_id = credit.json()["response"]
    again = bp.post("order-service/sales-credit", {"customer": {"id": 201}, "parentId": order_id,
                                                    "externalRef": "wc-refund-9", "installedIntegrationInstanceId": 13,
                                                    "rows": [{"name": "x"}]})
    assert again.json()["response"] == credit_id
    got = bp.get(f"order-service/sales-credit/{credit_id}").json()["response"][0]
    assert got["parentId"] == order_id and got["total"]["gross"] == "12.0000"
    assert bp.get(f"order-service/sales-credit/{credit_id},{credit_id + 50}").status_code == 207
    assert _order(bp, credit_id)["parentOrderId"] == order_id
    row_id = got["rows"][0]["id"]
    before = _on_hand(bp, product)
    goods_in = bp.post(f"warehouse-service/order/{credit_id}/goods-note/goods-in", {
        "transfer": False, "warehouseId": 2, "receivedOn": "2024-05-02T10:00:00+01:00",
        "goodsMoved": [{"productId": product, "quantity": 1, "purchaseOrderRowId": row_id,
                        "destinationLocationId": 21, "productValue": {"currency": "GBP", "value": "10.00"}}]})
    assert goods_in.status_code == 200, goods_in.text
    assert _on_hand(bp, product)["inStock"] == before["inStock"] + 1
    moves = bp.get(f"warehouse-service/goods-movement-search?productId={product}&goodsNoteTypeCode=GI").json()
    assert moves["response"]["metaData"]["resultsAvailable"] == 1
    over = bp.post(f"warehouse-service/order/{credit_id}/goods-note/goods-in", {
        "warehouseId": 2, "goodsMoved": [{"productId": product, "quantity": 1, "purchaseOrderRowId": row_id}]})
    assert over.status_code == 400
    refund = _pay(bp, credit_id, ref="refund-1", kind="PAYMENT", amount="12.00")
    assert refund.status_code == 200
    assert bp.post(f"order-service/sales-credit/{credit_id}/close", {}).status_code == 200
    assert bp.post(f"order-service/sales-credit/{credit_id}/close", {}).status_code == 400
    assert order["id"] == order_id


def test_ship_creates_a_shipped_goods_out_note(bp):
    product = bp.stocked_product()
    before = _on_hand(bp, product)
    order_id = bp.order().json()["response"]
    shipped = bp.control("POST", f"/orders/{order_id}/ship", {"reference": "TRACK123", "shippingMethodId": 49})
    gon_id = shipped["goodsOutNoteId"]
    notes = bp.get(f"warehouse-service/order/{order_id}/goods-note/goods-out").json()["response"]
    gon = notes[str(gon_id)]
    assert gon["status"]["shipped"] and gon["status"]["packed"] and gon["status"]["picked"]
    assert gon["shipping"] == {"reference": "TRACK123", "shippingMethodId": 49}
    row_id = next(iter(_order(bp, order_id)["orderRows"]))
    assert gon["orderRows"][row_id][0]["quantity"] == 2
    assert _order(bp, order_id)["shippingStatusCode"] == "ASS"
    after = _on_hand(bp, product)
    assert after["inStock"] == before["inStock"] - 2 and after["onHand"] == before["onHand"] - 2
    moves = bp.get(f"warehouse-service/goods-movement-search?productId={product}&goodsNoteTypeCode=GO").json()
    assert moves["response"]["results"][0][2] == -2
    edit = bp.api("PUT", f"warehouse-service/goods-note/goods-out/{gon_id}", json={"shipping": {"reference": "X"}})
    assert edit.status_code == 400
    by_id = bp.get(f"warehouse-service/order/*/goods-note/goods-out/{gon_id}").json()["response"]
    assert list(by_id) == [str(gon_id)]
    search = bp.get(f"warehouse-service/goods-note/goods-out-search?goodsOutNoteId={gon_id}").json()["response"]
    assert search["results"][0][0] == gon_id
    # Only the confirmed columns: an orderId filter is refused like any unknown filter.
    assert bp.get(f"warehouse-service/goods-note/goods-out-search?orderId={order_id}").status_code == 500


def test_partial_gon_then_events_and_drop_ship(bp):
    product = bp.stocked_product(minimum=4)
    order_id = bp.order(rows=[{"productId": product, "quantity": "3", "net": "30.00", "tax": "6.00"}]).json()["response"]
    row_id = int(next(iter(_order(bp, order_id)["orderRows"])))
    created = bp.post(f"warehouse-service/order/{order_id}/goods-note/goods-out", {
        "warehouses": [{"warehouseId": 2, "products": [{"productId": product, "salesOrderRowId": row_id, "quantity": 1}]}]})
    gon_id = created.json()["response"][0]
    assert bp.api("PUT", f"warehouse-service/goods-note/goods-out/{gon_id}",
                  json={"shipping": {"reference": "TRK", "shippingMethodId": 1}}).status_code == 200
    event = bp.post(f"warehouse-service/goods-note/goods-out/{gon_id}/event",
                    {"events": [{"eventCode": "SHW", "occured": "2024-05-03T09:00:00+01:00", "eventOwnerId": 4}]})
    assert event.status_code == 200
    assert _order(bp, order_id)["shippingStatusCode"] == "SPS"
    drop = bp.control("POST", f"/orders/{order_id}/ship", {"dropShip": True, "reference": "DS-1"})
    assert "dropShipNoteId" in drop and drop["shippingStatusCode"] == "ASS"
    notes = bp.get(f"warehouse-service/order/{order_id}/goods-note/drop-ship").json()["response"]
    assert notes[str(drop["dropShipNoteId"])]["shipping"]["reference"] == "DS-1"
