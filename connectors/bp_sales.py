"""Brightpearl sales-side calls: contacts, sales orders, statuses, payments, credits, goods
notes and webhook subscriptions. Writes are retried automatically only when idempotent by
construction (PUT/DELETE, or a sales order with externalRef + installedIntegrationInstanceId)."""
from connectors import bp_idset
from connectors.errors import NotFoundError

CONTACT_COLUMNS = ("contactId", "primaryEmail", "secondaryEmail", "tertiaryEmail", "firstName",
                   "lastName", "isCustomer", "isStaff", "isSupplier", "createdOn")


class SalesMixin:
    """Typed calls for orders and what hangs off them; needs the client's request helpers."""

    # -- contacts ---------------------------------------------------------------------------

    def find_contacts_by_email(self, email, customers_only=True):
        """Contacts whose primary email is exactly email (case-insensitive).

        primaryEmail is the confirmed filter (the real contact search has no allEmail column);
        it is a substring match, so results are filtered here; staff and suppliers are left out.
        """
        wanted = email.strip().lower()
        rows = self.search("/contact-service/contact-search", {"primaryEmail": email.strip()},
                           columns=CONTACT_COLUMNS)
        found = [r for r in rows if str(r.get("primaryEmail") or "").strip().lower() == wanted]
        if customers_only:
            found = [r for r in found if not r.get("isStaff") and not r.get("isSupplier")]
        return sorted(found, key=lambda r: r["contactId"])

    def get_contacts(self, contact_ids):
        """Full contact records for the ids that exist."""
        return self.get_ids("/contact-service/contact/{ids}", contact_ids)

    def create_postal_address(self, address):
        """Create a postal address (addressLine1, ..., countryIsoCode); returns its id."""
        return self._created("POST", "/contact-service/postal-address", address)

    def create_contact(self, contact):
        """Create a contact (firstName, lastName, postAddressIds...); returns its id."""
        return self._created("POST", "/contact-service/contact", contact)

    # -- orders -----------------------------------------------------------------------------

    def create_sales_order(self, order):
        """Create a sales order atomically (sales-order POST); returns its id. Retried on
        timeouts only when externalRef + installedIntegrationInstanceId make it idempotent."""
        safe = bool(order.get("externalRef") and order.get("installedIntegrationInstanceId"))
        return self._created("POST", "/order-service/sales-order", order, idempotent=safe)

    def get_order(self, order_id):
        """One order (generic GET: orderRows keyed by row id); NotFoundError if missing."""
        return self.get_one("/order-service/order/{id}", order_id, "order")

    def get_orders(self, order_ids):
        """Orders for the ids that exist (200 per request)."""
        return self.get_ids("/order-service/order/{ids}", order_ids)

    def get_sales_order(self, order_id):
        """One sales order (sales-order GET: rows as a list with externalRef)."""
        return self.get_one("/order-service/sales-order/{id}", order_id, "sales order")

    def search_orders(self, columns=None, **filters):
        """Order-search rows (dicts), e.g. search_orders(externalRef="wc-1", orderTypeId=1)."""
        return self.search("/order-service/order-search", filters, columns=columns)

    def find_orders_by_external_ref(self, external_ref, order_type_id=None):
        """Orders whose externalRef is exactly external_ref (the retry-safety check)."""
        filters = {"externalRef": external_ref}
        if order_type_id is not None:
            filters["orderTypeId"] = order_type_id
        return [r for r in self.search_orders(**filters) if r.get("externalRef") == external_ref]

    def update_order_status(self, order_id, status_id, note=None, public=False):
        """Move an order to status_id (PUT, idempotent), with an optional order note."""
        body = {"orderStatusId": int(status_id)}
        if note:
            body["orderNote"] = {"text": note, "isPublic": bool(public)}
        self.call("PUT", "/order-service/order/{id}/status",
                  f"/order-service/order/{int(order_id)}/status", body=body)

    def add_order_row(self, order_id, row):
        """Add one row to an order or credit (generic order-row POST, §7); returns the row id.
        Never retried automatically: re-read the order before trying again."""
        return self._created("POST", "/order-service/order/{id}/row", row, idempotent=False,
                             path=f"/order-service/order/{int(order_id)}/row")

    # -- payments and credits ---------------------------------------------------------------

    def create_customer_payment(self, payment):
        """Record a customer payment (RECEIPT, PAYMENT, AUTH, CAPTURE...); returns its id.
        Never retried automatically: search by transactionRef before trying again."""
        return self._created("POST", "/accounting-service/customer-payment", payment,
                             idempotent=False)

    def search_customer_payments(self, columns=None, **filters):
        """Customer-payment rows, e.g. search_customer_payments(orderId=12) or transactionRef=."""
        return self.search("/accounting-service/customer-payment-search", filters,
                           columns=columns)

    def create_sales_credit(self, credit):
        """Create a sales credit (a refund; parentId = the sales order); returns its id."""
        safe = bool(credit.get("externalRef") and credit.get("installedIntegrationInstanceId"))
        return self._created("POST", "/order-service/sales-credit", credit, idempotent=safe)

    def get_sales_credit(self, credit_id):
        """One sales credit; NotFoundError if missing."""
        return self.get_one("/order-service/sales-credit/{id}", credit_id, "sales credit")

    def create_goods_in_note(self, credit_id, note):
        """Restock returned items against a sales credit; returns the goods-in note id."""
        return self._created("POST", "/warehouse-service/order/{id}/goods-note/goods-in", note,
                             path=f"/warehouse-service/order/{int(credit_id)}/goods-note/goods-in")

    # -- goods-out and drop-ship notes ------------------------------------------------------

    def get_goods_out_notes(self, order_ids=None, note_ids=None):
        """{noteId (str): note} by order ids and/or note ids (500 per request)."""
        return self._notes("goods-out", order_ids, note_ids)

    def search_goods_out_notes(self, columns=None, **filters):
        """Goods-out-search rows, e.g. search_goods_out_notes(createdOn=period(...))."""
        return self.search("/warehouse-service/goods-note/goods-out-search", filters,
                           columns=columns)

    def get_drop_ship_notes(self, order_ids=None, note_ids=None):
        """{noteId (str): note} of drop-ship notes by order ids and/or note ids."""
        return self._notes("drop-ship", order_ids, note_ids)

    # -- webhook subscriptions --------------------------------------------------------------

    def list_webhooks(self):
        """Every webhook subscription (404 CMNC-404 when there are none reads as [])."""
        try:
            return list(self.get("/integration-service/webhook") or [])
        except NotFoundError:
            return []

    def create_webhook(self, subscription):
        """Subscribe (subscribeTo, httpMethod, uriTemplate, bodyTemplate...); returns its id."""
        return self._created("POST", "/integration-service/webhook", subscription,
                             idempotent=False)

    def delete_webhook(self, webhook_id):
        """Delete one subscription."""
        self.call("DELETE", "/integration-service/webhook/{id}",
                  f"/integration-service/webhook/{int(webhook_id)}")

    # -- helpers ----------------------------------------------------------------------------

    def _created(self, method, endpoint, body, idempotent=False, path=None):
        answer = self.call(method, endpoint, path, body=body, idempotent=idempotent)
        return (answer or {}).get("response")

    def _notes(self, kind, order_ids, note_ids):
        if not order_ids and not note_ids:
            return {}
        cap = bp_idset.GOODS_OUT_CAP if kind == "goods-out" else bp_idset.DEFAULT_CAP
        endpoint = "/warehouse-service/order/{orders}/goods-note/" + kind
        if note_ids:
            orders = bp_idset.compress(order_ids) if order_ids else "*"
            return self.get_ids(endpoint + "/{ids}", note_ids, cap=cap, as_map=True,
                                orders=orders)
        return self.get_ids("/warehouse-service/order/{ids}/goods-note/" + kind, order_ids,
                            cap=cap, as_map=True)
