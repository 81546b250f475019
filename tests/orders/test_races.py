"""Two jobs meeting the same new thing at once: one customer's contact under a long budget wait,
one new SKU's link. Each must end with one of it and no failure."""
import threading
import time

import pytest

from jobs.core import clients, locks
from jobs.core.context import job_redis
from jobs.core.flowkit import flow_state
from jobs.orders import customers
from jobs.orders.orders import bp_product_ids
from models.db import db
from models.links import ProductLink
from tests.orders.flows import enable_order_flows, first_skus
from tests.orders.test_orders_e2e import contacts_with

EMAIL = "new.customer@example.com"
ORDER = {"id": 1, "billing": {"email": EMAIL, "first_name": "Nia", "last_name": "Okoro",
                              "address_1": "1 High St", "city": "Leeds", "postcode": "LS1 1AA",
                              "country": "GB"}}


@pytest.mark.timeout(60)
def test_the_contact_lock_outlives_a_long_budget_wait(platforms, monkeypatch):
    """The contact lock lived 60 s while one call may wait 120 s for budget: the lock expired
    under its holder, a second order of the same new customer got in (two contacts), and the
    first one's release raised LockNotOwnedError (Failed). Scaled down: a lock living 1 s, a
    search that waits 2.5 s."""
    monkeypatch.setattr(customers, "LOCK_SECONDS", 1, raising=False)  # the old fixed life
    monkeypatch.setattr(locks, "lock_seconds", lambda config=None: 1.0, raising=False)
    enable_order_flows()
    settings = flow_state("orders").settings
    platforms.bp_control("faults", {"route": "contact-search", "latency_ms": 2500, "count": 1})
    results = {}

    def place(name):
        with db.connection_context():
            try:
                results[name] = customers.contact_for(clients.brightpearl(), dict(ORDER),
                                                      settings, job_redis())
            except Exception as exc:  # noqa: BLE001 - the assertions say what was expected
                results[name] = exc

    first = threading.Thread(target=place, args=("first",))
    first.start()
    time.sleep(0.5)
    second = threading.Thread(target=place, args=("second",))
    second.start()
    first.join()
    second.join()
    assert contacts_with(platforms, EMAIL) == 1
    contact_id, how = results["first"]
    assert how == "new Brightpearl customer"
    assert results["second"] == (contact_id, "returning customer")


def test_two_jobs_linking_the_same_new_sku(platforms, monkeypatch):
    """Update-then-create: both updated nothing, both inserted, the second raised
    IntegrityError (Failed). The other job's insert is placed exactly in that window."""
    sku = first_skus(platforms, 1)[0]
    database = db.obj
    execute_sql = database.execute_sql
    racing = {"done": False}

    def with_a_racer(sql, params=None, *args, **kwargs):
        if not racing["done"] and sql.startswith('INSERT INTO "product_link"'):
            racing["done"] = True  # the other job links the SKU first
            ProductLink.insert(sku=sku, bp_product_id=999999).execute()
        return execute_sql(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", with_a_racer)
    known = bp_product_ids(clients.brightpearl(), [sku])
    assert racing["done"] and sku in known
    assert ProductLink.select().where(ProductLink.sku == sku).count() == 1
