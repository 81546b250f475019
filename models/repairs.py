"""Before a repair's re-sync: make Pearlbridge forget what it remembers writing, where the
platform has been found to disagree (a reconciliation run read both sides).

The flows skip work their records say is done (an order linked, a payment recorded, a credit
made, tracking written, a quantity or a product body sent). When the platform no longer has
it, the memory must go, or the re-sync would change nothing. Every statement is guarded by the
values the run saw, so a memory that changed since is left alone.
"""
from models.base import utcnow
from models.links import OrderLink, ProductLink
from models.orders import OrderPayment, RefundLink
from models.products import ProductGroupLink, ProductWrite
from models.shipments import ShipmentTracking


def adopt_order_link(woo_order_id, bp_order_id):
    """Link the Woo order to the Brightpearl order carrying its externalRef, if it has none."""
    if not bp_order_id:
        return False
    link = OrderLink.get_or_none(OrderLink.woo_order_id == woo_order_id)
    if link is None:
        if OrderLink.get_or_none(OrderLink.bp_order_id == bp_order_id):
            return False
        OrderLink.create(woo_order_id=woo_order_id, bp_order_id=bp_order_id, state="created")
        return True
    if link.bp_order_id is None:
        return bool(OrderLink.update(bp_order_id=bp_order_id, state="created", updated_at=utcnow())
                    .where((OrderLink.id == link.id) & OrderLink.bp_order_id.is_null()).execute())
    return False


def forget_missing_order(woo_order_id, bp_order_id):
    """The linked Brightpearl order is gone: drop the link, its payment and its refunds' marks."""
    if not bp_order_id:
        return 0
    credits = [r.bp_credit_id for r in RefundLink.select().where(
        (RefundLink.woo_order_id == woo_order_id) & RefundLink.bp_credit_id.is_null(False))]
    OrderPayment.delete().where(OrderPayment.bp_order_id.in_([bp_order_id] + credits)).execute()
    RefundLink.delete().where(RefundLink.woo_order_id == woo_order_id).execute()
    return OrderLink.delete().where((OrderLink.woo_order_id == woo_order_id)
                                    & (OrderLink.bp_order_id == bp_order_id)).execute()


def forget_order_payment(bp_order_id):
    """The order's payment is not in Brightpearl: the next run records it again."""
    return OrderPayment.delete().where(OrderPayment.bp_order_id == bp_order_id).execute()


def forget_refund(woo_refund_id):
    """The refund has no sales credit: forget the credit, its payment and its restock."""
    link = RefundLink.get_or_none(RefundLink.woo_refund_id == woo_refund_id)
    if link is None:
        return 0
    if link.bp_credit_id:
        OrderPayment.delete().where(OrderPayment.bp_order_id == link.bp_credit_id).execute()
    return RefundLink.delete().where(RefundLink.id == link.id).execute()


def forget_tracking(note_key, tracking_number):
    """The note's tracking is not on the Woo order: it is written again."""
    return ShipmentTracking.update(tracking_number=None, updated_at=utcnow()).where(
        (ShipmentTracking.note_key == note_key)
        & (ShipmentTracking.tracking_number == tracking_number)).execute()


def forget_stock_written(sku):
    """The store shows another quantity than the one last written: write it again."""
    return ProductLink.update(last_quantity=None, updated_at=utcnow()).where(
        ProductLink.sku == sku).execute()


def forget_product_write(bp_product_id, bp_group_id=None):
    """The store's product differs from the body last written: send it (and its group) again."""
    if bp_group_id:
        ProductGroupLink.update(digest=None).where(
            ProductGroupLink.bp_group_id == bp_group_id).execute()
    return ProductWrite.delete().where(ProductWrite.bp_product_id == bp_product_id).execute()


def forget_woo_product(bp_product_id, bp_group_id=None, group_gone=False):
    """The SKU is not in the store: forget its Woo ids (and its group's, when that is gone)."""
    ProductWrite.delete().where(ProductWrite.bp_product_id == bp_product_id).execute()
    if group_gone and bp_group_id:
        ProductGroupLink.delete().where(ProductGroupLink.bp_group_id == bp_group_id).execute()
    return ProductLink.update(woo_product_id=None, woo_parent_id=None, woo_type=None,
                              last_quantity=None, updated_at=utcnow()).where(
        ProductLink.bp_product_id == bp_product_id).execute()
