"""Contract tests: envelope and not-found shapes, ID sets and caps, OPTIONS, searches by type."""
import time
from datetime import datetime, timedelta, timezone

from tests.sandbox.bp_fixtures import bp, bp_server  # noqa: F401


def _rows(answer):
    """Search results zipped with metaData column names."""
    body = answer.json()["response"]
    names = [c["name"] for c in body["metaData"]["columns"]]
    return [dict(zip(names, row)) for row in body["results"]]


def test_envelope_and_not_found_shapes(bp):
    ok = bp.get("product-service/product/1001")
    assert set(ok.json()) == {"response"}
    assert bp.get("order-service/order/999").json() == {"response": []}
    for path in ("contact-service/contact/9999", "product-service/product-price/99999"):
        missing = bp.get(path)
        assert missing.status_code == 404
        assert missing.json() == {"errors": [{"code": "CMNC-404", "message": missing.json()["errors"][0]["message"]}]}
    assert "response" not in bp.get("contact-service/contact/9999").json()


def test_product_shape_and_price_strings(bp):
    product = bp.get("product-service/product/1001").json()["response"][0]
    assert product["identity"]["sku"] == "VINTAGE-NOTEBOOK-00000-RS"
    assert product["salesChannels"][0]["productName"] == "Vintage Notebook (Red, S)"
    assert "name" not in product
    assert product["productGroupId"] == 1001
    assert {v["optionName"]: v["optionValue"] for v in product["variations"]} == {"Colour": "Red", "Size": "S"}
    prices = bp.get("product-service/product-price/1001-1002/price-list/1").json()["response"]
    assert prices[0]["priceLists"][0]["quantityPrice"] == {"1": "69.6800"}
    assert [p["priceListId"] for p in prices[0]["priceLists"]] == [1]
    both = bp.get("product-service/product-price/1001").json()["response"][0]["priceLists"]
    assert {p["priceListId"] for p in both} >= {1, 2}


def test_id_sets_parse_ranges_lists_and_caps(bp):
    found = bp.get("product-service/product/1001-1003,1010,1020-1021").json()["response"]
    assert [p["id"] for p in found] == [1001, 1002, 1003, 1010, 1020, 1021]
    too_many = bp.get("product-service/product/1-201")
    assert too_many.status_code == 400 and too_many.json()["errors"][0]["code"].startswith("CMNC-")
    assert bp.get("product-service/product/1001-1200").status_code == 200
    for bad in ("5-1", "abc", "1,,2", "0"):
        assert bp.get(f"product-service/product/{bad}").status_code == 400
    # Goods-out notes take 500 ids per set.
    assert bp.get("warehouse-service/order/*/goods-note/goods-out/1-500").status_code == 404
    assert bp.get("warehouse-service/order/*/goods-note/goods-out/1-501").status_code == 400


def test_options_returns_chunked_get_uris_of_existing_ids(bp):
    answer = bp.api("OPTIONS", "product-service/product/1-1020,1030-1500")
    assert answer.status_code == 200
    uris = answer.json()["response"]["getUris"]
    assert uris == ["/product/1001-1020,1030-1062"]
    orders = [bp.order().json()["response"] for _ in range(3)]
    uris = bp.api("OPTIONS", f"order-service/order/1-{orders[-1] + 10}").json()["response"]["getUris"]
    assert uris == [f"/order/{orders[0]}-{orders[-1]}"]


def test_search_paging_sort_and_columns(bp):
    first = bp.get("product-service/product-search?pageSize=25&firstResult=1").json()["response"]
    meta = first["metaData"]
    assert meta["resultsReturned"] == 25 and meta["resultsAvailable"] == 62
    assert meta["morePagesAvailable"] is True and meta["lastResult"] == 25
    assert {"name", "sortable", "filterable", "reportDataType", "required"} <= set(meta["columns"][0])
    last = bp.get("product-service/product-search?pageSize=25&firstResult=51").json()["response"]["metaData"]
    assert last["resultsReturned"] == 12 and last["morePagesAvailable"] is False
    default = bp.get("product-service/product-search").json()["response"]["metaData"]
    assert default["resultsReturned"] <= 200
    desc = _rows(bp.get("product-service/product-search?sort=productId.DESC&columns=productId,SKU&pageSize=3"))
    assert [r["productId"] for r in desc] == [1062, 1061, 1060] and set(desc[0]) == {"productId", "SKU"}
    capped = bp.get("product-service/product-search?pageSize=5000").json()["response"]["metaData"]
    assert capped["resultsReturned"] <= 500


def test_string_is_exact_and_search_string_is_substring(bp):
    exact = _rows(bp.get("product-service/product-search?SKU=VINTAGE-NOTEBOOK-00000-RS"))
    assert [r["productId"] for r in exact] == [1001]
    assert _rows(bp.get("product-service/product-search?SKU=VINTAGE-NOTEBOOK")) == []
    assert _rows(bp.get("product-service/product-search?SKU=vintage-notebook-00000-rs")) == []
    by_name = _rows(bp.get("product-service/product-search?productName=notebook (red&pageSize=500"))
    assert by_name and all("notebook (red" in r["productName"].lower() for r in by_name)


