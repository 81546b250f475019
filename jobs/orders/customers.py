"""The Brightpearl customer for a Woo order: found by exact email, else created once."""
from jobs.orders.mapping import contact, postal_address
from jobs.core.outcomes import Rejected
from models.base import upsert
from models.orders import ContactLink

LOCK_SECONDS = 60


def contact_for(bp, order, settings, redis_connection):
    """The contact id for the order's billing email: cached, found, or created (once per email).

    A per-email Redis lock keeps two orders of one new customer from creating two contacts.
    """
    email = ((order.get("billing") or {}).get("email") or "").strip().lower()
    if not email:
        raise Rejected("the order has no billing email, so no Brightpearl customer can be found")
    cached = ContactLink.get_or_none(ContactLink.email == email)
    if cached:
        return cached.bp_contact_id, "returning customer"
    with redis_connection.lock(f"pearlbridge:lock:contact:{email}", timeout=LOCK_SECONDS,
                               blocking_timeout=LOCK_SECONDS):
        cached = ContactLink.get_or_none(ContactLink.email == email)
        if cached:
            return cached.bp_contact_id, "returning customer"
        found = bp.find_contacts_by_email(email)
        if found:
            contact_id, how = found[0]["contactId"], "existing Brightpearl customer"
        else:
            billing = order.get("billing") or {}
            billing_id = bp.create_postal_address(postal_address(billing))
            shipping = order.get("shipping") or {}
            delivery_id = (bp.create_postal_address(postal_address(shipping))
                           if shipping.get("address_1") and _differs(shipping, billing)
                           else billing_id)
            contact_id = bp.create_contact(contact(order, billing_id, delivery_id, settings))
            how = "new Brightpearl customer"
        upsert(ContactLink, "email", email=email, bp_contact_id=contact_id)
        return contact_id, how


def _differs(shipping, billing):
    keys = ("address_1", "address_2", "city", "postcode", "country")
    return any((shipping.get(k) or "") != (billing.get(k) or "") for k in keys)
