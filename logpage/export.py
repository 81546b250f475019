"""Export of the filtered Sync Logs rows as CSV or JSON, streamed in keyset batches."""
import csv
import io
import json

from flask import Response, abort, request, stream_with_context

from logpage.queries import iterate, parse_filters
from logpage.stores import scoped
from models.base import utcnow

EXPORT_LIMIT = 100_000
COLUMNS = ("id", "log_type", "record_key", "info", "status", "pending_reason",
           "failure_reason", "quantity", "amount", "currency", "tracking", "source_ref",
           "target_ref", "created_at", "synced_at", "updated_at", "attempt_count")


def row_dict(row):
    """One row as plain JSON-ready values (times in ISO-8601 UTC, money as exact text)."""
    out = {}
    for name in COLUMNS:
        value = getattr(row, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat() + "Z"
        elif name == "amount" and value is not None:
            value = str(value)
        out[name] = value
    return out


def _cell(value):
    # Spreadsheets run cells starting with = + - @ as formulas; a quote keeps them text.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        data = row_dict(row)
        writer.writerow([_cell(data[c]) for c in COLUMNS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(rows):
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row_dict(row), ensure_ascii=False)
        first = False
    yield "\n]\n"


def _scoped(filters, write):
    # The body streams after the view returns: the connection is chosen where it is read.
    with scoped(filters.connection):
        yield from write(iterate(filters, limit=EXPORT_LIMIT))


def export(fmt):
    """Stream the rows matching the page's filters (up to EXPORT_LIMIT) as csv or json."""
    if fmt not in ("csv", "json"):
        abort(404)
    filters, _ = parse_filters(request.args)
    body = _scoped(filters, _csv if fmt == "csv" else _json)
    name = f"sync-logs-{filters.log_type}-{utcnow():%Y%m%dT%H%M%SZ}.{fmt}"
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Export-Limit"] = str(EXPORT_LIMIT)
    return response
