"""What every emulated Brightpearl endpoint must answer: shapes pinned to the reference.

Each Contract names the endpoint (method + Flask endpoint), how to call it against the world
built in test_brightpearl_contracts.py, the status and the shape (tests/sandbox/shapes.py). Field
names and types come from the reference's recorded responses (VCR:*) where there are any, else
from the doc pages it cites; a contract test fails when the emulator drifts from them.
"""
from dataclasses import dataclass
from typing import Callable

from tests.sandbox.shapes import (ANY, BOOL, DICT, INT, NUM, STR, AllOf, AnyOf, Check, Eq,
                                  IdMap, Pattern)

TS = Pattern(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d")  # "…10:39:46.000-06:00"
MONEY = Pattern(r"-?\d+\.\d{4}")  # "9.0909": money and quantities are 4-place strings (§13.10)
ERRORS = {"errors": [{"code": Pattern(r"[A-Z]{4}-\d{3}"), "message": STR}]}  # §3 envelope


def ok(spec, **extra):
    """The success envelope {"response": spec} plus any top-level extras (§3)."""
    return dict({"response": spec}, **extra)


@dataclass
class Contract:
    """One endpoint's call and the answer it must give."""

    method: str
    endpoint: str
    call: Callable
    status: int
    spec: object
    why: str = ""


def _column_list(expected):
    """metaData.columns: each column's keys, and exactly these (name, type, sortable,
    filterable) in this order."""
    def exact(columns):
        got = [(c.get("name"), c.get("reportDataType"), c.get("sortable"), c.get("filterable"))
               for c in columns]
        return None if got == expected else f"columns differ: {got}"
    item = {"name": STR, "sortable": BOOL, "filterable": BOOL, "reportDataType": STR,
            "referenceData": [STR], "isFreeTextSearchable": BOOL, "required": BOOL}
    return AllOf([item], Check(exact))


def search(expected, reference=DICT):
    """A search answer (VCR:order_search): positional results, metaData, top-level reference."""
    width = len(expected)
    row = Check(lambda r: None if isinstance(r, list) and len(r) == width else "row width")
    sorting = [{"filterable": DICT, "direction": Pattern("ASC|DESC")}]
    return ok({"results": [row],
               "metaData": {"morePagesAvailable": BOOL, "resultsAvailable": INT,
                            "resultsReturned": INT, "firstResult": INT, "lastResult": INT,
                            "columns": _column_list(expected), "sorting": sorting}},
              reference=reference)


def meta(expected):
    """A search's /meta-data answer: every column with its type."""
    return ok({"columns": _column_list(expected)})


def col(name, kind, sortable=True, filterable=True):
    return (name, kind, sortable, filterable)


# -- columns: recorded (VCR:product_search, VCR:order_search, VCR:customer/search) -------------
PRODUCT_COLUMNS = [
    col("productId", "IDSET"), col("productName", "SEARCH_STRING"), col("SKU", "STRING"),
    col("barcode", "STRING"), col("EAN", "STRING"), col("UPC", "STRING"), col("ISBN", "STRING"),
    col("MPN", "STRING"), col("stockTracked", "BOOLEAN"),
    col("salesChannelName", "STRING", filterable=False), col("createdOn", "PERIOD"),
    col("updatedOn", "PERIOD"), col("brightpearlCategoryCode", "IDSET", sortable=False),
    col("productGroupId", "INTEGER"), col("brandId", "IDSET"), col("productTypeId", "IDSET"),
    col("productStatus", "STRING"), col("primarySupplierId", "IDSET")]
ORDER_COLUMNS = [
    col("orderId", "IDSET"), col("orderTypeId", "IDSET"), col("contactId", "INTEGER"),
    col("orderStatusId", "INTEGER"), col("orderStockStatusId", "INTEGER"),
    col("createdOn", "PERIOD"), col("createdById", "INTEGER"), col("customerRef", "STRING"),
    col("orderPaymentStatusId", "INTEGER"), col("updatedOn", "PERIOD"),
    col("parentOrderId", "IDSET"), col("orderShippingStatusId", "INTEGER"),
    col("externalRef", "STRING"), col("installedIntegrationInstanceId", "INTEGER"),
    col("warehouseId", "IDSET"), col("staffOwnerContactId", "INTEGER"), col("taxDate", "PERIOD"),
    col("departmentId", "INTEGER"), col("deliveryDate", "PERIOD")]
CONTACT_COLUMNS = [
    col("contactId", "IDSET"), col("primaryEmail", "SEARCH_STRING"),
    col("secondaryEmail", "SEARCH_STRING"), col("tertiaryEmail", "SEARCH_STRING"),
    col("firstName", "SEARCH_STRING"), col("lastName", "SEARCH_STRING"),
    col("isSupplier", "BOOLEAN", sortable=False), col("companyName", "SEARCH_STRING"),
    col("isStaff", "BOOLEAN", sortable=False), col("isCustomer", "BOOLEAN", sortable=False),
    col("createdOn", "PERIOD"), col("updatedOn", "PERIOD"), col("lastContactedOn", "PERIOD"),
    col("lastOrderedOn", "PERIOD"), col("nominalCode", "INTEGER"), col("isPrimary", "BOOLEAN"),
    col("pri", "STRING", sortable=False), col("sec", "STRING", sortable=False),
    col("mob", "STRING", sortable=False), col("exactCompanyName", "STRING"),
    col("title", "STRING")]
# -- columns: named by the doc pages, types UNCONFIRMED (the stricter reading) ----------------
SALES_ORDER_COLUMNS = [
    col("salesOrderId", "IDSET"), col("customerId", "INTEGER"), col("orderStatusId", "INTEGER"),
    col("orderStockStatus", "STRING"), col("createdOn", "PERIOD"), col("createdById", "INTEGER"),
    col("customerRef", "STRING"), col("orderPaymentStatus", "STRING"), col("updatedOn", "PERIOD"),
    col("orderShippingStatus", "STRING"), col("externalRef", "STRING"),
    col("installedIntegrationInstanceId", "INTEGER"), col("warehouseId", "IDSET"),
    col("staffOwnerId", "INTEGER"), col("taxDate", "PERIOD"), col("channelId", "INTEGER"),
    col("deliveryDate", "PERIOD")]
PAYMENT_COLUMNS = [
    col("paymentId", "IDSET"), col("transactionRef", "STRING"), col("transactionCode", "STRING"),
    col("paymentMethodCode", "STRING"), col("paymentType", "STRING"), col("orderId", "INTEGER"),
    col("currencyId", "INTEGER"), col("currencyCode", "STRING"), col("amountAuthorized", "DECIMAL"),
    col("amountPaid", "DECIMAL"), col("expires", "PERIOD"), col("paymentDate", "PERIOD"),
    col("createdOn", "PERIOD"), col("journalId", "INTEGER")]
MOVEMENT_COLUMNS = [
    col("goodsMovementId", "IDSET"), col("productId", "INTEGER"), col("quantity", "INTEGER"),
    col("destinationLocationId", "INTEGER"), col("warehouseId", "INTEGER"),
    col("currencyCode", "STRING"), col("goodsNoteTypeCode", "STRING"),
    col("goodsNoteId", "INTEGER"), col("batchId", "INTEGER"), col("createdOn", "PERIOD"),
    col("updatedOn", "PERIOD")]
GOODS_OUT_COLUMNS = [col("goodsOutNoteId", "IDSET"), col("createdOn", "PERIOD")]
GOODS_IN_COLUMNS = [col("goodsInNoteId", "IDSET"), col("orderId", "INTEGER"),
                    col("warehouseId", "INTEGER"), col("receivedOn", "PERIOD"),
                    col("createdOn", "PERIOD")]
NOMINAL_COLUMNS = [col("id", "IDSET"), col("code", "STRING"), col("name", "SEARCH_STRING"),
                   col("type", "STRING")]

# -- record shapes ------------------------------------------------------------------------------
ADDRESS = {"addressFullName?": STR, "companyName?": STR, "addressLine1?": STR,
           "addressLine2?": STR, "addressLine3?": STR, "addressLine4?": STR,
           "postalCode?": STR, "countryIsoCode?": STR, "countryIsoCode3?": STR,
           "telephone?": STR, "mobileTelephone?": STR, "email?": STR, "contactId?": INT}
PRODUCT = {  # VCR:product_get_one / product_get_multiple
    "id": INT, "brandId": INT, "productTypeId": INT,
    "identity": {"sku": STR, "barcode?": STR, "ean?": STR, "upc?": STR, "isbn?": STR,
                 "mpn?": STR},
    "productGroupId?": INT, "featured": BOOL,
    "stock": {"stockTracked": BOOL, "weight": {"magnitude": NUM},
              "dimensions": {"length": NUM, "height": NUM, "width": NUM, "volume": NUM}},
    "financialDetails": {"taxable": BOOL, "taxCode": {"id": INT, "code": STR}},
    "salesChannels": [{"salesChannelName": Eq("Brightpearl"), "productName": STR,
                       "productCondition": STR, "categories": [{"categoryCode": Pattern(r"\d+")}],
                       "description": {"languageCode": STR, "text": STR, "format": STR},
                       "shortDescription": {"languageCode": STR, "text": STR, "format": STR}}],
    "composition": {"bundle": BOOL, "bundleComponents?": [{"productId": INT,
                                                           "productQuantity": INT}]},
    "variations?": [{"optionId": INT, "optionName": STR, "optionValueId": INT,
                     "optionValue": STR}],
    # updatedOn is left out (null) until the product is first modified.
    "createdOn": TS, "updatedOn?": TS,
    "warehouses": IdMap({"defaultLocationId": INT, "overflowLocationId": INT,
                         "reorderLevel": INT, "reorderQuantity": INT}),
    "nominalCodeStock": STR, "nominalCodePurchases": STR, "nominalCodeSales": STR,
    "seasonIds": [INT], "reporting": DICT, "status": STR, "salesPopupMessage": STR,
    "warehousePopupMessage": STR, "version": INT}
CONTACT = {  # VCR:customer/get/simple_get
    "contactId": INT, "isPrimaryContact": BOOL, "salutation": STR, "firstName": STR,
    "lastName": STR, "postAddressIds?": {"DEF?": INT, "BIL?": INT, "DEL?": INT},
    "communication": {"emails?": {"PRI?": {"email": STR}, "SEC?": {"email": STR},
                                  "TER?": {"email": STR}},
                      "telephones?": {"PRI?": STR, "SEC?": STR, "MOB?": STR, "FAX?": STR},
                      "messagingVoips": DICT, "websites": DICT},
    "contactStatus": {"current": {"contactStatusId": INT}},
    "relationshipToAccount": {"isSupplier": BOOL, "isStaff": BOOL},
    "marketingDetails": {"isReceiveEmailNewsletter": BOOL},
    "financialDetails": {"priceListId?": INT, "currencyId": INT, "nominalCode": STR,
                         "creditLimit": NUM, "creditTermDays": INT, "discountPercentage": NUM},
    "assignment": {"current": DICT}, "organisation": {"organisationId": INT, "name?": STR},
    "tradeStatus": STR, "createdOn": TS, "updatedOn?": TS,
    "contactTags": STR,  # a string of tag ids, not a list (recorded "9")
    "aliases": DICT, "companyId": INT}
ORDER_ROW = {
    "orderRowSequence": STR, "productId?": INT, "productName": STR, "productSku?": STR,
    "quantity": {"magnitude": MONEY}, "itemCost": {"currencyCode": STR, "value": MONEY},
    "productPrice": {"currencyCode": STR, "value": MONEY}, "discountPercentage": STR,
    "rowValue": {"taxRate": MONEY, "taxCode": STR, "taxCalculator": STR,
                 "rowNet": {"currencyCode": STR, "value": MONEY},
                 "rowTax": {"currencyCode": STR, "value": MONEY}, "taxClassId": INT},
    "nominalCode": STR, "composition": {"bundleParent": BOOL, "bundleChild": BOOL,
                                        "parentOrderRowId": INT},
    "clonedFromId": INT}
ORDER = {  # VCR:order_get_one; orderRows keyed by row id
    "id": INT, "parentOrderId": INT, "orderTypeCode": Pattern("SO|SC|PO|PC"), "reference": STR,
    "version": INT, "state": {"tax": STR}, "orderStatus": {"orderStatusId": INT, "name": STR},
    "orderPaymentStatus": Pattern("PAID|PARTIALLY_PAID|UNPAID|NOT_APPLICABLE"),
    "stockStatusCode": STR, "allocationStatusCode": STR, "shippingStatusCode": STR,
    "placedOn": TS, "createdOn": TS, "updatedOn?": TS, "closedOn?": TS, "createdById": INT,
    "priceListId?": INT, "priceModeCode": Pattern("INC|EXC"),
    "delivery": {"shippingMethodId": INT, "deliveryDate?": TS},
    "invoices": [{"invoiceReference": STR, "taxDate": TS, "dueDate": TS}],
    "currency": {"accountingCurrencyCode": STR, "orderCurrencyCode": STR, "exchangeRate": STR,
                 "fixedExchangeRate": BOOL},
    "totalValue": {"net": MONEY, "taxAmount": MONEY, "baseNet": MONEY, "baseTaxAmount": MONEY,
                   "baseTotal": MONEY, "total": MONEY},
    "assignment": {"current": {"channelId": INT, "leadSourceId": INT, "projectId": INT,
                               "staffOwnerContactId": INT, "teamId": INT}},
    "parties": {"customer": ADDRESS, "delivery": ADDRESS, "billing": ADDRESS},
    "orderRows": IdMap(ORDER_ROW), "warehouseId": INT, "historicalOrder": BOOL}
SALES_DOC = {  # SNOW get-sales-order.json: rows as an array with externalRef
    "id": INT, "customer": {"id": INT, "address": ADDRESS},
    "billing": {"contactId": INT, "address": ADDRESS},
    "delivery": {"address": ADDRESS, "shippingMethodId?": INT},
    "ref": STR, "externalRef?": STR, "installedIntegrationInstanceId?": INT, "parentId?": INT,
    "statusId": INT, "warehouseId": INT, "channelId?": INT, "priceListId?": INT,
    "placedOn": TS, "createdOn": TS,
    "currency": {"code": STR, "exchangeRate": STR, "fixedExchangeRate": BOOL},
    "total": {"net": MONEY, "tax": MONEY, "gross": MONEY, "baseNet": MONEY, "baseTax": MONEY,
              "baseGross": MONEY},
    "isCanceled": BOOL, "orderPaymentStatus": STR, "allocationStatusCode": STR,
    "shippingStatusCode": STR,
    "rows": [{"id": INT, "productId?": INT, "name": STR, "sku?": STR, "quantity": MONEY,
              "taxCode": STR, "net": MONEY, "tax": MONEY, "nominalCode": STR,
              "externalRef?": STR, "sequence": INT, "bundleParent": BOOL, "bundleChild": BOOL,
              "parentRowId?": INT}]}
LEVELS = {"inStock": INT, "onHand": INT, "allocated": INT, "inTransit": INT}
AVAILABILITY = {"total": LEVELS, "warehouses": IdMap(LEVELS)}  # VCR:product_availability_get
GON = {  # §10, VCR:goods_out_note/get/*
    "orderId": INT, "warehouseId": INT, "transfer": BOOL, "priority": BOOL,
    "status": {"shipped": BOOL, "packed": BOOL, "picked": BOOL, "printed": BOOL,
               "pickedOn?": TS, "packedOn?": TS, "shippedOn?": TS, "printedOn?": TS,
               "shippedById?": INT},
    "shipping": {"reference": STR, "shippingMethodId": INT, "boxes?": INT, "weight?": STR},
    "releaseDate": TS, "createdOn": TS, "createdBy": INT,
    "orderRows": IdMap([{"productId": INT, "quantity": INT, "locationId": INT}]),
    "sequence": INT, "labelUri?": STR,
    "events": [{"occured": TS, "eventOwnerId": INT, "eventCode": STR}],
    "lastEventVersion": INT}
DROP_SHIP = {"id": INT, "orderId": INT, "supplierId": INT, "createdOn": TS,
             "status": {"shipped": BOOL, "shippedOn": TS},
             "shipping": {"reference": STR, "shippingMethodId": INT},
             "orderRows": IdMap([{"productId": INT, "quantity": INT}]),
             "events": [{"occured": TS, "eventOwnerId": INT, "eventCode": STR}]}
GOODS_IN = {"id": INT, "orderId": INT, "warehouseId": INT, "transfer": BOOL, "receivedOn": TS,
            "createdOn": TS, "goodsMoved": [{"productId": INT, "quantity": INT,
                                             "purchaseOrderRowId": INT,
                                             "destinationLocationId": INT}]}
WEBHOOK = {"id": INT, "subscribeTo": STR, "httpMethod": STR, "uriTemplate": STR,
           "bodyTemplate?": STR, "contentType?": STR, "idSetAccepted": BOOL,
           "qualityOfService": INT}
PRICES = [{"productId": INT, "priceLists": [{"priceListId": INT, "currencyCode": STR,
                                             "currencyId": INT, "sku?": STR,
                                             "quantityPrice": IdMap(MONEY)}]}]
TOKENS = {"access_token": STR, "refresh_token": STR, "installation_instance_id": Pattern(r"\d+"),
          "api_domain": STR, "token_type": Eq("Bearer"), "expires_in": INT}
REFRESHED = {k: v for k, v in TOKENS.items() if k != "installation_instance_id"}
EMPTY = Eq({})
NAMED = {"id": INT, "name": STR}


def contracts():
    """Every endpoint's contract(s); w is the world the contract test builds."""
    c = Contract
    p = "product-service"
    return [
        # OAuth (§1 (3); VCR:auth_request_token, auth_use_refresh_token, *_error_*)
        c("POST", "bp_oauth.token", lambda w: w.token("authorization_code", code=w.code()),
          200, TOKENS, "code exchange: installation_instance_id as a string"),
        c("POST", "bp_oauth.token", lambda w: w.refresh(), 200, REFRESHED,
          "refresh: no installation_instance_id"),
        c("POST", "bp_oauth.token", lambda w: w.token("refresh_token", refresh_token="x",
                                                      client_id="nobody"),
          400, Eq({"error": "invalid_client"}), "token errors are 400, no description"),
        c("POST", "bp_oauth.token", lambda w: w.token("authorization_code", code="used"),
          400, {"error": Eq("invalid_grant"), "error_description": STR}),
        c("GET", "bp_oauth.authorize", lambda w: w.authorize("GET"), 200,
          Check(lambda html: None if "<form" in html else "no consent form")),
        c("POST", "bp_oauth.authorize", lambda w: w.authorize("POST"), 302,
          Check(lambda location: None if "code=" in location and "state=s1" in location
                else f"redirect {location!r}")),
        # products (§5)
        c("GET", "bp_products.get_products", lambda w: w.get(f"{p}/product/1001-1003"), 200,
          ok([PRODUCT])),
        c("GET", "bp_products.get_products", lambda w: w.get(f"{p}/product/99999"), 404, ERRORS),
        c("POST", "bp_products.post_product", lambda w: w.post(f"{p}/product", w.new_product()),
          200, ok(INT)),
        c("PUT", "bp_products.put_product", lambda w: w.put(f"{p}/product/1001", {
            "stock": {"weight": {"magnitude": 1.5}}}), 200, EMPTY),
        c("GET", "bp_products.get_bundle", lambda w: w.get(f"{p}/product/{w.bundle}/bundle"),
          200, ok({"productId": INT, "bundleComponents": [{"productId": INT,
                                                           "productQuantity": INT}]})),
        c("GET", "bp_products.product_search", lambda w: w.get(f"{p}/product-search?"
                                                               "productId=1001-1010"),
          200, search(PRODUCT_COLUMNS, {"productCategoryMembership": IdMap([INT])})),
        c("GET", "bp_products.product_search",
          lambda w: w.get(f"{p}/product-search?productGroupId=1001,1007"), 500, ERRORS,
          "productGroupId is INTEGER: a list does not parse (CMNC-018)"),
        c("GET", "bp_products.product_search_meta", lambda w: w.get(f"{p}/product-search/meta-data"),
          200, meta(PRODUCT_COLUMNS)),
        c("GET", "bp_prices.get_prices", lambda w: w.get(f"{p}/product-price/1001-1002/price-list/1"),
          200, ok(PRICES)),
        c("PUT", "bp_prices.put_prices", lambda w: w.put(f"{p}/product-price/1001/price-list", {
            "priceLists": [{"priceListId": 1, "quantityPrice": {"1": 12.5}}]}), 200, EMPTY),
        # reference lists
        c("GET", "bp_reference.brands", lambda w: w.get(f"{p}/brand"), 200, ok([NAMED])),
        c("GET", "bp_reference.categories", lambda w: w.get(f"{p}/brightpearl-category/296"),
          200, ok([NAMED])),
        c("GET", "bp_reference.channels", lambda w: w.get(f"{p}/channel"), 200,
          ok([{"id": INT, "name": STR, "channelTypeId": INT, "defaultWarehouseId": INT,
               "defaultPriceListId": INT, "integrationDetail?": {"integrationId": INT}}])),
        c("GET", "bp_reference.option_values", lambda w: w.get(f"{p}/option/1/value"), 200,
          ok([{"optionValueId": INT, "optionValueName": STR}])),
        c("GET", "bp_reference.options", lambda w: w.get(f"{p}/option"), 200, ok([NAMED])),
        c("GET", "bp_reference.price_lists", lambda w: w.get(f"{p}/price-list"), 200,
          ok([{"id": INT, "code": STR, "name": {"text": STR}, "currencyCode": STR,
               "currencyId": INT, "priceListTypeCode": Pattern("SELL|BUY"), "gross": BOOL}])),
        c("GET", "bp_reference.product_types", lambda w: w.get(f"{p}/product-type"), 200,
          ok([DICT])),
        c("GET", "bp_reference.order_statuses", lambda w: w.get("order-service/order-status"),
          200, ok([{"statusId": INT, "name": STR, "orderTypeCode": STR, "sortOrder": INT,
                    "disabled": BOOL, "visible": BOOL, "color": STR, "state": STR}])),
        c("GET", "bp_reference.order_types", lambda w: w.get("order-service/order-type"), 200,
          ok([{"id": INT, "code": STR, "name": STR}])),
        c("GET", "bp_reference.shipping_statuses",
          lambda w: w.get("order-service/order-shipping-status"), 200,
          ok([{"id": INT, "code": Pattern("NST|SNS|SPS|ASS"), "description": STR}]),
          "description, not name (VCR:order_shipping_status_get)"),
        c("GET", "bp_reference.stock_statuses", lambda w: w.get("order-service/order-stock-status"),
          200, ok([{"id": INT, "code": STR, "name": STR}])),
        c("GET", "bp_reference.warehouses", lambda w: w.get("warehouse-service/warehouse"), 200,
          ok([{"id": INT, "name": STR, "typeCode": STR, "clickAndCollectEnabled": BOOL,
               "address": ADDRESS}])),
        c("GET", "bp_reference.default_location",
          lambda w: w.get("warehouse-service/warehouse/2/location/default"), 200, ok(INT)),
        c("GET", "bp_reference.shipping_methods",
          lambda w: w.get("warehouse-service/shipping-method"), 200,
          ok([{"id": INT, "name": STR, "code?": STR}])),
        c("GET", "bp_reference.payment_methods",
          lambda w: w.get("accounting-service/payment-method"), 200,
          ok([{"id": INT, "code": STR, "name": STR, "isActive": BOOL,
               "bankAccountNominalCode": STR}])),
        c("GET", "bp_reference.tax_codes", lambda w: w.get("accounting-service/tax-code"), 200,
          ok([{"id": INT, "code": STR, "description": STR, "rate": NUM}])),
        c("GET", "bp_reference.nominal_codes", lambda w: w.get("accounting-service/nominal-code"),
          200, ok([{"id": INT, "code": STR, "name": STR, "type": STR}])),
        c("GET", "bp_reference.nominal_code_search",
          lambda w: w.get("accounting-service/nominal-code-search?code=4000"), 200,
          search(NOMINAL_COLUMNS)),
        # stock (§6)
        c("GET", "bp_availability.product_availability",
          lambda w: w.get(f"warehouse-service/product-availability/{w.stocked}"), 200,
          ok(IdMap(AVAILABILITY))),
        c("GET", "bp_availability.get_bundle_availability",
          lambda w: w.get(f"warehouse-service/bundle-availability/{w.bundle}"), 200,
          ok(IdMap({"total": {"onHand": INT}, "warehouses": IdMap({"onHand": INT})}))),
        c("GET", "bp_availability.goods_movement_search",
          lambda w: w.get("warehouse-service/goods-movement-search?goodsNoteTypeCode=GO"), 200,
          search(MOVEMENT_COLUMNS)),
        c("GET", "bp_availability.goods_movement_meta",
          lambda w: w.get("warehouse-service/goods-movement-search/meta-data"), 200,
          meta(MOVEMENT_COLUMNS)),
        # contacts (§8)
        c("POST", "bp_contacts.post_address", lambda w: w.post("contact-service/postal-address", {
            "addressLine1": "1 Lane", "countryIsoCode": "GBR"}), 200, ok(INT)),
        c("GET", "bp_contacts.get_addresses", lambda w: w.get("contact-service/postal-address/101"),
          200, ok([{"postalAddressId": INT, "addressLine1": STR, "addressLine2?": STR,
                    "addressLine3?": STR, "addressLine4?": STR, "postalCode?": STR,
                    "countryIsoCode": STR, "countryId": INT}])),
        c("POST", "bp_contacts.post_contact", lambda w: w.post("contact-service/contact", {
            "firstName": "Jo", "lastName": "Bloggs", "postAddressIds": {"DEF": 101}}), 200,
          ok(INT)),
        c("GET", "bp_contacts.get_contacts", lambda w: w.get("contact-service/contact/201"), 200,
          ok([CONTACT], pagination={"morePagesAvailable": BOOL, "resultsReturned": INT,
                                    "firstResult": INT, "lastResult": INT},
             sorting=[{"field": STR, "direction": STR}])),
        c("GET", "bp_contacts.contact_search",
          lambda w: w.get("contact-service/contact-search?primaryEmail=example.com"), 200,
          search(CONTACT_COLUMNS)),
        c("GET", "bp_contacts.contact_search",
          lambda w: w.get("contact-service/contact-search?allEmail=a@example.com"), 500, ERRORS,
          "allEmail is no column of the real contact search"),
        c("GET", "bp_contacts.contact_search_meta",
          lambda w: w.get("contact-service/contact-search/meta-data"), 200,
          meta(CONTACT_COLUMNS)),
        # orders (§7)
        c("POST", "bp_orders.post_sales_order", lambda w: w.post("order-service/sales-order",
                                                                 w.sales_order()), 200, ok(INT)),
        c("GET", "bp_orders.get_orders", lambda w: w.get(f"order-service/order/{w.order}"), 200,
          ok([ORDER])),
        c("GET", "bp_orders.get_orders", lambda w: w.get("order-service/order/999"), 200,
          Eq({"response": []}), "a missing order is 200 [] (VCR:order_get_empty_not_found)"),
        c("GET", "bp_orders.get_sales_orders",
          lambda w: w.get(f"order-service/sales-order/{w.order}"), 200, ok([SALES_DOC])),
        c("PUT", "bp_orders.put_status", lambda w: w.put(f"order-service/order/{w.fresh_order()}/"
                                                         "status", {"orderStatusId": 3}),
          200, EMPTY),
        c("GET", "bp_orders.get_notes", lambda w: w.get(f"order-service/order/{w.order}/note"),
          200, ok([{"noteId": INT, "orderId": INT, "text": STR, "isPublic": BOOL,
                    "addedOn": TS}])),
        c("POST", "bp_orders.close_sales_order",
          lambda w: w.post(f"order-service/sales-order/{w.fresh_order()}/close", {}), 200, EMPTY),
        c("GET", "bp_order_search.order_search",
          lambda w: w.get(f"order-service/order-search?orderId={w.order}"), 200,
          search(ORDER_COLUMNS, {"orderStatusNames": IdMap(STR), "orderTypeNames": IdMap(STR),
                                 "orderPaymentStatusNames": IdMap(STR),
                                 "orderShippingStatusNames": IdMap(STR),
                                 "orderStockStatusNames": IdMap(STR)})),
        c("GET", "bp_order_search.order_search",
          lambda w: w.get("order-service/order-search?orderStatusId=2-5"), 500, ERRORS,
          "orderStatusId is INTEGER"),
        c("GET", "bp_order_search.order_search_meta",
          lambda w: w.get("order-service/order-search/meta-data"), 200, meta(ORDER_COLUMNS)),
        c("GET", "bp_order_search.sales_order_search",
          lambda w: w.get(f"order-service/sales-order-search?salesOrderId={w.order}"), 200,
          search(SALES_ORDER_COLUMNS, ANY)),
        c("GET", "bp_order_search.sales_order_search_meta",
          lambda w: w.get("order-service/sales-order-search/meta-data"), 200,
          meta(SALES_ORDER_COLUMNS)),
        # payments (§7)
        c("POST", "bp_payments.post_payment", lambda w: w.post("accounting-service/customer-payment",
                                                               w.payment()), 200, ok(INT)),
        c("GET", "bp_payments.payment_search",
          lambda w: w.get(f"accounting-service/customer-payment-search?orderId={w.order}"), 200,
          search(PAYMENT_COLUMNS)),
        c("GET", "bp_payments.payment_search_meta",
          lambda w: w.get("accounting-service/customer-payment-search/meta-data"), 200,
          meta(PAYMENT_COLUMNS)),
        c("GET", "bp_payments.sale_payment_total",
          lambda w: w.get(f"accounting-service/sale-payment-total/{w.order}"), 200,
          ok(AnyOf([DICT], IdMap(DICT)))),
        # credits and goods-in (§9)
        c("POST", "bp_credits.post_sales_credit", lambda w: w.post("order-service/sales-credit",
                                                                   w.credit_body()), 200, ok(INT)),
        c("GET", "bp_credits.get_sales_credits",
          lambda w: w.get(f"order-service/sales-credit/{w.credit}"), 200, ok([SALES_DOC])),
        c("POST", "bp_credits.close_sales_credit",
          lambda w: w.post(f"order-service/sales-credit/{w.new_credit()}/close", {}), 200, EMPTY),
        c("POST", "bp_goods_in.post_goods_in", lambda w: w.goods_in(w.new_credit()), 200, ok(INT)),
        c("GET", "bp_goods_in.get_goods_in",
          lambda w: w.get(f"warehouse-service/order/{w.credit}/goods-note/goods-in"), 200,
          ok(IdMap(GOODS_IN))),
        c("GET", "bp_goods_in.goods_in_search",
          lambda w: w.get(f"warehouse-service/goods-in-search?orderId={w.credit}"), 200,
          search(GOODS_IN_COLUMNS)),
        c("GET", "bp_goods_in.get_drop_ship",
          lambda w: w.get(f"warehouse-service/order/{w.order}/goods-note/drop-ship"), 200,
          ok(IdMap(DROP_SHIP))),
        # goods-out notes (§10)
        c("POST", "bp_goods_out.post_goods_out", lambda w: w.gon_post(w.fresh_order()), 200,
          ok([INT])),
        c("GET", "bp_goods_out.get_goods_out",
          lambda w: w.get(f"warehouse-service/order/{w.order}/goods-note/goods-out"), 200,
          ok(IdMap(GON))),
        c("PUT", "bp_goods_out.put_goods_out",
          lambda w: w.put(f"warehouse-service/goods-note/goods-out/{w.open_gon()}",
                          {"shipping": {"reference": "T1"}}), 200, EMPTY),
        c("POST", "bp_goods_out.post_event",
          lambda w: w.post(f"warehouse-service/goods-note/goods-out/{w.open_gon()}/event",
                           {"events": [{"eventCode": "PIC", "eventOwnerId": 4}]}), 200, EMPTY),
        c("GET", "bp_goods_out.goods_out_search",
          lambda w: w.get("warehouse-service/goods-note/goods-out-search?createdOn=2000-01-01/"),
          200, search(GOODS_OUT_COLUMNS)),
        # webhooks (§11)
        c("POST", "bp_webhooks.post_webhook", lambda w: w.post("integration-service/webhook",
                                                               w.webhook()), 200, ok(INT)),
        c("GET", "bp_webhooks.get_webhooks", lambda w: w.get("integration-service/webhook"), 200,
          ok([WEBHOOK])),
        c("DELETE", "bp_webhooks.delete_webhook",
          lambda w: w.delete(f"integration-service/webhook/{w.new_webhook()}"), 200, EMPTY),
    ]
