"""WooCommerce answers read into typed errors (§2.8): {code, message, data} where data is an
object with a status, or a bare integer (refund errors answer HTTP 500 with "data": 404)."""
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from connectors.errors import NotFoundError, PermanentError, TransientError, scrub

PLATFORM = "woocommerce"
DEFAULT_RETRY_AFTER = 5.0


def parse_error(body):
    """(code, message, data_status) from a WordPress error body; Nones when it is not one."""
    if not isinstance(body, dict) or "code" not in body:
        return None, None, None
    data = body.get("data")
    status = data if isinstance(data, int) else (data or {}).get("status") \
        if isinstance(data, dict) else None
    return str(body.get("code")), str(body.get("message") or ""), status


def is_throttle(status, headers):
    """429 (Store API, host or WAF limits), or a 503 that says when to come back."""
    return status == 429 or (status == 503 and bool(_retry_header(headers)))


def retry_after(headers):
    """Seconds to wait from Retry-After / RateLimit-Retry-After (seconds or an HTTP date)."""
    value = _retry_header(headers)
    if not value:
        return DEFAULT_RETRY_AFTER
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


def error_for(label, status, body, secrets=()):
    """The typed error for a failed (or unreadable) answer; None when it is a success."""
    if 200 <= status < 300:
        if body is not None or status == 204:
            return None
        return TransientError("The store sent an answer we could not read (perhaps a firewall "
                              "page); it will be tried again", status=status, platform=PLATFORM,
                              detail=f"{label} -> HTTP {status}, body is not JSON")
    code, message, data_status = parse_error(body)
    effective = data_status if isinstance(data_status, int) and 400 <= data_status < 500 \
        else status
    detail = scrub(f"{label} -> HTTP {status} {code or ''}: {(message or '')[:300]}", secrets)
    text = scrub(message, secrets) if message else f"HTTP {status}"
    kwargs = {"code": code, "status": status, "platform": PLATFORM, "detail": detail}
    if effective == 404:
        return NotFoundError(f"WooCommerce could not find it: {text}", **kwargs)
    if effective in (401, 403):
        hint = "check the WooCommerce API keys (or enable query-string auth if the host strips " \
               "the Authorization header)" if code else "a firewall may be blocking us"
        return PermanentError(f"The store refused our access ({text}); {hint}", **kwargs)
    if effective == 413:
        return PermanentError(f"The store refused a request as too large: {text}", **kwargs)
    if 400 <= effective < 500:
        return PermanentError(f"WooCommerce rejected the request: {text}", **kwargs)
    return TransientError(f"The store had a problem on its side (HTTP {status}); it will be "
                          "tried again", **kwargs)


def _retry_header(headers):
    return headers.get("Retry-After") or headers.get("RateLimit-Retry-After")
