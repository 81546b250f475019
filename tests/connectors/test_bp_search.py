"""Search helpers: PERIOD filters keep "/" unescaped, results zip with metaData.columns, and
paging follows firstResult = lastResult + 1 until morePagesAvailable is false."""
from datetime import datetime, timedelta, timezone

from connectors import bp_search


def test_query_string_keeps_slash_and_encodes_plus():
    since = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    text = bp_search.query_string({"updatedOn": bp_search.period(since), "columns": ["a", "b"],
                                   "isCustomer": True, "skip": None})
    assert text == "updatedOn=2024-01-02T03:04:05%2B01:00/&columns=a,b&isCustomer=true"
    assert "%2F" not in text


def test_period_with_both_ends_and_naive_datetimes_as_utc():
    assert bp_search.period(datetime(2024, 5, 1), datetime(2024, 5, 2)) == \
        "2024-05-01T00:00:00+00:00/2024-05-02T00:00:00+00:00"
    assert bp_search.period(None, "2024-05-02") == "/2024-05-02"


def test_rows_are_zipped_with_column_names_not_positions():
    response = {"results": [[322, "wc-1", 3], [323, None, 4]],
                "metaData": {"columns": [{"name": "orderId"}, {"name": "externalRef"},
                                         {"name": "orderStatusId"}]}}
    assert bp_search.zip_rows(response) == [
        {"orderId": 322, "externalRef": "wc-1", "orderStatusId": 3},
        {"orderId": 323, "externalRef": None, "orderStatusId": 4}]


def _page(first, rows, more):
    return {"response": {"results": [[n] for n in rows],
                         "metaData": {"morePagesAvailable": more, "firstResult": first,
                                      "lastResult": first + len(rows) - 1,
                                      "columns": [{"name": "id"}]}},
            "reference": {"page": first}}


def test_iterate_pages_until_no_more_pages():
    seen = []
    pages = {1: _page(1, [1, 2], True), 3: _page(3, [3, 4], True), 5: _page(5, [5], False)}

    def fetch(path):
        seen.append(path)
        first = int(path.split("firstResult=")[1])
        return pages[first]

    result = list(bp_search.iterate(fetch, "/x-search", {"a": 1}, page_size=2))
    assert [row["id"] for page in result for row in page.rows] == [1, 2, 3, 4, 5]
    assert [page.reference["page"] for page in result] == [1, 3, 5]
    assert seen[0] == "/x-search?a=1&pageSize=2&firstResult=1"


def test_an_empty_page_claiming_more_stops_the_loop():
    calls = []

    def fetch(path):
        calls.append(path)
        return _page(1, [], True)

    assert [p.rows for p in bp_search.iterate(fetch, "/x-search")] == [[]]
    assert len(calls) == 1
