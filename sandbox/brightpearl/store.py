"""The emulator's state: named collections behind one lock, optionally kept in a SQLite file."""
import pickle
import sqlite3
import threading

COLLECTIONS = (
    "products", "prices", "stock", "contacts", "addresses", "orders", "payments",
    "goods_out", "goods_in", "drop_ship", "movements", "webhooks", "notes", "oauth", "meta",
)
# Where each id sequence starts, so ids of different kinds are easy to tell apart in logs.
_FIRST_IDS = {
    "product": 1001, "group": 1001, "contact": 201, "address": 101, "order": 100001,
    "row": 1, "payment": 501, "goods_out": 7001, "goods_in": 8001, "drop_ship": 9001,
    "movement": 1, "webhook": 1, "note": 1, "invoice": 1,
}


class State:
    """Every collection is a dict keyed by id; indexes are rebuilt from them, never saved."""

    def __init__(self, path=None):
        self.lock = threading.RLock()
        self.path = path
        self._dirty = set()
        self.reset()
        if path:
            self._load()

    def reset(self, keep=("webhooks", "oauth")):
        """Empty every collection except those in keep; indexes follow."""
        with self.lock:
            # A kept collection keeps its id sequence: ids are never reused (H-IDS).
            kept_seq = {kind: value for kind, value in getattr(self, "meta", {}).get(
                "seq", {}).items() if f"{kind}s" in keep}
            for name in COLLECTIONS:
                if name not in keep or not hasattr(self, name):
                    setattr(self, name, {})
            self.meta.setdefault("seq", {}).update(kept_seq)
            self._dirty.update(COLLECTIONS)
            self.reindex()

    def reindex(self):
        """Rebuild the lookup indexes (SKU, order external key, payment key, payments by order)."""
        self.sku_index = {p["sku"]: pid for pid, p in self.products.items()}
        self.order_keys = {o["externalKey"]: oid for oid, o in self.orders.items()
                           if o.get("externalKey")}
        self.payment_keys = {p["uniqueKey"]: pid for pid, p in self.payments.items()
                             if p.get("uniqueKey")}
        self.payments_by_order = {}
        for pid, payment in sorted(self.payments.items()):
            self.payments_by_order.setdefault(payment["orderId"], []).append(pid)

    def next_id(self, kind):
        """The next id of a kind; ids are never reused (H-IDS)."""
        seq = self.meta["seq"]
        value = seq.get(kind, _FIRST_IDS[kind])
        seq[kind] = value + 1
        self._dirty.add("meta")
        return value

    def changed(self, *names):
        """Mark collections as changed so the next save writes them."""
        self._dirty.update(names)

    def save(self):
        """Write the changed collections to the SQLite file, if there is one."""
        if not self.path:
            return
        with self.lock:
            dirty, self._dirty = self._dirty, set()
            blobs = [(name, pickle.dumps(getattr(self, name), protocol=pickle.HIGHEST_PROTOCOL))
                     for name in dirty]
        with sqlite3.connect(self.path) as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS collection (name TEXT PRIMARY KEY, blob BLOB)")
            connection.executemany("INSERT OR REPLACE INTO collection VALUES (?, ?)", blobs)
        connection.close()

    def _load(self):
        with sqlite3.connect(self.path) as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS collection (name TEXT PRIMARY KEY, blob BLOB)")
            rows = connection.execute("SELECT name, blob FROM collection").fetchall()
        connection.close()
        for name, blob in rows:
            if name in COLLECTIONS:
                setattr(self, name, pickle.loads(blob))
        self.meta.setdefault("seq", {})
        self._dirty.clear()
        self.reindex()

    def counts(self):
        """How many records each collection holds."""
        return {name: len(getattr(self, name)) for name in COLLECTIONS if name not in ("meta", "oauth")}
