"""Odd query parameters and paths on the staff pages: explained or 404, never a 500 (or a 503
from PostgreSQL), and no redirect off the site."""
import pytest

from logpage.queries import parse_filters
from tests.logpage.conftest import make_row, post


@pytest.mark.parametrize("query", [
    {"to": "9999-12-31"},                     # the day after overflowed: was a 500
    {"from": "0001-01-01", "to": "9999-12-31"},
    {"older": "2026-01-01T00:00:00.000000_" + "9" * 30},   # a 30-digit cursor id: was a 500
    {"newer": "2026-01-01T00:00:00.000000_" + "9" * 30},
    {"older": "2026-01-01T00:00:00+05:00_12"},
    {"older": "_" * 5000},
    {"q": "\x00"},                            # PostgreSQL refuses NUL in text: was a 503
    {"q": "a\x00b\x1b[31m"},
])
def test_odd_list_parameters_are_explained_not_crashing(staff, query):
    make_row(n=1)
    for path in ("/logs", "/logs/export.csv", "/logs/export.json"):
        answer = staff.get(path, query_string=query)
        assert answer.status_code == 200, (path, query)
        answer.get_data()  # exports stream: their errors happen while reading


def test_out_of_range_dates_are_named():
    filters, problems = parse_filters({"to": "9999-12-31", "from": "2026-01-01"})
    assert filters.date_to is None and filters.date_from is not None
    assert problems == ["To date '9999-12-31' is out of range; ignored."]


def test_control_characters_leave_the_search():
    assert parse_filters({"q": "merino\x00 sock\r\n"})[0].q == "merino sock"


@pytest.mark.parametrize("path", ["/logs/" + "9" * 20, "/logs/2147483648",
                                  "/logs/" + "9" * 20 + "/resync"])
def test_row_ids_past_the_column_are_404(staff, path):
    answer = staff.get(path) if not path.endswith("resync") else post(staff, path)
    assert answer.status_code == 404


@pytest.mark.parametrize("target", ["/logs\r\nSet-Cookie: planted=1", "/logs\nx", "/\t/evil.com",
                                    "/ /evil.com", "/\x00/evil.com"])
def test_next_with_control_characters_goes_to_the_logs(staff, target):
    answer = staff.get("/login", query_string={"next": target})
    assert answer.status_code == 302 and answer.location == "/logs"
    assert "planted" not in answer.headers.get("Set-Cookie", "")


def test_the_resync_back_link_cannot_leave_the_site(staff):
    row = make_row(n=5, status="failed")
    answer = post(staff, f"/logs/{row.id}/resync", {"next": "/\t/evil.com"})
    assert answer.status_code == 302 and answer.location == f"/logs/{row.id}"
    answer = post(staff, f"/logs/{row.id}/resync", {"next": "/logs?type=order"})
    assert answer.location == "/logs?type=order"
