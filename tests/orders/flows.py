"""Order-flow settings matching the Brightpearl emulator's reference data, and small helpers."""
from models.flows import save_flow

ORDER_SETTINGS = {
    "channel_id": 2, "warehouse_id": 2, "price_list_id": 1, "new_order_status_id": 2,
    "import_statuses": ["processing", "completed", "on-hold"],
    "payment_methods": {"stripe": "STRIPE", "bacs": "BACS"},
    "shipping_methods": {"flat_rate": "1", "free_shipping": "1", "local_pickup": "3"},
    "tax_codes": {"standard": "T", "reduced-rate": "R", "zero-rate": "Z"},
    "zero_tax_code": "Z",
    "nominal_codes": {"sales": "4000", "shipping": "4040", "discount": "4010", "fees": "4020",
                      "rounding": "4030"},
    "unknown_sku": "free_text",
}
STATUS_SETTINGS = {"status_map": {"2": "processing", "5": "processing", "6": "completed",
                                  "8": "cancelled"},
                   "default_woo_status": None, "push_cancellations": True,
                   "cancelled_status_id": 8}
REFUND_SETTINGS = {"credit_status_id": 10, "refund_nominal_code": "4000", "restock": True,
                   "restock_warehouse_id": 2}


def enable_order_flows(orders=None, status=None, refunds=None):
    """Switch the three order flows on with complete settings (overridable)."""
    save_flow("orders", "test", enabled=True, settings=orders or ORDER_SETTINGS)
    save_flow("order_status", "test", enabled=True, settings=status or STATUS_SETTINGS)
    save_flow("refunds", "test", enabled=True, settings=refunds or REFUND_SETTINGS)


def first_skus(platforms, count=2):
    """SKUs of simple products both emulators hold (same seeded catalog)."""
    products = platforms.woo("GET", "/products", params={"per_page": 50, "type": "simple"})
    return [p["sku"] for p in products if p.get("sku")][:count]
