"""The Brightpearl client's request loop against a recording fake at the transport edge:
envelope, error classes, which calls are retried, throttling waits, no secrets in messages."""
import pytest
import requests

from connectors.bp_auth import PrivateAppAuth
from connectors.brightpearl import BrightpearlClient
from connectors.counter import CallCounter
from connectors.errors import (NotFoundError, PermanentError, ThrottledError, TransientError)
from connectors.ratelimit import NoBudget

from .conftest import FakeClock, FakeSession, response

THROTTLED = {"response": "You have sent too many requests. Please wait before sending another "
                         "request"}


def client(*script, retries=2, max_wait=120):
    clock = FakeClock()
    session = FakeSession(*script)
    bp = BrightpearlClient("https://bp.example/public-api/acct",
                           PrivateAppAuth("acct_app", staff_token="staff-secret-token"),
                           budget=NoBudget(max_wait, clock=clock), counter=CallCounter(),
                           session=session, retries=retries, clock=clock)
    return bp, session, clock


def test_private_app_headers_and_the_response_envelope():
    bp, session, _ = client(response(200, {"response": [{"id": 7}]}))
    assert bp.get_products([7]) == [{"id": 7}]
    call = session.calls[0]
    assert call["url"] == "https://bp.example/public-api/acct/product-service/product/7"
    assert call["headers"] == {"brightpearl-app-ref": "acct_app",
                               "brightpearl-staff-token": "staff-secret-token"}
    assert bp.counter.counts() == {
        "brightpearl": {"GET /product-service/product/{ids}": {"ok": 1}}}


def test_both_not_found_shapes():
    bp, _, _ = client(response(200, {"response": []}))
    with pytest.raises(NotFoundError) as caught:
        bp.get_order(999)
    assert "order 999" in str(caught.value) and caught.value.code == "CMNC-404"
    missing = response(404, {"errors": [{"code": "CMNC-404", "message": "Contact not found"}]})
    bp, _, _ = client(missing)
    assert bp.get_contacts([12345]) == []
    bp, _, _ = client(missing)
    with pytest.raises(NotFoundError):
        bp.get_sales_credit(5)


def test_a_bad_filter_500_is_permanent_and_not_retried():
    bp, session, _ = client(response(500, {"errors": [
        {"code": "CMNC-018", "message": "Invalid value 'x' for filter 'updatedOn'"}]}))
    with pytest.raises(PermanentError) as caught:
        list(bp.search_products(updated_since="x"))
    assert not isinstance(caught.value, TransientError)
    assert caught.value.code == "CMNC-018" and "updatedOn" in str(caught.value)
    assert len(session.calls) == 1


def test_other_5xx_are_transient_and_gets_are_retried():
    outage = response(500, {"errors": [{"code": "CMNU-003", "message": "Internal error"}]})
    bp, session, clock = client(outage, response(502, text="<html>bad gateway</html>"),
                                response(200, {"response": [{"id": 1}]}))
    assert bp.get_warehouses() == [{"id": 1}]
    assert len(session.calls) == 3 and len(clock.sleeps) == 2
    counts = bp.counter.counts()["brightpearl"]["GET /warehouse-service/warehouse"]
    assert counts == {"transient": 2, "ok": 1}


def test_retries_run_out_into_a_transient_error():
    bp, session, _ = client(response(503, text="Service Unavailable"), retries=2)
    with pytest.raises(TransientError) as caught:
        bp.get_warehouses()
    assert caught.value.status == 503 and len(session.calls) == 3


def test_timeouts_are_transient_and_posts_are_not_retried():
    bp, session, _ = client(requests.ReadTimeout("read timed out"))
    with pytest.raises(TransientError) as caught:
        bp.create_customer_payment({"paymentType": "RECEIPT"})
    assert len(session.calls) == 1 and "in time" in str(caught.value)
    bp, session, _ = client(requests.ConnectionError("refused"))
    with pytest.raises(TransientError):
        bp.create_sales_order({"customer": {"id": 1}, "externalRef": "wc-1"})
    assert len(session.calls) == 1


