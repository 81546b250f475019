"""Brightpearl answers read into results or typed errors (§3): the {"response"} / {"errors"}
envelope, both not-found shapes, the client errors that come back as 500 (CMNC-018 a filter value
that does not parse, CMNC-044 a bad JSON-Patch operation: permanent, never retried) and the 503
throttle."""
from connectors.errors import NotFoundError, PermanentError, TransientError, scrub

PLATFORM = "brightpearl"
NOT_FOUND_CODE = "CMNC-404"
BAD_FILTER_CODE = "CMNC-018"
BAD_PATCH_CODE = "CMNC-044"
# Client errors Brightpearl answers with HTTP 500 (reference, "confirmed in recorded responses").
CLIENT_ERRORS_AS_500 = {BAD_FILTER_CODE: "could not read a search value",
                        BAD_PATCH_CODE: "refused a change to the record"}
DEFAULT_THROTTLE_WAIT = 5.0  # AIRBYTE's default when the 503 names no period


def is_throttle(status, body):
    """True for Brightpearl's "too many requests" 503 (and a defensive 429)."""
    if status == 429:
        return True
    if status != 503:
        return False
    text = body.get("response") if isinstance(body, dict) else body
    return "too many requests" in str(text or "").lower()


def throttle_wait(headers):
    """Seconds the platform asked us to wait: brightpearl-next-throttle-period is milliseconds."""
    for name, scale in (("brightpearl-next-throttle-period", 1000.0), ("Retry-After", 1.0)):
        value = headers.get(name)
        if value not in (None, ""):
            try:
                return max(0.0, float(value) / scale)
            except ValueError:
                continue
    return DEFAULT_THROTTLE_WAIT


def first_error(body):
    """(code, message) of the first error in body, or (None, text) for bare {"response": "..."}."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return errors[0].get("code"), str(errors[0].get("message") or "")
        if isinstance(body.get("response"), str):
            return None, body["response"]
    return None, ""


def error_for(label, status, body, secrets=()):
    """The typed error for a non-2xx (or unreadable) answer; None when it is a success."""
    if 200 <= status < 300:
        if isinstance(body, dict) and "errors" not in body:
            return None
        if isinstance(body, dict):
            code, message = first_error(body)
            return _permanent(f"Brightpearl rejected the request: {message}", label, status,
                              code, message, secrets)
        return TransientError("Brightpearl sent an answer we could not read; it will be "
                              "tried again", status=status, platform=PLATFORM,
                              detail=f"{label} -> HTTP {status}, body is not JSON")
    code, message = first_error(body)
    if status == 401:
        return _permanent("Brightpearl did not accept our credentials; check the Brightpearl "
                          "connection settings", label, status, code or "unauthorised", message,
                          secrets)
    if status == 404 and (code == NOT_FOUND_CODE or code is None):
        return NotFoundError(f"Brightpearl could not find it: {scrub(message, secrets) or label}",
                             code=code or NOT_FOUND_CODE, status=status, platform=PLATFORM,
                             detail=_detail(label, status, code, message, secrets))
    if status == 500 and code in CLIENT_ERRORS_AS_500:
        return _permanent(f"Brightpearl {CLIENT_ERRORS_AS_500[code]}: {message}", label, status,
                          code, message, secrets)
    if status >= 500 or status == 408:
        return TransientError(f"Brightpearl had a problem on its side (HTTP {status}); it will "
                              "be tried again", code=code, status=status, platform=PLATFORM,
                              detail=_detail(label, status, code, message, secrets))
    if status == 403:
        return _permanent(f"Brightpearl does not allow this for our app: {message}", label,
                          status, code, message, secrets)
    return _permanent(f"Brightpearl rejected the request: {message or f'HTTP {status}'}",
                      label, status, code, message, secrets)


def not_found(what, label):
    """The NotFoundError for a record that had to exist (the 200 [] shape)."""
    return NotFoundError(f"Brightpearl has no {what}", code=NOT_FOUND_CODE, status=200,
                         platform=PLATFORM, detail=f"{label} -> HTTP 200, empty response")


def _permanent(text, label, status, code, message, secrets):
    return PermanentError(scrub(text, secrets), code=code, status=status, platform=PLATFORM,
                          detail=_detail(label, status, code, message, secrets))


def _detail(label, status, code, message, secrets):
    return scrub(f"{label} -> HTTP {status} {code or ''}: {str(message)[:300]}", secrets)
