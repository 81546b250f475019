"""WooCommerce orders, order notes and refunds (§2.5, §2.6)."""
from datetime import datetime, timezone


class OrdersMixin:
    """Typed order calls; needs call/get/paginate from the client."""

    def get_order(self, order_id):
        """One order; NotFoundError when it does not exist."""
        return self.get("/orders/{id}", f"/orders/{int(order_id)}")

    def orders_modified_after(self, since, status=None, **params):
        """Every order modified after since (a UTC datetime), oldest change first.

        dates_are_gmt=true, or WooCommerce reads the time in the store's zone and orders near
        midnight are missed.
        """
        params.update(modified_after=_gmt(since), dates_are_gmt="true", orderby="modified",
                      order="asc")
        if status:
            params["status"] = ",".join(status) if isinstance(status, (list, tuple)) else status
        return self.paginate("/orders", params=params)

    def update_order_status(self, order_id, status):
        """Set an order's status (PUT; WooCommerce sends its emails and moves stock)."""
        return self.call("PUT", "/orders/{id}", f"/orders/{int(order_id)}",
                         body={"status": status}).data

    def update_order_meta(self, order_id, meta):
        """Set order meta_data keys from a {key: value} dict."""
        body = {"meta_data": [{"key": k, "value": v} for k, v in meta.items()]}
        return self.call("PUT", "/orders/{id}", f"/orders/{int(order_id)}", body=body).data

    def add_order_note(self, order_id, note, customer_note=False):
        """Add a note (customer_note=True shows it to the customer and emails them)."""
        return self.call("POST", "/orders/{id}/notes", f"/orders/{int(order_id)}/notes",
                         body={"note": note, "customer_note": bool(customer_note)},
                         idempotent=False).data

    def list_order_notes(self, order_id, note_type="any"):
        """The notes of an order (type any, customer or internal)."""
        return self.get("/orders/{id}/notes", f"/orders/{int(order_id)}/notes",
                        params={"type": note_type}) or []

    def create_refund(self, order_id, amount=None, reason="", line_items=None, restock=False,
                      meta=None):
        """Record a refund made elsewhere: api_refund is always false (the money moved in
        Brightpearl, not through the store's gateway); restock only when asked."""
        body = {"reason": reason, "api_refund": False, "api_restock": bool(restock)}
        if amount is not None:
            body["amount"] = str(amount)
        if line_items:
            body["line_items"] = line_items
        if meta:
            body["meta_data"] = [{"key": k, "value": v} for k, v in meta.items()]
        return self.call("POST", "/orders/{id}/refunds", f"/orders/{int(order_id)}/refunds",
                         body=body, idempotent=False).data

    def list_refunds(self, order_id):
        """The refunds of an order."""
        return list(self.paginate("/orders/{id}/refunds", f"/orders/{int(order_id)}/refunds"))


def _gmt(value):
    if isinstance(value, str):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return datetime.isoformat(value.replace(microsecond=0))
