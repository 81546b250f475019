"""Brightpearl ID sets for GETs: ids compressed into ranges ("1-5,7,20-30") and chunked at the
per-resource cap (H-IDS: 200 ids per GET; 500 for goods-out notes)."""

DEFAULT_CAP = 200
GOODS_OUT_CAP = 500


def normalise(ids):
    """Distinct positive integer ids, ascending (ranges must ascend, H-IDS)."""
    values = set()
    for value in ids:
        number = int(value)
        if number <= 0:
            raise ValueError(f"Brightpearl ids are positive integers, not {value!r}")
        values.add(number)
    return sorted(values)


def compress(ids):
    """An ID-set string for ids: consecutive runs become ranges, e.g. [1,2,3,5] -> "1-3,5"."""
    parts, run = [], []
    for number in normalise(ids):
        if run and number == run[-1] + 1:
            run.append(number)
            continue
        if run:
            parts.append(_part(run))
        run = [number]
    if run:
        parts.append(_part(run))
    return ",".join(parts)


def chunk(ids, cap=DEFAULT_CAP):
    """The distinct ids in ascending chunks of at most cap ids each."""
    if cap < 1:
        raise ValueError("cap must be at least 1")
    values = normalise(ids)
    return [values[i:i + cap] for i in range(0, len(values), cap)]


def id_sets(ids, cap=DEFAULT_CAP):
    """The ID-set strings needed to GET every id, each naming at most cap ids."""
    return [compress(part) for part in chunk(ids, cap)]


def _part(run):
    if len(run) == 1:
        return str(run[0])
    return f"{run[0]}-{run[-1]}"
