"""The demo's flow settings, for the sandbox's Brightpearl reference data.

One mapping is left out on purpose: the Woo payment method `paypal` has no
Brightpearl payment method, so those orders wait "for settings" until a newcomer adds it on
the Flows page and watches them sync.
"""
from models.flows import Flow, save_flow

DEMO_SETTINGS = {
    "orders": {
        "channel_id": 2, "warehouse_id": 2, "price_list_id": 1, "new_order_status_id": 2,
        "import_statuses": ["processing", "completed", "on-hold"],
        "payment_methods": {"stripe": "STRIPE", "bacs": "BACS"},
        "shipping_methods": {"flat_rate": "1", "free_shipping": "1", "local_pickup": "3"},
        "tax_codes": {"standard": "T", "reduced-rate": "R", "zero-rate": "Z"},
        "zero_tax_code": "Z",
        "nominal_codes": {"sales": "4000", "shipping": "4040", "discount": "4050",
                          "fees": "4010", "rounding": "4090"},
        "unknown_sku": "free_text",
    },
    "order_status": {"status_map": {"2": "processing", "5": "processing", "6": "completed",
                                    "7": "completed", "8": "cancelled"},
                     "default_woo_status": None, "push_cancellations": True,
                     "cancelled_status_id": 8,
                     "woo_status_map": {"on-hold": "4", "processing": "2", "completed": "6"}},
    "refunds": {"credit_status_id": 10, "refund_nominal_code": "4000", "restock": True,
                "restock_warehouse_id": 2, "full_refund_unshipped": "cancel",
                "cancelled_status_id": 8},
    "shipments": {"complete_when_shipped": True, "customer_visible_note": True,
                  "tracking_providers": {"49": "Royal Mail"}},
    "products": {"price_list_id": 1, "new_product_status": "publish",
                 "owned_fields": ["name", "description", "price", "weight", "status",
                                  "categories"],
                 "category_sync": "create"},
    "inventory": {"warehouse_ids": [2, 3], "buffer_all": 0},
}


def configure_demo_flows(who="demo"):
    """Switch every flow on with the demo settings, unless staff have configured it already."""
    configured = []
    for name, settings in DEMO_SETTINGS.items():
        flow = Flow.get_or_none(Flow.name == name)
        if flow is None or (not flow.enabled and flow.settings == {}):
            save_flow(name, who, enabled=True, settings=settings)
            configured.append(name)
    return configured
