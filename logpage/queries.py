"""Query builders for the Sync Logs page: filters, keyset pages, counts (no OFFSET anywhere).

Every query here is served by sync_log's indexes: (log_type, updated_at, id) for pages,
(log_type, status, updated_at, id) for status filters, counts and the hourly chart.
"""
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from peewee import SQL, Select, fn

from logpage.stores import earlier_connection
from models.db import db
from models.logs import FAILED, LOG_TYPES, STATUSES, SYNCED, SyncLog
from models.search import FTS_TABLE, is_postgres, sqlite_search_ready

PAGE_SIZE = 50
# A search first looks at this many of the newest rows in range: when they hold a page of
# matches, scanning in order is cheapest; otherwise the trigram index finds the rare ones.
SEARCH_WINDOW = 5000
DEFAULT_TYPE = "order"
MAX_QUERY = 100
# Dates a filter may name (the "to" day's end must still be a date) and ids a cursor may
# carry (the id column is INTEGER on PostgreSQL): anything else is explained and dropped.
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)
MAX_ROW_ID = 2**31 - 1


@dataclass(frozen=True)
class Filters:
    """What the staff asked to see: one log type, optionally narrowed."""

    log_type: str = DEFAULT_TYPE
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    connection: int | None = None  # an earlier connection's rows (read-only); None: the current

    def args(self, **extra):
        """The filters as query-string arguments (empty ones left out), plus extra."""
        values = {"type": self.log_type, "status": self.status, "q": self.q,
                  "connection": self.connection,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else ""}
        values.update(extra)
        return {k: v for k, v in values.items() if v}

    def with_type(self, log_type):
        """The same filters for another log type."""
        return replace(self, log_type=log_type)


def parse_filters(args):
    """Filters from request args; values that make no sense are dropped and explained."""
    problems = []
    log_type = args.get("type", DEFAULT_TYPE)
    if log_type not in LOG_TYPES:
        problems.append(f"Unknown log type {log_type!r}; showing orders.")
        log_type = DEFAULT_TYPE
    status = args.get("status", "")
    if status and status not in STATUSES:
        problems.append(f"Unknown status {status!r}; showing every status.")
        status = ""
    dates = []
    for name, label in (("from", "From"), ("to", "To")):
        raw = args.get(name, "").strip()[:40]
        try:
            day = date.fromisoformat(raw) if raw else None
        except ValueError:
            problems.append(f"{label} date {raw!r} is not a date (YYYY-MM-DD); ignored.")
            day = None
        if day is not None and not EARLIEST <= day <= LATEST:
            problems.append(f"{label} date {raw!r} is out of range; ignored.")
            day = None
        dates.append(day)
    connection, problem = earlier_connection(args.get("connection", ""))
    problems += [problem] if problem else []
    return Filters(log_type, status, dates[0], dates[1], search_text(args.get("q", "")),
                   connection), problems


def search_text(raw):
    """The free-text search as typed, spaces collapsed, without control characters (NUL is
    not text to PostgreSQL), at most MAX_QUERY characters."""
    printable = "".join(ch for ch in raw[:4 * MAX_QUERY] if ch.isprintable() or ch.isspace())
    return " ".join(printable.split())[:MAX_QUERY]


def filtered(filters, text=True):
    """SyncLog rows matching filters (unordered); text=False leaves the search out."""
    query = SyncLog.select().where(SyncLog.log_type == filters.log_type)
    if filters.status:
        query = query.where(SyncLog.status == filters.status)
    if filters.date_from:
        query = query.where(SyncLog.updated_at >= datetime.combine(filters.date_from,
                                                                   datetime.min.time()))
    if filters.date_to:
        # Inclusive of the whole "to" day.
        end = datetime.combine(filters.date_to + timedelta(days=1), datetime.min.time())
        query = query.where(SyncLog.updated_at < end)
    if filters.q and text:
        # ILIKE on PostgreSQL, LIKE (case-insensitive for ASCII) on SQLite; wildcards escaped.
        query = query.where(SyncLog.info.contains(filters.q))
    return query


def encode_cursor(row):
    """A page boundary: the row's (updated_at, id) as text for a link."""
    return f"{row.updated_at.isoformat(timespec='microseconds')}_{row.id}"


def decode_cursor(text):
    """(updated_at, id) from a cursor, or None when it is malformed or out of range."""
    stamp, _, row_id = (text or "")[:64].rpartition("_")
    if not (row_id.isascii() and row_id.isdigit() and 0 < int(row_id) <= MAX_ROW_ID):
        return None
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=None), int(row_id)
    except ValueError:
        return None


@dataclass
class Page:
    """One page of rows, newest first, and the cursors of the pages around it."""

    rows: list
    newer: str | None
    older: str | None


