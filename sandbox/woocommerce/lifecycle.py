"""Order side effects: status transitions, stock reduction/restoration, notes (§1.8, §2.5, [STK])."""
from . import product_model as pm
from .errors import WooError, invalid_param
from .events import emit, emit_action, emit_order

STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
            "checkout-draft")
_LABELS = {"pending": "Pending payment", "processing": "Processing", "on-hold": "On hold",
           "completed": "Completed", "cancelled": "Cancelled", "refunded": "Refunded", "failed": "Failed",
           "checkout-draft": "Draft"}
_REDUCING = ("processing", "completed", "on-hold")
_RESTORING = ("cancelled", "pending")


def add_note(state, order, text, customer_note=False, author="WooCommerce"):
    """Add an order note; notes are comments, so the order itself is not saved (§1.8)."""
    note = {"id": state.next_id("comment"), "order_id": order["id"], "author": author,
            "date_created": state.now(), "note": text, "customer_note": bool(customer_note)}
    state.notes[note["id"]] = note
    state.touch("notes", note)
    return note


def save_order(emulator, order, event="updated"):
    """Stamp date_modified, persist, and fire order.<event> (§1.7)."""
    state = emulator.state
    order["date_modified"] = state.now()
    state.touch("orders", order)
    emit_order(emulator, order, event)


def statuses(state):
    """Every order status the store knows: WooCommerce's, then those plugins registered."""
    return STATUSES + tuple(state.settings.get("custom_statuses") or {})


def check_status(state, status, param="status"):
    """400 rest_invalid_param unless status is one the store knows (the schema's enum)."""
    if status not in statuses(state):
        raise invalid_param(param, f"status is not one of {', '.join(statuses(state))}.")


def set_status(emulator, order, status, note=""):
    """Move an order to status with WooCommerce's side effects (stock, dates, notes, actions).

    A plugin's status moves no stock (UNCONFIRMED: each plugin decides).
    """
    check_status(emulator.state, status)
    state, old = emulator.state, order["status"]
    if status == old:
        return
    order["status"] = status
    now = state.now()
    if status in ("processing", "completed") and order["date_paid"] is None:
        order["date_paid"] = now
    if status == "completed":
        order["date_completed"] = now
    labels = {**_LABELS, **(state.settings.get("custom_statuses") or {})}
    add_note(state, order, f"{note} Order status changed from {labels.get(old, old)} to "
                           f"{labels[status]}.".strip())
    if status in _REDUCING and not order["stock_reduced"]:
        reduce_stock(emulator, order)
    elif status in _RESTORING and order["stock_reduced"]:
        restore_stock(emulator, order)
    emit_action(emulator, f"woocommerce_order_status_{status}", order["id"])
    emit_action(emulator, "woocommerce_order_status_changed", order["id"])


def change_stock(emulator, product, delta):
    """Add delta to the stock of whoever manages product's stock; returns (owner, old, new) or None."""
    owner = pm.stock_owner(emulator.state, product)
    if owner is None:
        return None
    old = owner["stock_quantity"] or 0
    owner["stock_quantity"] = old + delta
    owner["date_modified"] = emulator.state.now()
    emulator.state.touch("products", owner)
    # wc_update_product_stock ends in a product save → product.updated for the owner (§1.8).
    emit(emulator, "product", "updated", owner["id"])
    return owner, old, old + delta


def check_stock(state, product, quantity):
    """Refuse a sale the store would refuse: not enough managed stock and no backorders."""
    owner = pm.stock_owner(state, product)
    if owner and product["backorders"] == "no" and (owner["stock_quantity"] or 0) < quantity:
        raise WooError(400, "woocommerce_rest_invalid_stock",
                       f"Not enough stock for {product['sku'] or product['name']}: "
                       f"{owner['stock_quantity']} available.")


def reduce_stock(emulator, order):
    """wc_reduce_stock_levels: take line quantities off managed stock and note it."""
    changes = _move_stock(emulator, order, -1)
    order["stock_reduced"] = True
    if changes:
        add_note(emulator.state, order, "Stock levels reduced: " + ", ".join(changes))


def restore_stock(emulator, order):
    """wc_increase_stock_levels: put reduced quantities back (cancel / back to pending)."""
    changes = _move_stock(emulator, order, 1)
    order["stock_reduced"] = False
    if changes:
        add_note(emulator.state, order, "Stock levels increased: " + ", ".join(changes))


def _move_stock(emulator, order, sign):
    changes = []
    for item in order["line_items"]:
        product = emulator.state.products.get(item["variation_id"] or item["product_id"])
        if product is None:
            continue
        moved = change_stock(emulator, product, sign * item["quantity"])
        if moved:
            _, old, new = moved
            changes.append(f"{item['name']} ({product['sku'] or product['id']}) {old}&rarr;{new}")
    return changes
