"""Contacts and postal addresses: POST address, POST contact, GET contact, contact-search (§8)."""
from flask import request

from . import refdata as rd
from .envelope import invalid, json_body, not_found, ok, strip_nulls
from .fmt import now, ts
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked
from .search import Column, Search

blueprint = api_blueprint("bp_contacts")
_EMAIL_SLOTS = ("PRI", "SEC", "TER")


def new_address(state, line1, line2=None, line3=None, line4=None, postal_code=None, iso3="GBR"):
    """Store a postal address; returns its id."""
    address_id = state.next_id("address")
    state.addresses[address_id] = {
        "postalAddressId": address_id, "addressLine1": line1, "addressLine2": line2,
        "addressLine3": line3, "addressLine4": line4, "postalCode": postal_code,
        "countryIsoCode": iso3, "countryId": list(rd.ISO3_TO_2).index(iso3) + 1}
    state.changed("addresses")
    return address_id


def new_contact(state, first, last, emails=None, phones=None, addresses=None, is_supplier=False,
                is_staff=False, company=None, price_list_id=None):
    """Store a contact; returns the record (updatedOn None until it is first modified)."""
    moment = now()
    contact = {"contactId": state.next_id("contact"), "salutation": "", "firstName": first,
               "lastName": last, "emails": dict(emails or {}), "telephones": dict(phones or {}),
               "postAddressIds": dict(addresses or {}), "isSupplier": is_supplier,
               "isStaff": is_staff, "isCustomer": not (is_supplier or is_staff),
               "companyName": company, "priceListId": price_list_id, "nominalCode": "4000",
               "createdOn": moment, "updatedOn": None, "lastOrderedOn": None}
    state.contacts[contact["contactId"]] = contact
    state.changed("contacts")
    return contact


def render(c):
    """A contact as GET contact/{id} shows it (VCR:customer/get/simple_get)."""
    return strip_nulls({
        "contactId": c["contactId"], "isPrimaryContact": True, "salutation": c["salutation"],
        "firstName": c["firstName"], "lastName": c["lastName"],
        "postAddressIds": c["postAddressIds"] or None,
        "communication": {"emails": {k: {"email": v} for k, v in c["emails"].items()} or None,
                          "telephones": c["telephones"] or None, "messagingVoips": {},
                          "websites": {}},
        "contactStatus": {"current": {"contactStatusId": 0}},
        "relationshipToAccount": {"isSupplier": c["isSupplier"], "isStaff": c["isStaff"]},
        "marketingDetails": {"isReceiveEmailNewsletter": False},
        "financialDetails": {"priceListId": c["priceListId"], "currencyId": 1,
                             "nominalCode": c["nominalCode"], "creditLimit": 0,
                             "creditTermDays": 0, "discountPercentage": 0.0},
        "assignment": {"current": {}},
        "organisation": {"organisationId": c["contactId"], "name": c["companyName"]},
        "tradeStatus": "UNKNOWN", "createdOn": ts(c["createdOn"]),
        "updatedOn": ts(c["updatedOn"]) if c["updatedOn"] else None,
        # A string of tag ids, not a list (recorded: "contactTags":"9").
        "contactTags": "", "aliases": {}, "companyId": 0})


@blueprint.route("/contact-service/postal-address", methods=["POST"])
@locked
def post_address():
    """POST postal-address: addressLine1 and an ISO-3 country are required; returns the id."""
    body = json_body()
    if not str(body.get("addressLine1") or "").strip():
        raise invalid("CONC-011", "addressLine1 is required")
    iso3 = body.get("countryIsoCode")
    if body.get("countryId") and not iso3:
        codes = list(rd.ISO3_TO_2)
        iso3 = codes[int(body["countryId"]) - 1] if 0 < int(body["countryId"]) <= len(codes) else None
    # The doc asks for ISO-3 ("GBR"); a 2-letter code is refused so the mapping gets noticed.
    if iso3 not in rd.ISO3_TO_2:
        raise invalid("CONC-012", f"countryIsoCode must be an ISO 3166 alpha-3 code, got {iso3!r}")
    address_id = new_address(emu().state, body["addressLine1"], body.get("addressLine2"),
                             body.get("addressLine3"), body.get("addressLine4"),
                             body.get("postalCode"), iso3)
    return ok(address_id)


