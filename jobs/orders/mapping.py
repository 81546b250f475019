"""Woo order → Brightpearl sales order: pure functions, payload in, payload out, no I/O."""
import html
from decimal import Decimal

from iso3166 import countries

from jobs.core.money import money, text
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from models.orders import DRAFT_ORDER_STATUSES



def check_importable(order, settings):
    """Raise Skipped unless the order's status is one the settings import."""
    status = order.get("status")
    statuses = settings["import_statuses"]
    if status in DRAFT_ORDER_STATUSES or status not in statuses:
        raise Skipped(f"not imported: status {status} is not in the import list "
                      f"({', '.join(statuses)})")


def sales_order(order, settings, contact_id, product_ids, instance_id=None, external_ref=None):
    """The sales-order POST body for a Woo order; externalRef is external_ref, else its id.

    product_ids maps SKU → Brightpearl product id (SKUs absent are unknown to Brightpearl).
    Raises WaitingForSettings naming a missing mapping, Rejected for an unknown SKU under the
    'fail' policy.
    """
    rows = order_rows(order, settings, product_ids)
    body = {
        "customer": {"id": contact_id, "address": address(order.get("billing") or {})},
        "billing": {"contactId": contact_id, "address": address(order.get("billing") or {})},
        "delivery": {"address": address(order.get("shipping") or order.get("billing") or {},
                                        email=(order.get("billing") or {}).get("email"))},
        "ref": str(order.get("number") or order["id"])[:64],
        "externalRef": external_ref or str(order["id"]),
        "placedOn": gmt_with_offset(order.get("date_created_gmt")),
        "statusId": _required(settings, "new_order_status_id", "the Brightpearl status for new orders"),
        "warehouseId": _required(settings, "warehouse_id", "the default warehouse"),
        "channelId": _required(settings, "channel_id", "the sales channel"),
        "priceListId": _required(settings, "price_list_id", "the price list"),
        "priceModeCode": "INC" if order.get("prices_include_tax") else "EXC",
        "currency": {"code": order.get("currency") or "GBP"},
        "rows": rows,
    }
    shipping_method = _shipping_method(order, settings)
    if shipping_method is not None:
        body["delivery"]["shippingMethodId"] = shipping_method
    if instance_id:
        body["installedIntegrationInstanceId"] = int(instance_id)
    return body


def order_rows(order, settings, product_ids):
    """Product, shipping, fee, discount and rounding rows whose sum is the Woo total to the cent."""
    nominal = settings.get("nominal_codes") or {}
    rows = [_product_row(line, settings, product_ids, nominal) for line in order.get("line_items", [])]
    for line in order.get("shipping_lines", []):
        rows.append(_free_row(f"Shipping: {line.get('method_title') or line.get('method_id')}",
                              line.get("total"), line.get("total_tax"),
                              tax_code(settings, "shipping", line), _nominal(nominal, "shipping"),
                              f"shipping-{line.get('id')}"))
    for line in order.get("fee_lines", []):
        rows.append(_free_row(f"Fee: {html.unescape(line.get('name') or '')}", line.get("total"), line.get("total_tax"),
                              tax_code(settings, line.get("tax_class") or "", line),
                              _nominal(nominal, "fees"), f"fee-{line.get('id')}"))
    for coupon in order.get("coupon_lines", []):
        rows.append(_free_row(f"Discount: {coupon.get('code')}", -money(coupon.get("discount")),
                              -money(coupon.get("discount_tax")), tax_code(settings, "", coupon),
                              _nominal(nominal, "discount"), f"coupon-{coupon.get('id')}"))
    difference = money(order.get("total")) - rows_total(rows)
    if difference:
        rows.append(_free_row("Rounding difference", difference, Decimal("0"),
                              zero_tax_code(settings),
                              _nominal(nominal, "rounding"), "rounding"))
    return rows


def rows_total(rows):
    """Σ net + tax over rows, exact."""
    return sum((money(r["net"]) + money(r["tax"]) for r in rows), Decimal("0.00"))


