"""POST /webhooks/woocommerce: verify, parse, record, enqueue after commit, answer."""
import hashlib
import re
from datetime import datetime

from flask import current_app, request

from models.events import WOOCOMMERCE
from monitoring.sources import foreign_site, note_foreign
from webhook.intake import Draft, accept
from webhook.pings import read_ping, record_ping
from webhook.responses import BadBody, answer, json_value
from webhook.routing import Ignore, route_woocommerce
from webhook.signature import woo_signature_valid

# WooCommerce topics: "order.created", "action.woocommerce_order_status_completed", …
_TOPIC = re.compile(r"[a-z0-9_]{1,32}(?:\.[a-z0-9_.-]{1,63})?", re.ASCII)


def receive_woocommerce():
    """Receive one WooCommerce delivery (or its ping) and answer in milliseconds."""
    signature = request.headers.get("X-WC-Webhook-Signature")
    if signature is None:
        # Only the activation ping comes unsigned; nothing else is read from such a request.
        webhook_id = read_ping()
        if webhook_id is None:
            return answer(401, "invalid or missing X-WC-Webhook-Signature")
        return record_ping(webhook_id)
    raw = request.get_data(cache=False)  # MAX_CONTENT_LENGTH turns an oversized body into 413
    if not woo_signature_valid(raw, current_app.config["WOO_WEBHOOK_SECRET"], signature):
        return answer(401, "invalid or missing X-WC-Webhook-Signature")
    if request.mimetype != "application/json":
        return answer(415, "expected Content-Type application/json")
    try:
        body = json_value(raw)
    except BadBody as exc:
        return answer(400, str(exc))
    topic = (request.headers.get("X-WC-Webhook-Topic") or "").strip().lower()
    if not topic:
        return answer(400, "missing X-WC-Webhook-Topic")
    if not _TOPIC.fullmatch(topic):
        return answer(400, "X-WC-Webhook-Topic is not a WooCommerce topic")
    queue = current_app.extensions["pearlbridge_queue"]
    foreign = foreign_site(request.headers.get("X-WC-Webhook-Source"),
                           current_app.config["WOO_URL"])
    if foreign:  # accepted all the same: the flows read the record from WOO_URL
        note_foreign(queue[0], foreign)
    result = accept([woo_draft(topic, body, raw)], *queue)
    return answer(200, **result.summary())


def woo_draft(topic, body, raw):
    """The inbox draft of a verified delivery (routing validates what reaches the log row).

    A body that is JSON but not an object (WooCommerce sends [] for resources without a
    payload) is recorded and ignored: signed by the store, so never refused, since any 4xx
    counts toward WooCommerce disabling the webhook.
    """
    resource = topic.partition(".")[0]
    if not isinstance(body, dict):
        route = Ignore(f"ignored: the body is not a JSON object ({type(body).__name__}), "
                       "nothing to sync")
        body = {}
    else:
        route = route_woocommerce(topic, body)
    resource_id = _shown_id(body)
    return Draft(
        source=WOOCOMMERCE,
        topic=topic,
        resource=resource,
        resource_id=resource_id,
        # Delivery ids repeat within a second, so the change is identified by its bytes.
        dedupe_key=f"woo:{topic[:60]}:{resource_id[:20]}:{hashlib.sha256(raw).hexdigest()}",
        payload=raw.decode("utf-8"),
        route=route,
        modified_at=_gmt(body.get("date_modified_gmt")),
    )


def _shown_id(body):
    # The record's id as text; an id that is not a sensible integer is not kept as text.
    value = body.get("id", body.get("arg"))
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**20:
        return str(value)
    return ""


def _gmt(value):
    """Parse WooCommerce's *_gmt timestamps (UTC, no offset); None when absent or odd."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        return None
