"""What every emulated WooCommerce endpoint must answer: shapes pinned to the reference.

Field names follow woocommerce.md §2.4–§2.8 and §3 (the REST docs' examples plus the newer
fields it lists); types follow the PHP source it cites: money as 2-place strings, dates without a
zone (local) beside *_gmt (UTC), a line item's `price` a JSON number, ids as integers.
"""
from tests.sandbox.shapes import (ANY, BOOL, DICT, INT, NUM, STR, AnyOf, Check, Contract, Eq,
                                  Nullable, Pattern)

DATE = Pattern(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")  # no zone: local time, or UTC in *_gmt
MONEY = Pattern(r"-?\d+\.\d{2}")
OPT_MONEY = Pattern(r"(-?\d+(\.\d+)?)?")  # product prices: "" when unset
LINK = [{"href": STR}]
META = [{"id": INT, "key": STR, "value": ANY, "display_key?": STR, "display_value?": ANY}]
ERROR = {"code": STR, "message": STR, "data": AnyOf({"status": INT}, INT, DICT)}  # §2.8
TAXES = [{"id": INT, "total": STR, "subtotal": STR}]


def dates(*names):
    """{name: local date, name_gmt: UTC date} for each name (both may be null)."""
    spec = {}
    for name in names:
        spec[name] = Nullable(DATE)
        spec[f"{name}_gmt"] = Nullable(DATE)
    return spec


ADDRESS = {"first_name": STR, "last_name": STR, "company": STR, "address_1": STR,
           "address_2": STR, "city": STR, "state": STR, "postcode": STR, "country": STR,
           "email?": STR, "phone?": STR}
LINE_ITEM = {"id": INT, "name": STR, "product_id": INT, "variation_id": INT, "quantity": INT,
             "tax_class": STR, "subtotal": MONEY, "subtotal_tax": MONEY, "total": MONEY,
             "total_tax": MONEY, "taxes": TAXES, "meta_data": META, "sku": Nullable(STR),
             # A JSON number as PHP's division gives it (10, or 8.333333333333334), §2.5.
             "price": NUM, "image": DICT, "parent_name": Nullable(STR)}
ORDER = dict({
    "id": INT, "parent_id": INT, "number": STR, "order_key": STR, "created_via": STR,
    "version": STR, "status": STR, "currency": STR,
    "discount_total": MONEY, "discount_tax": MONEY, "shipping_total": MONEY,
    "shipping_tax": MONEY, "cart_tax": MONEY, "total": MONEY, "total_tax": MONEY,
    "prices_include_tax": BOOL, "customer_id": INT, "customer_ip_address": STR,
    "customer_user_agent": STR, "customer_note": STR, "billing": ADDRESS, "shipping": ADDRESS,
    "payment_method": STR, "payment_method_title": STR, "transaction_id": STR,
    "cart_hash": STR, "meta_data": META, "line_items": [LINE_ITEM],
    "tax_lines": [{"id": INT, "rate_code": STR, "rate_id": INT, "label": STR, "compound": BOOL,
                   "tax_total": MONEY, "shipping_tax_total": MONEY, "rate_percent?": NUM,
                   "meta_data": META}],
    "shipping_lines": [{"id": INT, "method_title": STR, "method_id": STR, "instance_id?": STR,
                        "total": MONEY, "total_tax": MONEY, "taxes": TAXES, "meta_data": META}],
    "fee_lines": [{"id": INT, "name": STR, "tax_class": STR, "tax_status": STR, "amount?": STR,
                   "total": MONEY, "total_tax": MONEY, "taxes": TAXES, "meta_data": META}],
    "coupon_lines": [{"id": INT, "code": STR, "discount": MONEY, "discount_tax": MONEY,
                      "discount_type?": STR, "nominal_amount?": NUM, "free_shipping?": BOOL,
                      "meta_data": META}],
    "refunds": [{"id": INT, "reason": STR, "total": Pattern(r"-\d+\.\d{2}")}],
    "payment_url": STR, "is_editable": BOOL, "needs_payment": BOOL, "needs_processing": BOOL,
    "currency_symbol": STR, "_links": {"self": LINK, "collection": LINK, "customer?": LINK}},
    **dates("date_created", "date_modified", "date_paid", "date_completed"))
DIMENSIONS = {"length": STR, "width": STR, "height": STR}
_PRODUCT_COMMON = dict({
    "id": INT, "description": STR, "permalink": STR, "sku": STR, "global_unique_id": STR,
    "price": OPT_MONEY, "regular_price": OPT_MONEY, "sale_price": OPT_MONEY, "on_sale": BOOL,
    "status": STR, "purchasable": BOOL, "virtual": BOOL, "downloadable": BOOL,
    "downloads": [DICT], "download_limit": INT, "download_expiry": INT, "tax_status": STR,
    "tax_class": STR, "manage_stock": AnyOf(BOOL, Eq("parent")),
    "stock_quantity": Nullable(INT), "stock_status": Pattern("instock|outofstock|onbackorder"),
    "backorders": Pattern("no|notify|yes"), "backorders_allowed": BOOL, "backordered": BOOL,
    "low_stock_amount": Nullable(INT), "weight": STR, "dimensions": DIMENSIONS,
    "shipping_class": STR, "shipping_class_id": INT, "menu_order": INT, "meta_data": META},
    **dates("date_created", "date_modified", "date_on_sale_from", "date_on_sale_to"))
PRODUCT = dict(_PRODUCT_COMMON, **{
    "name": STR, "slug": STR, "type": Pattern("simple|grouped|external|variable|variation"),
    "featured": BOOL, "catalog_visibility": STR, "short_description": STR, "total_sales": INT,
    "external_url": STR, "button_text": STR, "sold_individually": BOOL,
    "shipping_required": BOOL, "shipping_taxable": BOOL, "reviews_allowed": BOOL,
    "average_rating": STR, "rating_count": INT, "upsell_ids": [INT], "cross_sell_ids": [INT],
    "parent_id": INT, "purchase_note": STR, "categories": [DICT], "tags": [DICT],
    "images": [DICT], "attributes": [DICT], "default_attributes": [DICT], "variations": [INT],
    "grouped_products": [INT], "price_html": STR, "related_ids": [INT], "has_options": BOOL,
    "post_password": STR, "_links": {"self": LINK, "collection": LINK, "up?": LINK}})
VARIATION = dict(_PRODUCT_COMMON, **{
    "attributes": [{"id": INT, "name": STR, "option": STR}], "name": STR,
    "type": Eq("variation"), "parent_id": INT, "image": Nullable(DICT),
    "_links": {"self": LINK, "collection": LINK, "up": LINK}})
NOTE = dict({"id": INT, "author": STR, "note": STR, "customer_note": BOOL,
             "_links": {"self": LINK, "collection": LINK, "up": LINK}}, **dates("date_created"))
REFUND_LINE = {"id": INT, "name": STR, "product_id": INT, "variation_id": INT,
               "quantity": INT, "tax_class": STR, "subtotal": STR, "subtotal_tax": STR,
               "total": STR, "total_tax": STR, "taxes": [DICT], "meta_data": META,
               "sku": Nullable(STR), "price": NUM}
REFUND = dict({"id": INT, "amount": MONEY, "reason": STR, "refunded_by": INT,
               "refunded_payment": BOOL, "meta_data": META, "line_items": [REFUND_LINE],
               "shipping_lines": [DICT], "tax_lines": [DICT], "fee_lines": [DICT],
               "_links": {"self": LINK, "collection": LINK, "up": LINK}}, **dates("date_created"))
TRACKING = {"tracking_id": Pattern(r"[0-9a-f]{32}"), "tracking_provider": STR,
            "custom_tracking_provider?": STR,
            "tracking_link": STR, "tracking_number": STR, "date_shipped": STR,
            "_links": {"self": LINK, "collection?": LINK, "up?": LINK}}
WEBHOOK = dict({"id": INT, "name": STR, "status": Pattern("active|paused|disabled"),
                "topic": STR, "resource": STR, "event": STR, "hooks": [STR],
                "delivery_url": STR, "_links": {"self": LINK, "collection": LINK}},
               **dates("date_created", "date_modified"))
CATEGORY = {"id": INT, "name": STR, "slug": STR, "parent": INT, "description": STR,
            "display": STR, "image": Nullable(DICT), "menu_order": INT, "count": INT,
            "_links": {"self": LINK, "collection": LINK}}
BATCH_ITEM = AnyOf(PRODUCT, VARIATION, {"id": INT, "error": ERROR})


def batch(spec):
    """A batch answer: each list holds resources or {"id", "error"} (§2.3)."""
    item = AnyOf(spec, {"id": INT, "error": ERROR})
    return {"create?": [item], "update?": [item], "delete?": [item]}


def contracts():
    """Every endpoint's contract(s); s is the store the contract test builds."""
    c, out = Contract, []
    out += [
        c("GET", "woo_products.list_products", lambda s: s.get("products?per_page=5"), 200,
          [AnyOf(PRODUCT, VARIATION)]),
        c("GET", "woo_products.list_products", lambda s: s.get("products?per_page=101"), 400,
          ERROR, "per_page is 1..100"),
        c("POST", "woo_products.post_product", lambda s: s.post("products", s.new_product()),
          201, PRODUCT),
        c("GET", "woo_products.get_one", lambda s: s.get(f"products/{s.simple}"), 200, PRODUCT),
        c("GET", "woo_products.get_one", lambda s: s.get("products/999999"), 404, ERROR),
        c("DELETE", "woo_products.remove_product",
          lambda s: s.delete(f"products/{s.created_product()}?force=true"), 200, PRODUCT),
        c("GET", "woo_products.list_variations",
          lambda s: s.get(f"products/{s.variable}/variations"), 200, [VARIATION]),
        c("POST", "woo_products.post_variation",
          lambda s: s.post(f"products/{s.variable}/variations", s.new_variation()), 201,
          VARIATION),
        c("GET", "woo_products.get_variation_view",
          lambda s: s.get(f"products/{s.variable}/variations/{s.variation}"), 200, VARIATION),
        c("DELETE", "woo_products.remove_variation",
          lambda s: s.delete(f"products/{s.variable}/variations/{s.created_variation()}"
                             "?force=true"), 200, VARIATION),
        c("GET", "woo_orders.list_orders", lambda s: s.get("orders"), 200, [ORDER]),
        c("GET", "woo_orders.get_one", lambda s: s.get(f"orders/{s.order}"), 200, ORDER),
        c("GET", "woo_orders.list_notes", lambda s: s.get(f"orders/{s.order}/notes"), 200,
          [NOTE]),
        c("POST", "woo_orders.create_note",
          lambda s: s.post(f"orders/{s.order}/notes", {"note": "hello"}), 201, NOTE),
        c("GET", "woo_orders.get_note", lambda s: s.get(f"orders/{s.order}/notes/{s.note}"),
          200, NOTE),
        c("DELETE", "woo_orders.delete_note",
          lambda s: s.delete(f"orders/{s.order}/notes/{s.new_note()}?force=true"), 200, NOTE),
        c("POST", "woo_refunds.post_refund",
          lambda s: s.post(f"orders/{s.fresh_order()}/refunds",
                           {"amount": "1.00", "api_refund": False}), 201, REFUND),
        c("GET", "woo_refunds.list_refunds", lambda s: s.get(f"orders/{s.order}/refunds"), 200,
          [REFUND]),
        c("GET", "woo_refunds.get_refund",
          lambda s: s.get(f"orders/{s.order}/refunds/{s.refund}"), 200, REFUND),
        c("DELETE", "woo_refunds.delete_refund",
          lambda s: s.delete(f"orders/{s.order}/refunds/{s.new_refund()}?force=true"), 200,
          REFUND),
        c("GET", "woo_tracking.list_trackings", lambda s: s.tracking("GET"), 200, [TRACKING]),
        c("POST", "woo_tracking.add_tracking", lambda s: s.tracking("POST"), 201, TRACKING),
        c("GET", "woo_tracking.get_tracking", lambda s: s.tracking("GET", s.tracked), 200,
          TRACKING),
        c("DELETE", "woo_tracking.delete_tracking",
          lambda s: s.tracking("DELETE", s.tracking("POST").json()["tracking_id"]), 200,
          AnyOf(TRACKING, DICT)),
        c("GET", "woo_tracking.providers", lambda s: s.providers(), 200,
          Check(lambda v: None if isinstance(v, dict) and v else "no providers")),
        c("GET", "woo_webhooks.list_webhooks", lambda s: s.get("webhooks"), 200, [WEBHOOK]),
        c("POST", "woo_webhooks.post_webhook", lambda s: s.post("webhooks", s.new_webhook()),
          201, WEBHOOK),
        c("GET", "woo_webhooks.get_webhook", lambda s: s.get(f"webhooks/{s.webhook}"), 200,
          WEBHOOK),
        c("DELETE", "woo_webhooks.delete_webhook",
          lambda s: s.delete(f"webhooks/{s.created_webhook()}?force=true"), 200, WEBHOOK),
        c("DELETE", "woo_webhooks.delete_webhook",
          lambda s: s.delete(f"webhooks/{s.webhook}"), 501, ERROR, "no trash: force=true"),
        # product categories (terms)
        c("GET", "woo_categories.list_categories", lambda s: s.get("products/categories"), 200,
          [CATEGORY]),
        c("POST", "woo_categories.post_category",
          lambda s: s.post("products/categories", s.new_category()), 201, CATEGORY),
        c("POST", "woo_categories.post_category",
          lambda s: s.post("products/categories", {"name": s.category_name}), 400, ERROR,
          "term_exists: a sibling of the same name"),
        c("GET", "woo_categories.get_category",
          lambda s: s.get(f"products/categories/{s.category}"), 200, CATEGORY),
        c("GET", "woo_categories.get_category", lambda s: s.get("products/categories/999999"),
          404, ERROR),
        c("DELETE", "woo_categories.delete_category",
          lambda s: s.delete(f"products/categories/{s.created_category()}?force=true"), 200,
          CATEGORY),
        c("DELETE", "woo_categories.delete_category",
          lambda s: s.delete(f"products/categories/{s.category}"), 501, ERROR,
          "no trash: force=true"),
    ]
    # Updates answer to PUT, POST and PATCH alike (WP REST's EDITABLE methods).
    for method in ("PUT", "POST", "PATCH"):
        out += [
            c(method, "woo_products.put_product",
              lambda s, m=method: s.call(m, f"products/{s.simple}", {"weight": "1.5"}), 200,
              PRODUCT),
            c(method, "woo_products.put_variation",
              lambda s, m=method: s.call(m, f"products/{s.variable}/variations/{s.variation}",
                                         {"regular_price": "12.00"}), 200, VARIATION),
            c(method, "woo_orders.update_order",
              lambda s, m=method: s.call(m, f"orders/{s.order}", {"customer_note": "hi"}), 200,
              ORDER),
            c(method, "woo_batch.products_batch",
              lambda s, m=method: s.call(m, "products/batch", {"update": [
                  {"id": s.simple, "stock_quantity": 5, "manage_stock": True},
                  {"id": 999999, "stock_quantity": 1}]}), 200, batch(PRODUCT)),
            c(method, "woo_batch.variations_batch",
              lambda s, m=method: s.call(m, f"products/{s.variable}/variations/batch", {
                  "update": [{"id": s.variation, "stock_quantity": 3}]}), 200,
              batch(VARIATION)),
            c(method, "woo_categories.put_category",
              lambda s, m=method: s.call(m, f"products/categories/{s.category}",
                                         {"description": "Brightpearl's"}), 200, CATEGORY),
            c(method, "woo_webhooks.put_webhook",
              lambda s, m=method: s.call(m, f"webhooks/{s.webhook}", {"status": "active"}), 200,
              WEBHOOK),
        ]
    out.append(c("POST", "woo_batch.products_batch",
                 lambda s: s.post("products/batch", {"update": [{"id": s.simple}] * 101}), 413,
                 ERROR, "more than 100 items"))
    return out
