"""The behaviours that make the emulator as strict as the recorded API (reference, "Column types
and values confirmed in recorded real responses"): typed filters, never-edited records, the
category membership, products in groups without variations, the OAuth grant and refresh."""
import re
import time

import requests

from tests.sandbox.bp_fixtures import bp, bp_server  # noqa: F401

CLIENT, REDIRECT = "sandbox-oauth-app", "https://app.example/cb"


def _rows(answer):
    body = answer.json()["response"]
    names = [c["name"] for c in body["metaData"]["columns"]]
    return [dict(zip(names, row)) for row in body["results"]]


def _error(answer):
    return answer.status_code, answer.json()["errors"][0]["code"]


def test_filter_values_must_fit_the_column_type(bp):
    assert _error(bp.get("product-service/product-search?productGroupId=1001,1007")) == (500, "CMNC-018")
    assert _error(bp.get("product-service/product-search?productGroupId=1001-1007")) == (500, "CMNC-018")
    assert bp.get("product-service/product-search?productGroupId=1001").status_code == 200
    message = bp.get("order-service/order-search?contactId=201,202").json()["errors"][0]["message"]
    assert message == "The filter contactId=201,202 cannot be parsed as: INTEGER"
    # IDSET columns still take ID sets; customerRef is exact, not a substring.
    assert bp.get("order-service/order-search?orderId=1-5,7").status_code == 200
    ref = bp.order().json()["response"]
    assert [r["orderId"] for r in _rows(bp.get("order-service/order-search?customerRef=WC-1"))] == [ref]
    assert _rows(bp.get("order-service/order-search?customerRef=WC")) == []


def test_unknown_and_unfilterable_filters_are_refused(bp):
    for path in ("product-service/product-search?salesChannelName=Brightpearl",
                 "product-service/product-search?nonsense=1",
                 "contact-service/contact-search?allEmail=x@example.com",
                 "warehouse-service/goods-note/goods-out-search?orderId=1"):
        assert _error(bp.get(path)) == (500, "CMNC-018"), path


def test_updated_on_is_null_until_the_first_change(bp):
    fresh = _rows(bp.get("product-service/product-search?productId=1001"))[0]
    assert fresh["updatedOn"] is None and fresh["createdOn"]
    assert "updatedOn" not in bp.get("product-service/product/1001").json()["response"][0]
    since = "2000-01-01T00:00:00Z/"
    assert _rows(bp.get(f"product-service/product-search?updatedOn={since}")) == []
    assert len(_rows(bp.get(f"product-service/product-search?createdOn={since}&pageSize=500"))) > 60
    assert bp.api("PUT", "product-service/product/1001", json={"identity": {"ean": "123"}}).text == "{}"
    assert [r["productId"] for r in _rows(bp.get(f"product-service/product-search?updatedOn={since}"))] == [1001]

    order_id = bp.order().json()["response"]
    row = _rows(bp.get(f"order-service/order-search?orderId={order_id}"))[0]
    assert row["updatedOn"] is None
    bp.api("PUT", f"order-service/order/{order_id}/status", json={"orderStatusId": 5})
    assert _rows(bp.get(f"order-service/order-search?orderId={order_id}"))[0]["updatedOn"]


def test_search_rows_carry_one_category_and_the_reference_all_of_them(bp):
    answer = bp.get("product-service/product-search?productId=1001-1062&pageSize=100")
    membership = answer.json()["reference"]["productCategoryMembership"]
    rows = {r["productId"]: r for r in _rows(answer)}
    several = [pid for pid, codes in membership.items() if len(codes) > 1]
    assert several, "the seed puts some products in two categories"
    for product_id, codes in membership.items():
        assert all(isinstance(code, int) for code in codes)
        assert rows[int(product_id)]["brightpearlCategoryCode"] == codes[0]
    product = bp.get(f"product-service/product/{several[0]}").json()["response"][0]
    assert [c["categoryCode"] for c in product["salesChannels"][0]["categories"]] == \
        [str(c) for c in membership[several[0]]]


def test_products_in_a_group_without_variations_and_unset_measures(bp):
    products = bp.get("product-service/product/1001-1062").json()["response"]
    lonely = [p for p in products if p.get("productGroupId") and "variations" not in p]
    assert lonely and all(p["productGroupId"] == p["id"] for p in lonely)
    unset = [p for p in products if p["stock"]["weight"]["magnitude"] == 0]
    assert unset, "some products have no weight"
    flat = [p["stock"]["dimensions"] for p in products if p["stock"]["dimensions"]["length"] == 0]
    assert flat and flat[0] == {"length": 0.0, "height": 0.0, "width": 0.0, "volume": 0.0}


def _authorize(bp, decision="allow", redirect=REDIRECT, client=CLIENT):
    return requests.post(f"{bp.url}/authorize/sandbox", timeout=5, allow_redirects=False, data={
        "response_type": "code", "client_id": client, "redirect_uri": redirect,
        "state": "xyz", "decision": decision})


def _token(bp, **form):
    return requests.post(f"{bp.url}/token/sandbox", data=dict(client_id=CLIENT, **form), timeout=5)


def test_the_authorization_code_flow_and_refresh(bp):
    page = requests.get(f"{bp.url}/authorize/sandbox", timeout=5, params={
        "response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "xyz"})
    assert page.status_code == 200 and 'value="allow"' in page.text
    denied = _authorize(bp, "deny")
    assert denied.headers["Location"] == f"{REDIRECT}?error=access_denied&state=xyz"
    assert _authorize(bp, client="someone-else").status_code == 400  # shown, never redirected
    allowed = _authorize(bp).headers["Location"]
    code = re.fullmatch(re.escape(REDIRECT) + r"\?code=([0-9a-f-]{36})&state=xyz", allowed).group(1)
    mismatch = _token(bp, grant_type="authorization_code", code=code, redirect_uri="https://x/")
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "invalid_grant"
    code = re.search(r"code=([^&]+)", _authorize(bp).headers["Location"]).group(1)
    first = _token(bp, grant_type="authorization_code", code=code, redirect_uri=REDIRECT).json()
    assert first["installation_instance_id"] == "13" and first["expires_in"] == 604800
    time.sleep(1.1)
    second = _token(bp, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert "installation_instance_id" not in second
    # The refreshed token expires when its predecessor would have: the remaining lifetime.
    assert 604790 < second["expires_in"] < 604800
    assert second["refresh_token"] != first["refresh_token"]
    reused = _token(bp, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    bp.control("POST", "/oauth/expire")
    third = _token(bp, grant_type="refresh_token", refresh_token=second["refresh_token"]).json()
    assert third["expires_in"] == 604800  # after expiry a refresh starts a new lifetime


def test_a_refused_token_is_echoed_in_the_401_body(bp):
    answer = bp.get("product-service/product/1001", headers={
        "Authorization": "Bearer abc123", "brightpearl-app-ref": CLIENT,
        "brightpearl-dev-ref": "sandbox-dev"})
    assert answer.status_code == 401
    assert answer.json() == {"response": "Invalid instance token: abc123"}
    assert answer.headers["brightpearl-requests-remaining"]