def test_contact_email_search_is_substring_and_emails_can_repeat(bp):
    contact = bp.get("contact-service/contact/201").json()["response"][0]
    email = contact["communication"]["emails"]["PRI"]["email"]
    address = bp.post("contact-service/postal-address", {"addressLine1": "1 Lane", "countryIsoCode": "GBR"}).json()["response"]
    twin = bp.post("contact-service/contact", {"firstName": "Twin", "lastName": "Contact",
                                                 "postAddressIds": {"DEF": address},
                                                 "communication": {"emails": {"PRI": {"email": email}}}}).json()["response"]
    staff = bp.post("contact-service/contact", {"firstName": "Staff", "lastName": "Member",
                                                  "relationshipToAccount": {"isStaff": True},
                                                  "communication": {"emails": {"SEC": {"email": email.upper()}}}}).json()["response"]
    matches = _rows(bp.get(f"contact-service/contact-search?primaryEmail={email.split('@')[0][:-2]}"))
    ids = [r["contactId"] for r in matches]
    assert 201 in ids and twin in ids and staff not in ids
    secondary = [r["contactId"] for r in _rows(bp.get(f"contact-service/contact-search?secondaryEmail={email}"))]
    assert secondary == [staff]
    customers = _rows(bp.get(f"contact-service/contact-search?primaryEmail={email}&isStaff=false"))
    assert staff not in [r["contactId"] for r in customers]
    # allEmail is not a column of the real contact search: refused, never silently ignored.
    refused = bp.get(f"contact-service/contact-search?allEmail={email}")
    assert refused.status_code == 500 and refused.json()["errors"][0]["code"] == "CMNC-018"
    assert bp.get("contact-service/contact-search?isStaff=maybe").status_code == 500


def test_two_letter_country_on_postal_address_is_refused(bp):
    answer = bp.post("contact-service/postal-address", {"addressLine1": "1 Lane", "countryIsoCode": "GB"})
    assert answer.status_code == 400
    assert bp.post("contact-service/postal-address", {"countryIsoCode": "GBR"}).status_code == 400


def test_period_filters_with_and_without_an_end(bp):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    bp.control("POST", "/stock", {"productId": 1001, "warehouseId": 2, "delta": 5})
    time.sleep(0.05)
    middle = datetime.now(timezone.utc)
    time.sleep(0.05)
    bp.control("POST", "/stock", {"productId": 1002, "warehouseId": 2, "delta": 1})
    stamp = lambda m: m.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"  # noqa: E731
    open_ended = _rows(bp.get(f"warehouse-service/goods-movement-search?updatedOn={stamp(before)}/"))
    assert [r["productId"] for r in open_ended] == [1001, 1002]
    bounded = _rows(bp.get(f"warehouse-service/goods-movement-search?updatedOn={stamp(before)}/{stamp(middle)}"))
    assert [r["productId"] for r in bounded] == [1001]
    until = _rows(bp.get(f"warehouse-service/goods-movement-search?updatedOn=/{stamp(middle)}"))
    assert [r["productId"] for r in until] == [1001]
    with_offset = middle.astimezone(timezone(timedelta(hours=-6))).isoformat(timespec="milliseconds")
    later = _rows(bp.get("warehouse-service/goods-movement-search", params={"updatedOn": with_offset + "/"}))
    assert [r["productId"] for r in later] == [1002]


def test_bad_filter_values_are_500_cmnc_018(bp):
    for query in ("updatedOn=yesterday/", "productId=abc", "stockTracked=perhaps", "sort=nope.ASC"):
        answer = bp.get(f"product-service/product-search?{query}")
        assert answer.status_code == 500, query
        assert answer.json()["errors"][0]["code"] == "CMNC-018"


def test_idset_and_integer_filters(bp):
    rows = _rows(bp.get("product-service/product-search?productId=1001-1003,1050&columns=productId"))
    assert [r["productId"] for r in rows] == [1001, 1002, 1003, 1050]
    group = _rows(bp.get("product-service/product-search?productGroupId=1001"))
    assert len(group) == 6
    bp.control("POST", "/stock", {"productId": 1001, "warehouseId": 2, "delta": 7})
    moved = _rows(bp.get("warehouse-service/goods-movement-search?quantity=7&goodsNoteTypeCode=SC"))
    assert [r["productId"] for r in moved] == [1001]


def test_order_search_has_reference_object_and_filters(bp):
    order_id = bp.order(externalRef="wc-77").json()["response"]
    answer = bp.get("order-service/order-search?externalRef=wc-77").json()
    assert answer["reference"]["orderStatusNames"] == {"2": "New web order"}
    assert answer["reference"]["orderTypeNames"]["1"] == "SALES_ORDER"
    rows = _rows(bp.get("order-service/order-search?externalRef=wc-77"))
    assert [r["orderId"] for r in rows] == [order_id]
    assert rows[0]["installedIntegrationInstanceId"] == 13
    refs = _rows(bp.get("order-service/sales-order-search?customerRefs=WC-1,WC-2"))
    assert order_id in [r["salesOrderId"] for r in refs]


def test_availability_omits_untracked_and_empty_warehouses(bp):
    levels = bp.get("warehouse-service/product-availability/1001-1062").json()["response"]
    tracked = {p["productId"] for p in _search_all(bp) if p["stockTracked"]}
    assert {int(k) for k in levels} == tracked - {1061, 1062}
    for entry in levels.values():
        assert all(w["inStock"] > 0 for w in entry["warehouses"].values())
    bundle = bp.get("warehouse-service/bundle-availability/1061")
    assert bundle.status_code == 200 and "total" in bundle.json()["response"]["1061"]
    assert bp.get("warehouse-service/bundle-availability/1061,1062").status_code == 400
    components = bp.get("product-service/product/1061").json()["response"][0]["composition"]
    assert components["bundle"] is True and len(components["bundleComponents"]) == 2


def _search_all(bp):
    return _rows(bp.get("product-service/product-search?pageSize=500&columns=productId,stockTracked"))
