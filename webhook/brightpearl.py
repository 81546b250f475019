"""POST /webhooks/brightpearl/<secret>: verify, expand the ID set, record, enqueue, answer."""
import hmac
import json

from flask import abort, current_app, request
from marshmallow import ValidationError

from models.events import BRIGHTPEARL
from models.links import OrderLink
from webhook.idset import IdSetTooLarge, InvalidIdSet, expand_id_set
from webhook.intake import Draft, accept
from webhook.responses import BadBody, answer, json_object
from webhook.routing import route_brightpearl
from webhook.schemas import BrightpearlCallbackSchema, problems

_SCHEMA = BrightpearlCallbackSchema()
_LOOKUP_CHUNK = 1000


def receive_brightpearl(secret):
    """Receive one Brightpearl callback; 4xx only for input that can never succeed."""
    expected = current_app.config["BRIGHTPEARL_WEBHOOK_SECRET"]
    if not hmac.compare_digest(secret.encode("utf-8", "replace"), expected.encode("utf-8")):
        abort(404)  # the same answer as any unknown URL: reveals nothing
    raw = request.get_data(cache=False)
    try:
        callback = _SCHEMA.load(json_object(raw))
    except BadBody as exc:
        return answer(400, str(exc))
    except ValidationError as exc:
        return answer(400, "invalid callback: " + problems(exc))
    if callback["accountCode"] != current_app.config["BRIGHTPEARL_ACCOUNT"]:
        return answer(403, "callback for another Brightpearl account")
    try:
        ids = expand_id_set(callback["id"], current_app.config["BRIGHTPEARL_MAX_IDS"])
    except IdSetTooLarge as exc:
        return answer(413, f"ID set too large: {exc}")
    except InvalidIdSet as exc:
        return answer(400, f"invalid ID set: {exc}")
    result = accept(callback_drafts(callback, ids), *current_app.extensions["pearlbridge_queue"])
    return answer(200, **result.summary())


def callback_drafts(callback, ids):
    """One inbox draft per id; an ID set's body is stored once, shared by its events."""
    full_event, resource_type = callback["fullEvent"], callback["resourceType"]
    raised_on = callback["raisedOn"]
    links = _woo_orders_for(ids) if resource_type == "order" else {}
    shared = len(ids) > 1
    payload = json.dumps(callback, sort_keys=True) if shared else None
    return [
        Draft(
            source=BRIGHTPEARL, topic=full_event, resource=resource_type,
            resource_id=str(resource_id),
            dedupe_key=f"bp:{full_event[:60]}:{resource_id}:{raised_on}",
            payload=payload or json.dumps({**callback, "id": str(resource_id)}, sort_keys=True),
            route=route_brightpearl(full_event, resource_type, resource_id, links.get),
            shared_payload=shared,
        )
        for resource_id in ids
    ]


def _woo_orders_for(bp_order_ids):
    found = {}
    for start in range(0, len(bp_order_ids), _LOOKUP_CHUNK):
        rows = OrderLink.select(OrderLink.bp_order_id, OrderLink.woo_order_id).where(
            OrderLink.bp_order_id.in_(bp_order_ids[start:start + _LOOKUP_CHUNK]))
        found.update(rows.tuples())
    return found
