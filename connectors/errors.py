"""Typed errors the API clients raise; jobs decide what to do with them, clients never do."""


class ConnectorError(Exception):
    """A call to a platform did not succeed.

    str(error) is worded for a shop manager on the log page; detail keeps the technical part
    (status, platform error code, endpoint) for the row's detail view. No secrets in either.
    """

    def __init__(self, message, *, code=None, status=None, detail=None, platform=None):
        super().__init__(message)
        self.code, self.status, self.detail, self.platform = code, status, detail, platform


class TransientError(ConnectorError):
    """Timeouts, connection errors, 5xx, throttling: worth retrying later."""


class ThrottledError(TransientError):
    """The platform asked us to slow down; wait_seconds is how long it said to wait."""

    def __init__(self, message, *, wait_seconds=None, **kwargs):
        super().__init__(message, **kwargs)
        self.wait_seconds = wait_seconds


class PermanentError(ConnectorError):
    """Validation errors, other 4xx, a required record that does not exist: retrying won't help."""


class NotFoundError(PermanentError):
    """A record that had to exist does not (Brightpearl 404 CMNC-404 or 200 [], Woo 404)."""


def scrub(text, secrets):
    """text with every non-empty secret replaced by ***, so platform echoes never leak them."""
    text = "" if text is None else str(text)
    for secret in secrets:
        if secret and len(str(secret)) >= 4:
            text = text.replace(str(secret), "***")
    return text
