"""Contract: products and variations, SKU lookups, listing, stock rules, batches (reference §2.2–2.4)."""
import time

from tests.sandbox.woo_fixtures import store  # noqa: F401  (fixture)


def test_seeded_catalog_has_variable_products_with_variations(store):
    store.seed(products=12)
    variation = store.by_sku("VINTAGE-NOTEBOOK-00000-RS")
    assert variation["type"] == "variation" and variation["parent_id"]
    assert variation["attributes"] == [{"id": 0, "name": "Colour", "option": "Red"},
                                       {"id": 0, "name": "Size", "option": "S"}]
    parent = store.api.get(store.wc(f"products/{variation['parent_id']}")).json()
    assert parent["type"] == "variable" and len(parent["variations"]) == 6
    assert parent["attributes"][0]["options"] == ["Red", "Blue", "Green"]
    listed = store.api.get(store.wc(f"products/{parent['id']}/variations"), params={"per_page": 100}).json()
    assert [v["id"] for v in listed] == parent["variations"]
    assert listed[0]["_links"]["up"][0]["href"].endswith(f"/wp-json/wc/v3/products/{parent['id']}")
    one = store.api.get(store.wc(f"products/{parent['id']}/variations/{variation['id']}")).json()
    assert one["sku"] == variation["sku"] and "catalog_visibility" not in one


def test_sku_filter_returns_variations_and_takes_a_list(store):
    store.seed(products=12)
    skus = "VINTAGE-NOTEBOOK-00000-RS,VINTAGE-NOTEBOOK-00000-BM,NOPE"
    found = store.api.get(store.wc("products"), params={"sku": skus}).json()
    assert sorted(p["sku"] for p in found) == ["VINTAGE-NOTEBOOK-00000-BM", "VINTAGE-NOTEBOOK-00000-RS"]
    assert all(p["type"] == "variation" for p in found)
    plain = store.api.get(store.wc("products"), params={"per_page": 100}).json()
    assert all(p["type"] != "variation" for p in plain)


def test_pagination_headers_and_per_page_limit(store):
    store.seed(products=40)
    response = store.api.get(store.wc("products"), params={"per_page": 5, "page": 2})
    total = int(response.headers["X-WP-Total"])
    assert total == 16 + 4  # simple + variable parents; variations are not top-level
    assert response.headers["X-WP-TotalPages"] == "4" and len(response.json()) == 5
    assert 'rel="next"' in response.headers["Link"] and 'rel="prev"' in response.headers["Link"]
    too_many = store.api.get(store.wc("products"), params={"per_page": 101})
    assert too_many.status_code == 400
    body = too_many.json()
    assert body["code"] == "rest_invalid_param" and body["data"]["status"] == 400
    assert "per_page" in body["data"]["params"]


def test_modified_after_and_fields(store):
    store.seed(products=12)
    first = store.api.get(store.wc("products"), params={"per_page": 1}).json()[0]
    time.sleep(1.1)  # dates have whole-second resolution, like WordPress
    changed = store.api.put(store.wc(f"products/{first['id']}"), json={"name": "Renamed"}).json()
    since = first["date_modified_gmt"]
    found = store.api.get(store.wc("products"), params={"modified_after": since, "dates_are_gmt": "true"}).json()
    assert [p["id"] for p in found] == [changed["id"]]
    trimmed = store.api.get(store.wc("products"), params={"_fields": "sku,stock_quantity", "per_page": 2}).json()
    assert all(set(p) == {"id", "sku", "stock_quantity"} for p in trimmed)
    assert "\\/" in store.api.get(store.wc(f"products/{first['id']}")).text  # PHP-style slashes


def test_stock_quantity_ignored_unless_managed(store):
    product = store.api.post(store.wc("products"), json={"name": "Mug", "sku": "MUG-1", "regular_price": "9.50",
                                                         "stock_quantity": 7}).json()
    assert product["manage_stock"] is False and product["stock_quantity"] is None
    assert product["stock_status"] == "instock"
    managed = store.api.put(store.wc(f"products/{product['id']}"),
                            json={"manage_stock": True, "stock_quantity": 0}).json()
    assert managed["stock_quantity"] == 0 and managed["stock_status"] == "outofstock"
    delta = store.api.put(store.wc(f"products/{product['id']}"), json={"inventory_delta": 3}).json()
    assert delta["stock_quantity"] == 3 and delta["stock_status"] == "instock"


def test_parent_managed_variation_shows_parent(store):
    parent = store.api.post(store.wc("products"), json={"name": "Tee", "type": "variable", "manage_stock": True,
                                                        "stock_quantity": 9}).json()
    variation = store.api.post(store.wc(f"products/{parent['id']}/variations"),
                               json={"sku": "TEE-R", "regular_price": "12.00",
                                     "attributes": [{"name": "Colour", "option": "Red"}]}).json()
    assert variation["manage_stock"] == "parent" and variation["stock_quantity"] == 9
    assert store.api.get(store.wc(f"products/{variation['id']}")).json()["type"] == "variation"


def test_duplicate_sku_is_rejected(store):
    store.api.post(store.wc("products"), json={"name": "A", "sku": "DUP"})
    response = store.api.post(store.wc("products"), json={"name": "B", "sku": "DUP"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "product_invalid_sku" and body["message"] == "Invalid or duplicated SKU."
    assert body["data"]["status"] == 400 and body["data"]["resource_id"]


def test_batch_limit_is_413(store):
    body = {"create": [{"name": f"P{i}"} for i in range(60)], "update": [{"id": i} for i in range(41)]}
    response = store.api.post(store.wc("products/batch"), json=body)
    assert response.status_code == 413
    assert response.json() == {"code": "woocommerce_rest_request_entity_too_large",
                               "message": "Unable to accept more than 100 items for this request.",
                               "data": {"status": 413}}


def test_batch_partial_failure_reports_per_item_errors(store):
    store.seed(products=12)
    first = store.by_sku("VINTAGE-NOTEBOOK-00000-RS")
    body = {"create": [{"name": "New", "sku": "NEW-1"}, {"name": "Dup", "sku": first["sku"]}],
            "update": [{"id": first["id"], "manage_stock": True, "stock_quantity": 4}, {"id": 999999, "name": "x"}],
            "delete": [888888]}
    response = store.api.post(store.wc("products/batch"), json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["create"][0]["sku"] == "NEW-1"
    assert answer["create"][1] == {"id": 0, "error": {"code": "product_invalid_sku",
                                                      "message": "Invalid or duplicated SKU.",
                                                      "data": answer["create"][1]["error"]["data"]}}
    assert answer["update"][0]["stock_quantity"] == 4
    assert answer["update"][1]["id"] == 999999
    assert answer["update"][1]["error"] == {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.",
                                            "data": {"status": 400}}
    assert answer["delete"][0]["error"]["data"] == {"status": 404}


def test_variations_batch(store):
    store.seed(products=12)
    variation = store.by_sku("VINTAGE-NOTEBOOK-00000-RS")
    url = store.wc(f"products/{variation['parent_id']}/variations/batch")
    answer = store.api.post(url, json={"update": [{"id": variation["id"], "manage_stock": True,
                                                   "stock_quantity": 11}]}).json()
    assert answer["update"][0]["stock_quantity"] == 11 and answer["update"][0]["type"] == "variation"