def _older_than(query, cursor):
    stamp, row_id = cursor
    # The first term bounds the index range; the second breaks ties between equal timestamps.
    return query.where((SyncLog.updated_at <= stamp)
                       & ((SyncLog.updated_at < stamp) | (SyncLog.id < row_id)))


def _newer_than(query, cursor):
    stamp, row_id = cursor
    return query.where((SyncLog.updated_at >= stamp)
                       & ((SyncLog.updated_at > stamp) | (SyncLog.id > row_id)))


NEWEST_FIRST = (SyncLog.updated_at.desc(), SyncLog.id.desc())
OLDEST_FIRST = (SyncLog.updated_at.asc(), SyncLog.id.asc())


def _fetch(filters, bound, order, size):
    """Up to size rows of filters beyond bound (a function narrowing a query), in order."""
    query = bound(filtered(filters))
    if filters.q and _rare(bound(filtered(filters, text=False)), filters.q, order, size):
        query = _indexed(query, filters.q)
    return list(query.order_by(*order).limit(size))


def _rare(unsearched, q, order, size):
    # Fewer than a page of matches among the newest SEARCH_WINDOW rows: an ordered scan
    # would read far beyond them, so the index is used instead.
    window = unsearched.select(SyncLog.info).order_by(*order).limit(SEARCH_WINDOW).alias("w")
    # The inner LIMIT stops the scan at the first page of hits, so common words cost little.
    hits = Select([window], [SQL("1")]).where(window.c.info.contains(q)).limit(size).alias("h")
    return Select([hits], [fn.COUNT(SQL("1"))]).scalar(db) < size


def _indexed(query, q):
    database = db.obj
    if is_postgres(database) or len(q) < 3 or any(c in q for c in "%_\\\""):
        return query  # PostgreSQL's planner takes the GIN index for ILIKE by itself
    if not sqlite_search_ready(database):
        return query
    # FTS5's trigram tokenizer answers LIKE from its index (case-insensitive).
    return query.where(SyncLog.id.in_(SQL(
        f"(SELECT rowid FROM {FTS_TABLE} WHERE info LIKE ?)", [f"%{q}%"])))


def keyset_page(filters, older=None, newer=None, size=PAGE_SIZE):
    """The page after cursor older, or before cursor newer, or the newest page."""
    if newer and (cursor := decode_cursor(newer)):
        rows = _fetch(filters, lambda q: _newer_than(q, cursor), OLDEST_FIRST, size + 1)
        more = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, encode_cursor(rows[0]) if more and rows else None,
                    encode_cursor(rows[-1]) if rows else None)
    cursor = decode_cursor(older) if older else None
    bound = (lambda q: _older_than(q, cursor)) if cursor else (lambda q: q)
    rows = _fetch(filters, bound, NEWEST_FIRST, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, encode_cursor(rows[0]) if cursor and rows else None,
                encode_cursor(rows[-1]) if more else None)


def iterate(filters, batch=1000, limit=None):
    """Every matching row, newest first, fetched in keyset batches (for exports)."""
    cursor, sent = None, 0
    while True:
        size = batch if limit is None else min(batch, limit - sent)
        if size <= 0:
            return
        bound = (lambda q, c=cursor: _older_than(q, c)) if cursor else (lambda q: q)
        rows = _fetch(filters, bound, NEWEST_FIRST, size)
        yield from rows
        sent += len(rows)
        if len(rows) < size:
            return
        cursor = (rows[-1].updated_at, rows[-1].id)


def _hour_expression():
    if db.obj.__class__.__name__.startswith("Postgres"):
        return fn.to_char(SyncLog.updated_at, "YYYY-MM-DD HH24").coerce(False)
    # coerce(False): the label is text, not to be parsed back as the column's datetime.
    return fn.strftime("%Y-%m-%d %H", SyncLog.updated_at).coerce(False)


def hourly_outcomes(log_type, now, hours=24):
    """[(hour start, synced, failed)] for the last hours, oldest first, by last update."""
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours - 1)
    buckets = {start + timedelta(hours=i): [0, 0] for i in range(hours)}
    hour = _hour_expression()
    query = (SyncLog.select(hour, SyncLog.status, fn.COUNT(SyncLog.id))
             .where((SyncLog.log_type == log_type) & SyncLog.status.in_([SYNCED, FAILED])
                    & (SyncLog.updated_at >= start))
             .group_by(hour, SyncLog.status).tuples())
    for label, status, count in query:
        key = datetime.strptime(label, "%Y-%m-%d %H")
        if key in buckets:
            buckets[key][0 if status == SYNCED else 1] += count
    return [(key, synced, failed) for key, (synced, failed) in sorted(buckets.items())]
