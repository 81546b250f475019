"""Seeding the store from the shared demo catalog: groups become variable products (fast at 100k)."""
from sandbox.catalog import demo_catalog, demo_customers


def _product(state, now, **fields):
    record = {"id": state.next_id("post"), "type": "simple", "parent_id": 0, "name": "", "sku": "",
              "status": "publish", "description": "", "short_description": "", "regular_price": "",
              "sale_price": "", "manage_stock": False, "stock_quantity": None, "stock_status": "instock",
              "backorders": "no", "low_stock_amount": None, "weight": "", "attributes": [],
              "default_attributes": [], "variations": [], "meta_data": [], "categories": [], "tags": [],
              "images": [], "tax_status": "taxable", "tax_class": "", "purchase_note": "",
              "catalog_visibility": "visible", "total_sales": 0, "date_created": now, "date_modified": now}
    record.update(fields)
    state.products[record["id"]] = record
    if record["sku"]:
        state.sku_index[record["sku"]] = record["id"]
    return record


def _stock_fields(item):
    tracked = item["stock_tracked"]
    return {"manage_stock": tracked, "stock_quantity": sum(item["stock"].values()) if tracked else None,
            "regular_price": item["price"], "weight": item["weight"], "description": item["description"]}


def seed(state, n_products, n_customers, seed_value):
    """Replace catalog, customers and orders with demo data (webhooks and settings survive)."""
    state.clear(keep_webhooks=True)
    now = state.now()
    parents, counts = {}, {"simple": 0, "variable": 0, "variation": 0}
    for item in demo_catalog(n_products, seed_value):
        if not item["group"]:
            _product(state, now, name=item["name"], sku=item["sku"], **_stock_fields(item))
            counts["simple"] += 1
            continue
        parent = parents.get(item["group"])
        if parent is None:
            parent = parents[item["group"]] = _product(
                state, now, type="variable", name=item["name"].rsplit(" (", 1)[0],
                sku=item["sku"].rsplit("-", 1)[0], description=item["description"].replace(
                    item["name"], item["name"].rsplit(" (", 1)[0]))
            counts["variable"] += 1
        attributes = [{"id": 0, "name": name, "option": option} for name, option in item["options"].items()]
        variation = _product(state, now, type="variation", parent_id=parent["id"], name=parent["name"],
                             sku=item["sku"], attributes=attributes, **_stock_fields(item))
        parent["variations"].append(variation["id"])
        counts["variation"] += 1
    for parent in parents.values():
        parent["attributes"] = _parent_attributes(state, parent)
    for customer in demo_customers(n_customers, seed_value):
        record = dict(customer, id=state.next_id("user"), username=customer["email"].split("@")[0])
        state.customers[record["id"]] = record
    state._everything_dirty = True
    return dict(counts, products=len(state.products), customers=len(state.customers))


def _parent_attributes(state, parent):
    options = {}
    for variation_id in parent["variations"]:
        for attribute in state.products[variation_id]["attributes"]:
            values = options.setdefault(attribute["name"], [])
            if attribute["option"] not in values:
                values.append(attribute["option"])
    return [{"id": 0, "name": name, "slug": name.lower(), "position": position, "visible": True,
             "variation": True, "options": values} for position, (name, values) in enumerate(options.items())]
