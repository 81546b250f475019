"""Brightpearl catalog and warehouse reads: products, prices, availability, goods movements and
the reference lists the Flows page offers (warehouses, price lists, statuses, codes...)."""
from connectors import bp_search
from connectors.errors import NotFoundError

PRODUCT_COLUMNS = ("productId", "SKU", "productGroupId", "stockTracked", "updatedOn")


class CatalogMixin:
    """Typed reads for products and stock; needs get/get_ids/get_one/search from the client."""

    # -- products ---------------------------------------------------------------------------

    def get_products(self, product_ids, include_custom_fields=False):
        """Full product records for the ids that exist (200 per request)."""
        params = {"includeOptional": "customFields,nullCustomFields"} if include_custom_fields \
            else None
        return self.get_ids("/product-service/product/{ids}", product_ids, params=params)

    def get_product(self, product_id):
        """One product; NotFoundError when it does not exist."""
        return self.get_one("/product-service/product/{id}", product_id, "product")

    def search_products(self, *, sku=None, updated_since=None, updated_until=None,
                        created_since=None, columns=PRODUCT_COLUMNS, page_size=500, **filters):
        """Product-search rows (dicts) by exact SKU and/or an updatedOn (or createdOn) period,
        oldest first. updatedOn is null until a product's first edit, so new products are
        found by createdOn (see changed_products)."""
        if sku is not None:
            filters["SKU"] = sku
        if updated_since is not None or updated_until is not None:
            filters["updatedOn"] = bp_search.period(updated_since, updated_until)
        if created_since is not None:
            filters["createdOn"] = bp_search.period(created_since)
        sort = next((f"{c}.ASC" for c in ("updatedOn", "createdOn") if c in filters), None)
        return self.search("/product-service/product-search", filters, columns=columns,
                           sort=sort, page_size=page_size)

    def find_products_by_sku(self, sku):
        """Product-search rows whose SKU is exactly sku (usually one)."""
        return [row for row in self.search_products(sku=sku) if row.get("SKU") == sku]

    def get_prices(self, product_ids, price_list_id):
        """Prices of product_ids on one price list: [{productId, priceLists[{quantityPrice}]}]."""
        return self.get_ids("/product-service/product-price/{ids}/price-list/{list}",
                            product_ids, list=int(price_list_id))

    # -- stock ------------------------------------------------------------------------------

    def get_availability(self, product_ids):
        """{productId (str): {total, warehouses}} for the stock-tracked ids (absent = untracked)."""
        return self.get_ids("/warehouse-service/product-availability/{ids}", product_ids,
                            as_map=True)

    def get_bundle_availability(self, product_id):
        """One bundle's availability {total, warehouses} (one product per call, §5)."""
        answer = self.get("/warehouse-service/bundle-availability/{id}",
                          f"/warehouse-service/bundle-availability/{int(product_id)}") or {}
        # Keyed by product id like product-availability, or bare; accept both.
        return answer.get(str(int(product_id)), answer) if "total" not in answer else answer

    def get_default_location(self, warehouse_id):
        """A warehouse's default location (goods-in notes put stock there)."""
        return self.get("/warehouse-service/warehouse/{id}/location/default",
                        f"/warehouse-service/warehouse/{int(warehouse_id)}/location/default")

    # -- reference lists --------------------------------------------------------------------

    def get_warehouses(self):
        """Every warehouse [{id, name, ...}]."""
        return self._list("/warehouse-service/warehouse")

    def get_price_lists(self):
        """Every price list [{id, name{text}, code, currencyCode, priceListTypeCode, gross}]."""
        return self._list("/product-service/price-list")

    def get_order_statuses(self):
        """Every order status [{statusId, name, orderTypeCode, ...}] (per account)."""
        return self._list("/order-service/order-status")

    def get_channels(self):
        """Every sales channel."""
        return self._list("/product-service/channel")

    def get_payment_methods(self):
        """Every payment method [{id, code, name, ...}]."""
        return self._list("/accounting-service/payment-method")

    def get_shipping_methods(self):
        """Every shipping method [{id, name, ...}]."""
        return self._list("/warehouse-service/shipping-method")

    def get_tax_codes(self):
        """Every tax code [{id, code, rate, ...}]."""
        return self._list("/accounting-service/tax-code")

    def get_categories(self):
        """Every Brightpearl category [{id, name, parentId?}] (the id is the categoryCode; a
        parentId, where the account has one, makes the tree)."""
        return self._list("/product-service/brightpearl-category")

    def get_nominal_codes(self):
        """Every nominal code [{id, code, name, ...}]."""
        return self._list("/accounting-service/nominal-code")

    def _list(self, endpoint):
        try:
            answer = self.get(endpoint)
        except NotFoundError:
            return []
        if isinstance(answer, dict):
            return list(answer.values())
        return list(answer or [])
