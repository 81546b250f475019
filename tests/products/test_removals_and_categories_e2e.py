"""Products that go away, and categories, end to end: staff act in either platform's screens,
the webhooks reach the real receivers, RQ runs the products flow, the store changes."""
import requests

from demo.flows import DEMO_SETTINGS
from logpage.resync import resync_row
from models.flows import save_flow
from models.links import ProductLink
from models.logs import SyncLog
from tests.platforms import WOO_AUTH, platforms  # noqa: F401 - the wired fixture


def products_flow(**changes):
    save_flow("products", "test", enabled=True, settings={**DEMO_SETTINGS["products"], **changes})


def woo_product(platforms, sku):
    found = platforms.woo("GET", "/products", params={"sku": sku})
    return found[0] if found else None


def bp_products(platforms):
    return platforms.bp("GET", "/product-service/product/1001-1012")


def simple(platforms, index=0):
    """(Brightpearl id, SKU) of a simple product (no group) of the seeded catalog."""
    singles = [p for p in bp_products(platforms) if not p.get("productGroupId")]
    return singles[index]["id"], singles[index]["identity"]["sku"]


def variant(platforms):
    grouped = [p for p in bp_products(platforms) if p.get("productGroupId")]
    return grouped[0]["id"], grouped[0]["identity"]["sku"]


def linked(platforms, work, bp_id):
    """Make the products flow link the product (a product.modified from Brightpearl)."""
    platforms.bp_control(f"products/{bp_id}/status", {"status": "LIVE"})
    platforms.settle(work)
    return ProductLink.get(ProductLink.bp_product_id == bp_id)


def row_of(bp_id):
    return SyncLog.get(SyncLog.log_type == "product", SyncLog.record_key == f"bp-{bp_id}")


def words(row):
    return [a.message for a in row.attempts]


def test_archived_in_brightpearl_goes_to_draft_even_when_the_store_owns_the_status(
        platforms, work):
    products_flow(owned_fields=["name", "price"])
    bp_id, sku = simple(platforms)
    platforms.bp_control(f"products/{bp_id}/status", {"status": "ARCHIVED"})
    platforms.settle(work)
    assert woo_product(platforms, sku)["status"] == "draft"
    row = row_of(bp_id)
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    assert any("taken off sale: ARCHIVED in Brightpearl → draft in the store" in m
               for m in words(row)), words(row)


def test_archived_with_leave_stays_on_sale_and_private_makes_it_private(platforms, work):
    products_flow(off_sale="leave")
    bp_id, sku = simple(platforms)
    platforms.bp_control(f"products/{bp_id}/status", {"status": "ARCHIVED"})
    platforms.settle(work)
    assert woo_product(platforms, sku)["status"] == "publish"
    products_flow(off_sale="private")
    other, other_sku = simple(platforms, 1)
    platforms.bp_control(f"products/{other}/status", {"status": "ARCHIVED"})
    platforms.settle(work)
    assert woo_product(platforms, other_sku)["status"] == "private"


def test_deleted_in_brightpearl_is_taken_off_sale(platforms, work):
    products_flow()
    bp_id, sku = simple(platforms)
    link = linked(platforms, work, bp_id)
    group_member, member_sku = variant(platforms)
    member_link = linked(platforms, work, group_member)
    for product_id in (bp_id, group_member):
        platforms.bp_control(f"products/{product_id}", method="DELETE")
    platforms.settle(work)
    assert woo_product(platforms, sku)["status"] == "draft"
    assert woo_product(platforms, member_sku)["status"] == "private"
    row = row_of(bp_id)
    assert row.status == "synced"
    assert f"deleted in Brightpearl: Woo product #{link.woo_product_id} set to draft" \
        in words(row)[-1]
    assert f"variation #{member_link.woo_product_id}" in words(row_of(group_member))[-1]


def test_a_product_staff_deleted_in_the_store_drops_its_link_and_stays_out(platforms, work,
                                                                           redis_connection):
    products_flow()
    bp_id, sku = simple(platforms)
    woo_id = linked(platforms, work, bp_id).woo_product_id
    platforms.woo("DELETE", f"/products/{woo_id}")  # the admin's Trash: product.deleted
    platforms.settle(work)
    link = ProductLink.get(ProductLink.bp_product_id == bp_id)
    assert link.woo_product_id is None and link.woo_deleted_at is not None
    row = row_of(bp_id)
    assert row.status == "pending"
    assert row.pending_reason.startswith(f"Woo product #{woo_id} was deleted in the store; link "
                                         f"dropped — left out of the store")
    # A later change in Brightpearl: nothing is written to the trashed product or created.
    platforms.bp_control(f"products/{bp_id}/categories", {"categories": [298]})
    platforms.settle(work)
    assert woo_product(platforms, sku) is None
    assert row_of(bp_id).pending_reason.startswith("deleted in the store by staff (")
    # Staff change their mind: the setting, then Re-sync, brings it back.
    products_flow(deleted_in_store="recreate")
    resync_row(row_of(bp_id), redis_connection)
    platforms.settle(work)
    again = woo_product(platforms, sku)
    assert again is not None and again["id"] != woo_id
    assert row_of(bp_id).status == "synced"


