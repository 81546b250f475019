"""Webhook subscriptions: integration-service/webhook GET/POST/DELETE and bodyTemplate rendering (§11)."""
from .envelope import invalid, json_body, not_found, ok, raw
from .idset import parse
from .routes import api_blueprint, emu, locked

blueprint = api_blueprint("bp_webhooks")
BRIGHTPEARL_VERSION = "5.120.3112"

# Events named by H-WH/H-EV (§10, §11). "order.modified" on its own is in use in the wild and is
# accepted; "order.created" and "contact.*" reportedly do not exist and are refused.
KNOWN_EVENTS = (
    "product.created", "product.modified", "product.destroyed", "product.modified.on-hand-modified",
    "order.modified", "order.modified.order-status", "order.modified.fully-shipped",
    "sales-order.created", "goods-out-note.created", "goods-out-note.modified",
    "goods-out-note.modified.printed", "goods-out-note.modified.picked",
    "goods-out-note.modified.packed", "goods-out-note.modified.shipped",
    "goods-out-note.modified.un-printed", "goods-out-note.modified.un-picked",
    "goods-out-note.modified.un-packed", "goods-out-note.destroyed", "goods-in-note.created",
    "drop-ship-note.created", "drop-ship-note.destroyed", "drop-ship-note.modified.shipped",
    "quarantine-release.created",
)
_PREFIXES = {".".join(e.split(".")[:n]) for e in KNOWN_EVENTS for n in (1, 2, 3)}


def matches(subscribe_to, full_event):
    """A subscription gets its event and every more specific one ("product" gets them all)."""
    return full_event == subscribe_to or full_event.startswith(subscribe_to + ".")


def render(template, variables):
    """Fill ${name} variables into a uriTemplate or bodyTemplate; unknown ones stay as written."""
    text = template or ""
    for name, value in variables.items():
        text = text.replace("${" + name + "}", str(value))
    return text


def variables(account, full_event, id_text, raised_on):
    """The template variables of one delivery (webhook-simulate page, §11)."""
    parts = full_event.split(".")
    return {"account-code": account, "resource-type": parts[0], "resource-id": id_text,
            "lifecycle-event": parts[1] if len(parts) > 1 else "",
            "resource-specifier": parts[2] if len(parts) > 2 else "", "full-event": full_event,
            "raised-on": raised_on, "brightpearl-version": BRIGHTPEARL_VERSION}


def _validated(body):
    subscribe_to = body.get("subscribeTo")
    if subscribe_to not in _PREFIXES:
        raise invalid("INTC-064", f"subscribeTo '{subscribe_to}' is not a subscribable event")
    method = str(body.get("httpMethod") or "").upper()
    if method not in ("GET", "POST", "PUT", "DELETE"):
        raise invalid("INTC-065", "httpMethod must be GET, POST, PUT or DELETE")
    uri = str(body.get("uriTemplate") or "")
    if not uri.startswith(("http://", "https://")):
        raise invalid("INTC-066", "uriTemplate must be an http(s) URI")
    if method in ("POST", "PUT") and not (body.get("bodyTemplate") and body.get("contentType")):
        raise invalid("INTC-067", "bodyTemplate and contentType are required for POST and PUT")
    quality = body.get("qualityOfService", 0)
    if quality not in (0, 1):
        raise invalid("INTC-068", "qualityOfService must be 0 or 1")
    return {"subscribeTo": subscribe_to, "httpMethod": method, "uriTemplate": uri,
            "bodyTemplate": body.get("bodyTemplate") if method in ("POST", "PUT") else None,
            "contentType": body.get("contentType"), "idSetAccepted": bool(body.get("idSetAccepted", False)),
            "qualityOfService": quality}


@blueprint.route("/integration-service/webhook", methods=["POST"])
@locked
def post_webhook():
    """POST webhook: answers the new webhook id."""
    state = emu().state
    hook = _validated(json_body())
    hook["id"] = state.next_id("webhook")
    state.webhooks[hook["id"]] = hook
    state.changed("webhooks")
    return ok(hook["id"])


@blueprint.route("/integration-service/webhook", defaults={"idset": None})
@blueprint.route("/integration-service/webhook/<idset>")
@locked
def get_webhooks(idset):
    """GET webhook/{idset?}: 404 CMNC-404 when none match (§11)."""
    hooks = emu().state.webhooks
    wanted = set(parse(idset)) if idset else set(hooks)
    found = [{k: v for k, v in hooks[i].items() if v is not None} for i in sorted(wanted) if i in hooks]
    if not found:
        raise not_found("No webhooks found")
    return ok(found)


@blueprint.route("/integration-service/webhook/<int:webhook_id>", methods=["DELETE"])
@locked
def delete_webhook(webhook_id):
    """DELETE webhook/{id}: answers {}."""
    state = emu().state
    if state.webhooks.pop(webhook_id, None) is None:
        raise not_found("Webhook not found")
    state.changed("webhooks")
    return raw({})
