"""/wc/v3/webhooks: provisioning webhooks over REST, with the ping on create/activation (§3, §1.6)."""
import secrets
import string
from urllib.parse import urlparse

from flask import Blueprint, request

from .context import base_url, emu, locked
from .errors import WooError, invalid_id, invalid_param, respond
from .events import valid_topic
from .listing import as_bool, filter_fields, paginate, require_json

bp = Blueprint("woo_webhooks", __name__, url_prefix="/wp-json/wc/v3")
STATUSES = ("active", "paused", "disabled")
API_VERSIONS = ("wp_api_v1", "wp_api_v2", "wp_api_v3", "legacy_v3")
HOOKS = {  # get_default_topic_hooks() (§1.7)
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded", "woocommerce_delete_order_refund"],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "product.created": ["woocommerce_process_product_meta", "woocommerce_new_product",
                        "woocommerce_new_product_variation"],
    "product.updated": ["woocommerce_process_product_meta", "woocommerce_update_product",
                        "woocommerce_update_product_variation"],
    "product.deleted": ["wp_trash_post"], "product.restored": ["untrashed_post"],
    "customer.created": ["user_register", "woocommerce_created_customer", "woocommerce_new_customer"],
    "customer.updated": ["profile_update", "woocommerce_update_customer"], "customer.deleted": ["delete_user"],
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"], "coupon.restored": ["untrashed_post"],
}
# wp_generate_password( 50, true, true ): letters, digits, special and extra special characters.
_PASSWORD_CHARS = string.ascii_letters + string.digits + "!@#$%^&*()" + "-_ []{}<>~`+=,.;:/?|"


def generate_secret():
    """A new webhook secret as WooCommerce makes one when none is given (§1.2)."""
    return "".join(secrets.choice(_PASSWORD_CHARS) for _ in range(50))


def webhook_json(state, webhook, base):
    """The webhook as the REST API shows it (the secret is write-only)."""
    resource, _, event = webhook["topic"].partition(".")
    hooks = HOOKS.get(webhook["topic"], [event] if resource == "action" else [])
    data = {"id": webhook["id"], "name": webhook["name"], "status": webhook["status"], "topic": webhook["topic"],
            "resource": resource, "event": event, "hooks": hooks, "delivery_url": webhook["delivery_url"]}
    data.update(state.dates("date_created", webhook["date_created"]))
    data.update(state.dates("date_modified", webhook["date_modified"]))
    data["_links"] = {"self": [{"href": f"{base}wp-json/wc/v3/webhooks/{webhook['id']}"}],
                      "collection": [{"href": f"{base}wp-json/wc/v3/webhooks"}]}
    return data


def _apply(webhook, body):
    if "topic" in body:
        if not valid_topic(body["topic"]):
            raise WooError(400, "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic is invalid.")
        webhook["topic"] = body["topic"]
    if "delivery_url" in body:
        url = urlparse(str(body["delivery_url"] or ""))
        if url.scheme not in ("http", "https") or not url.netloc:
            raise WooError(400, "woocommerce_rest_shop_webhook_invalid_delivery_url",
                           "Webhook delivery URL must be a valid URL starting with http:// or https://.")
        webhook["delivery_url"] = body["delivery_url"]
    if "status" in body:
        if body["status"] not in STATUSES:
            raise invalid_param("status", f"status is not one of {', '.join(STATUSES)}.")
        webhook["status"] = body["status"]
    if "api_version" in body:
        if body["api_version"] not in API_VERSIONS:
            raise invalid_param("api_version", f"api_version is not one of {', '.join(API_VERSIONS)}.")
        webhook["api_version"] = body["api_version"]
    if body.get("secret"):
        webhook["secret"] = str(body["secret"])
    if "name" in body:
        webhook["name"] = str(body["name"] or "")


@bp.post("/webhooks")
def post_webhook():
    """POST /webhooks → 201; pings the delivery URL, ignoring the result (§1.6)."""
    emulator = emu()
    state = emulator.state
    body = require_json()
    with state.lock:
        missing = [key for key in ("topic", "delivery_url") if not body.get(key)]
        if missing:
            raise WooError(400, "rest_missing_callback_param", f"Missing parameter(s): {', '.join(missing)}",
                           {"status": 400, "params": missing})
        now = state.now()
        webhook = {"id": 0, "name": f"Webhook created on {now:%b %d, %Y @ %I:%M %p}", "status": "active",
                   "topic": "", "delivery_url": "", "secret": "", "api_version": "wp_api_v3", "failure_count": 0,
                   "pending_delivery": True, "user_id": 1, "date_created": now, "date_modified": now}
        _apply(webhook, body)
        webhook["secret"] = webhook["secret"] or generate_secret()
        webhook["id"] = state.next_id("webhook")
        state.webhooks[webhook["id"]] = webhook
        state.touch("webhooks", webhook)
        state.commit()
        data = webhook_json(state, webhook, base_url())
    emulator.dispatcher.ping(webhook["id"])
    return respond(data, 201)


def _webhook(webhook_id):
    webhook = emu().state.webhooks.get(webhook_id)
    if webhook is None:
        raise invalid_id("shop_webhook")
    return webhook


@bp.get("/webhooks")
@locked
def list_webhooks():
    """GET /webhooks?status=all|active|paused|disabled."""
    state = emu().state
    status = request.args.get("status", "all")
    hooks = [w for w in sorted(state.webhooks.values(), key=lambda w: -w["id"])
             if status == "all" or w["status"] == status]
    page, headers = paginate(hooks)
    return respond(filter_fields([webhook_json(state, w, base_url()) for w in page]), 200, headers)


@bp.get("/webhooks/<int:webhook_id>")
@locked
def get_webhook(webhook_id):
    """GET /webhooks/{id}."""
    return respond(filter_fields(webhook_json(emu().state, _webhook(webhook_id), base_url())))


@bp.route("/webhooks/<int:webhook_id>", methods=["PUT", "POST", "PATCH"])
def put_webhook(webhook_id):
    """PUT /webhooks/{id}; re-enabling does not reset failure_count (§1.5)."""
    emulator = emu()
    state = emulator.state
    body = require_json()
    with state.lock:
        webhook = _webhook(webhook_id)
        old_url = webhook["delivery_url"]
        _apply(webhook, body)
        webhook["date_modified"] = state.now()
        state.touch("webhooks", webhook)
        state.commit()
        data = webhook_json(state, webhook, base_url())
        # The data store pings an active webhook whose URL changed or that was never pinged (§1.6).
        ping = webhook["status"] == "active" and (old_url != webhook["delivery_url"] or webhook["pending_delivery"])
    if ping:
        emulator.dispatcher.ping(webhook_id)
    return respond(data)


@bp.delete("/webhooks/<int:webhook_id>")
@locked
def delete_webhook(webhook_id):
    """DELETE /webhooks/{id}?force=true (without force: 501, webhooks cannot be trashed)."""
    state = emu().state
    webhook = _webhook(webhook_id)
    if not as_bool(request.args.get("force", "false")):
        raise WooError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
    data = webhook_json(state, webhook, base_url())
    state.remove("webhooks", webhook_id)
    return respond(data)
