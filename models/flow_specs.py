"""The flows, declared once: what each is called, which way it syncs, which log it writes,
which settings it takes and which modules hold its work.

The registry (which modules to load), the Flows page (labels, directions, forms), the Sync Logs
page, the outcome policy (the "flow off" words) and the settings loader all read this table.
Adding a flow is one entry here plus its package in jobs/ (docs/ARCHITECTURE.md says how).
"""
from dataclasses import dataclass

from models.logs import LOG_TYPES
from models.schemas.inventory import InventorySettings
from models.schemas.orders import OrderSettings, OrderStatusSettings, RefundSettings
from models.schemas.products import ProductSettings
from models.schemas.shipments import ShipmentSettings

WOO_TO_BP, BP_TO_WOO = "WooCommerce → Brightpearl", "Brightpearl → WooCommerce"


@dataclass(frozen=True)
class FlowSpec:
    """One flow's declaration."""

    name: str
    label: str
    direction: str
    log_type: str  # the Sync Logs type its rows are written under
    schema: type  # its marshmallow settings schema (defaults live there only)
    modules: tuple = ()  # modules whose @handles / @every register its work (see jobs.core.registry)


FLOWS = (
    FlowSpec("orders", "Orders", WOO_TO_BP, "order", OrderSettings,
             ("jobs.orders.handlers", "jobs.orders.reconcile")),
    FlowSpec("order_status", "Order status", BP_TO_WOO, "order", OrderStatusSettings,
             ("jobs.orders.handlers",)),
    FlowSpec("refunds", "Refunds", WOO_TO_BP, "refund", RefundSettings, ("jobs.orders.handlers",)),
    FlowSpec("shipments", "Shipments", BP_TO_WOO, "shipment", ShipmentSettings,
             ("jobs.shipments.handlers",)),
    FlowSpec("products", "Products", BP_TO_WOO, "product", ProductSettings,
             ("jobs.products.handlers",)),
    FlowSpec("inventory", "Inventory", BP_TO_WOO, "inventory", InventorySettings,
             ("jobs.inventory.handlers",)),
)
FLOW_SPECS = {spec.name: spec for spec in FLOWS}
FLOW_NAMES = tuple(FLOW_SPECS)
assert all(spec.log_type in LOG_TYPES for spec in FLOWS), "a flow writes an unknown log type"


def flow_spec(name):
    """The declaration of flow name (KeyError for an unknown flow)."""
    return FLOW_SPECS[name]


def flow_label(name):
    """The flow's label for people ("Order status"), or its name when it is not declared."""
    spec = FLOW_SPECS.get(name)
    return spec.label if spec else name
