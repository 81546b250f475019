"""Order-flow settings matching the Brightpearl emulator's reference data, and small helpers."""
from demo.flows import DEMO_SETTINGS
from models.flows import save_flow

# The demo's settings (the sandbox's reference data), with every payment method mapped.
ORDER_SETTINGS = dict(DEMO_SETTINGS["orders"],
                      payment_methods={"stripe": "STRIPE", "bacs": "BACS", "paypal": "PAYPAL"})
STATUS_SETTINGS = DEMO_SETTINGS["order_status"]
# Refunds as the schema's default has them: a full refund before shipping is a credit too.
REFUND_SETTINGS = dict(DEMO_SETTINGS["refunds"], full_refund_unshipped="credit")


def enable_order_flows(orders=None, status=None, refunds=None):
    """Switch the three order flows on with complete settings (overridable)."""
    save_flow("orders", "test", enabled=True, settings=orders or ORDER_SETTINGS)
    save_flow("order_status", "test", enabled=True, settings=status or STATUS_SETTINGS)
    save_flow("refunds", "test", enabled=True, settings=refunds or REFUND_SETTINGS)


def first_skus(platforms, count=2):
    """SKUs of simple products both emulators hold (same seeded catalog)."""
    products = platforms.woo("GET", "/products", params={"per_page": 50, "type": "simple"})
    return [p["sku"] for p in products if p.get("sku")][:count]