@blueprint.route("/contact-service/postal-address/<idset>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def get_addresses(idset):
    """GET postal-address/{idset}."""
    state = emu().state
    ids = ids_for(idset, state.addresses, "/postal-address/{}")
    found = [strip_nulls(state.addresses[i]) for i in ids if i in state.addresses]
    if not found:
        raise not_found("No postal addresses found")
    return ok(found)


@blueprint.route("/contact-service/contact", methods=["POST"])
@locked
def post_contact():
    """POST contact: names up to 32 characters, address ids must exist; returns the id."""
    state, body = emu().state, json_body()
    first, last = str(body.get("firstName") or ""), str(body.get("lastName") or "")
    if len(first) > 32 or len(last) > 32:
        raise invalid("CONC-021", "firstName and lastName are at most 32 characters")
    if not (first or last or (body.get("organisation") or {}).get("name")):
        raise invalid("CONC-020", "A contact needs a first name, last name or company name")
    addresses = body.get("postAddressIds") or {}
    for kind, address_id in addresses.items():
        if kind not in ("DEF", "BIL", "DEL") or address_id not in state.addresses:
            raise invalid("CONC-022", f"postAddressIds.{kind}: address {address_id} does not exist")
    communication = body.get("communication") or {}
    emails = {k: v.get("email") for k, v in (communication.get("emails") or {}).items()
              if k in _EMAIL_SLOTS and isinstance(v, dict) and v.get("email")}
    relationship = body.get("relationshipToAccount") or {}
    contact = new_contact(
        state, first, last, emails, communication.get("telephones") or {}, addresses,
        bool(relationship.get("isSupplier")), bool(relationship.get("isStaff")),
        (body.get("organisation") or {}).get("name"),
        (body.get("financialDetails") or {}).get("priceListId"))
    return ok(contact["contactId"])


@blueprint.route("/contact-service/contact/<idset>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def get_contacts(idset):
    """GET contact/{idset}: 404 CMNC-404 when none exist (VCR:customer/get/empty_not_found)."""
    state = emu().state
    ids = ids_for(idset, state.contacts, "/contact/{}")
    found = [render(state.contacts[i]) for i in ids if i in state.contacts]
    if not found:
        raise not_found("No contacts found")
    # Contact GET carries pagination and sorting blocks beside the response (recorded).
    return ok(found, pagination={"morePagesAvailable": False, "resultsReturned": len(found),
                                 "firstResult": 1, "lastResult": len(found)},
              sorting=[{"field": "contactId", "direction": "ASC"}])


def _search():
    state = emu().state
    # Absent emails and phones are "" in recorded rows, not null.
    email = lambda slot: (lambda c: c["emails"].get(slot) or "")  # noqa: E731
    phone = lambda slot: (lambda c: c["telephones"].get(slot) or "")  # noqa: E731
    # Columns, types and flags as recorded (VCR:customer/search/simple_search). There is no
    # allEmail column: the third-party filter is refused like any unknown filter.
    return Search([
        Column("contactId", "IDSET", lambda c: c["contactId"]),
        # Email columns are SEARCH_STRING: substring, case-insensitive (§8).
        Column("primaryEmail", "SEARCH_STRING", email("PRI")),
        Column("secondaryEmail", "SEARCH_STRING", email("SEC")),
        Column("tertiaryEmail", "SEARCH_STRING", email("TER")),
        Column("firstName", "SEARCH_STRING", lambda c: c["firstName"]),
        Column("lastName", "SEARCH_STRING", lambda c: c["lastName"]),
        Column("isSupplier", "BOOLEAN", lambda c: c["isSupplier"], sortable=False),
        Column("companyName", "SEARCH_STRING", lambda c: c["companyName"]),
        Column("isStaff", "BOOLEAN", lambda c: c["isStaff"], sortable=False),
        Column("isCustomer", "BOOLEAN", lambda c: c["isCustomer"], sortable=False),
        Column("createdOn", "PERIOD", lambda c: c["createdOn"]),
        Column("updatedOn", "PERIOD", lambda c: c["updatedOn"]),
        Column("lastContactedOn", "PERIOD", lambda c: None),
        Column("lastOrderedOn", "PERIOD", lambda c: c["lastOrderedOn"]),
        Column("nominalCode", "INTEGER", lambda c: int(c["nominalCode"] or 0)),
        Column("isPrimary", "BOOLEAN", lambda c: True),
        Column("pri", "STRING", phone("PRI"), sortable=False),
        Column("sec", "STRING", phone("SEC"), sortable=False),
        Column("mob", "STRING", phone("MOB"), sortable=False),
        Column("exactCompanyName", "STRING", lambda c: c["companyName"]),
        Column("title", "STRING", lambda c: c["salutation"]),
    ], lambda: state.contacts.values())


@blueprint.route("/contact-service/contact-search")
@locked
def contact_search():
    """GET contact-search; several contacts may share an email."""
    payload, extra = _search().run(request.args)
    return ok(payload, **extra)


@blueprint.route("/contact-service/contact-search/meta-data")
def contact_search_meta():
    """GET contact-search/meta-data."""
    return ok(_search().meta_data())
