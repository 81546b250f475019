"""The Sync Logs list and detail: columns per type, filters, search, keyset pages, export."""
import csv
import io
import json
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from models.base import utcnow
from models.events import Event
from models.logs import SyncAttempt
from tests.logpage.conftest import make_row


def ids_on(page):
    """Row ids in the order the page shows them."""
    return [int(i) for i in re.findall(r'<tr class="row-\w+" data-id="(\d+)"', page)]


def older_link(page):
    match = re.search(r'rel="next" href="([^"]+)"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def newer_link(page):
    match = re.search(r'rel="prev" href="([^"]+)"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_home_redirects_to_sync_logs(staff):
    assert staff.get("/").location == "/logs"


def test_type_columns_and_figures(staff):
    make_row("order", 1, amount=Decimal("52.00"), currency="GBP", info="Woo order #1")
    make_row("inventory", 2, quantity=17, info="Merino Sock (SKU-1)")
    make_row("refund", 3, amount=Decimal("5.10"), currency="EUR")
    make_row("shipment", 4, tracking="1Z999AA10123456784")
    orders = staff.get("/logs?type=order").get_data(as_text=True)
    assert "Synced At" in orders and "Total" in orders and "52.00 GBP" in orders
    inventory = staff.get("/logs?type=inventory").get_data(as_text=True)
    assert "Synced At" not in inventory and "Quantity" in inventory and ">17<" in inventory
    assert "5.10 EUR" in staff.get("/logs?type=refund").get_data(as_text=True)
    assert "1Z999AA10123456784" in staff.get("/logs?type=shipment").get_data(as_text=True)
    assert "No product rows match" in staff.get("/logs?type=product").get_data(as_text=True)


def test_pending_reasons_and_failures_in_words(staff):
    make_row(n=1, status="pending", pending_reason="queued")
    make_row(n=2, status="pending",
             pending_reason="waiting for settings: Woo payment method stripe has no mapping")
    make_row(n=3, status="failed", failure_reason="Brightpearl does not know SKU ABC",
             failure_detail='HTTP 400 {"errors":[{"code":"PRDC-001"}]} token=abc123')
    page = staff.get("/logs?type=order").get_data(as_text=True)
    assert "queued" in page
    assert "waiting for settings: Woo payment method stripe has no mapping" in page
    assert "Brightpearl does not know SKU ABC" in page
    assert "<summary>Technical detail</summary>" in page and "PRDC-001" in page
    assert "abc123" not in page


def test_counts_by_status_per_type_and_chart(staff):
    now = utcnow()
    for n in range(3):
        make_row("order", n, status="synced", at=now - timedelta(hours=n))
    make_row("order", 9, status="failed", at=now - timedelta(hours=2))
    make_row("inventory", 10, status="pending")
    make_row("order", 11, status="synced", at=now - timedelta(days=3))
    page = staff.get("/logs?type=order").get_data(as_text=True)
    counts = re.search(r'<table class="counts">.*?</table>', page, re.S).group(0)
    assert re.search(r"Order</a></th>\s*<td><a[^>]*>0</a></td>\s*<td><a[^>]*>4</a></td>"
                     r"\s*<td><a[^>]*>1</a></td>", counts)
    assert re.search(r"Inventory</a></th>\s*<td><a[^>]*>1</a>", counts)
    assert "3 synced and 1 failed in the last 24 hours" in page
    assert page.count('class="bar-synced"') == 3 and page.count('class="bar-failed"') == 1
    assert "Retry all failed (1)" in page


def test_status_and_date_filters(staff):
    day = datetime(2026, 3, 10, 12, 0)
    a = make_row(n=1, status="failed", at=day)
    b = make_row(n=2, status="synced", at=day)
    c = make_row(n=3, status="failed", at=day + timedelta(days=2))
    assert ids_on(staff.get("/logs?type=order&status=failed").get_data(as_text=True)) == [c.id, a.id]
    page = staff.get("/logs?type=order&from=2026-03-10&to=2026-03-10").get_data(as_text=True)
    assert ids_on(page) == [b.id, a.id]
    page = staff.get("/logs?type=order&status=failed&from=2026-03-11").get_data(as_text=True)
    assert ids_on(page) == [c.id]


def test_bad_filters_are_explained_not_crashing(staff):
    page = staff.get("/logs?type=nope&status=odd&from=yesterday&older=garbage")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Unknown log type" in text and "Unknown status" in text and "is not a date" in text


@pytest.mark.parametrize("query, expected", [
    ("merino", [2, 1]), ("MERINO", [2, 1]), ("sku-77", [2]), ("100%", [3]), ("a_b", [4]),
    ("nothing like it", []),
])
def test_search_on_info_is_case_insensitive_and_literal(staff, query, expected):
    rows = {1: make_row("inventory", 1, info="Merino Crew Sock (SKU-1)"),
            2: make_row("inventory", 2, info="merino beanie (SKU-77)"),
            3: make_row("inventory", 3, info="Cotton 100% tote"),
            4: make_row("inventory", 4, info="Label a_b size")}
    make_row("inventory", 5, info="Cotton 1000 tote")
    make_row("inventory", 6, info="Label axb size")
    page = staff.get("/logs", query_string={"type": "inventory", "q": query})
    assert ids_on(page.get_data(as_text=True)) == sorted((rows[i].id for i in expected),
                                                         reverse=True)


def test_search_finds_rare_matches_beyond_the_scan_window(staff, monkeypatch):
    from logpage import queries
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 5)
    now = utcnow()
    rare = make_row(n=1, info="Woo order #4242", at=now - timedelta(days=1))
    for n in range(2, 30):
        make_row(n=n, info=f"Woo order #{n}", at=now - timedelta(minutes=n))
    assert ids_on(staff.get("/logs?type=order&q=%234242").get_data(as_text=True)) == [rare.id]
    assert len(ids_on(staff.get("/logs?type=order&q=woo").get_data(as_text=True))) == 29


def walk(staff, first, link):
    pages, path = [], first
    while path:
        text = staff.get(path).get_data(as_text=True)
        pages.append(ids_on(text))
        path = link(text)
    return pages


@pytest.mark.parametrize("search", ["", "&q=order"])
def test_keyset_pages_forward_and_back_with_equal_timestamps(staff, monkeypatch, search):
    from logpage import queries
    monkeypatch.setattr(queries, "PAGE_SIZE", 4)
    monkeypatch.setattr(queries.keyset_page, "__defaults__", (None, None, 4))
    same = datetime(2026, 5, 1, 9, 30, 0)
    rows = [make_row(n=n, at=same if n % 3 else same - timedelta(seconds=n), info=f"order {n}")
            for n in range(1, 12)]
    expected = [r.id for r in sorted(rows, key=lambda r: (r.updated_at, r.id), reverse=True)]
    forward = walk(staff, "/logs?type=order" + search, older_link)
    assert [len(p) for p in forward] == [4, 4, 3]
    assert [i for p in forward for i in p] == expected  # no duplicates, no skips
    last = staff.get("/logs?type=order" + search).get_data(as_text=True)
    while older_link(last):
        last = staff.get(older_link(last)).get_data(as_text=True)
    back = [ids_on(last)]
    path = newer_link(last)
    while path:
        text = staff.get(path).get_data(as_text=True)
        back.append(ids_on(text))
        path = newer_link(text)
    assert [i for p in reversed(back) for i in p] == expected
    assert back[-1] == expected[:4]
    assert "OFFSET" not in str(queries.filtered(queries.Filters()).sql())


def test_detail_shows_attempts_events_links_and_no_secrets(staff, app):
    row = make_row(n=727, status="failed", info="Woo order #727", target_ref="5001",
                   failure_reason="Brightpearl was unavailable")
    SyncAttempt.create(log=row, trigger="webhook", outcome="failed", message="HTTP 503",
                       request_excerpt='GET /order\nbrightpearl-staff-token: staff-token\n'
                                       '{"password": "hunter2", "ok": 1}',
                       response_excerpt='{"access_token": "abc.def", "errors": []}')
    SyncAttempt.create(log=row, trigger="retry", outcome="synced", message="created SO 5001")
    Event.create(source="woocommerce", topic="order.updated", resource="order",
                 resource_id="727", dedupe_key="k1", payload='{"id": 727, "secret": "s3"}',
                 log=row)
    app.config["BRIGHTPEARL_ADMIN_URL"] = "https://euw1.brightpearl.com"
    page = staff.get(f"/logs/{row.id}").get_data(as_text=True)
    for text in ("HTTP 503", "created SO 5001", "webhook", "retry", "order.updated",
                 "http://127.0.0.1:9/wp-admin/post.php?post=727&amp;action=edit",
                 "oID=5001", "Brightpearl was unavailable"):
        assert text in page, text
    for secret in ("staff-token", "hunter2", "abc.def", '"s3"'):
        assert secret not in page, secret
    assert staff.get("/logs/999999").status_code == 404


def test_export_csv_and_json_follow_the_filters(staff):
    make_row(n=1, status="failed", info="=HYPERLINK(\"x\")", amount=Decimal("9.99"),
             currency="GBP")
    make_row(n=2, status="synced")
    answer = staff.get("/logs/export.csv?type=order&status=failed")
    assert answer.mimetype == "text/csv" and "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert len(rows) == 1 and rows[0]["amount"] == "9.99" and rows[0]["info"].startswith("'=")
    data = json.loads(staff.get("/logs/export.json?type=order").get_data(as_text=True))
    assert [r["record_key"] for r in data] == ["woo-2", "woo-1"]
    assert data[1]["status"] == "failed" and data[1]["amount"] == "9.99"
    assert staff.get("/logs/export.xml").status_code == 404


def test_export_streams_every_row_in_batches(staff, monkeypatch):
    from logpage import queries
    original = queries.iterate
    monkeypatch.setattr("logpage.export.iterate",
                        lambda filters, limit=None: original(filters, batch=3, limit=limit))
    for n in range(10):
        make_row(n=n, at=datetime(2026, 1, 1))
    data = json.loads(staff.get("/logs/export.json?type=order").get_data(as_text=True))
    assert len({r["id"] for r in data}) == 10


def test_xss_payload_is_escaped(staff):
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    row = make_row("product", 1, info=payload, status="failed", failure_reason=payload)
    for path in ("/logs?type=product", f"/logs/{row.id}", f"/logs?type=product&q={payload}"):
        text = staff.get(path).get_data(as_text=True)
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
