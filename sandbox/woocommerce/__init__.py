"""An emulated WooCommerce store (REST wc/v3, webhooks, Shipment Tracking) for demo, tests and bench."""
from .app import create_app
from .phpjson import encode_php_json, sign

__all__ = ["create_app", "encode_php_json", "sign"]
