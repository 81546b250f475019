"""Parsing and validating a sales-order / sales-credit POST body into an order record (§7, §9)."""
from decimal import Decimal

from . import refdata as rd
from .envelope import invalid
from .fmt import dec, now, parse_ts, places


def _fail(message, code="ORDC-010"):
    raise invalid(code, message)


def _address(source, contact_address=None):
    """An order address from a body address (2- or 3-letter country) or the contact's."""
    if not source:
        return dict(contact_address) if contact_address else {}
    iso = str(source.get("countryIsoCode") or "").upper()
    iso3 = rd.ISO2_TO_3.get(iso) or (iso if iso in rd.ISO3_TO_2 else None)
    if iso and iso3 is None:
        _fail(f"Unknown countryIsoCode {iso!r}", "ORDC-031")
    keys = ("addressFullName", "companyName", "addressLine1", "addressLine2", "addressLine3",
            "addressLine4", "postalCode", "telephone", "mobileTelephone", "email")
    address = {k: source.get(k) for k in keys if source.get(k) is not None}
    if iso3:
        address.update(countryIsoCode=rd.ISO3_TO_2[iso3], countryIsoCode3=iso3)
    return address


def _contact_address(state, contact, kind):
    address_id = contact["postAddressIds"].get(kind) or contact["postAddressIds"].get("DEF")
    stored = state.addresses.get(address_id)
    base = {"addressFullName": f"{contact['firstName']} {contact['lastName']}".strip(),
            "companyName": contact["companyName"], "email": contact["emails"].get("PRI"),
            "telephone": contact["telephones"].get("PRI")}
    if stored:
        base.update({k: stored[k] for k in ("addressLine1", "addressLine2", "addressLine3",
                                             "addressLine4", "postalCode")})
        base.update(countryIsoCode=rd.ISO3_TO_2[stored["countryIsoCode"]],
                    countryIsoCode3=stored["countryIsoCode"])
    return {k: v for k, v in base.items() if v is not None}


def _date(body, key):
    if body.get(key) in (None, ""):
        return None
    try:
        return parse_ts(str(body[key]))
    except ValueError:
        _fail(f"{key} is not an ISO-8601 date", "ORDC-040")


def parse_header(state, body, type_code):
    """Validate the order-level fields; returns (order dict without rows, contact)."""
    customer = body.get("customer") or {}
    contact_id = customer.get("id", body.get("customerId"))
    if contact_id is None:
        _fail("customer.id is required", "ORDC-003")
    contact = state.contacts.get(contact_id) if isinstance(contact_id, int) else None
    if contact is None:
        _fail(f"Contact {contact_id} does not exist", "ORDC-004")
    status_id = body.get("statusId", rd.DEFAULT_STATUS[type_code])
    status = rd.STATUS_BY_ID.get(status_id)
    if status is None or status["orderTypeCode"] != type_code or not status["visible"]:
        _fail(f"statusId {status_id} is not a usable {type_code} status", "ORDC-012")
    channel_id = body.get("channelId")
    if channel_id is not None and channel_id not in rd.CHANNEL_IDS:
        _fail(f"Channel {channel_id} does not exist", "ORDC-013")
    channel = next((c for c in rd.CHANNELS if c["id"] == channel_id), None)
    warehouse_id = body.get("warehouseId", channel["defaultWarehouseId"] if channel else rd.DEFAULT_WAREHOUSE)
    if warehouse_id not in rd.WAREHOUSE_IDS:
        _fail(f"Warehouse {warehouse_id} does not exist", "WHSC-038")
    price_list_id = body.get("priceListId")
    if price_list_id is not None and price_list_id not in rd.PRICE_LIST_IDS:
        _fail(f"Price list {price_list_id} does not exist", "ORDC-014")
    currency = body.get("currency") or {}
    code = currency.get("code", "GBP")
    if code not in rd.CURRENCIES:
        _fail(f"Unknown currency {code!r}", "ORDC-015")
    try:
        rate = dec(currency.get("exchangeRate", "1"))
    except ValueError:
        _fail("currency.exchangeRate is not a number", "ORDC-015")
    delivery = body.get("delivery") or {}
    method = delivery.get("shippingMethodId")
    if method is not None and method not in rd.SHIPPING_METHOD_IDS:
        _fail(f"Shipping method {method} does not exist", "ORDC-016")
    reference = body.get("ref")
    if reference is not None and len(str(reference)) > 64:
        _fail("ref is at most 64 characters", "ORDC-017")
    instance = body.get("installedIntegrationInstanceId")
    if instance is not None and (not isinstance(instance, int) or isinstance(instance, bool)):
        _fail("installedIntegrationInstanceId must be an integer", "ORDC-018")
    external = body.get("externalRef")
    moment = now()
    billing = body.get("billing") or {}
    return {
        "type": type_code, "reference": reference, "externalRef": external,
        "installedIntegrationInstanceId": instance,
        "externalKey": f"{external}|{instance}" if external is not None and instance is not None else None,
        "contactId": contact_id, "billingContactId": billing.get("contactId", contact_id),
        "statusId": status_id, "channelId": channel_id, "warehouseId": warehouse_id,
        "priceListId": price_list_id, "priceModeCode": body.get("priceModeCode", "EXC"),
        "currency": code, "exchangeRate": rate, "fixedExchangeRate": bool(currency.get("fixedExchangeRate", True)),
        "placedOn": _date(body, "placedOn") or moment, "taxDate": _date(body, "taxDate"),
        "deliveryDate": _date(delivery, "date"), "shippingMethodId": method,
        "parentId": body.get("parentId"), "staffOwnerId": body.get("staffOwnerId"),
        # updatedOn is null on every fresh order until its first modification (recorded).
        "createdOn": moment, "updatedOn": None, "invoices": [], "rows": {},
        "parties": {
            "customer": dict(_address(customer.get("address"), _contact_address(state, contact, "DEF")),
                             contactId=contact_id),
            "delivery": _address(delivery.get("address"), _contact_address(state, contact, "DEL")),
            "billing": dict(_address(billing.get("address"), _contact_address(state, contact, "BIL")),
                            contactId=billing.get("contactId", contact_id)),
        },
    }, contact


