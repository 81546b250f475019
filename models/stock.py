"""What the inventory flow remembers between runs: Brightpearl product facts and pending changes.

SKU ⇄ Woo ids and the last quantity written live in ProductLink (shared with the products
flow); these tables hold only what stock work needs on top of it.
"""
import json
from dataclasses import dataclass
from datetime import datetime

from peewee import BooleanField, CharField, DateTimeField, IntegerField, TextField

from models.base import BaseModel, utcnow
from models.links import read_cursor

# Which trigger a pending change came from; the log row's attempt carries it.
WEBHOOK, POLL, MANUAL, RETRY = "webhook", "poll", "manual", "retry"
# Webhook-noted and staff-requested changes are written before polled ones, all before a sweep.
PRIORITY = {WEBHOOK: 0, MANUAL: 0, RETRY: 0, POLL: 1}


class StockItem(BaseModel):
    """A Brightpearl product as stock work sees it: SKU, name, tracking, bundle, categories."""

    bp_product_id = IntegerField(primary_key=True)
    sku = CharField(max_length=64, index=True)
    name = CharField(max_length=255, default="")
    stock_tracked = BooleanField(default=True)
    components_json = TextField(null=True)  # [[component id, quantity], …] for a bundle
    categories = CharField(max_length=255, default="")  # comma-separated category codes
    # Woo keeps the stock of this SKU's variation on its parent (manage_stock "parent").
    woo_parent_managed = BooleanField(default=False)
    woo_checked_at = DateTimeField(null=True)  # last SKU lookup in Woo (found or not)
    untracked_sent = BooleanField(default=False)  # "in stock" written for an untracked product
    read_at = DateTimeField(null=True)  # last availability read: later movements need a re-read
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "stock_item"

    @property
    def components(self):
        """[(component id, quantity)] of a bundle; [] for anything else."""
        return [tuple(c) for c in json.loads(self.components_json)] if self.components_json else []

    @property
    def is_bundle(self):
        """True for a Brightpearl bundle (kit)."""
        return bool(self.components_json)

    @property
    def category_list(self):
        """The product's Brightpearl category codes."""
        return [c for c in (self.categories or "").split(",") if c]

    @property
    def info(self):
        """What the Inventory log's Info column shows: "Product name (SKU)"."""
        return f"{self.name} ({self.sku})" if self.name else self.sku


class StockChange(BaseModel):
    """A product whose stock may have changed and is not yet written: one row per product.

    A burst of notifications for one product is one row (coalescing); the row goes only once
    its quantity was written or found unchanged. movement_on keeps the goods-movement cursor
    from passing a change that is still outstanding.
    """

    bp_product_id = IntegerField(primary_key=True)
    noted_at = DateTimeField(default=utcnow)
    priority = IntegerField(default=0)
    trigger = CharField(max_length=8, default=WEBHOOK)
    movement_on = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    not_before = DateTimeField(null=True)
    last_error = TextField(null=True)

    class Meta:
        table_name = "stock_change"
        indexes = ((("priority", "noted_at"), False),)


STOCK_TABLES = (StockItem, StockChange)
SWEEP_CURSOR = "inventory-sweep"  # the full stock sweep's state (JSON), see jobs/inventory/sweep


@dataclass(frozen=True)
class StockProgress:
    """What the Flows page shows of stock work: pending changes and the full sweep."""

    pending: int  # products whose stock change is noted and not yet written
    postponed: int  # of those, waiting after a failed try
    sweep: dict | None  # the sweep's state, None when none ever ran
    checked: int = 0  # products the running sweep has passed
    total: int = 0  # products it checks

    @property
    def percent(self):
        """How far the running sweep is, 0–100."""
        return min(100, int(100 * self.checked / self.total)) if self.total else 0

    def when(self, key):
        """A time of the sweep ("started", "finished") as a naive UTC datetime, or None."""
        value = (self.sweep or {}).get(key)
        return datetime.fromisoformat(value.rstrip("Z")) if value else None


def stock_progress(untracked_counted=False, now=None):
    """Pending stock changes and the latest full sweep's progress (three small queries)."""
    now = now or utcnow()
    pending = StockChange.select().count()
    postponed = StockChange.select().where(StockChange.not_before > now).count()
    raw = read_cursor(SWEEP_CURSOR)
    sweep = json.loads(raw) if raw else None
    if not sweep or sweep.get("done") or not sweep.get("catalog_done"):
        return StockProgress(pending, postponed, sweep)
    counted = StockItem.select()
    if not untracked_counted:
        counted = counted.where((StockItem.stock_tracked == True)  # noqa: E712
                                | StockItem.components_json.is_null(False))
    position = int(sweep.get("position") or 0)
    return StockProgress(pending, postponed, sweep,
                         counted.where(StockItem.bp_product_id <= position).count(),
                         counted.count())
