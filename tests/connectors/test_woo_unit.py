"""The WooCommerce client against a recording fake at the transport edge: auth modes, error
shapes (data as an object or a bare integer), retries, 429 Retry-After, paging and batches."""
import pytest
import requests

from connectors.counter import CallCounter
from connectors.errors import NotFoundError, PermanentError, ThrottledError, TransientError
from connectors.transport import USER_AGENT
from connectors.woo_batch import run_batch
from connectors.woocommerce import WooCommerceClient

from .conftest import FakeClock, FakeSession, response


def client(*script, query_string_auth=False, retries=2, max_wait=120):
    clock, session = FakeClock(), FakeSession(*script)
    woo = WooCommerceClient("https://shop.example/", "ck_key", "cs_very_secret",
                            query_string_auth=query_string_auth, counter=CallCounter(),
                            session=session, retries=retries, max_wait_seconds=max_wait,
                            clock=clock)
    return woo, session, clock


def test_basic_auth_and_our_user_agent():
    from connectors.transport import new_session

    assert new_session().headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("Pearlbridge/")
    woo, session, _ = client(response(200, {"id": 5}))
    assert woo.get_order(5) == {"id": 5}
    assert session.auth == ("ck_key", "cs_very_secret")
    call = session.calls[0]
    assert call["url"] == "https://shop.example/wp-json/wc/v3/orders/5"
    assert call["params"] is None and call["timeout"]


def test_query_string_auth_for_hosts_that_strip_the_header():
    woo, session, _ = client(response(200, []), query_string_auth=True)
    list(woo.list_products(modified_after="2024-01-01T00:00:00", dates_are_gmt=True))
    assert session.auth is None
    params = session.calls[0]["params"]
    assert params["consumer_key"] == "ck_key" and params["consumer_secret"] == "cs_very_secret"
    assert params["dates_are_gmt"] == "true" and params["per_page"] == 100


def test_connection_errors_never_leak_query_string_secrets():
    error = requests.ConnectionError(
        "HTTPSConnectionPool: Max retries exceeded with url: /wp-json/wc/v3/orders/5?"
        "consumer_key=ck_key&consumer_secret=cs_very_secret")
    woo, _, _ = client(error, query_string_auth=True, retries=0)
    with pytest.raises(TransientError) as caught:
        woo.get_order(5)
    assert "cs_very_secret" not in str(caught.value) + caught.value.detail


def test_error_shape_with_an_object_and_with_a_bare_integer():
    woo, _, _ = client(response(400, {"code": "product_invalid_sku",
                                      "message": "Invalid or duplicated SKU.",
                                      "data": {"status": 400, "resource_id": 12}}))
    with pytest.raises(PermanentError) as caught:
        woo.create_product({"sku": "X"})
    assert caught.value.code == "product_invalid_sku"
    assert "Invalid or duplicated SKU." in str(caught.value)
    # A refund for a missing order: HTTP 500 carrying "data": 404.
    woo, session, _ = client(response(500, {"code": "woocommerce_rest_invalid_order_id",
                                            "message": "Invalid order ID.", "data": 404}))
    with pytest.raises(NotFoundError) as caught:
        woo.create_refund(999, amount="5.00")
    assert caught.value.code == "woocommerce_rest_invalid_order_id" and len(session.calls) == 1
    body = session.calls[0]["json"]
    assert body["api_refund"] is False and body["api_restock"] is False


def test_5xx_and_timeouts_are_transient_and_retried_only_when_safe():
    fatal = response(500, {"code": "internal_server_error",
                           "message": "There has been a critical error on this website.",
                           "data": {"status": 500}})
    woo, session, _ = client(fatal, requests.ReadTimeout("slow"), response(200, {"id": 1}))
    assert woo.update_order_status(1, "completed") == {"id": 1}  # PUT: idempotent
    assert len(session.calls) == 3
    woo, session, _ = client(requests.ReadTimeout("slow"))
    with pytest.raises(TransientError):
        woo.add_order_note(1, "hello")  # POST: never resent
    assert len(session.calls) == 1


