"""Static reference data of the sandbox account: statuses, channels, methods, codes (§4–§7)."""
from decimal import Decimal

from sandbox.catalog import CATEGORIES, WAREHOUSES

ACCOUNTING_CURRENCY = {"id": 1, "code": "GBP"}
CURRENCIES = {"GBP": 1, "EUR": 2, "USD": 3}


def default_location(warehouse_id):
    """The default location id of a warehouse (one location per warehouse in the sandbox)."""
    return warehouse_id * 10 + 1


WAREHOUSE_IDS = {w["id"] for w in WAREHOUSES}
# brightpearl-category: [{id, name}] (VCR:product_category_get_by_id); codes are these ids. A
# category under another also names it as parentId (UNCONFIRMED: the recorded one was at the top).
CATEGORY_PARENTS = {299: 296}  # Accessories sit under Clothing
BRIGHTPEARL_CATEGORIES = [
    {"id": code, "name": name, **({"parentId": CATEGORY_PARENTS[code]}
                                  if code in CATEGORY_PARENTS else {})}
    for code, name in CATEGORIES.items()]
CATEGORY_CODES = set(CATEGORIES)
DEFAULT_WAREHOUSE = WAREHOUSES[0]["id"]

PRICE_LISTS = [
    {"id": 1, "code": "RETAIL", "name": {"text": "Retail"}, "currencyCode": "GBP", "currencyId": 1,
     "priceListTypeCode": "SELL", "gross": False},
    {"id": 2, "code": "TRADE", "name": {"text": "Trade"}, "currencyCode": "GBP", "currencyId": 1,
     "priceListTypeCode": "SELL", "gross": False},
    {"id": 3, "code": "COST", "name": {"text": "Cost price"}, "currencyCode": "GBP", "currencyId": 1,
     "priceListTypeCode": "BUY", "gross": False},
]
PRICE_LIST_IDS = {p["id"] for p in PRICE_LISTS}
TRADE_FACTOR = Decimal("0.8")
COST_FACTOR = Decimal("0.45")

# Status ids and names are per account (§7); these imitate a typical account, including a
# hidden status (cannot be set through the API) and the cancelled sales status.
ORDER_STATUSES = [
    (1, "Draft / Quote", "SO", "draft", True), (2, "New web order", "SO", "new", True),
    (3, "New phone order", "SO", "new", True), (4, "Awaiting payment", "SO", "open", True),
    (5, "Ready to ship", "SO", "open", True), (6, "Dispatched", "SO", "completed", True),
    (7, "Invoiced", "SO", "completed", True), (8, "Cancelled", "SO", "cancelled", True),
    (9, "On hold (legacy)", "SO", "open", False),
    (10, "Pending refund", "SC", "new", True), (11, "Refunded", "SC", "completed", True),
    (12, "Cancelled credit", "SC", "cancelled", True),
    (13, "Pending PO", "PO", "new", True), (14, "PO received", "PO", "completed", True),
]
STATUS_BY_ID = {
    sid: {"statusId": sid, "name": name, "orderTypeCode": otype, "sortOrder": sid * 10,
          "disabled": False, "visible": visible, "color": "#2b6cb0", "state": state}
    for sid, name, otype, state, visible in ORDER_STATUSES}
DEFAULT_STATUS = {"SO": 2, "SC": 10, "PO": 13}
CANCELLED_STATUS = {"SO": 8, "SC": 12}

ORDER_TYPES = [{"id": 1, "code": "SO", "name": "SALES_ORDER"},
               {"id": 2, "code": "PO", "name": "PURCHASE_ORDER"},
               {"id": 3, "code": "SC", "name": "SALES_CREDIT"},
               {"id": 4, "code": "PC", "name": "PURCHASE_CREDIT"}]
ORDER_TYPE_ID = {t["code"]: t["id"] for t in ORDER_TYPES}

SHIPPING_STATUSES = {"NST": "No stock-tracked items", "SNS": "Stock not shipped",
                     "SPS": "Stock part shipped", "ASS": "All stock shipped"}
SHIPPING_STATUS_ID = {"NST": 1, "SNS": 2, "SPS": 3, "ASS": 4}
STOCK_STATUSES = {"SON": "Sales order not fulfilled", "SOP": "Sales order part fulfilled",
                  "SOA": "Sales order all fulfilled", "SCN": "Sales credit not fulfilled",
                  "SCA": "Sales credit all fulfilled"}
