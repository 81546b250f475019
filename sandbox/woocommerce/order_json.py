"""Orders, order notes and refunds as the REST API (and webhook payloads) show them (§2.5, §2.6)."""
from decimal import Decimal

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def _link(base, path):
    return [{"href": f"{base}wp-json/wc/v3/{path}"}]


def order_json(state, order, base):
    """The /wc/v3/orders/{id} representation of an order record."""
    data = {key: order[key] for key in ("id", "parent_id", "number", "order_key", "created_via", "version",
                                        "status", "currency")}
    data.update(state.dates("date_created", order["date_created"]))
    data.update(state.dates("date_modified", order["date_modified"]))
    for key in ("discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax", "total",
                "total_tax", "prices_include_tax", "customer_id", "customer_ip_address",
                "customer_user_agent", "customer_note", "billing", "shipping", "payment_method",
                "payment_method_title", "transaction_id"):
        data[key] = order[key]
    data.update(state.dates("date_paid", order["date_paid"]))
    data.update(state.dates("date_completed", order["date_completed"]))
    data["cart_hash"] = order["cart_hash"]
    data["meta_data"] = order["meta_data"]
    data["line_items"] = [_line_item(state, item) for item in order["line_items"]]
    for key in ("tax_lines", "shipping_lines", "fee_lines", "coupon_lines"):
        data[key] = order[key]
    # Newest refund first, total as a negative string (§1.8).
    data["refunds"] = [{"id": r["id"], "reason": r["reason"], "total": f"-{r['amount']}"}
                       for r in sorted((state.refunds[i] for i in order["refund_ids"]), key=lambda r: -r["id"])]
    data["payment_url"] = f"{base}checkout/order-pay/{order['id']}/?pay_for_order=true&key={order['order_key']}"
    data["is_editable"] = order["status"] in ("pending", "on-hold", "auto-draft", "checkout-draft")
    data["needs_payment"] = order["status"] in ("pending", "failed") and order["total"] != "0.00"
    data["needs_processing"] = True
    data["currency_symbol"] = _SYMBOLS.get(order["currency"], order["currency"])
    links = {"self": _link(base, f"orders/{order['id']}"), "collection": _link(base, "orders")}
    if order["customer_id"]:
        links["customer"] = _link(base, f"customers/{order['customer_id']}")
    data["_links"] = links
    return data


def _line_item(state, item):
    # sku is the product's current SKU and price is computed, not stored (§2.5).
    product = state.products.get(item["variation_id"] or item["product_id"])
    data = dict(item)
    data["sku"] = product["sku"] if product else None
    data["price"] = php_unit_price(item["total"], item["quantity"])
    data["image"] = {"id": "", "src": ""}
    data["parent_name"] = item.get("parent_name")
    return data


def php_unit_price(total, quantity):
    """The line's `price` as PHP computes it: $item->get_total() / $item->get_quantity().

    get_total() is the stored meta (wc_format_decimal of the cart's float: "20", "19.99", no
    trailing zeros). PHP divides a whole-number string exactly into an int (json 10), anything
    else into a float (json 8.333333333333334) — a JSON number either way, never a string.
    """
    if not quantity:
        return 0
    stored = format(Decimal(str(total)).normalize(), "f")
    if "." not in stored and int(stored) % int(quantity) == 0:
        return int(stored) // int(quantity)
    return float(stored) / int(quantity)


def note_json(state, note, base):
    """An order note as /orders/{id}/notes/{note_id} shows it."""
    data = {"id": note["id"], "author": note["author"]}
    data.update(state.dates("date_created", note["date_created"]))
    data.update({"note": note["note"], "customer_note": note["customer_note"]})
    order_id = note["order_id"]
    data["_links"] = {"self": _link(base, f"orders/{order_id}/notes/{note['id']}"),
                      "collection": _link(base, f"orders/{order_id}/notes"), "up": _link(base, f"orders/{order_id}")}
    return data


def refund_json(state, refund, base):
    """A refund as /orders/{id}/refunds/{refund_id} shows it (§2.6)."""
    data = {"id": refund["id"]}
    data.update(state.dates("date_created", refund["date_created"]))
    data.update({key: refund[key] for key in ("amount", "reason", "refunded_by", "refunded_payment",
                                             "meta_data", "line_items", "shipping_lines", "tax_lines",
                                             "fee_lines")})
    order_id = refund["order_id"]
    data["_links"] = {"self": _link(base, f"orders/{order_id}/refunds/{refund['id']}"),
                      "collection": _link(base, f"orders/{order_id}/refunds"), "up": _link(base, f"orders/{order_id}")}
    return data
