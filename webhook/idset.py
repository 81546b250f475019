"""Brightpearl ID sets ("1-5,7,20-30") expanded into ids, with a cap."""
import re

# Brightpearl ids are INTEGER columns (and so are ours): ten digits at most, below 2^31.
MAX_ID = 2**31 - 1
_PART = re.compile(r"^\s*([0-9]{1,10})\s*(?:-\s*([0-9]{1,10})\s*)?$", re.ASCII)


class InvalidIdSet(ValueError):
    """The ID set is not of Brightpearl's form."""


class IdSetTooLarge(ValueError):
    """The ID set names more ids than the cap allows."""


def expand_id_set(text, cap):
    """The distinct ids of an ID set, in order of first appearance; raises on bad form or size."""
    if not isinstance(text, (str, int)) or isinstance(text, bool) or str(text).strip() == "":
        raise InvalidIdSet("empty ID set")
    ranges, total = [], 0
    for part in str(text).split(","):
        match = _PART.match(part)
        if not match:
            raise InvalidIdSet(f"not an ID set part: {part.strip()[:40]!r}")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if end < start:
            raise InvalidIdSet(f"descending range {start}-{end}")
        if start < 1 or end > MAX_ID:
            raise InvalidIdSet(f"id out of range (1 to {MAX_ID}): {part.strip()[:40]!r}")
        ranges.append((start, end))
        # Counted before expanding, so a hostile "1-999999999" costs nothing.
        total += end - start + 1
        if total > cap:
            raise IdSetTooLarge(f"more than {cap} ids")
    return list(dict.fromkeys(i for start, end in ranges for i in range(start, end + 1)))
