"""The shapes of the emulated Brightpearl answers: search columns and record fields as the
reference's recorded responses (VCR:*) or the doc pages it cites give them."""
from tests.sandbox.shapes import (BOOL, DICT, INT, NUM, STR, AllOf, Check, Eq, IdMap,
                                  Pattern)

TS = Pattern(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d")  # "…10:39:46.000-06:00"
MONEY = Pattern(r"-?\d+\.\d{4}")  # "9.0909": money and quantities are 4-place strings (§13.10)
ERRORS = {"errors": [{"code": Pattern(r"[A-Z]{4}-\d{3}"), "message": STR}]}  # §3 envelope


def ok(spec, **extra):
    """The success envelope {"response": spec} plus any top-level extras (§3)."""
    return dict({"response": spec}, **extra)


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
