"""Which sync log row an incoming change belongs to: pure functions, no I/O."""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from models.orders import DRAFT_ORDER_STATUSES
from models.record_keys import NOTE_LABELS, bp_key, is_record_id, note_key, woo_order_key

WOO_RESOURCES = frozenset({"order", "product"})


@dataclass(frozen=True)
class Route:
    """Where a change goes: the log row it touches (if any) and what that row shows."""

    log_type: str | None
    record_key: str | None = None
    info: str = ""
    source_ref: str | None = None
    amount: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class Ignore:
    """A change that is recorded but triggers nothing, and why."""

    reason: str


def route_woocommerce(topic, body):
    """Route a verified WooCommerce delivery by its topic and body."""
    resource, _, event = topic.partition(".")
    if resource == "action":
        return Ignore(f"ignored: action topic {topic}")
    if resource not in WOO_RESOURCES or not event:
        return Ignore(f"ignored: unknown topic {topic}")
    if is_error_object(body):
        return Ignore(f"ignored: WooCommerce sent an error instead of the {resource}: "
                      f"{str(body.get('code'))[:80]}")
    if "id" not in body:
        return Ignore(f"ignored: {topic} body has no id")
    if not is_record_id(body["id"]):
        return Ignore(f"ignored: {topic} id is not a WooCommerce id")
    if resource == "order":
        return _route_woo_order(body, event)
    # Store-side product changes keep links fresh; they are not sync records of their own.
    return Route(log_type=None, source_ref=str(body["id"]))


def _route_woo_order(body, event):
    status = body.get("status")
    if status in DRAFT_ORDER_STATUSES:
        return Ignore(f"ignored: order in status {status}")
    number = body.get("number") or body["id"]
    info = f"Woo order #{number}" if event != "deleted" else f"Woo order #{body['id']} (deleted)"
    return Route(log_type="order", record_key=woo_order_key(body["id"]), info=info,
                 source_ref=str(body["id"]), amount=_decimal(body.get("total")),
                 currency=(body.get("currency") or None))


def route_brightpearl(full_event, resource_type, resource_id, woo_order_for=None):
    """Route one id of a Brightpearl callback; woo_order_for(bp_order_id) finds a linked order."""
    if full_event.startswith("product.modified.on-hand-modified"):
        return Route("inventory", bp_key(resource_id), f"Brightpearl product {resource_id}",
                     str(resource_id))
    if resource_type == "product":
        return Route("product", bp_key(resource_id), f"Brightpearl product {resource_id}",
                     str(resource_id))
    if full_event in ("order.modified.order-status", "order.modified.fully-shipped"):
        woo_id = woo_order_for(resource_id) if woo_order_for else None
        if woo_id is not None:
            return Route("order", woo_order_key(woo_id), f"Woo order #{woo_id}", str(woo_id))
        return Route("order", bp_key(resource_id), f"Brightpearl order {resource_id}",
                     str(resource_id))
    if resource_type in NOTE_LABELS:
        return Route("shipment", note_key(resource_type, resource_id),
                     f"{NOTE_LABELS[resource_type]} {resource_id}", str(resource_id))
    return Ignore(f"ignored: no flow listens to {full_event}")


def is_error_object(body):
    """True for a WooCommerce REST error object sent in place of a resource."""
    return {"code", "message"} <= set(body) and "id" not in body


def _decimal(value):
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None