def parse_rows(state, body, contact):
    """Validate rows; returns [(row fields, product or None)] in sequence order."""
    rows = body.get("rows")
    if not isinstance(rows, list) or not rows:
        _fail("rows must be a non-empty list", "ORDC-020")
    parsed = []
    for index, row in enumerate(rows):
        where = f"rows[{index}]"
        product = None
        if row.get("productId") is not None:
            product = state.products.get(row["productId"])
            if product is None:
                _fail(f"{where}: product {row['productId']} does not exist", "ORDC-021")
        elif not str(row.get("name") or "").strip():
            _fail(f"{where}: a row without productId needs a name", "ORDC-023")
        try:
            quantity = dec(row.get("quantity", "1"))
            net, tax = dec(row.get("net", "0")), dec(row.get("tax", "0"))
        except ValueError as exc:
            _fail(f"{where}: {exc}", "ORDC-024")
        if quantity <= 0:
            _fail(f"{where}: quantity must be positive", "ORDC-024")
        # Magnitude must be whole for stock-tracked or bundle rows (§7 Order row POST).
        if product and (product["stockTracked"] or product["bundle"]) and quantity != quantity.to_integral():
            _fail(f"{where}: quantity must be a whole number for stock-tracked products", "ORDC-025")
        if places(quantity) > 4 or places(net) > 2 or places(tax) > 2:
            _fail(f"{where}: net and tax allow at most 2 decimal places, quantity 4", "ORDC-026")
        tax_code = row.get("taxCode") or (product["taxCode"] if product else "T")
        if tax_code not in rd.TAX_BY_CODE:
            _fail(f"{where}: tax code {tax_code!r} does not exist", "ORDC-027")
        nominal = row.get("nominalCode") or contact.get("nominalCode") or rd.DEFAULT_SALES_NOMINAL
        if str(nominal) not in rd.NOMINAL_BY_CODE:
            _fail(f"{where}: nominal code {nominal!r} does not exist", "ORDC-028")
        parsed.append(({"productId": product["id"] if product else None,
                        "name": str(row.get("name") or (product["name"] if product else "")),
                        "sku": product["sku"] if product else None, "quantity": quantity,
                        "net": net, "tax": tax, "taxCode": tax_code, "nominalCode": str(nominal),
                        "externalRef": row.get("externalRef"), "sequence": row.get("sequence", (index + 1) * 10)},
                       product))
    return parsed


def add_rows(state, order, parsed):
    """Add rows to an order; a bundle row gets its component rows added after it (§7)."""
    for fields, product in parsed:
        row = dict(fields, id=state.next_id("row"), bundleParent=False, bundleChild=False,
                   parentRowId=None, allocated={}, shipped=Decimal(0), onNotes=Decimal(0),
                   received=Decimal(0))
        order["rows"][row["id"]] = row
        if product and product["bundle"]:
            row["bundleParent"] = True
            for component_id, per_bundle in product["components"]:
                component = state.products[component_id]
                child_id = state.next_id("row")
                order["rows"][child_id] = dict(
                    row, id=child_id, productId=component_id, name=component["name"],
                    sku=component["sku"], quantity=row["quantity"] * per_bundle, net=Decimal(0),
                    tax=Decimal(0), externalRef=None, bundleParent=False, bundleChild=True,
                    parentRowId=row["id"], allocated={})