def _product_row(line, settings, product_ids, nominal):
    # Rows carry the pre-discount subtotal; coupons come as their own discount rows, so the
    # discount stays visible in Brightpearl.
    sku = (line.get("sku") or "").strip()
    row = {
        "name": html.unescape(line.get("name") or sku),
        "quantity": str(line.get("quantity", 1)),
        "net": text(line.get("subtotal", line.get("total"))),
        "tax": text(line.get("subtotal_tax", line.get("total_tax"))),
        "taxCode": tax_code(settings, line.get("tax_class") or "", line),
        "nominalCode": _nominal(nominal, "sales"),
        "externalRef": str(line.get("id")),
    }
    if sku and sku in product_ids:
        row["productId"] = product_ids[sku]
        return row
    why, remedy = unmatched(line)
    detail = f"line item {line.get('id')} '{line.get('name')}', product {line.get('product_id')}"
    if settings["unknown_sku"] == "fail":
        raise Rejected(f"line '{row['name']}': {why} — {remedy}, then Re-sync "
                       f"(or set Unknown SKU to free text)", detail)
    if settings["unknown_sku"] == "hold":
        raise Skipped(f"held: line '{row['name']}': {why} — {remedy}, then Re-sync "
                      f"(setting: Unknown SKU hold)", outcome="waiting")
    row["name"] = f"{row['name']} ({why})"[:255]
    return row


def unmatched(line):
    """(why a line has no Brightpearl product, what staff can do), in words."""
    sku = (line.get("sku") or "").strip()
    if sku:
        return f"SKU {sku} is not in Brightpearl", f"add a product with SKU {sku} to Brightpearl"
    if line.get("product_id") or line.get("variation_id"):
        return ("its product was deleted in WooCommerce, so it has no SKU",
                "it can only be a free-text row: set Unknown SKU to free text")
    return "it has no SKU", "give the product a SKU in both platforms"


def free_text_lines(order, product_ids):
    """Words for the product lines that became free-text rows ('' when none did)."""
    lines = [f"'{html.unescape(line.get('name') or '')}' ({unmatched(line)[0]})"
             for line in order.get("line_items", [])
             if (line.get("sku") or "").strip() not in product_ids]
    if not lines:
        return ""
    rows = "a free-text row" if len(lines) == 1 else "free-text rows"
    return (f"; {len(lines)} line{'s' * (len(lines) != 1)} as {rows}, no stock allocated: "
            f"{', '.join(lines)}")


def _free_row(name, net, tax, tax_code, nominal_code, external_ref):
    return {"name": name[:255], "quantity": "1", "net": text(net), "tax": text(tax),
            "taxCode": tax_code, "nominalCode": nominal_code, "externalRef": external_ref}


def tax_code(settings, tax_class, line):
    """The Brightpearl tax code for a line: the zero code when untaxed, else by tax class."""
    codes = settings.get("tax_codes") or {}
    if not (money(line.get("total_tax") or line.get("subtotal_tax") or line.get("discount_tax"))):
        if settings.get("zero_tax_code"):
            return settings["zero_tax_code"]
    key = tax_class or "standard"
    if key in codes:
        return codes[key]
    if tax_class == "shipping" and "standard" in codes:
        return codes["standard"]
    raise WaitingForSettings(f"tax class `{key}` has no Brightpearl tax code")


def _nominal(nominal_codes, purpose):
    code = nominal_codes.get(purpose)
    if not code:
        raise WaitingForSettings(f"no {purpose} nominal code is set")
    return str(code)


def _shipping_method(order, settings):
    lines = order.get("shipping_lines") or []
    if not lines:
        return None
    method = lines[0].get("method_id") or ""
    mapping = settings.get("shipping_methods") or {}
    if method in mapping:
        return int(mapping[method])
    raise WaitingForSettings(f"shipping method `{method}` has no Brightpearl mapping")


def zero_tax_code(settings):
    """The tax code for untaxed rows (rounding, money-only refunds); waits when unset."""
    return _required(settings, "zero_tax_code", "the tax code for untaxed rows")


def _required(settings, key, words):
    value = settings.get(key)
    if value in (None, ""):
        raise WaitingForSettings(f"{words} is not set")
    return value


