"""Which sync log row an incoming change belongs to: pure functions, no I/O."""
from dataclasses import dataclass
from decimal import Decimal

from marshmallow import ValidationError

from models.orders import DRAFT_ORDER_STATUSES
from models.record_keys import NOTE_LABELS, bp_key, note_key, woo_order_key
from webhook.schemas import WooOrderSchema, WooResourceSchema, clean_text, problems

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


@dataclass(frozen=True)
class Failed:
    """A delivery that can never be stored as it came: recorded, its row (if known) Failed."""

    reason: str
    row: Route | None = None

    @property
    def outcome(self):
        """The inbox event's outcome."""
        return f"failed: {self.reason}"[:255]


_ORDER_SCHEMA, _RESOURCE_SCHEMA = WooOrderSchema(), WooResourceSchema()


def route_woocommerce(topic, body):
    """Route a verified WooCommerce delivery by its topic and body."""
    resource, _, event = topic.partition(".")
    if resource == "action":
        return Ignore(f"ignored: action topic {topic}")
    if resource not in WOO_RESOURCES or not event:
        return Ignore(f"ignored: unknown topic {topic}")
    if is_error_object(body):
        return Ignore(f"ignored: WooCommerce sent an error instead of the {resource}: "
                      f"{clean_text(str(body.get('code'))[:80])}")
    if "id" not in body:
        return Ignore(f"ignored: {topic} body has no id")
    if resource == "order":
        return _route_woo_order(body, event)
    try:
        _RESOURCE_SCHEMA.load(body)
    except ValidationError as exc:
        return Failed(f"WooCommerce sent a {resource} the service cannot store: "
                      f"{problems(exc)}")
    # Store-side product changes keep links fresh; they are not sync records of their own.
    return Route(log_type=None, source_ref=str(body["id"]))


def _route_woo_order(body, event):
    try:
        order = _ORDER_SCHEMA.load(body)
    except ValidationError as exc:
        if "id" in exc.messages:
            return Failed(f"WooCommerce sent an order the service cannot store: "
                          f"{problems(exc)}")
        row = Route(log_type="order", record_key=woo_order_key(body["id"]),
                    info=f"Woo order #{body['id']}", source_ref=str(body["id"]))
        return Failed(f"WooCommerce sent a change of this order the service cannot store "
                      f"({problems(exc)}); Re-sync reads the order again", row)
    order_id = order["id"]
    if order["status"] in DRAFT_ORDER_STATUSES:
        return Ignore(f"ignored: order in status {order['status']}")
    number = order["number"] or order_id
    info = f"Woo order #{number}" if event != "deleted" else f"Woo order #{order_id} (deleted)"
    return Route(log_type="order", record_key=woo_order_key(order_id), info=info,
                 source_ref=str(order_id), amount=order["total"],
                 currency=order["currency"] or None)


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

