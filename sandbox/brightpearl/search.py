"""A generic resource search: positional results, typed column filters, sort and paging (§4)."""
import re
from datetime import datetime
from decimal import Decimal

from .envelope import bad_filter
from .fmt import money, parse_ts, ts
from .idset import parse_uncapped

MAX_PAGE_SIZE = 500
# The default page size of searches is UNCONFIRMED (200 or 25); the smaller one is stricter.
DEFAULT_PAGE_SIZE = 25
_INTEGER = re.compile(r"-?[0-9]+")
_CONTROL_PARAMS = {"firstResult", "pageSize", "sort", "columns", "countOnly"}


class Column:
    """One search column: its name, reportDataType and how to read it from a record."""

    def __init__(self, name, data_type, get, sortable=True, filterable=True, required=False,
                 reference=()):
        self.name, self.type, self.get = name, data_type, get
        self.sortable, self.filterable, self.required = sortable, filterable, required
        self.reference = list(reference)

    def meta(self):
        """The column as metaData.columns lists it (recorded searches: isFreeTextSearchable
        is false even on SEARCH_STRING columns; referenceData names the reference maps)."""
        return {"name": self.name, "sortable": self.sortable, "filterable": self.filterable,
                "reportDataType": self.type, "referenceData": list(self.reference),
                "isFreeTextSearchable": False, "required": self.required}


class Search:
    """A search over records: columns, extra filter-only fields, and optional fast indexes.

    rows() yields records in id order; indexes maps a column name to fn(raw value) returning
    candidate records (or None to fall back to a scan), which keeps SKU/id lookups fast at 100k.
    """

    def __init__(self, columns, rows, reference=None, indexes=None, extra_filters=None):
        self.columns = {c.name: c for c in columns}
        self.order = [c.name for c in columns]
        self.rows, self.reference = rows, reference
        self.indexes = indexes or {}
        self.extra = {c.name: c for c in (extra_filters or [])}

    def run(self, args):
        """Answer a search request; returns (payload, extra top-level keys)."""
        predicates, candidates = [], None
        for name, value in args.items():
            if name in _CONTROL_PARAMS:
                continue
            column = self.columns.get(name) or self.extra.get(name)
            if column is None or not column.filterable:
                # Whether Brightpearl ignores an unknown filter is UNCONFIRMED; refusing it is
                # the stricter reading (a client relying on it would page the whole resource).
                raise bad_filter(f"The filter {name}={value} cannot be parsed: {name} is not "
                                 "a filterable column of this search")
            predicates.append(_predicate(column, value))
            if candidates is None and name in self.indexes:
                candidates = self.indexes[name](value)
        records = candidates if candidates is not None else self.rows()
        matched = [r for r in records if all(p(r) for p in predicates)]
        sorting = self._sort(matched, args.get("sort"))
        first = _int_arg(args, "firstResult", 1, minimum=1)
        size = min(_int_arg(args, "pageSize", DEFAULT_PAGE_SIZE, minimum=1), MAX_PAGE_SIZE)
        selected = self._columns(args.get("columns"))
        count_only = args.get("countOnly", "").lower() == "true"
        page = [] if count_only else matched[first - 1:first - 1 + size]
        results = [[_out(c.get(r)) for c in selected] for r in page]
        meta = {"morePagesAvailable": first - 1 + len(page) < len(matched) and not count_only,
                "resultsAvailable": len(matched), "resultsReturned": len(results),
                "firstResult": first, "lastResult": first - 1 + len(results),
                "columns": [c.meta() for c in selected],
                "sorting": [{"filterable": self.columns[n].meta(), "direction": d} for n, d in sorting]}
        extra = {"reference": self.reference(page) if self.reference else {}}
        return {"results": results, "metaData": meta}, extra

    def meta_data(self):
        """The /meta-data answer: every column with its type."""
        return {"columns": [self.columns[n].meta() for n in self.order]}

    def _sort(self, records, text):
        keys = []
        for part in (text or "").split(","):
            if not part.strip():
                continue
            # Both forms are in the wild (PMS-GUIDE "col.DESC", JAVA "col|DESC").
            name, _, direction = part.strip().replace("|", ".").partition(".")
            direction = (direction or "ASC").upper()
            column = self.columns.get(name)
            if column is None or not column.sortable or direction not in ("ASC", "DESC"):
                raise bad_filter(f"Cannot sort by '{part}'")
            keys.append((column, direction))
        if not keys:
            return [(self.order[0], "ASC")]  # records already come in id order
        for column, direction in reversed(keys):
            records.sort(key=lambda r, c=column: _sort_key(c.get(r)), reverse=direction == "DESC")
        return [(c.name, d) for c, d in keys]

    def _columns(self, text):
        if not text:
            return [self.columns[n] for n in self.order]
        chosen = []
        for name in text.split(","):
            if name.strip() not in self.columns:
                raise bad_filter(f"Unknown column '{name}'")
            chosen.append(self.columns[name.strip()])
        return chosen


def _int_arg(args, name, default, minimum):
    text = args.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise bad_filter(f"{name} must be an integer") from None
    if value < minimum:
        raise bad_filter(f"{name} must be at least {minimum}")
    return value


def _sort_key(value):
    return (value is None, value if value is not None else 0)


def _out(value):
    if isinstance(value, datetime):
        return ts(value)
    if isinstance(value, Decimal):
        return money(value)
    return value


def _predicate(column, text):
    """A record test for one filter, by the column's reportDataType (§4 filters)."""
    kind, get = column.type, column.get
    try:
        if kind == "IDSET":
            wanted = parse_uncapped(text)
            return lambda r: _any(get(r), lambda v: v in wanted)
        if kind == "INTEGER":
            # One whole number: "1,2" or "1-5" do not parse (productGroupId, contactId...).
            if not _INTEGER.fullmatch(text):
                raise ValueError(text)
            number = int(text)
            return lambda r: _any(get(r), lambda v: v == number)
        if kind == "DECIMAL":
            amount = Decimal(text)
            return lambda r: get(r) is not None and Decimal(get(r)) == amount
        if kind == "STRING":
            return lambda r: _any(get(r), lambda v: v == text)
        if kind == "SEARCH_STRING":
            needle = text.lower()
            return lambda r: _any(get(r), lambda v: v is not None and needle in str(v).lower())
        if kind == "STRING_SET":
            values = set(text.split(","))
            return lambda r: _any(get(r), lambda v: v in values)
        if kind == "BOOLEAN":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            flag = text.lower() == "true"
            return lambda r: bool(get(r)) == flag
        if kind == "PERIOD":
            return _period(get, text)
    except (ValueError, ArithmeticError):
        # The wording of VCR:product_search_bad_param.
        raise bad_filter(f"The filter {column.name}={text} cannot be parsed as: {kind}") from None
    raise bad_filter(f"Column '{column.name}' cannot be filtered")


def _period(get, text):
    start_text, slash, end_text = text.partition("/")
    if not slash:  # a single date or date-time: that day, or that instant onwards to its day end
        start, end = parse_ts(text), parse_ts(text, end_of_day=True)
    else:
        start = parse_ts(start_text) if start_text else None
        end = parse_ts(end_text, end_of_day=True) if end_text else None
        if start is None and end is None:
            raise ValueError(text)
    return lambda r: get(r) is not None and (start is None or get(r) >= start) and (
        end is None or get(r) <= end)


def _any(value, test):
    if isinstance(value, (list, tuple, set)):
        return any(test(v) for v in value)
    return test(value)
