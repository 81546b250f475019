"""List parameters shared by the collection routes: paging, date filters, _fields (§2.2)."""
import datetime
import math

from flask import request

from .errors import WooError, invalid_param


def _int_param(name, default, low, high=None):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_param(name, f"{name} is not of type integer.") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} (inclusive) and {high} (inclusive)" if high else f"greater than or equal to {low}"
        raise invalid_param(name, f"{name} must be {bound}")
    return value


def as_bool(value):
    """A boolean parameter as WordPress coerces it ("true", "1", "yes" → True)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _parse_date(name, raw):
    try:
        value = datetime.datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise invalid_param(name, "Invalid date.") from None
    return value


def date_predicates(state):
    """Predicates for after/before/modified_after/modified_before on created/modified dates.

    Naive values are compared with the local columns unless dates_are_gmt (§2.2); everything is
    turned into a UTC threshold. Like WP_Date_Query, after/before are exclusive.
    """
    gmt = as_bool(request.args.get("dates_are_gmt", "false"))
    predicates = []
    for name, column, newer in (("after", "date_created", True), ("before", "date_created", False),
                                ("modified_after", "date_modified", True),
                                ("modified_before", "date_modified", False)):
        raw = request.args.get(name)
        if not raw:
            continue
        value = _parse_date(name, raw)
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        elif not gmt:
            value = state.to_utc(value)
        value = value.replace(microsecond=0)
        if newer:
            predicates.append(lambda obj, c=column, v=value: obj[c] > v)
        else:
            predicates.append(lambda obj, c=column, v=value: obj[c] < v)
    return predicates


def csv_ints(name):
    """A comma-separated id list parameter (include/exclude), or None."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise invalid_param(name, f"{name}[0] is not of type integer.") from None


def paginate(items):
    """Slice items by page/per_page/offset; returns (page items, X-WP-* and Link headers)."""
    per_page = _int_param("per_page", 10, 1, 100)
    page = _int_param("page", 1, 1)
    offset = _int_param("offset", None, 0)
    total = len(items)
    pages = math.ceil(total / per_page) if total else 0
    start = offset if offset is not None else (page - 1) * per_page
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = []
    base = request.base_url
    query = {k: v for k, v in request.args.items() if k != "page"}
    if page > 1:
        links.append(f'<{_url(base, query, page - 1)}>; rel="prev"')
    if page < pages:
        links.append(f'<{_url(base, query, page + 1)}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return items[start:start + per_page], headers


def _url(base, query, page):
    from urllib.parse import urlencode

    return f"{base}?{urlencode(dict(query, page=page))}"


def order_by(items, default="date"):
    """Sort by orderby (date/id/modified/title) and order (desc default), as the list routes do."""
    orderby = request.args.get("orderby", default)
    order = request.args.get("order", "desc" if default != "menu_order" else "asc")
    if order not in ("asc", "desc"):
        raise invalid_param("order", "order is not one of asc and desc.")
    keys = {"date": lambda o: (o["date_created"], o["id"]), "id": lambda o: o["id"],
            "modified": lambda o: (o["date_modified"], o["id"]), "menu_order": lambda o: o["id"],
            "title": lambda o: (o.get("name", ""), o["id"]), "include": lambda o: o["id"]}
    if orderby not in keys:
        raise invalid_param("orderby", f"orderby is not one of {', '.join(keys)}.")
    return sorted(items, key=keys[orderby], reverse=order == "desc")


def filter_fields(data):
    """Apply _fields (comma list, dotted paths allowed) as WordPress's rest_filter_response_fields."""
    raw = request.args.get("_fields")
    if not raw:
        return data
    paths = [field.strip().split(".") for field in raw.split(",") if field.strip()]
    # get_fields_for_response always keeps id (§2.2).
    paths.insert(0, ["id"])
    if isinstance(data, list):
        return [_pick(item, paths) for item in data]
    return _pick(data, paths)


def _pick(obj, paths):
    if not isinstance(obj, dict):
        return obj
    result = {}
    for path in paths:
        head = path[0]
        if head not in obj:
            continue
        if len(path) == 1:
            result[head] = obj[head]
        elif isinstance(obj[head], dict):
            inner = _pick(obj[head], [path[1:]])
            result.setdefault(head, {}).update(inner)
    return result


def require_json():
    """The request's JSON (or form) body as a dict; WordPress accepts both."""
    body = request.get_json(silent=True)
    if body is None:
        body = request.form.to_dict() if request.form else {}
    if not isinstance(body, dict):
        raise WooError(400, "rest_invalid_json", "Invalid JSON body passed.")
    return body
