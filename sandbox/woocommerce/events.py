"""Turning store events into queued webhook deliveries (topics → hooks, reference §1.7)."""

RESOURCES = ("coupon", "customer", "order", "product")
EVENTS = ("created", "updated", "deleted", "restored")
# Hooks WooCommerce refuses as action topics (§1.7).
_FORBIDDEN_ACTIONS = ("woocommerce_login_credentials", "woocommerce_product_csv_importer_check_import_file_path",
                      "woocommerce_webhook_should_deliver")


def valid_topic(topic):
    """Whether WooCommerce accepts topic (resource.event, or action.<woocommerce_|wc_ hook>)."""
    resource, dot, event = str(topic or "").partition(".")
    if not dot:
        return False
    if resource == "action":
        return event.startswith(("woocommerce_", "wc_")) and event not in _FORBIDDEN_ACTIONS
    return resource in RESOURCES and event in EVENTS


def emit(emulator, resource, event, resource_id):
    """Queue a delivery of resource_id to every active webhook subscribed to resource.event."""
    _queue(emulator, f"{resource}.{event}", resource_id)


def emit_action(emulator, hook, arg):
    """Queue deliveries for action.<hook> webhooks; the payload is {"action","arg"} (§1.3)."""
    _queue(emulator, f"action.{hook}", arg)


def _queue(emulator, topic, arg):
    for webhook in emulator.state.webhooks.values():
        if webhook["status"] == "active" and webhook["topic"] == topic:
            emulator.dispatcher.enqueue(webhook["id"], arg)


def emit_order(emulator, order, event):
    """order.created/updated unless the status is one WooCommerce skips (§1.7)."""
    status = order["status"]
    if status in ("draft", "auto-draft", "new"):
        return
    if event == "created" and status == "checkout-draft":
        # Newer WooCommerce no longer sends order.created for block-checkout drafts (#66995).
        return
    emit(emulator, "order", event, order["id"])
