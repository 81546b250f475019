"""The Brightpearl customer for a Woo order: found by exact email, else created once."""
from jobs.core.locks import check_held, exclusive
from jobs.core.outcomes import Rejected
from jobs.orders.mapping import contact, postal_address
from models.base import upsert
from models.orders import ContactLink

# A second order of the same new customer waits this long for the first to create the contact,
# then RQ retries it (and finds the contact linked).
CONTACT_WAIT_SECONDS = 10


def contact_for(bp, order, settings, redis_connection):
    """The contact id for the order's billing email: cached, found, or created (once per email).

    A per-email lock (renewed while its holder waits for budget) keeps two orders of one new
    customer from creating two contacts.
    """
    email = ((order.get("billing") or {}).get("email") or "").strip().lower()
    if not email:
        raise Rejected("the order has no billing email, so no Brightpearl customer can be found")
    cached = ContactLink.get_or_none(ContactLink.email == email)
    if cached:
        return cached.bp_contact_id, "returning customer"
    with exclusive(f"pearlbridge:lock:contact:{email}", wait=CONTACT_WAIT_SECONDS,
                   connection=redis_connection,
                   busy="another order of this customer is creating their Brightpearl contact"):
        cached = ContactLink.get_or_none(ContactLink.email == email)
        if cached:
            return cached.bp_contact_id, "returning customer"
        found = bp.find_contacts_by_email(email)
        if found:
            contact_id, how = found[0]["contactId"], "existing Brightpearl customer"
        else:
            check_held()  # still ours after the search: no second customer created beside us
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
