"""A shop's history made directly in both emulators (their control APIs, never Pearlbridge):
orders over N days, refunds with their sales credits, shipments with their tracking — and
`plant` discrepancies of every kind, each on its own record, so found/planted is exact.

The Brightpearl side mirrors what the orders flow would have written (its own row builder);
shipments are drop-shipped and historical orders move no stock, so the stock is in step from
the seed on, until a plant moves it.
"""
import random
from datetime import timedelta

from jobs.orders.mapping import order_rows
from models.base import utcnow

ORDER_ROLES = ("order_missing", "order_duplicated", "order_total", "order_status",
               "payment_missing", "refund_missing", "refund_amount", "shipment_tracking",
               "shipment_completion")
CATALOG_ROLES = ("stock", "product_missing", "product_fields")
CHUNK = 500


def roles(count, plant, rng):
    """One role per order: each planted kind `plant` times, clean roles for the rest."""
    planted = [kind for kind in ORDER_ROLES for _ in range(plant)]
    clean = []
    for _ in range(count - len(planted)):
        draw = rng.random()
        clean.append("clean_refunded" if draw < 0.1 else "clean_shipped" if draw < 0.4
                     else "clean_ready" if draw < 0.5 else "clean")
    mixed = planted + clean
    rng.shuffle(mixed)
    return mixed


def woo_body(index, role, rng, skus, since, span_seconds):
    """A historical checkout (with its refund, tracking and status as the role needs)."""
    placed = since + timedelta(seconds=int(span_seconds * (index + rng.random())))
    shipped = role in ("clean_shipped", "shipment_tracking", "shipment_completion")
    status = "completed" if role in ("clean_shipped", "shipment_tracking") else "processing"
    body = {"customer_index": rng.randrange(300), "payment_method": "stripe", "status": status,
            "lines": [{"sku": sku, "quantity": rng.randint(1, 2)}
                      for sku in rng.sample(skus, rng.randint(1, 3))],
            "tax_rate": "20", "shipping": {"method_id": "flat_rate", "total": "4.99"},
            "date_created_gmt": placed.isoformat()}
    if role in ("clean_refunded", "refund_missing", "refund_amount"):
        body["refunds"] = [{"amount": "5.00", "reason": "late delivery"}]
    if shipped and role != "shipment_tracking":
        body["meta_data"] = [{"key": "_wc_shipment_tracking_items", "value": [
            {"tracking_number": f"TRK{index:06d}", "tracking_provider": "royal-mail"}]}]
    return body


def bp_items(order, role, index, settings, product_ids):
    """The Brightpearl documents for one Woo order (none for a missing one)."""
    if role == "order_missing":
        return []
    contact = 201 + order["customer_index"]
    body = {"customer": {"id": contact}, "ref": str(order["number"]),
            "externalRef": str(order["id"]), "statusId": 6 if role == "order_status" else 5
            if role == "clean_ready" else 2, "warehouseId": 2, "channelId": 2,
            "priceListId": 1, "currency": {"code": "GBP"},
            "rows": order_rows(order, settings, product_ids)}
    item = {"order": body}
    if role != "payment_missing":
        item["payments"] = [_payment("RECEIPT", f"woo-order-{order['id']}", order["total"])]
    if role in ("clean_shipped", "shipment_tracking", "shipment_completion"):
        item["ship"] = {"reference": f"TRK{index:06d}", "shippingMethodId": 49,
                        "dropShip": True}
    if role in ("clean_refunded", "refund_amount"):
        refund_id = order["refund_ids"][0]
        amount = "5.01" if role == "refund_amount" else "5.00"
        item["credits"] = [{"credit": {
            "customer": {"id": contact}, "externalRef": f"woo-refund-{refund_id}",
            "ref": f"{order['number']}-refund", "statusId": 10, "currency": {"code": "GBP"},
            "rows": [{"name": "Refund: late delivery", "quantity": "1", "net": amount,
                      "tax": "0.00", "taxCode": "Z", "nominalCode": "4000"}]},
            "payments": [_payment("PAYMENT", f"woo-refund-{refund_id}", amount)]}]
    items = [item]
    if role == "order_duplicated":
        items.append({"order": dict(body, ref=f"{order['number']}-copy", rows=[{
            "name": "Copied by another integration", "quantity": "1", "net": "10.00",
            "tax": "2.00", "taxCode": "T", "nominalCode": "4000"}])})
    return items


