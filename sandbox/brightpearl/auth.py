"""Request authentication: staff/account tokens for private apps, Bearer tokens for OAuth (§1)."""
from .envelope import ApiError

EXPIRED_BODY = {"response": "Authorization token expired"}
# The body for other failures is not recorded anywhere we could read; this mirrors the
# observed expired-token shape (UNCONFIRMED, see README).
UNAUTHENTICATED_BODY = {"response": "Not authenticated"}


def pool_for(config, headers):
    """The throttle pool of a request: private apps share one per account, OAuth apps get
    one per account + developer (H-THR)."""
    if headers.get("Authorization", "").startswith("Bearer"):
        return ("oauth", config.account, headers.get("brightpearl-dev-ref", ""))
    return ("private", config.account)


def authenticate(config, oauth, headers):
    """Raise a 401 ApiError unless the headers carry valid credentials for this account."""
    authorization = headers.get("Authorization")
    app_ref = headers.get("brightpearl-app-ref")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        # N8N: without both -ref headers Brightpearl answers 401 even with a good token.
        if scheme != "Bearer" or not token.strip():
            _fail()
        if app_ref != config.oauth_client_id or headers.get("brightpearl-dev-ref") != config.dev_ref:
            _fail()
        status = oauth.check(token.strip())
        if status == "expired":
            raise ApiError(401, "", "", body=EXPIRED_BODY)
        if status != "ok":
            _fail()
        return "oauth"
    if app_ref != config.app_ref:
        _fail()
    staff = headers.get("brightpearl-staff-token")
    if staff is not None:
        if staff != config.staff_token:
            _fail()
        return "staff"
    account = headers.get("brightpearl-account-token")
    if account is not None and config.account_token is not None and account == config.account_token:
        return "account"
    _fail()


def _fail():
    raise ApiError(401, "", "", body=UNAUTHENTICATED_BODY)
