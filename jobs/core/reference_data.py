"""Brightpearl's reference lists, fetched by the poller and stored for the Flows page's choices."""
import logging

from jobs.core import clients
from jobs.core.context import job_database, job_redis, settings
from jobs.core.queues import BULK, enqueue_once
from jobs.core.registry import every
from models.flows import store_reference_data

log = logging.getLogger(__name__)


def _name(item):
    name = item.get("name")
    return name.get("text") if isinstance(name, dict) else name


# kind → (client method, the value a setting stores, its label). Payment methods, tax and
# nominal codes are stored by code, because that is what Brightpearl's write calls take.
KINDS = {
    "warehouses": ("get_warehouses", lambda i: i["id"], _name),
    "price_lists": ("get_price_lists", lambda i: i["id"], _name),
    "order_statuses": ("get_order_statuses", lambda i: i["statusId"],
                       lambda i: f"{i['name']} ({i.get('orderTypeCode', '')})"),
    "channels": ("get_channels", lambda i: i["id"], _name),
    "payment_methods": ("get_payment_methods", lambda i: i["code"],
                        lambda i: f"{i['code']} — {_name(i)}"),
    "shipping_methods": ("get_shipping_methods", lambda i: i["id"], _name),
    "tax_codes": ("get_tax_codes", lambda i: i["code"],
                  lambda i: f"{i['code']} — {i.get('description', '')} ({i.get('rate', '')}%)"),
    "nominal_codes": ("get_nominal_codes", lambda i: i["code"],
                      lambda i: f"{i['code']} — {_name(i)}"),
    # Category codes (the ids) as product GETs and productCategoryMembership name them.
    "categories": ("get_categories", lambda i: i["id"], lambda i: f"{i['id']} — {_name(i)}"),
}


def reference_pairs(kind, items):
    """(value, label) pairs of one kind from the API's items (pure)."""
    _, value, label = KINDS[kind]
    return [(str(value(item)), str(label(item) or value(item))) for item in items]


@every("reference-data", 600, setting="REFERENCE_DATA_SECONDS")
def schedule_refresh(settings, redis_connection):
    """Poller task: queue the refresh (API calls never run in the poller, which must stay quick)."""
    enqueue_once(redis_connection, "jobs.core.reference_data.refresh_job", (), "reference-data",
                 name=BULK, description="refresh Brightpearl reference lists")


def refresh_job():
    """The queued refresh, in a worker."""
    with job_database():
        return refresh_reference_data(settings(), job_redis())


def refresh_reference_data(settings, redis_connection, bp=None):
    """Fetch every list from Brightpearl and store it; a list that fails keeps its last copy."""
    bp = bp or clients.brightpearl("bulk", settings, redis_connection)
    stored = 0
    for kind, (method, _, _) in KINDS.items():
        try:
            store_reference_data(kind, reference_pairs(kind, getattr(bp, method)()))
            stored += 1
        except Exception as exc:  # noqa: BLE001 - one list failing must not stop the others
            log.warning("could not refresh %s from Brightpearl: %s", kind, exc)
    return stored