STOCK_STATUS_ID = {code: i for i, code in enumerate(STOCK_STATUSES, start=1)}
PAYMENT_STATUS_ID = {"PAID": 1, "PARTIALLY_PAID": 2, "UNPAID": 3, "NOT_APPLICABLE": 4}

CHANNELS = [
    {"id": 1, "name": "Brightpearl", "channelTypeId": 1, "defaultWarehouseId": 2,
     "defaultPriceListId": 1},
    {"id": 2, "name": "WooCommerce", "channelTypeId": 2, "defaultWarehouseId": 2,
     "defaultPriceListId": 1, "integrationDetail": {"integrationId": 13}},
    {"id": 3, "name": "Trade counter", "channelTypeId": 1, "defaultWarehouseId": 3,
     "defaultPriceListId": 2},
]
CHANNEL_IDS = {c["id"] for c in CHANNELS}

PAYMENT_METHODS = [
    {"id": 1, "code": "CASH", "name": "Cash", "isActive": True, "bankAccountNominalCode": "1230"},
    {"id": 2, "code": "CARD", "name": "Card", "isActive": True, "bankAccountNominalCode": "1200"},
    {"id": 3, "code": "PAYPAL", "name": "PayPal", "isActive": True, "bankAccountNominalCode": "1210"},
    {"id": 4, "code": "STRIPE", "name": "Stripe", "isActive": True, "bankAccountNominalCode": "1220"},
    {"id": 5, "code": "BACS", "name": "Bank transfer", "isActive": True,
     "bankAccountNominalCode": "1200"},
]

SHIPPING_METHODS = [
    {"id": 1, "name": "Standard Delivery", "code": "STD"},
    {"id": 2, "name": "Next Day Delivery", "code": "NDD"},
    {"id": 3, "name": "Click & Collect", "code": "CNC"},
    {"id": 49, "name": "Royal Mail Tracked 48", "code": "RM48"},
]
SHIPPING_METHOD_IDS = {m["id"] for m in SHIPPING_METHODS}

TAX_CODES = [
    {"id": 1, "code": "T", "description": "Standard rate", "rate": 20.0},
    {"id": 2, "code": "R", "description": "Reduced rate", "rate": 5.0},
    {"id": 3, "code": "Z", "description": "Zero rated", "rate": 0.0},
    {"id": 4, "code": "E", "description": "Exempt", "rate": 0.0},
    {"id": 5, "code": "N", "description": "Outside the scope of VAT", "rate": 0.0},
]
TAX_BY_CODE = {t["code"]: t for t in TAX_CODES}

NOMINAL_CODES = [
    (1, "1001", "Stock", "ASSET"), (2, "1200", "Bank current account", "ASSET"),
    (3, "1210", "PayPal account", "ASSET"), (4, "1220", "Stripe account", "ASSET"),
    (5, "1230", "Petty cash", "ASSET"), (6, "4000", "Sales", "INCOME"),
    (7, "4010", "Sales - web", "INCOME"), (8, "4040", "Shipping income", "INCOME"),
    (9, "4050", "Discounts given", "INCOME"), (10, "4090", "Rounding", "INCOME"),
    (11, "5000", "Cost of sales", "EXPENSE"),
]
NOMINAL_BY_CODE = {code: {"id": i, "code": code, "name": name, "type": kind}
                   for i, code, name, kind in NOMINAL_CODES}
DEFAULT_SALES_NOMINAL = "4000"

BRANDS = [{"id": 1, "name": "Pearlbridge Demo"}, {"id": 2, "name": "House brand"}]
BRAND_IDS = {b["id"] for b in BRANDS}
PRODUCT_TYPES = [{"id": 1, "name": "Standard"}, {"id": 2, "name": "Apparel"}]

# Variation options: "at most 4 options per product group" (§5); the catalog uses two.
OPTIONS = {"Colour": 1, "Size": 2}
OPTION_VALUES = {("Colour", "Red"): 1, ("Colour", "Blue"): 2, ("Colour", "Green"): 3,
                 ("Size", "S"): 4, ("Size", "M"): 5}

ISO2_TO_3 = {"GB": "GBR", "US": "USA", "IE": "IRL", "DE": "DEU", "FR": "FRA", "NL": "NLD",
             "ES": "ESP", "IT": "ITA", "BE": "BEL", "AU": "AUS", "CA": "CAN", "NZ": "NZL",
             "SE": "SWE", "DK": "DNK", "NO": "NOR", "PL": "POL", "PT": "PRT", "AT": "AUT",
             "CH": "CHE", "JP": "JPN"}
ISO3_TO_2 = {v: k for k, v in ISO2_TO_3.items()}