def test_a_write_to_a_product_deleted_for_good_drops_the_link_instead_of_failing(platforms,
                                                                                 work):
    products_flow()
    bp_id, sku = simple(platforms)
    woo_id = linked(platforms, work, bp_id).woo_product_id
    platforms.woo("DELETE", f"/products/{woo_id}", params={"force": "true"})  # no webhook
    platforms.bp("PUT", f"/product-service/product/{bp_id}",
                 json={"salesChannels": [{"productName": "Renamed in Brightpearl"}]})
    platforms.settle(work)
    row = row_of(bp_id)
    assert row.status == "pending", (row.failure_reason, row.pending_reason)
    assert row.pending_reason.startswith(f"Woo simple #{woo_id} is gone from the store")
    assert ProductLink.get(ProductLink.bp_product_id == bp_id).woo_product_id is None


def store_categories(platforms):
    answer = requests.get(f"{platforms.woo_url}/wp-json/wc/v3/products/categories",
                          auth=WOO_AUTH, params={"per_page": 100}, timeout=10).json()
    return {c["id"]: (c["name"], c["parent"]) for c in answer}


def test_categories_are_created_as_a_tree_once_and_the_map_overrides(platforms, work):
    products_flow(owned_fields=["name", "categories"], category_sync="create")
    bp_id, sku = simple(platforms)
    platforms.bp_control(f"products/{bp_id}/categories", {"categories": [299]})
    platforms.settle(work)
    made = store_categories(platforms)
    by_name = {name: (term_id, parent) for term_id, (name, parent) in made.items()}
    assert by_name["Accessories"][1] == by_name["Clothing"][0] and by_name["Clothing"][1] == 0
    assert [c["name"] for c in woo_product(platforms, sku)["categories"]] == ["Accessories"]
    other, other_sku = simple(platforms, 1)
    platforms.bp_control(f"products/{other}/categories", {"categories": [299, 298]})
    platforms.settle(work)
    after = store_categories(platforms)
    assert sorted(name for name, _ in after.values()) == ["Accessories", "Clothing", "Stationery"]
    assert sorted(c["name"] for c in woo_product(platforms, other_sku)["categories"]) == [
        "Accessories", "Stationery"]
    # The hand-kept map wins over the tree.
    special = platforms.woo("POST", "/products/categories", json={"name": "Gifts"})["id"]
    products_flow(owned_fields=["name", "categories"], category_sync="create",
                  category_map={"299": special})
    platforms.bp_control(f"products/{bp_id}/categories", {"categories": [299]})
    platforms.settle(work)
    assert [c["name"] for c in woo_product(platforms, sku)["categories"]] == ["Gifts"]


def test_match_only_leaves_out_what_the_store_lacks_and_says_so(platforms, work):
    products_flow(owned_fields=["name", "categories"], category_sync="match")  # the default
    clothing = platforms.woo("POST", "/products/categories", json={"name": "clothing"})["id"]
    bp_id, sku = simple(platforms)
    platforms.bp_control(f"products/{bp_id}/categories", {"categories": [296, 299]})
    platforms.settle(work)
    assert [c["id"] for c in woo_product(platforms, sku)["categories"]] == [clothing]
    assert sorted(name for name, _ in store_categories(platforms).values()) == ["clothing"]
    assert any("categories left out: no store category 'Clothing › Accessories' (setting: "
               "match only)" in m for m in words(row_of(bp_id))), words(row_of(bp_id))


def test_a_category_the_store_refuses_leaves_the_product_syncing(platforms, work):
    products_flow(owned_fields=["name", "categories"], category_sync="create")
    platforms.woo_control("faults", {"route": "products/categories$", "method": "POST",
                                     "status": 400, "count": 1})
    bp_id, sku = simple(platforms)
    platforms.bp_control(f"products/{bp_id}/categories", {"categories": [298]})
    platforms.settle(work)
    row = row_of(bp_id)
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    assert any("categories left out: the store refused category 'Stationery'" in m
               for m in words(row)), words(row)
    assert woo_product(platforms, sku)["categories"] == []
