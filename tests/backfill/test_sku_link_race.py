"""Two runs learning the same SKU at once (parallel backfill threads, or two workers) must both
succeed: the second finds the link the first just wrote instead of failing on it."""
import threading

from jobs.orders import orders as flow
from models.db import connection
from models.links import ProductLink


class FakeBrightpearl:
    def find_products_by_sku(self, sku):
        return [{"productId": 1001, "SKU": sku}]


def test_two_runs_linking_one_sku_at_once_both_succeed(app, monkeypatch):
    both_updated = threading.Barrier(2, timeout=5)
    real_update = ProductLink.update

    class Racing:
        # Each run's UPDATE finds no row; both then insert (the race that made one fail).
        def __init__(self, query):
            self.query = query

        def where(self, *args):
            self.query = self.query.where(*args)
            return self

        def execute(self):
            count = self.query.execute()
            both_updated.wait()
            return count

    monkeypatch.setattr(ProductLink, "update", classmethod(
        lambda cls, *a, **k: Racing(real_update.__func__(cls, *a, **k))))
    results, errors = [], []

    def run():
        try:
            with connection():
                results.append(flow.bp_product_ids(FakeBrightpearl(), ["MUG-1"]))
        except Exception as exc:  # noqa: BLE001 - the failure under test
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == [] and results == [{"MUG-1": 1001}] * 2
    with connection():
        assert [(link.sku, link.bp_product_id) for link in ProductLink.select()] == [
            ("MUG-1", 1001)]