def address(woo, email=None):
    """A Woo billing/shipping address as a Brightpearl order-party address."""
    name = " ".join(p for p in (woo.get("first_name"), woo.get("last_name")) if p)
    result = {
        "addressFullName": name[:64], "companyName": woo.get("company") or "",
        "addressLine1": woo.get("address_1") or "", "addressLine2": woo.get("address_2") or "",
        "addressLine3": woo.get("city") or "", "addressLine4": woo.get("state") or "",
        "postalCode": woo.get("postcode") or "", "countryIsoCode": iso3(woo.get("country")),
        "telephone": woo.get("phone") or "", "email": woo.get("email") or email or "",
    }
    return result


def iso3(alpha2):
    """ISO 3166 alpha-3 for an alpha-2 code (Brightpearl addresses), '' when unknown."""
    try:
        return countries.get(alpha2).alpha3 if alpha2 else ""
    except KeyError:
        return ""


def gmt_with_offset(value):
    """Woo's *_gmt time (UTC, no offset) as ISO-8601 with an explicit +00:00."""
    if not value:
        return None
    return value.replace("Z", "")[:19] + "+00:00"


def is_paid(order):
    """True when the Woo order has been paid (date_paid set, or a paid status)."""
    return bool(order.get("date_paid_gmt") or order.get("date_paid")) or order.get("status") in (
        "processing", "completed")


def payment(order, settings, bp_order_id):
    """The RECEIPT customer-payment body for a paid Woo order (retry-safe transactionRef)."""
    return customer_payment(
        order, settings, "RECEIPT", bp_order_id,
        transaction_ref=order.get("transaction_id") or f"woo-order-{order['id']}",
        amount=order.get("total"),
        paid_gmt=order.get("date_paid_gmt") or order.get("date_created_gmt"))


def customer_payment(order, settings, payment_type, bp_order_id, transaction_ref, amount,
                     paid_gmt):
    """A customer-payment body in the order's currency, by its mapped Woo payment method."""
    method = order.get("payment_method") or ""
    codes = settings.get("payment_methods") or {}
    if method not in codes:
        raise WaitingForSettings(f"payment method `{method or 'none'}` has no Brightpearl mapping")
    return {
        "transactionRef": transaction_ref[:64],
        "paymentMethodCode": str(codes[method]),
        "paymentType": payment_type,
        "orderId": bp_order_id,
        "currencyIsoCode": order.get("currency") or "GBP",
        "exchangeRate": "1",
        "amountPaid": text(amount),
        "paymentDate": gmt_with_offset(paid_gmt),
    }


def postal_address(woo):
    """A Woo address as a Brightpearl postal-address POST body (street, city, alpha-3 country)."""
    return {
        "addressLine1": woo.get("address_1") or "-",
        "addressLine2": woo.get("address_2") or "",
        "addressLine3": woo.get("city") or "",
        "addressLine4": woo.get("state") or "",
        "postalCode": woo.get("postcode") or "",
        "countryIsoCode": iso3(woo.get("country")) or "GBR",
    }


def contact(order, billing_address_id, delivery_address_id, settings):
    """The contact POST body for the customer of a Woo order (guests use the billing details)."""
    billing = order.get("billing") or {}
    body = {
        "firstName": (billing.get("first_name") or "")[:32],
        "lastName": (billing.get("last_name") or billing.get("email") or "Customer")[:32],
        "postAddressIds": {"DEF": billing_address_id, "BIL": billing_address_id,
                           "DEL": delivery_address_id},
        "communication": {"emails": {"PRI": {"email": billing.get("email")}}},
        "marketingDetails": {"isReceiveEmailNewsletter": False},
        "relationshipToAccount": {"isCustomer": True, "isStaff": False, "isSupplier": False},
    }
    if billing.get("phone"):
        body["communication"]["telephones"] = {"PRI": billing["phone"]}
    if billing.get("company"):
        body["organisation"] = {"name": billing["company"][:64]}
    if settings.get("price_list_id"):
        body["financialDetails"] = {"priceListId": settings["price_list_id"]}
    return body
