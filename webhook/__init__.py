"""The receivers: WooCommerce webhooks and Brightpearl callbacks, on one blueprint."""
import logging
import re

from flask import Blueprint

from webhook.brightpearl import receive_brightpearl
from webhook.pings import PingCounter
from webhook.woocommerce import receive_woocommerce

blueprint = Blueprint("webhook", __name__)
blueprint.add_url_rule("/webhooks/woocommerce", view_func=receive_woocommerce, methods=["POST"])
# merge_slashes off: a secret with slashes in it is simply wrong (404), never a 308 redirect.
blueprint.add_url_rule("/webhooks/brightpearl/<path:secret>", view_func=receive_brightpearl,
                       methods=["POST"], merge_slashes=False)

# The Brightpearl callback path carries its secret: logs show this pattern's mask instead.
# (%2F too: servers decode it before routing, the raw request line keeps it.)
_SECRET_PATH = re.compile(r"(webhooks(?:/|%2f)+brightpearl(?:/|%2f)+)[^\s?#\"']+",
                          re.IGNORECASE)


def mask_path(text):
    """text with the secret segment of any Brightpearl callback path replaced by ***."""
    return _SECRET_PATH.sub(r"\1***", text)


class SecretPathFilter(logging.Filter):
    """A logging filter that masks Brightpearl callback paths in every record it sees."""

    def filter(self, record):
        """Rewrite the record's message when it names a callback path; never drops it."""
        message = record.getMessage()
        masked = mask_path(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def mask_logs(*loggers):
    """Add the secret path filter to loggers (default: the root logger's handlers), once."""
    targets = loggers or logging.getLogger().handlers
    for target in targets:
        if not any(isinstance(f, SecretPathFilter) for f in target.filters):
            target.addFilter(SecretPathFilter())


def init_app(app):
    """Register the receivers on app, with the per-process ping counter they use."""
    app.extensions["pearlbridge_pings"] = PingCounter(app.config["WOO_PING_INTERVAL_SECONDS"])
    app.register_blueprint(blueprint)
    return app
