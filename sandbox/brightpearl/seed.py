"""Seeding the account from the shared demo catalog, fast enough for 100,000 products."""
from decimal import Decimal

from sandbox.catalog import demo_catalog, demo_customers

from . import refdata as rd
from .contacts import new_address, new_contact
from .fmt import now

_CENT = Decimal("0.01")


def seed(emu, n_products=40, n_customers=20, seed_value=7, bundles=0):
    """Replace the account's data with the demo catalog and customers; returns a summary.

    Variants of a catalog group share one productGroupId (the first variant's id). Every
    fourth simple product sits alone in a group with no variations, as real accounts have them
    (sold as a simple product). Opening stock is loaded as levels, without goods movements or
    webhooks. No product has been modified yet, so updatedOn is None everywhere.
    """
    state = emu.state
    state.reset(keep=("webhooks", "oauth"))
    moment, groups = now(), {}
    products, prices, stock, sku_index = state.products, state.prices, state.stock, state.sku_index
    first_id = state.next_id("product")
    next_id = first_id
    simple = 0
    for item in demo_catalog(n_products, seed_value):
        product_id, next_id = next_id, next_id + 1
        group = groups.setdefault(item["group"], product_id) if item["group"] else None
        if group is None:
            simple += 1
            group = product_id if simple % 4 == 0 else None  # a group of one, no variations
        products[product_id] = {
            "id": product_id, "sku": item["sku"], "name": item["name"], "description": item["description"],
            # The catalog's weight string ("" when none was entered; rendered as 0.0).
            "weight": item["weight"], "dimensions": item["dimensions"],
            "categories": item["categories"], "groupId": group, "options": item["options"],
            "stockTracked": item["stock_tracked"], "bundle": False, "components": [], "brandId": 1,
            "productTypeId": 2 if item["group"] else 1, "status": "LIVE", "taxCode": "T",
            "barcode": None, "ean": None, "createdOn": moment, "updatedOn": None}
        sku_index[item["sku"]] = product_id
        price = Decimal(item["price"])
        prices[product_id] = {1: {"1": price}, 2: {"1": (price * rd.TRADE_FACTOR).quantize(_CENT)},
                              3: {"1": (price * rd.COST_FACTOR).quantize(_CENT)}}
        if item["stock_tracked"] and item["stock"]:
            stock[product_id] = {w: [q, 0] for w, q in item["stock"].items()}
    state.meta["seq"]["product"] = next_id
    bundle_ids = _bundles(state, bundles, moment)
    contact_ids = []
    for customer in demo_customers(n_customers, seed_value):
        address = new_address(state, customer["address_1"], None, customer["city"], None,
                              customer["postcode"], rd.ISO2_TO_3[customer["country"]])
        contact = new_contact(state, customer["first_name"], customer["last_name"],
                              {"PRI": customer["email"]}, {"PRI": customer["phone"]},
                              {"DEF": address, "BIL": address, "DEL": address})
        contact_ids.append(contact["contactId"])
    state.changed("products", "prices", "stock")
    return {"products": len(products), "productIds": [first_id, next_id - 1] if n_products else [],
            "bundleIds": bundle_ids, "customers": len(contact_ids),
            "contactIds": [contact_ids[0], contact_ids[-1]] if contact_ids else []}


def _bundles(state, count, moment):
    """Make count bundles of two simple stock-tracked products each (1 + 2 units)."""
    simple = [p for p in state.products.values() if p["stockTracked"] and not p["groupId"]]
    made = []
    for index in range(min(count, len(simple) // 2)):
        first, second = simple[2 * index], simple[2 * index + 1]
        product_id = state.next_id("product")
        state.products[product_id] = dict(
            first, id=product_id, sku=f"BUNDLE-{index + 1:04d}",
            name=f"{first['name']} + 2 x {second['name']}", bundle=True, stockTracked=False,
            components=[(first["id"], 1), (second["id"], 2)], options={}, groupId=None,
            createdOn=moment, updatedOn=None)
        state.sku_index[f"BUNDLE-{index + 1:04d}"] = product_id
        total = state.prices[first["id"]][1]["1"] + 2 * state.prices[second["id"]][1]["1"]
        state.prices[product_id] = {1: {"1": (total * Decimal("0.9")).quantize(_CENT)}}
        made.append(product_id)
    return made
