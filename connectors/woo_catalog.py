"""WooCommerce products, variations and stock writes (§2.4)."""
from dataclasses import dataclass

from connectors.errors import PermanentError
from connectors.woo_batch import BatchResult

SKU_CHUNK = 50  # SKUs per lookup: keeps URLs short and answers within one page of 100


@dataclass(frozen=True)
class StockUpdate:
    """An absolute stock level for a product, or for a variation of parent_id."""

    product_id: int
    quantity: int
    parent_id: int | None = None


class CatalogMixin:
    """Typed product calls; needs call/get/paginate/batch from the client."""

    def products_by_sku(self, skus):
        """{sku: product} for the SKUs found (variations too, with parent_id); one request per
        50 SKUs, comma-separated (a SKU containing a comma cannot be looked up this way)."""
        wanted = sorted({str(s) for s in skus if s})
        found = {}
        for start in range(0, len(wanted), SKU_CHUNK):
            part = wanted[start:start + SKU_CHUNK]
            for product in self.paginate("/products", params={"sku": ",".join(part)}):
                if product.get("sku") in part:
                    found[product["sku"]] = product
        return found

    def get_product(self, product_id):
        """One product (or a variation read through /products/{id})."""
        return self.get("/products/{id}", f"/products/{int(product_id)}")

    def list_products(self, **params):
        """Every product matching params (e.g. modified_after=..., dates_are_gmt=True)."""
        return self.paginate("/products", params=_flags(params))

    def create_product(self, product):
        """Create a product; returns it."""
        return self.call("POST", "/products", body=product, idempotent=False).data

    def update_product(self, product_id, changes):
        """Change a product; returns it."""
        return self.call("PUT", "/products/{id}", f"/products/{int(product_id)}",
                         body=changes).data

    def batch_products(self, create=(), update=(), delete=()):
        """Batch-write products in chunks of 100; returns a BatchResult."""
        return self.batch("/products/batch", create=create, update=update, delete=delete)

    def list_categories(self):
        """Every product category [{id, name, slug, parent, ...}] (a tree by parent)."""
        return list(self.paginate("/products/categories"))

    def create_category(self, name, parent=0):
        """Create a product category under parent; returns its id. One that already exists
        there (WordPress answers term_exists) is found and its id returned instead."""
        try:
            answer = self.call("POST", "/products/categories",
                               body={"name": name, "parent": int(parent or 0)},
                               idempotent=False).data
            return int(answer["id"])
        except PermanentError as exc:
            if exc.code != "term_exists":
                raise
        for term in self.paginate("/products/categories", params={"parent": int(parent or 0)}):
            if str(term.get("name", "")).lower() == name.lower():
                return int(term["id"])
        raise PermanentError(f"WooCommerce says category {name!r} exists but does not list it",
                             code="term_exists")

    def list_variations(self, product_id, **params):
        """Every variation of a variable product."""
        return list(self.paginate("/products/{id}/variations",
                                  f"/products/{int(product_id)}/variations", params=params))

    def batch_variations(self, product_id, create=(), update=(), delete=()):
        """Batch-write the variations of product_id in chunks of 100; returns a BatchResult."""
        return self.batch("/products/{id}/variations/batch",
                          f"/products/{int(product_id)}/variations/batch",
                          create=create, update=update, delete=delete)

    def update_stock(self, updates):
        """Write absolute stock levels (with manage_stock: true, or WooCommerce ignores them):
        products through products/batch, variations through their parent's batch."""
        simple, by_parent = [], {}
        for update in updates:
            update = update if isinstance(update, StockUpdate) else StockUpdate(**update)
            line = {"id": int(update.product_id), "manage_stock": True,
                    "stock_quantity": int(update.quantity)}
            if update.parent_id:
                by_parent.setdefault(int(update.parent_id), []).append(line)
            else:
                simple.append(line)
        result = BatchResult()
        if simple:
            result.merge(self.batch_products(update=simple))
        for parent_id, lines in sorted(by_parent.items()):
            result.merge(self.batch_variations(parent_id, update=lines))
        return result


def _flags(params):
    return {k: ("true" if v is True else "false" if v is False else v) for k, v in params.items()}
