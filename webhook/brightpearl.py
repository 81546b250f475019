"""POST /webhooks/brightpearl/<secret>: verify, expand the ID set, record, enqueue, answer."""
import hmac
import json

from flask import abort, current_app, request

from models.events import BRIGHTPEARL
from models.links import OrderLink
from webhook.idset import IdSetTooLarge, InvalidIdSet, expand_id_set
from webhook.intake import Draft, accept
from webhook.responses import BadBody, answer, json_object
from webhook.routing import route_brightpearl

REQUIRED_FIELDS = ("accountCode", "resourceType", "id", "lifecycleEvent", "fullEvent",
                   "raisedOn")


def receive_brightpearl(secret):
    """Receive one Brightpearl callback; 4xx only for input that can never succeed."""
    expected = current_app.config["BRIGHTPEARL_WEBHOOK_SECRET"]
    if not hmac.compare_digest(secret.encode("utf-8", "replace"), expected.encode("utf-8")):
        abort(404)  # the same answer as any unknown URL: reveals nothing
    raw = request.get_data(cache=False)
    try:
        body = json_object(raw)
    except BadBody as exc:
        return answer(400, str(exc))
    absent = [name for name in REQUIRED_FIELDS if not isinstance(body.get(name), (str, int))
              or str(body.get(name)).strip() == ""]
    if absent:
        return answer(400, "missing fields: " + ", ".join(absent))
    if str(body["accountCode"]) != current_app.config["BRIGHTPEARL_ACCOUNT"]:
        return answer(403, "callback for another Brightpearl account")
    try:
        ids = expand_id_set(body["id"], current_app.config["BRIGHTPEARL_MAX_IDS"])
    except IdSetTooLarge as exc:
        return answer(413, f"ID set too large: {exc}")
    except InvalidIdSet as exc:
        return answer(400, f"invalid ID set: {exc}")
    full_event = str(body["fullEvent"])[:96]
    resource_type, raised_on = str(body["resourceType"])[:32], str(body["raisedOn"])[:40]
    links = _woo_orders_for(ids) if resource_type == "order" else {}
    drafts = [
        Draft(
            source=BRIGHTPEARL, topic=full_event, resource=resource_type,
            resource_id=str(resource_id),
            dedupe_key=f"bp:{full_event[:60]}:{resource_id}:{raised_on}",
            payload=json.dumps({**body, "id": str(resource_id)}, sort_keys=True),
            route=route_brightpearl(full_event, resource_type, resource_id, links.get),
        )
        for resource_id in ids
    ]
    result = accept(drafts, *current_app.extensions["pearlbridge_queue"])
    return answer(200, **result.summary())


def _woo_orders_for(bp_order_ids):
    rows = OrderLink.select(OrderLink.bp_order_id, OrderLink.woo_order_id).where(
        OrderLink.bp_order_id.in_(bp_order_ids[:1000]))
    return {bp: woo for bp, woo in rows.tuples()}
