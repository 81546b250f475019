"""The store's state: products, orders, refunds, notes, customers, webhooks, under one lock."""
import datetime
import threading
from zoneinfo import ZoneInfo

from .persist import Persistence

COLLECTIONS = ("products", "orders", "refunds", "notes", "customers", "webhooks", "categories")

# The store's time zone (WordPress "timezone_string"). Not UTC on purpose: date_* fields are
# local wall-clock time and date_*_gmt are UTC, and a client mixing them up must see it fail.
# Berlin is one or two hours ahead of UTC, DST included.
DEFAULT_TIMEZONE = "Europe/Berlin"

# Products, variations, orders and refunds are all posts in WordPress, so they share one id
# sequence; order items, comments (notes), meta rows, users, webhooks and terms (categories)
# each have their own.
_COUNTERS = {"post": 10, "item": 100, "comment": 200, "meta": 1000, "user": 1, "webhook": 0,
             "term": 20}


class State:
    """All emulated data, guarded by lock; optionally mirrored to a SQLite file."""

    def __init__(self, path=None, utc_offset_hours=None, tracking_extension=True,
                 timezone=DEFAULT_TIMEZONE):
        self.lock = threading.RLock()
        # A fixed offset when one is given (WordPress "UTC+2" settings), else the named zone.
        self.zone = (datetime.timezone(datetime.timedelta(hours=utc_offset_hours))
                     if utc_offset_hours is not None else ZoneInfo(timezone))
        self._initial_settings = {"tracking_extension": bool(tracking_extension)}
        self._dirty, self._removed = set(), set()
        self.clear()
        self._db = Persistence(path) if path else None
        if self._db:
            self._db.load(self)
            self.reindex()

    def clear(self, keep_webhooks=False):
        """Forget everything (or everything but webhooks and settings)."""
        webhooks = self.webhooks if keep_webhooks else {}
        for name in COLLECTIONS:
            setattr(self, name, {})
        self.webhooks = webhooks
        self.sku_index = {}
        if not keep_webhooks:
            self.counters = dict(_COUNTERS)
            self.settings = dict(self._initial_settings)
        self._everything_dirty = True

    def reindex(self):
        """Rebuild the SKU index from products (after load or bulk changes)."""
        self.sku_index = {p["sku"]: p["id"] for p in self.products.values()
                          if p["sku"] and p["status"] != "trash"}

    def next_id(self, sequence):
        """Allocate the next id of a sequence (post, item, comment, meta, user, webhook)."""
        # A state file written before a sequence existed starts it at its first value.
        self.counters[sequence] = self.counters.get(sequence, _COUNTERS[sequence]) + 1
        return self.counters[sequence]

    def now(self):
        """The current time in UTC as WooCommerce stores it: whole seconds."""
        return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)

    def local(self, utc):
        """A stored (naive) UTC datetime as the store's local wall-clock time."""
        return utc.replace(tzinfo=datetime.timezone.utc).astimezone(self.zone).replace(tzinfo=None)

    def to_utc(self, local):
        """A naive local wall-clock time as naive UTC (how WordPress reads dates without _gmt)."""
        return local.replace(tzinfo=self.zone).astimezone(datetime.timezone.utc).replace(tzinfo=None)

    def dates(self, prefix, utc):
        """{prefix: local, prefix_gmt: utc} formatted as the REST API writes dates (no zone)."""
        if utc is None:
            return {prefix: None, f"{prefix}_gmt": None}
        return {prefix: self.local(utc).isoformat(), f"{prefix}_gmt": utc.isoformat()}

    def touch(self, collection, obj):
        """Mark an object changed so the next commit persists it."""
        self._dirty.add((collection, obj["id"]))

    def remove(self, collection, obj_id):
        """Delete an object permanently."""
        getattr(self, collection).pop(obj_id, None)
        self._removed.add((collection, obj_id))
        self._dirty.discard((collection, obj_id))

    def commit(self):
        """Write changed objects to the state file, if there is one."""
        if self._db:
            self._db.save(self, self._dirty, self._removed, self._everything_dirty)
        self._dirty, self._removed, self._everything_dirty = set(), set(), False

    def product_by_sku(self, sku):
        """The live product or variation holding sku, or None."""
        product_id = self.sku_index.get(sku)
        return self.products.get(product_id) if product_id else None
