"""POST /webhooks/woocommerce: verify, parse, record, enqueue after commit, answer."""
import hashlib
import re
from datetime import datetime

from flask import current_app, request

from models.base import utcnow
from models.events import WOOCOMMERCE
from webhook.intake import Draft, accept
from webhook.responses import BadBody, answer, json_value
from webhook.routing import Ignore, route_woocommerce
from webhook.signature import woo_signature_valid

_PING = re.compile(rb"^webhook_id=(\d{1,12})$")


def receive_woocommerce():
    """Receive one WooCommerce delivery (or its ping) and answer in milliseconds."""
    raw = request.get_data(cache=False)  # MAX_CONTENT_LENGTH turns an oversized body into 413
    signature = request.headers.get("X-WC-Webhook-Signature")
    ping = _PING.match(raw.strip())
    if signature is None and ping:
        return _record_ping(ping.group(1).decode(), raw)
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
    resource = topic.partition(".")[0]
    if not isinstance(body, dict):
        # Signed by the store, so WooCommerce sent it (it sends [] for resources without a
        # payload): recorded and 200, since any 4xx counts toward disabling the webhook.
        return _record_ignored(topic, resource, raw, "ignored: the body is not a JSON object "
                               f"({type(body).__name__}), nothing to sync")
    resource_id = str(body.get("id", body.get("arg", "")))[:64]
    draft = Draft(
        source=WOOCOMMERCE,
        topic=topic[:96],
        resource=resource[:32],
        resource_id=resource_id,
        # Delivery ids repeat within a second, so the change is identified by its bytes.
        dedupe_key=f"woo:{topic[:60]}:{resource_id[:20]}:{hashlib.sha256(raw).hexdigest()}",
        payload=raw.decode("utf-8", "replace"),
        route=route_woocommerce(topic, body),
        modified_at=_gmt(body.get("date_modified_gmt")),
    )
    result = accept([draft], *current_app.extensions["pearlbridge_queue"])
    return answer(200, **result.summary())


def _record_ignored(topic, resource, raw, reason):
    digest = hashlib.sha256(raw).hexdigest()
    draft = Draft(source=WOOCOMMERCE, topic=topic[:96], resource=resource[:32], resource_id="",
                  dedupe_key=f"woo:{topic[:60]}::{digest}",
                  payload=raw.decode("utf-8", "replace"), route=Ignore(reason))
    result = accept([draft], *current_app.extensions["pearlbridge_queue"])
    return answer(200, **result.summary())


def _record_ping(webhook_id, raw):
    # WooCommerce needs exactly 200 here, or it keeps the webhook pending and re-pings.
    minute = utcnow().strftime("%Y%m%d%H%M")
    draft = Draft(source=WOOCOMMERCE, topic="ping", resource="webhook", resource_id=webhook_id,
                  dedupe_key=f"woo:ping:{webhook_id}:{minute}", payload=raw.decode("ascii"),
                  route=Ignore("webhook health: ping received"))
    accept([draft], *current_app.extensions["pearlbridge_queue"])
    return answer(200, "ping received", webhook_id=int(webhook_id))


def _gmt(value):
    """Parse WooCommerce's *_gmt timestamps (UTC, no offset); None when absent or odd."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        return None
