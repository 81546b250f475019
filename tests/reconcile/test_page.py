"""The Reconciliation page: private, CSRF-guarded, escaped, and its buttons queue the right
work through the one queue (the repairs themselves run end to end in test_kinds_e2e)."""
import json
from datetime import datetime, timedelta

import pytest

from jobs.core.queues import BULK, get_queue
from models.base import utcnow
from models.events import Event
from models.reconcile import DONE, OPEN, RESOLVED, Discrepancy, ReconcileRun
from models.logs import SyncLog
from tests.staff import post, sign_in

XSS = "<script>alert(1)</script>"


@pytest.fixture
def signed_in(client, user):
    assert sign_in(client).status_code == 302
    return client


def make_run(**found):
    now = utcnow()
    return ReconcileRun.create(since=now - timedelta(days=7), until=now, status=DONE,
                               finished_at=now, trigger="schedule", found_json=json.dumps(found),
                               checked_json=json.dumps({"Woo orders": 40,
                                                        "not checked: stock": "the inventory "
                                                                              "flow is off"}),
                               bp_calls=3)


def make(kind, key, run, **facts):
    log_type = {"order": "order", "refund": "refund", "shipme": "shipment", "stock": "inventory",
                "produc": "product"}.get(kind[:6], "order")
    return Discrepancy.create(kind=kind, log_type=log_type, record_key=key, title=f"{kind} {key}",
                              woo_says="Woo side", bp_says="Brightpearl side",
                              facts_json=json.dumps(facts), first_run=run.id, last_run=run.id)


def test_sign_in_and_csrf_are_required(client, app):
    assert client.get("/reconcile").status_code == 302
    assert "/login" in client.get("/reconcile").headers["Location"]
    assert client.post("/reconcile/run", data={"since": "2026-01-01"}).status_code == 302


def test_post_without_the_token_changes_nothing(signed_in, redis_connection):
    run = make_run(order_total=1)
    item = make("order_total", "woo-5", run, woo_order_id=5, bp_order_id=100001)
    assert signed_in.post(f"/reconcile/{item.id}/repair").status_code == 400
    assert signed_in.post("/reconcile/run", data={"since": "2026-01-01",
                                                  "until": "2026-01-08"}).status_code == 400
    assert Discrepancy.get_by_id(item.id).repaired_at is None
    assert Event.select().count() == 0 and get_queue(redis_connection, BULK).count == 0


def test_the_page_shows_the_latest_run_its_history_and_discrepancies_by_kind(signed_in):
    old = make_run()
    run = make_run(order_total=2, stock=1)
    make("order_total", "woo-5", run)
    make("order_total", "woo-6", run)
    make("stock", "bp-1001", run, sku="MUG", bp_product_id=1001)
    gone = make("stock", "bp-1002", old)
    Discrepancy.update(status=RESOLVED, resolved_at=utcnow()).where(
        Discrepancy.id == gone.id).execute()
    row = SyncLog.create(log_type="order", record_key="woo-5", info="Woo order #5")
    page = signed_in.get("/reconcile").get_data(as_text=True)
    assert f"#{run.id} · schedule" in page and f"#{old.id}" in page
    assert "Open discrepancies: 3" in page
    assert "Order totals differ" in page and "Woo stock differs" in page
    assert "Repair all of this kind (2)" in page and "Repair all of this kind (1)" in page
    assert f'href="/logs/{row.id}"' in page  # the Sync Logs row of woo-5
    assert "not checked: stock" in page and "Recently resolved" in page
    only = signed_in.get("/reconcile?kind=stock").get_data(as_text=True)
    assert "woo-5" not in only and "stock bp-1001" in only


def test_payload_text_is_escaped(signed_in):
    run = make_run(product_fields=1)
    Discrepancy.create(kind="product_fields", log_type="product", record_key="bp-1",
                       title=XSS, woo_says=XSS, bp_says=XSS, first_run=run.id, last_run=run.id)
    page = signed_in.get("/reconcile").get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_repair_goes_through_the_records_resync(signed_in, redis_connection):
    run = make_run()
    total = make("order_total", "woo-5", run, woo_order_id=5, bp_order_id=100001, number="5")
    status = make("order_status", "woo-6", run, woo_order_id=6, bp_order_id=100002, number="6")
    stock = make("stock", "bp-1001", run, sku="MUG", bp_product_id=1001)
    for item in (total, status, stock):
        assert post(signed_in, f"/reconcile/{item.id}/repair").status_code == 302
    events = {(e.source, e.resource, e.resource_id): e for e in Event.select()}
    assert set(events) == {("pearlbridge", "discrepancy", str(total.id)),
                           ("pearlbridge", "discrepancy", str(status.id)),
                           ("brightpearl", "product", "1001")}
    assert events[("pearlbridge", "discrepancy", str(total.id))].topic == "reconcile.repair"
    assert events[("brightpearl", "product", "1001")].topic == "manual.resync"  # its own
    rows = {(r.log_type, r.record_key): r for r in SyncLog.select()}
    assert rows[("order", "woo-5")].status == "pending"  # created for the record, Pending
    assert events[("pearlbridge", "discrepancy", str(total.id))].log_id == rows[
        ("order", "woo-5")].id
    assert Discrepancy.get_by_id(total.id).repair_log_id == rows[("order", "woo-5")].id
    assert Discrepancy.get_by_id(stock.id).repaired_by == "ann"
    assert redis_connection.exists("rq:job:pearlbridge-discrepancy-" + str(total.id))
    assert post(signed_in, "/reconcile/99999/repair").status_code == 404


def test_repair_all_of_a_kind_and_bad_input(signed_in):
    run = make_run()
    items = [make("product_fields", f"bp-{n}", run, bp_product_id=n) for n in (1, 2, 3)]
    other = make("stock", "bp-9", run, sku="X", bp_product_id=9)
    assert post(signed_in, "/reconcile/repair-all", {"kind": "product_fields"}).status_code == 302
    assert all(Discrepancy.get_by_id(i.id).repaired_at for i in items)
    assert Discrepancy.get_by_id(other.id).repaired_at is None
    assert Event.select().count() == 3
    assert post(signed_in, "/reconcile/repair-all", {"kind": "nonsense"}).status_code == 400
    resolved = make("stock", "bp-10", run, sku="Y", bp_product_id=10)
    Discrepancy.update(status=RESOLVED).where(Discrepancy.id == resolved.id).execute()
    post(signed_in, f"/reconcile/{resolved.id}/repair")
    assert Event.select().count() == 3  # nothing for a resolved one


def test_run_now_queues_one_run_on_the_bulk_queue(signed_in, redis_connection):
    answer = post(signed_in, "/reconcile/run", {"since": "2026-01-01", "until": "2026-01-08"})
    assert answer.status_code == 302
    jobs = get_queue(redis_connection, BULK).jobs
    assert [j.id for j in jobs] == ["reconcile-on-demand"]
    assert jobs[0].args[1:4] == (datetime(2026, 1, 1), datetime(2026, 1, 8), "manual")
    post(signed_in, "/reconcile/run", {"since": "2026-01-01", "until": "2026-01-08"})
    assert get_queue(redis_connection, BULK).count == 1  # coalesced while it waits
    for bad in ({"since": "yesterday", "until": "2026-01-08"},
                {"since": "2026-01-08", "until": "2026-01-01"}, {}):
        assert post(signed_in, "/reconcile/run", bad).status_code == 400
    assert ReconcileRun.select().count() == 0 and Discrepancy.select().where(
        Discrepancy.status == OPEN).count() == 0
