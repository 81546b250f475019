"""What a comparison finds: one Finding per disagreement, and the kinds there are."""
from dataclasses import dataclass, field
from datetime import datetime

from models.reconcile import KINDS

AREAS = ("orders", "status", "refunds", "shipments", "stock", "products")
# Kinds about Woo orders: a run only looks at the orders of its date range.
DATED_AREAS = ("orders", "status", "refunds", "shipments")


def kinds_of(areas):
    """The kinds the given areas find."""
    return [kind for kind, (_, area, _) in KINDS.items() if area in areas]


def dated_kinds():
    """Kinds a run checks only for Woo orders placed inside its range."""
    return kinds_of(DATED_AREAS)


@dataclass
class Finding:
    """One disagreement: what it is, whose row it concerns, and what each side says."""

    kind: str
    record_key: str
    title: str
    woo_says: str
    bp_says: str
    facts: dict = field(default_factory=dict)
    occurred_at: datetime | None = None

    @property
    def log_type(self):
        """The Sync Logs type of the record (orders, refunds, shipments, stock, products)."""
        return KINDS[self.kind][2]

    @property
    def label(self):
        """The kind in words."""
        return KINDS[self.kind][0]