def woo_api(stack, path, params):
    """A GET of the store's REST API (the store has no request budget)."""
    import requests

    answer = requests.get(f"{stack.woo}/wp-json/wc/v3{path}", params=params,
                          auth=("ck_sandbox", "cs_sandbox"), timeout=120)
    answer.raise_for_status()
    return answer.json()


def _payment(kind, reference, amount):
    return {"paymentMethodCode": "STRIPE", "paymentType": kind, "transactionRef": reference,
            "amountPaid": str(amount), "paymentDate": utcnow().isoformat() + "+00:00"}


def build(stack, options, settings, catalog):
    """Create the history and the plants; {(kind, record key)} of what was planted, counts."""
    rng = random.Random(options.seed)
    buyable = [row["SKU"] for row in catalog if row.get("stockTracked")]
    since = utcnow() - timedelta(days=options.days)
    span = (options.days * 86400 - 3600) / (options.orders + options.plant)
    order_roles = roles(options.orders + options.plant, options.plant, rng)
    bodies = [woo_body(i, role, rng, buyable, since, span) for i, role in enumerate(order_roles)]
    orders = []
    for start in range(0, len(bodies), CHUNK):
        orders += stack.control("woo", "orders/bulk", {"orders": bodies[start:start + CHUNK]})
    full = {}
    for start in range(0, len(orders), 100):
        ids = ",".join(str(o["id"]) for o in orders[start:start + 100])
        for order in woo_api(stack, "/orders", {"include": ids, "per_page": 100}):
            full[order["id"]] = order
    product_ids = {row["SKU"]: int(row["productId"]) for row in catalog}
    planted, items, counts = set(), [], {"shipped": 0, "credits": 0}
    for index, (made, role) in enumerate(zip(orders, order_roles)):
        order = dict(full[made["id"]], customer_index=bodies[index]["customer_index"],
                     refund_ids=made["refund_ids"])
        items += [(role, made, item) for item in bp_items(order, role, index, settings,
                                                          product_ids)]
        if role in ORDER_ROLES and not role.startswith(("refund", "shipment")):
            planted.add((role, f"woo-{made['id']}"))
        elif role == "refund_missing" or role == "refund_amount":
            planted.add((role, f"woo-{made['refund_ids'][0]}"))
    for start in range(0, len(items), CHUNK):
        chunk = items[start:start + CHUNK]
        answer = stack.control("bp", "orders/bulk", {"orders": [i for _, _, i in chunk]})
        for (role, made, item), result in zip(chunk, answer["orders"]):
            counts["shipped"] += bool(result["noteIds"])
            counts["credits"] += len(result["creditIds"])
            if role.startswith("shipment") and result["noteIds"]:
                planted.add((role, f"dsn-{result['noteIds'][0]}"))
    totals = [o for o, role in zip(orders, order_roles) if role == "order_total"]
    stack.control("woo", "orders/edit", {"edits": [
        {"id": o["id"], "total": f"{float(o['total']) + 0.01:.2f}"} for o in totals]})
    planted |= plant_catalog(stack, options, catalog, rng)
    counts.update(woo_orders=len(orders), bp_documents=len(items) + counts["credits"],
                  sales_orders=len(items))
    return planted, counts


def plant_catalog(stack, options, catalog, rng):
    """Stock changed, products deleted and renamed in the store, each on its own SKU."""
    simple = [row for row in catalog if row.get("stockTracked") and row.get("simple")]
    picked = rng.sample(simple, 3 * options.plant)
    planted = set()
    edits = []
    for kind, rows in zip(CATALOG_ROLES, (picked[i::3] for i in range(3))):
        for row in rows:
            planted.add((kind, f"bp-{row['productId']}"))
            if kind == "stock":
                edits.append({"sku": row["SKU"], "stock_quantity": row["woo_stock"] + 3})
            elif kind == "product_missing":
                edits.append({"sku": row["SKU"], "delete": True})
            else:
                edits.append({"sku": row["SKU"], "name": f"{row['productName']} (edited)"})
    stack.control("woo", "products/edit", {"edits": edits})
    return planted
