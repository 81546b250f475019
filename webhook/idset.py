"""Brightpearl ID sets ("1-5,7,20-30") expanded into ids, with a cap."""
import re

_PART = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


class InvalidIdSet(ValueError):
    """The ID set is not of Brightpearl's form."""


class IdSetTooLarge(ValueError):
    """The ID set names more ids than the cap allows."""


def expand_id_set(text, cap):
    """The distinct ids of an ID set, in order of first appearance; raises on bad form or size."""
    if not isinstance(text, (str, int)) or str(text).strip() == "":
        raise InvalidIdSet("empty ID set")
    ranges = []
    for part in str(text).split(","):
        match = _PART.match(part)
        if not match:
            raise InvalidIdSet(f"not an ID set part: {part.strip()[:40]!r}")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if end < start:
            raise InvalidIdSet(f"descending range {start}-{end}")
        ranges.append((start, end))
    # Count before expanding, so a hostile "1-999999999" costs nothing.
    if sum(end - start + 1 for start, end in ranges) > cap:
        raise IdSetTooLarge(f"more than {cap} ids")
    return list(dict.fromkeys(i for start, end in ranges for i in range(start, end + 1)))