def test_429_retry_after_is_honoured_then_retried():
    limited = response(429, {"code": "rate_limited", "message": "Too many"},
                       {"Retry-After": "3"})
    woo, session, clock = client(limited, response(201, {"id": 9}))
    assert woo.add_order_note(1, "note") == {"id": 9}  # the refused POST did nothing
    assert len(session.calls) == 2 and 3 <= clock.sleeps[0] < 3.5
    counts = woo.counter.counts()["woocommerce"]["POST /orders/{id}/notes"]
    assert counts == {"throttled": 1, "ok": 1}


def test_429_beyond_the_max_wait_raises_throttled():
    woo, _, _ = client(response(429, None, {"Retry-After": "600"}), max_wait=60)
    with pytest.raises(ThrottledError) as caught:
        woo.get_order(1)
    assert caught.value.wait_seconds == 600


def test_pagination_follows_x_wp_totalpages():
    pages = {1: [{"id": 1}, {"id": 2}], 2: [{"id": 3}, {"id": 4}], 3: [{"id": 5}]}

    def answer(method, url, kwargs):
        page = kwargs["params"]["page"]
        return response(200, pages[page], {"X-WP-TotalPages": "3", "X-WP-Total": "5"})

    woo, session, _ = client(answer)
    assert [o["id"] for o in woo.orders_modified_after("2024-01-01T00:00:00")] == [1, 2, 3, 4, 5]
    assert [c["params"]["page"] for c in session.calls] == [1, 2, 3]
    params = session.calls[0]["params"]
    assert params["dates_are_gmt"] == "true" and params["modified_after"] == "2024-01-01T00:00:00"


def test_batches_of_100_with_per_item_failures():
    def answer(method, url, kwargs):
        body = kwargs["json"]
        assert sum(len(v) for v in body.values()) <= 100
        return response(200, {"update": [
            {"id": item["id"], "error": {"code": "woocommerce_rest_product_invalid_id",
                                         "message": "Invalid ID.", "data": {"status": 400}}}
            if item["id"] % 50 == 0 else {"id": item["id"], "stock_quantity": 1}
            for item in body.get("update", [])]})

    woo, session, _ = client(answer)
    result = woo.update_stock([{"product_id": i, "quantity": 1} for i in range(1, 251)])
    assert len(session.calls) == 3 and result.requests == 3
    assert len(result.updated) == 245 and not result.ok
    assert [(f.index, f.id, f.code) for f in result.failed] == [
        (i - 1, i, "woocommerce_rest_product_invalid_id") for i in (50, 100, 150, 200, 250)]
    assert session.calls[0]["json"]["update"][0] == {"id": 1, "manage_stock": True,
                                                     "stock_quantity": 1}
    error = result.failed[0].as_error()
    assert isinstance(error, PermanentError) and "Invalid ID." in str(error)


def test_variation_stock_goes_through_the_parent_batch():
    woo, session, _ = client(lambda m, url, kw: response(200, {"update": kw["json"]["update"]}))
    result = woo.update_stock([{"product_id": 11, "quantity": 3, "parent_id": 10},
                               {"product_id": 12, "quantity": 0, "parent_id": 10},
                               {"product_id": 20, "quantity": 7}])
    assert result.ok and len(result.updated) == 3
    assert [c["url"].split("/wc/v3")[1] for c in session.calls] == [
        "/products/batch", "/products/10/variations/batch"]


def test_413_halves_the_chunk():
    sizes = []

    def post(body):
        size = sum(len(v) for v in body.values())
        sizes.append(size)
        if size > 30:
            raise PermanentError("too large", status=413,
                                 code="woocommerce_rest_request_entity_too_large")
        return {"create": [dict(item, id=1) for item in body.get("create", [])],
                "delete": [{"id": i} for i in body.get("delete", [])]}

    result = run_batch(post, create=[{"n": i} for i in range(80)], delete=[1, 2, 3])
    assert sizes[:3] == [83, 50, 25] and all(s <= 25 for s in sizes[2:])
    assert len(result.created) == 80 and len(result.deleted) == 3 and result.ok


def test_413_on_a_single_item_is_permanent():
    def post(body):
        raise PermanentError("too large", status=413)

    with pytest.raises(PermanentError):
        run_batch(post, update=[{"id": 1}])
