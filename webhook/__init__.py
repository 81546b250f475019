"""The receivers: WooCommerce webhooks and Brightpearl callbacks, on one blueprint."""
from flask import Blueprint

from webhook.brightpearl import receive_brightpearl
from webhook.woocommerce import receive_woocommerce

blueprint = Blueprint("webhook", __name__)
blueprint.add_url_rule("/webhooks/woocommerce", view_func=receive_woocommerce, methods=["POST"])
blueprint.add_url_rule("/webhooks/brightpearl/<path:secret>", view_func=receive_brightpearl,
                       methods=["POST"])
