"""Webhook provisioning on both platforms, idempotent: what Pearlbridge subscribes to, created
when missing, re-enabled when WooCommerce disabled it, and a status report that flags gaps.
Takes the two clients, so it runs (and is tested) without Flask."""
import json
from dataclasses import dataclass, field

WOO_TOPICS = ("order.created", "order.updated", "product.created", "product.updated",
              "product.deleted")
WOO_API_VERSION = "wp_api_v3"
BP_EVENTS = ("product.modified.on-hand-modified", "product.created", "product.modified",
             "product.destroyed",
             "order.modified.order-status", "order.modified.fully-shipped",
             "goods-out-note.modified.shipped", "goods-out-note.modified",
             "drop-ship-note.modified.shipped")
BP_BODY_TEMPLATE = json.dumps({
    "accountCode": "${account-code}", "resourceType": "${resource-type}",
    "id": "${resource-id}", "lifecycleEvent": "${lifecycle-event}",
    "fullEvent": "${full-event}", "raisedOn": "${raised-on}",
    "brightpearlVersion": "${brightpearl-version}"}, separators=(",", ":"))
# The fields Brightpearl subscriptions must match to count as ours and current (MEDUSA).
BP_COMPARED = ("httpMethod", "bodyTemplate", "contentType", "idSetAccepted", "qualityOfService")


@dataclass
class Line:
    """One webhook's state: platform, topic, what happened or what is wrong, masked URL."""

    platform: str
    topic: str
    state: str  # created, reactivated, replaced, ok, missing, disabled, paused, different
    url: str
    id: object = None


@dataclass
class Report:
    """The outcome of register() or status(), line by line."""

    lines: list = field(default_factory=list)

    @property
    def changed(self):
        """Lines where something was created, re-enabled or replaced."""
        return [ln for ln in self.lines if ln.state in ("created", "reactivated", "replaced")]

    @property
    def problems(self):
        """Lines flagged as missing, disabled or different."""
        return [ln for ln in self.lines if ln.state not in ("ok", "created", "reactivated",
                                                            "replaced")]


class Provisioner:
    """Registers Pearlbridge's webhooks on WooCommerce and Brightpearl from the settings."""

    def __init__(self, woo, brightpearl, settings):
        self.woo, self.bp = woo, brightpearl
        public = settings["PUBLIC_URL"].rstrip("/")
        self.secret = settings["BRIGHTPEARL_WEBHOOK_SECRET"]
        self.woo_secret = settings["WOO_WEBHOOK_SECRET"]
        self.woo_url = f"{public}/webhooks/woocommerce"
        self.bp_url = f"{public}/webhooks/brightpearl/{self.secret}"

    def register(self):
        """Create what is missing, re-enable disabled Woo webhooks; returns a Report."""
        report = Report()
        woo_hooks = self._woo_hooks()
        for topic in WOO_TOPICS:
            hook = woo_hooks.get(topic)
            if hook is None:
                created = self.woo.create_webhook({
                    "name": f"Pearlbridge {topic}", "topic": topic, "status": "active",
                    "delivery_url": self.woo_url, "secret": self.woo_secret,
                    "api_version": WOO_API_VERSION})
                report.lines.append(Line("woocommerce", topic, "created", self.woo_url,
                                         (created or {}).get("id")))
            elif hook.get("status") != "active":
                # The secret is write-only, so send it again: a disabled hook may predate it.
                self.woo.update_webhook(hook["id"], {"status": "active",
                                                     "secret": self.woo_secret})
                report.lines.append(Line("woocommerce", topic, "reactivated", self.woo_url,
                                         hook["id"]))
            else:
                report.lines.append(Line("woocommerce", topic, "ok", self.woo_url, hook["id"]))
        bp_hooks = self._bp_hooks()
        for event in BP_EVENTS:
            hook = bp_hooks.get(event)
            wanted = self._bp_subscription(event)
            if hook is not None and _same(hook, wanted):
                report.lines.append(Line("brightpearl", event, "ok", self.masked_bp_url,
                                         hook.get("id")))
                continue
            if hook is not None:
                self.bp.delete_webhook(hook["id"])  # subscriptions cannot be edited in place
            new_id = self.bp.create_webhook(wanted)
            report.lines.append(Line("brightpearl", event,
                                     "replaced" if hook is not None else "created",
                                     self.masked_bp_url, new_id))
        return report

    def status(self):
        """What is registered on both sides, with missing or disabled webhooks flagged."""
        return Report(self.woo_status() + self.bp_status())

    def woo_status(self):
        """The WooCommerce webhooks' lines (ok, missing, disabled, paused)."""
        woo_hooks = self._woo_hooks()
        lines = []
        for topic in WOO_TOPICS:
            hook = woo_hooks.get(topic)
            state = "missing" if hook is None else (
                "ok" if hook.get("status") == "active" else str(hook.get("status")))
            lines.append(Line("woocommerce", topic, state, self.woo_url, (hook or {}).get("id")))
        return lines

    def bp_status(self):
        """The Brightpearl subscriptions' lines (ok, missing, different)."""
        bp_hooks = self._bp_hooks()
        lines = []
        for event in BP_EVENTS:
            hook = bp_hooks.get(event)
            state = "missing" if hook is None else (
                "ok" if _same(hook, self._bp_subscription(event)) else "different")
            lines.append(Line("brightpearl", event, state, self.masked_bp_url,
                              (hook or {}).get("id")))
        return lines

    @property
    def masked_bp_url(self):
        """The Brightpearl delivery URL with its secret path segment masked."""
        return mask(self.bp_url, self.secret)

    def _bp_subscription(self, event):
        return {"subscribeTo": event, "httpMethod": "POST", "uriTemplate": self.bp_url,
                "bodyTemplate": BP_BODY_TEMPLATE, "contentType": "application/json",
                "idSetAccepted": True, "qualityOfService": 1}

    def _woo_hooks(self):
        # Ours = same topic and delivery URL; an active one wins over a disabled duplicate.
        found = {}
        for hook in self.woo.list_webhooks():
            if hook.get("delivery_url") != self.woo_url or hook.get("topic") not in WOO_TOPICS:
                continue
            current = found.get(hook["topic"])
            if current is None or (current.get("status") != "active"
                                   and hook.get("status") == "active"):
                found[hook["topic"]] = hook
        return found

    def _bp_hooks(self):
        found = {}
        for hook in self.bp.list_webhooks():
            if hook.get("uriTemplate") == self.bp_url and hook.get("subscribeTo") in BP_EVENTS:
                current = found.get(hook["subscribeTo"])
                if current is None or _same(hook, self._bp_subscription(hook["subscribeTo"])):
                    found[hook["subscribeTo"]] = hook
        return found


def _same(hook, wanted):
    return all(hook.get(name) == wanted[name] for name in BP_COMPARED)


def mask(text, secret):
    """text with secret replaced by ***."""
    return str(text).replace(secret, "***") if secret else str(text)
