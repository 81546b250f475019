"""ID sets: "1-5,7,20-30" parsing with per-resource caps, compression and OPTIONS chunking (§4)."""
from .envelope import ApiError

DEFAULT_CAP = 200
GOODS_OUT_CAP = 500


def parse(text, cap=DEFAULT_CAP):
    """Parse an ID set into a sorted list of unique ids; 400 when malformed or over cap."""
    ranges, total = [], 0
    for part in str(text).split(","):
        part = part.strip()
        low, dash, high = part.partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise ApiError(400, "CMNC-016", f"Invalid ID set '{text}'")
        low, high = int(low), int(high) if dash else int(low)
        # Ranges are ascending only and ids are positive (H-IDS).
        if low < 1 or high < low:
            raise ApiError(400, "CMNC-016", f"Invalid ID set '{text}'")
        ranges.append((low, high))
        total += high - low + 1
        if cap and total > cap:
            raise ApiError(400, "CMNC-026",
                           f"ID set too large: at most {cap} ids per request; "
                           "send OPTIONS to this URI for the GET URIs to use")
    ids = set()
    for low, high in ranges:
        ids.update(range(low, high + 1))
    return sorted(ids)


def parse_uncapped(text):
    """Parse an ID set used as a search filter (no cap); ValueError when malformed."""
    try:
        return set(parse(text, cap=None))
    except ApiError as exc:
        raise ValueError(exc.message) from exc


def compress(ids):
    """Write ids as the shortest ID set, e.g. [1,2,3,7] -> "1-3,7"."""
    parts, run = [], []
    for value in sorted(set(ids)):
        if run and value == run[-1] + 1:
            run.append(value)
            continue
        if run:
            parts.append(_run(run))
        run = [value]
    if run:
        parts.append(_run(run))
    return ",".join(parts)


def _run(run):
    return str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}"


def chunks(ids, cap=DEFAULT_CAP):
    """Split ids into compressed ID sets of at most cap ids each (the OPTIONS getUris)."""
    ids = sorted(set(ids))
    return [compress(ids[i:i + cap]) for i in range(0, len(ids), cap)]


def expand_all_or_parse(text, universe, cap=DEFAULT_CAP):
    """"*" means every id in universe (no cap, as the doc allows for prices); else parse."""
    if text == "*":
        return sorted(universe)
    return parse(text, cap)
