"""A shopper's checkout: a realistic order from SKUs, with Decimal totals, stock and events."""
import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from . import lifecycle
from . import product_model as pm
from .errors import WooError
from .events import emit_action, emit_order
from .product_json import display_name

CENT = Decimal("0.01")
GATEWAYS = {"stripe": "Credit Card (Stripe)", "ppcp-gateway": "PayPal", "paypal": "PayPal",
            "woocommerce_payments": "Credit card / debit card", "bacs": "Direct bank transfer",
            "cheque": "Check payments", "cod": "Cash on delivery"}
SHIPPING_TITLES = {"flat_rate": "Flat rate", "free_shipping": "Free shipping", "local_pickup": "Local pickup"}


def q(amount):
    """Round to cents, half up, as WooCommerce rounds line taxes and totals."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def checkout(emulator, body):
    """Create the order a storefront checkout would create, and return its record."""
    state = emulator.state
    incl = bool(body.get("prices_include_tax", False))
    rate = Decimal(str(body.get("tax_rate", "0"))) / 100
    status = body.get("status", "processing")
    if status not in lifecycle.STATUSES:
        raise WooError(400, "sandbox_invalid_status", f"Unknown status {status}.")
    customer_id, billing = _customer(state, body)
    # A historical order (control API bulk): placed long ago, its stock long since settled.
    historical = bool(body.get("historical"))
    lines = _lines(state, body.get("lines") or [], incl, rate, Decimal(str(body.get("coupon") or 0)),
                   check_stock=not historical)
    order_id = state.next_id("post")
    taxes = (lambda total, sub="": [{"id": 1, "total": str(total), "subtotal": str(sub)}]) if rate else (lambda *_: [])
    line_items = []
    for product, quantity, subtotal, subtotal_tax, total, total_tax in lines:
        parent = state.products.get(product["parent_id"])
        line_items.append({
            "id": state.next_id("item"), "name": display_name(product, parent),
            "product_id": parent["id"] if parent else product["id"],
            "variation_id": product["id"] if parent else 0, "quantity": quantity, "tax_class": "",
            "subtotal": str(subtotal), "subtotal_tax": str(subtotal_tax), "total": str(total),
            "total_tax": str(total_tax), "taxes": taxes(total_tax, subtotal_tax),
            "meta_data": [{"id": state.next_id("meta"), "key": pm.slugify(a["name"]), "value": a["option"],
                           "display_key": a["name"], "display_value": a["option"]}
                          for a in product["attributes"]] if parent else [],
            "parent_name": parent["name"] if parent else None})
    shipping_lines, ship, ship_tax = [], Decimal("0.00"), Decimal("0.00")
    if body.get("shipping"):
        method = body["shipping"].get("method_id", "flat_rate")
        ship = q(str(body["shipping"].get("total", "0")))
        ship_tax = q(ship * rate)
        shipping_lines.append({"id": state.next_id("item"), "method_title": SHIPPING_TITLES.get(method, method),
                               "method_id": method, "instance_id": "1", "total": str(ship),
                               "total_tax": str(ship_tax), "taxes": taxes(ship_tax), "meta_data": []})
    fee_lines, fee_total, fee_tax = [], Decimal("0.00"), Decimal("0.00")
    for fee in body.get("fees") or []:
        amount = q(str(fee.get("total", "0")))
        tax = q(amount * rate)
        fee_total, fee_tax = fee_total + amount, fee_tax + tax
        fee_lines.append({"id": state.next_id("item"), "name": fee.get("name", "Fee"), "tax_class": "",
                          "tax_status": "taxable", "amount": str(amount), "total": str(amount),
                          "total_tax": str(tax), "taxes": taxes(tax), "meta_data": []})
    items_total = sum((line[4] for line in lines), Decimal("0.00"))
    cart_tax = sum((line[5] for line in lines), Decimal("0.00")) + fee_tax
    discount = sum((line[2] - line[4] for line in lines), Decimal("0.00"))
    discount_tax = sum((line[3] - line[5] for line in lines), Decimal("0.00"))
    coupon_lines = []
    if body.get("coupon"):
        coupon_lines.append({"id": state.next_id("item"), "code": body.get("coupon_code", "sandbox-coupon"),
                             "discount": str(discount), "discount_tax": str(discount_tax),
                             "discount_type": "fixed_cart", "nominal_amount": float(body["coupon"]),
                             "free_shipping": False, "meta_data": []})
    tax_lines = []
    if rate:
        tax_lines.append({"id": state.next_id("item"), "rate_code": f"{billing['country'] or 'GB'}-VAT-1",
                          "rate_id": 1, "label": "VAT", "compound": False, "tax_total": str(cart_tax),
                          "shipping_tax_total": str(ship_tax), "rate_percent": float(rate * 100),
                          "meta_data": []})
    now = _placed(body) or state.now()
    method = body.get("payment_method", "stripe")
    paid = status in ("processing", "completed")
    order = {
        "id": order_id, "parent_id": 0, "number": str(order_id),
        "order_key": "wc_order_" + secrets.token_hex(7)[:13], "created_via": "checkout", "version": "9.8.1",
        "status": status, "currency": body.get("currency", "GBP"), "date_created": now, "date_modified": now,
        "discount_total": str(discount), "discount_tax": str(discount_tax), "shipping_total": str(ship),
        "shipping_tax": str(ship_tax), "cart_tax": str(cart_tax),
        "total": str(items_total + fee_total + ship + cart_tax + ship_tax),
        "total_tax": str(cart_tax + ship_tax), "prices_include_tax": incl, "customer_id": customer_id,
        "customer_ip_address": "203.0.113.7", "customer_user_agent": "Mozilla/5.0 (sandbox shopper)",
        "customer_note": body.get("customer_note", ""), "billing": billing,
        "shipping": {k: v for k, v in billing.items() if k != "email"},
        "payment_method": method, "payment_method_title": GATEWAYS.get(method, method),
        "transaction_id": body.get("transaction_id",
                                   f"ch_{secrets.token_hex(12)}" if paid and method == "stripe" else ""),
        "date_paid": now if paid else None, "date_completed": now if status == "completed" else None,
        "cart_hash": secrets.token_hex(16), "meta_data": [], "line_items": line_items, "tax_lines": tax_lines,
        "shipping_lines": shipping_lines, "fee_lines": fee_lines, "coupon_lines": coupon_lines,
        "refund_ids": [], "stock_reduced": False,
    }
    state.orders[order_id] = order
    state.touch("orders", order)
    emit_order(emulator, order, "created")
    emit_action(emulator, "woocommerce_new_order", order_id)
    if status in ("processing", "completed", "on-hold") and not historical:
        lifecycle.reduce_stock(emulator, order)
    if paid:
        # payment_complete() saves the order again, so a paid checkout also sends order.updated.
        emit_order(emulator, order, "updated")
    return order


def _customer(state, body):
    customers = sorted(state.customers.values(), key=lambda c: c["id"])
    customer = None
    if body.get("customer_index") is not None:
        index = int(body["customer_index"])
        if not 0 <= index < len(customers):
            raise WooError(400, "sandbox_invalid_customer", f"No customer at index {index}.")
        customer = customers[index]
    elif body.get("email"):
        customer = next((c for c in customers if c["email"] == body["email"].lower()), None)
    fields = ("first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode",
              "country", "email", "phone")
    source = customer or {"first_name": "Guest", "last_name": "Shopper", "address_1": "1 Guest Lane",
                          "city": "Leeds", "postcode": "LS1 1AA", "country": "GB",
                          "email": body.get("email", "guest@example.com"), "phone": ""}
    billing = {field: source.get(field, "") for field in fields}
    billing.update(body.get("billing") or {})
    return (customer["id"] if customer else 0), billing


def _placed(body):
    """date_created_gmt from the body (naive UTC), for historical orders; None otherwise."""
    value = body.get("date_created_gmt")
    if not value:
        return None
    return datetime.datetime.fromisoformat(str(value).replace("Z", "")[:19])


def _lines(state, requested, incl, rate, coupon, check_stock=True):
    if not requested:
        raise WooError(400, "sandbox_empty_cart", "A checkout needs at least one line.")
    priced = []
    for line in requested:
        product = state.product_by_sku(line.get("sku", ""))
        if product is None or product["type"] == "variable" or product["status"] != "publish":
            raise WooError(400, "sandbox_unknown_sku", f"No purchasable product with SKU {line.get('sku')!r}.")
        quantity = int(line.get("quantity", 1))
        if check_stock:
            lifecycle.check_stock(state, product, quantity)
        priced.append((product, quantity, Decimal(pm.price(state, product) or "0") * quantity))
    basis_total = sum(gross for _, _, gross in priced) or Decimal(1)
    coupon = min(coupon, basis_total)
    result, left = [], coupon
    for index, (product, quantity, gross) in enumerate(priced):
        share = left if index == len(priced) - 1 else q(coupon * gross / basis_total)
        left -= share
        if incl:  # the price and the coupon include tax: split each gross into net + tax
            subtotal = q(gross / (1 + rate))
            subtotal_tax = q(gross) - subtotal
            total = q((gross - share) / (1 + rate))
            total_tax = q(gross - share) - total
        else:
            subtotal, total = q(gross), q(gross - share)
            subtotal_tax, total_tax = q(subtotal * rate), q(total * rate)
        result.append((product, quantity, subtotal, subtotal_tax, total, total_tax))
    return result
