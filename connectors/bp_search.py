"""Brightpearl resource searches (§4): query strings that keep PERIOD filters' "/" unescaped,
positional results zipped with metaData.columns, and paging by firstResult."""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

MAX_PAGE_SIZE = 500
# An encoded %2F breaks PERIOD filters (AIRBYTE); "," joins columns and ID sets; ":" is legal in
# a query. "+" in an offset must stay encoded (%2B) or it would read as a space.
_SAFE = "/,:"


@dataclass
class SearchPage:
    """One page of a search: rows as dicts, the top-level reference, and the paging metaData."""

    rows: list
    reference: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


def query_string(params):
    """params as a query string with "/" (and ",", ":") left unescaped; None values dropped."""
    pairs = [(k, _text(v)) for k, v in params.items() if v is not None]
    return urlencode(pairs, safe=_SAFE, quote_via=quote)


def period(start=None, end=None):
    """A PERIOD filter value "from/to" (either side may be open), ISO-8601 with an offset."""
    if start is None and end is None:
        raise ValueError("a period needs a start or an end")
    return f"{_iso(start) if start else ''}/{_iso(end) if end else ''}"


def zip_rows(response):
    """The results of one search response as dicts keyed by metaData.columns names."""
    meta = response.get("metaData") or {}
    names = [column["name"] for column in meta.get("columns") or []]
    return [dict(zip(names, row)) for row in response.get("results") or []]


def iterate(fetch, path, filters=None, *, columns=None, sort=None, page_size=MAX_PAGE_SIZE):
    """Yield SearchPages of path, fetching page after page while morePagesAvailable.

    fetch(path_with_query) returns the whole parsed body ({"response", "reference"}).
    """
    params = dict(filters or {})
    if columns:
        params["columns"] = ",".join(columns)
    if sort:
        params["sort"] = sort
    params["pageSize"] = min(int(page_size), MAX_PAGE_SIZE)
    first = 1
    while True:
        params["firstResult"] = first
        body = fetch(f"{path}?{query_string(params)}") or {}
        response = body.get("response") or {}
        meta = response.get("metaData") or {}
        rows = zip_rows(response)
        yield SearchPage(rows, body.get("reference") or {}, meta)
        # An empty page that claims more would loop forever: stop there too.
        if not meta.get("morePagesAvailable") or not rows:
            return
        first = int(meta.get("lastResult") or first + len(rows) - 1) + 1


def merge_changed(updated_rows, created_rows, id_column):
    """Rows of records changed in a period, once each, oldest change first: edited ones (from
    an updatedOn search) and never-edited new ones (from a createdOn search; their updatedOn is
    null). Each row gets changedOn: its updatedOn, else its createdOn."""
    merged = {}
    for row in list(created_rows) + list(updated_rows):
        merged[row[id_column]] = dict(row, changedOn=row.get("updatedOn") or row.get("createdOn"))
    return sorted(merged.values(), key=lambda r: (_instant(r["changedOn"]), r[id_column]))


def _instant(text):
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, (list, tuple, set)):
        return ",".join(str(v) for v in value)
    return str(value)


def _iso(value):
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        # Naive datetimes are UTC throughout the app; say so, an offset-less value is ambiguous.
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat(timespec="seconds")
