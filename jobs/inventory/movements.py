"""The polling path: goods movements since the cursor become pending stock changes.

The cursor means "every movement updated before this time is written or settled". Each scan
starts an overlap window earlier (late commits, clock skew); movements already seen in that
window, or older than the product's last availability read, are not noted again, so the
overlap costs no extra reads or writes.
"""
from datetime import timedelta, timezone

from connectors.bp_search import period
from jobs.inventory.changes import next_cursor, note_changes, oldest_outstanding_movement
from jobs.inventory.times import from_cursor, parse_bp_time, to_cursor
from models.base import utcnow
from models.links import read_cursor, write_cursor
from models.stock import POLL, StockItem

CURSOR = "inventory-goods-movements"
# How far movements have been read (≥ CURSOR, which waits for their writes): each tick reads on
# from here; the overlap re-read from CURSOR runs at most once a minute, because a burst of
# movements would otherwise be fetched again on every tick for the whole window.
READ_CURSOR = "inventory-goods-movements-read"
OVERLAP = timedelta(minutes=2)
# A movement this much older than our last read of its product is already in that read;
# the margin absorbs clock differences between Brightpearl and us.
READ_MARGIN = timedelta(seconds=2)
SEEN_KEY = "pearlbridge:inventory:seen-movements"
COLUMNS = ("goodsMovementId", "productId", "updatedOn")
ENDPOINT = "/warehouse-service/goods-movement-search"


def scan_movements(bp, redis, max_pages=100, resume_from=None, overlap=True):
    """Note the products of new goods movements; returns (products noted, scanned up to,
    whether pages were left for another scan). resume_from continues a scan that stopped
    there (no overlap: those movements were just read); overlap=False reads on from where the
    last scan stopped."""
    cursor = from_cursor(read_cursor(CURSOR))
    if cursor is None:
        # First run: history is the sweep's job; from now on every movement counts.
        write_cursor(CURSOR, to_cursor(utcnow()))
        return 0, None, False
    read_through = from_cursor(read_cursor(READ_CURSOR)) or cursor
    since = resume_from or (cursor - OVERLAP if overlap else max(read_through, cursor))
    pages = bp.search_pages(ENDPOINT, {"updatedOn": period(since)},
                            columns=COLUMNS, sort="updatedOn.ASC")
    noted, newest, read, more = 0, None, 0, False
    for page in pages:
        fresh = _unseen(redis, page.rows)
        earliest = {}
        for row in fresh:
            stamp = parse_bp_time(row.get("updatedOn"))
            pid = row.get("productId")
            if stamp is None or not pid:
                continue
            earliest[int(pid)] = min(stamp, earliest.get(int(pid), stamp))
        due = _not_read_since(earliest)
        noted += note_changes(list(due), POLL, movement_on=due)
        _remember(redis, fresh)
        for row in page.rows:
            stamp = parse_bp_time(row.get("updatedOn"))
            newest = stamp if stamp and (newest is None or stamp > newest) else newest
        read += 1
        if read >= max_pages and page.meta.get("morePagesAvailable"):
            more = True
            break  # sorted oldest first: everything up to newest is noted; the rest next time
    _trim(redis, cursor - OVERLAP - OVERLAP)
    if newest is not None and newest > read_through:
        write_cursor(READ_CURSOR, to_cursor(newest))
    return noted, newest, more


def advance_cursor(scanned_up_to):
    """Move the cursor as far as settled work allows; returns the new value."""
    current = from_cursor(read_cursor(CURSOR))
    target = next_cursor(current, scanned_up_to, oldest_outstanding_movement())
    if target is not None and target != current:
        write_cursor(CURSOR, to_cursor(target))
    return target


def _key(row):
    return f"{row.get('goodsMovementId')}:{row.get('updatedOn')}".encode()


def _unseen(redis, rows):
    if not rows:
        return []
    pipe = redis.pipeline()
    for row in rows:
        pipe.zscore(SEEN_KEY, _key(row))
    return [row for row, score in zip(rows, pipe.execute()) if score is None]


def _remember(redis, rows):
    members = {}
    for row in rows:
        stamp = parse_bp_time(row.get("updatedOn"))
        if stamp is not None:
            members[_key(row)] = _epoch(stamp)
    if members:
        redis.zadd(SEEN_KEY, members)


def _trim(redis, before):
    redis.zremrangebyscore(SEEN_KEY, "-inf", _epoch(before))


def _epoch(naive_utc):
    return naive_utc.replace(tzinfo=timezone.utc).timestamp()


def _not_read_since(earliest):
    """The products whose last availability read may predate their movement."""
    if not earliest:
        return {}
    due = dict(earliest)
    ids = list(earliest)
    for start in range(0, len(ids), 500):
        query = StockItem.select(StockItem.bp_product_id, StockItem.read_at).where(
            StockItem.bp_product_id.in_(ids[start:start + 500]) & StockItem.read_at.is_null(False))
        for pid, read_at in query.tuples():
            if earliest[pid] + READ_MARGIN < read_at:
                due.pop(pid, None)
    return due
