"""Stock levels per product and warehouse: inStock, allocated, onHand = inStock - allocated (§6).

Every physical change is a goods movement; every onHand change raises
product.modified.on-hand-modified. Allocation changes onHand without a goods movement, as on a
real account (the caveat in §6 "Finding what changed").
"""
from . import refdata as rd
from .envelope import invalid
from .fmt import now

ON_HAND_EVENT = "product.modified.on-hand-modified"


def levels(state, product_id, warehouse_id):
    """(inStock, allocated) of a product in a warehouse."""
    entry = state.stock.get(product_id, {}).get(warehouse_id)
    return (entry[0], entry[1]) if entry else (0, 0)


def on_hand(state, product_id, warehouse_id):
    """Units free to sell in a warehouse."""
    in_stock, allocated = levels(state, product_id, warehouse_id)
    return in_stock - allocated


def _set(state, product_id, warehouse_id, in_stock, allocated):
    # None of the levels can go negative (H-INV); callers check first, this is the last guard.
    if in_stock < 0 or allocated < 0 or in_stock - allocated < 0:
        raise invalid("WHSC-070", "Stock levels cannot go negative")
    per_product = state.stock.setdefault(product_id, {})
    if in_stock == 0 and allocated == 0:
        per_product.pop(warehouse_id, None)
    else:
        per_product[warehouse_id] = [in_stock, allocated]
    state.changed("stock")


def move(emu, product_id, warehouse_id, quantity, type_code, note_id=None):
    """Change inStock by a signed quantity, record the goods movement, raise on-hand-modified."""
    state = emu.state
    in_stock, allocated = levels(state, product_id, warehouse_id)
    if in_stock + quantity - allocated < 0:
        raise invalid("WHSC-070", f"Not enough stock of product {product_id} in warehouse "
                                  f"{warehouse_id} (on hand {in_stock - allocated})")
    _set(state, product_id, warehouse_id, in_stock + quantity, allocated)
    movement = _movement(state, product_id, warehouse_id, quantity, type_code, note_id)
    if quantity:
        emu.events.raise_(ON_HAND_EVENT, [product_id])
    return movement


def allocate(emu, product_id, warehouse_id, quantity):
    """Reserve up to quantity units (never beyond onHand); returns how many were reserved."""
    in_stock, allocated = levels(emu.state, product_id, warehouse_id)
    amount = max(0, min(quantity, in_stock - allocated))
    if amount:
        _set(emu.state, product_id, warehouse_id, in_stock, allocated + amount)
        emu.events.raise_(ON_HAND_EVENT, [product_id])
    return amount


def release(emu, product_id, warehouse_id, quantity):
    """Give back reserved units (a cancelled order's allocation)."""
    in_stock, allocated = levels(emu.state, product_id, warehouse_id)
    amount = min(quantity, allocated)
    if amount:
        _set(emu.state, product_id, warehouse_id, in_stock, allocated - amount)
        emu.events.raise_(ON_HAND_EVENT, [product_id])
    return amount


def ship(emu, product_id, warehouse_id, quantity, note_id):
    """Shipping lowers inStock and clears the allocation together, so onHand does not move."""
    state = emu.state
    in_stock, allocated = levels(state, product_id, warehouse_id)
    if allocated < quantity:
        raise invalid("WHSC-070", f"Product {product_id} is not allocated in warehouse "
                                  f"{warehouse_id} for {quantity} units")
    _set(state, product_id, warehouse_id, in_stock - quantity, allocated - quantity)
    return _movement(state, product_id, warehouse_id, -quantity, "GO", note_id)


def _movement(state, product_id, warehouse_id, quantity, type_code, note_id):
    moment = now()
    movement = {"goodsMovementId": state.next_id("movement"), "productId": product_id,
                "quantity": quantity, "warehouseId": warehouse_id,
                "destinationLocationId": rd.default_location(warehouse_id),
                "goodsNoteId": note_id, "goodsNoteTypeCode": type_code, "currencyCode": "GBP",
                "batchId": None, "createdOn": moment, "updatedOn": moment}
    state.movements[movement["goodsMovementId"]] = movement
    state.changed("movements")
    return movement


def availability(state, product_id):
    """The product-availability entry: total plus warehouses holding the product (§6)."""
    warehouses, totals = {}, [0, 0]
    for warehouse_id, (in_stock, allocated) in sorted(state.stock.get(product_id, {}).items()):
        totals[0] += in_stock
        totals[1] += allocated
        warehouses[str(warehouse_id)] = _level(in_stock, allocated)
    return {"total": _level(*totals), "warehouses": warehouses}


def _level(in_stock, allocated):
    return {"inStock": in_stock, "onHand": in_stock - allocated, "allocated": allocated,
            "inTransit": 0}


def bundle_availability(state, product):
    """A bundle's availability: complete bundles per warehouse from its components' onHand."""
    warehouses, total = {}, 0
    for warehouse_id in sorted(rd.WAREHOUSE_IDS):
        complete = min((on_hand(state, pid, warehouse_id) // qty
                        for pid, qty in product["components"]), default=0)
        if complete > 0:
            warehouses[str(warehouse_id)] = {"onHand": complete}
            total += complete
    return {"total": {"onHand": total}, "warehouses": warehouses}
