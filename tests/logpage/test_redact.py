"""Redaction: linear time on anything a customer can type, credentials inside a line, and
the cut made after redacting (never half a secret on the page)."""
import time

import pytest

from logpage.redact import MARK, redact, redact_cut
from models.events import Event
from tests.logpage.conftest import make_row


@pytest.mark.parametrize("text", [
    "a-" * 40_000,                  # a customer's "a-a-a-…" note: was 3.6 s at 8 KB, quadratic
    "x" * 80_000,
    "\n" * 80_000,
    " " * 80_000 + "token",
    '"a-a":' * 15_000,
    "?a-a-" * 15_000,
    "tokentoken" * 8_000,
])
def test_redaction_takes_linear_time(text):
    # A guard against catastrophic backtracking, not a benchmark: the quadratic pattern took
    # minutes on these, a linear one takes milliseconds (a bound 50x above that).
    began = time.perf_counter()
    redact(text, ["secret-value"])
    assert time.perf_counter() - began < 1.0


@pytest.mark.parametrize("line, secret", [
    ("GET /x HTTP/1.1 Authorization: Basic dXNlcjpwYXNzd29yZA== host", "dXNlcjpwYXNzd29yZA"),
    ("sent headers {Authorization: Bearer eyJhbGciOi.payload.sig}", "eyJhbGciOi"),
    ("request authorization=Basic Y2s6Y3M= failed", "Y2s6Y3M"),
    ("x password=hunter2; token: Bearer abc.def", "hunter2"),
    ("x password=hunter2; token: Bearer abc.def", "abc.def"),
    ('{"consumer_secret": "cs_123", "api_key": 12}', "cs_123"),
    ("?consumer_key=ck_1&b=2", "ck_1"),
    ("a=password=xyz", "xyz"),
])
def test_credentials_inside_a_line_are_redacted(line, secret):
    shown = redact(line)
    assert secret not in shown and MARK in shown


def test_plain_text_is_left_alone():
    text = "Order 727 for a-line skirt, basket total 53.00 GBP; tokens of thanks"
    assert redact(text) == text


def test_redact_cut_never_shows_the_start_of_a_secret():
    text = "x" * 3995 + "sk_live_0123456789" + "y" * 100
    shown = redact_cut(text, ["sk_live_0123456789"], limit=4000)
    assert "sk_" not in shown and shown.endswith("… [cut]")
    assert redact_cut("short", ["sk"], limit=4000) == "short"


def test_the_detail_page_redacts_a_payload_before_cutting_it(staff):
    row = make_row(n=727)
    # BRIGHTPEARL_STAFF_TOKEN is "staff-token": it straddles the 4,000-character cut.
    Event.create(source="woocommerce", topic="order.updated", resource="order",
                 resource_id="727", dedupe_key="k1", payload="x" * 3994 + "staff-token" + "y",
                 log=row)
    page = staff.get(f"/logs/{row.id}").get_data(as_text=True)
    assert "x" * 3990 in page and "staff-" not in page and "[cut]" in page
