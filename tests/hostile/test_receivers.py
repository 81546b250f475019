"""Generated hostile deliveries against both receivers: never a 5xx or a stack trace, nothing
stored for a rejected request, every accepted one visible on the Sync Logs page.

Runs on SQLite (make test) and PostgreSQL (make test-pg)."""
from urllib.parse import quote

from hypothesis import event, given, settings, strategies as st

from tests.fixtures import woo_sign
from tests.hostile.conftest import assert_clear_answer, assert_visible
from tests.hostile.strategies import (
    ODD_TEXT, RAW_BODIES, WOO_TOPICS, bp_callbacks, woo_bodies,
)

WOO_URL = "/webhooks/woocommerce"
BP_SECRET = "bp-hook-secret-0123456789"
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"),
                      max_size=80)
CONTENT_TYPES = st.sampled_from(["application/json"] * 6 + [
    "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", ""])


def mostly(value, other, one_in=5):
    """value, except about one time in one_in something drawn from other."""
    return st.sampled_from([True] * (one_in - 1) + [False]).flatmap(
        lambda keep: st.just(value) if keep else other)


def _check(staff, ledger, response):
    answer = response.get_json(silent=True) or {}
    event(f"{response.status_code} {'+'.join(sorted(k for k in answer if k != 'message'))}")
    assert_clear_answer(response)
    if response.status_code == 200:
        assert_visible(staff, ledger.rows_touched())
    else:
        assert ledger.unchanged(), response.get_json()


@settings(max_examples=150)
@given(body=woo_bodies(), topic=WOO_TOPICS, signature=mostly("valid", HEADER_TEXT),
       content_type=CONTENT_TYPES)
def test_woocommerce_signed_bodies(staff, ledger, body, topic, signature, content_type):
    ledger.mark()
    headers = {"X-WC-Webhook-Topic": topic, "Content-Type": content_type,
               "X-WC-Webhook-Signature": woo_sign(body) if signature == "valid" else signature}
    _check(staff, ledger, staff.post(WOO_URL, data=body, headers=headers))


@settings(max_examples=100)
@given(body=RAW_BODIES, signed=st.booleans(), topic=WOO_TOPICS)
def test_woocommerce_raw_bytes(staff, ledger, body, signed, topic):
    ledger.mark()
    headers = {"X-WC-Webhook-Topic": topic, "Content-Type": "application/json"}
    if signed:
        headers["X-WC-Webhook-Signature"] = woo_sign(body)
    response = staff.post(WOO_URL, data=body, headers=headers)
    _check(staff, ledger, response)
    if not signed and body not in (b"webhook_id=1",):
        assert response.status_code == 401


@settings(max_examples=120)
@given(body=bp_callbacks(), secret=mostly(BP_SECRET, ODD_TEXT))
def test_brightpearl_callbacks(staff, ledger, body, secret):
    ledger.mark()
    path = "/webhooks/brightpearl/" + quote(secret.encode("utf-8", "surrogatepass"), safe="")
    response = staff.post(path, data=body, content_type="application/json")
    _check(staff, ledger, response)
    if secret != BP_SECRET:
        assert response.status_code in (404, 405)


@settings(max_examples=60)
@given(body=RAW_BODIES)
def test_brightpearl_raw_bytes(staff, ledger, body):
    ledger.mark()
    response = staff.post(f"/webhooks/brightpearl/{BP_SECRET}", data=body,
                          content_type="application/json")
    _check(staff, ledger, response)