def test_a_sales_order_with_external_ref_and_instance_id_is_retried():
    bp, session, _ = client(requests.ReadTimeout("slow"), response(200, {"response": 55}))
    order = {"customer": {"id": 1}, "externalRef": "wc-1", "installedIntegrationInstanceId": 13}
    assert bp.create_sales_order(order) == 55
    assert len(session.calls) == 2


def test_validation_errors_carry_the_platform_code_and_message():
    bp, _, _ = client(response(400, {"errors": [
        {"code": "ORDC-005", "message": "No order type code was given"}]}))
    with pytest.raises(PermanentError) as caught:
        bp.create_sales_order({})
    error = caught.value
    assert error.code == "ORDC-005" and error.status == 400 and error.platform == "brightpearl"
    assert "No order type code was given" in str(error)
    assert "POST /order-service/sales-order" in error.detail


def test_the_throttle_503_is_waited_out_transparently():
    throttled = response(503, THROTTLED, {"brightpearl-next-throttle-period": "4200",
                                          "brightpearl-requests-remaining": "0"})
    bp, session, clock = client(throttled, throttled, response(200, {"response": 9}))
    assert bp.create_contact({"firstName": "Jo"}) == 9  # even a POST: it was never processed
    assert len(session.calls) == 3
    assert all(4.2 <= s < 4.7 for s in clock.sleeps)
    counts = bp.counter.counts()["brightpearl"]["POST /contact-service/contact"]
    assert counts == {"throttled": 2, "ok": 1}


def test_callers_see_the_throttle_only_past_the_max_wait():
    throttled = response(503, THROTTLED, {"brightpearl-next-throttle-period": "50000"})
    bp, session, _ = client(throttled, max_wait=120)
    with pytest.raises(ThrottledError) as caught:
        bp.get_warehouses()
    assert caught.value.wait_seconds == 50.0 and caught.value.status == 503
    assert len(session.calls) == 3  # waited twice (100 s), the third wait would pass 120 s


def test_a_plain_503_outage_is_not_a_throttle():
    bp, _, clock = client(response(503, {"response": "Service unavailable"}), retries=0)
    with pytest.raises(TransientError) as caught:
        bp.get_warehouses()
    assert not isinstance(caught.value, ThrottledError) and clock.sleeps == []


def test_credentials_refused_is_permanent_and_never_shows_the_token():
    bp, _, _ = client(response(401, {"response": "Not authenticated staff-secret-token"}))
    with pytest.raises(PermanentError) as caught:
        bp.get_warehouses()
    assert "credentials" in str(caught.value)
    assert "staff-secret-token" not in str(caught.value) + caught.value.detail


def test_unreadable_success_is_transient():
    bp, _, _ = client(response(200, text="<html>maintenance</html>"), retries=0)
    with pytest.raises(TransientError):
        bp.get_warehouses()


def test_get_ids_chunks_at_the_cap_and_merges_maps():
    def answer(method, url, kwargs):
        ids = url.rsplit("/", 1)[1]
        start, _, end = ids.partition("-")
        return response(200, {"response": {str(i): {"total": {"onHand": 1}}
                                           for i in range(int(start), int(end or start) + 1)}})

    bp, session, _ = client(answer)
    availability = bp.get_availability(range(1, 451))
    assert len(availability) == 450
    assert [c["url"].rsplit("/", 1)[1] for c in session.calls] == ["1-200", "201-400",
                                                                    "401-450"]


def test_goods_out_notes_chunk_at_500():
    bp, session, _ = client(response(200, {"response": {"1": {"orderId": 3}}}))
    bp.get_goods_out_notes(note_ids=range(1, 1201, 2))
    assert len(session.calls) == 2
    assert session.calls[0]["url"].startswith(
        "https://bp.example/public-api/acct/warehouse-service/order/*/goods-note/goods-out/1,3,")


def test_bulk_priority_is_a_view_of_the_same_client():
    bp, _, _ = client(response(200, {"response": []}))
    bulk = bp.with_priority("bulk")
    assert bulk.priority == "bulk" and bp.priority == "interactive"
    assert bulk.session is bp.session and bulk.counter is bp.counter
    with pytest.raises(ValueError):
        bp.with_priority("vip")
