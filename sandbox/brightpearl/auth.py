"""Request authentication: staff/account tokens for private apps, Bearer tokens for OAuth (§1)."""
from .envelope import ApiError

EXPIRED_BODY = {"response": "Authorization token expired"}
# A refused Bearer token is echoed back (recorded: "Invalid instance token: <token>"), so a
# client must keep 401 bodies out of its logs. Private-app failures are not recorded; they
# echo the token the same way (UNCONFIRMED, the stricter reading), and a request with no
# credentials at all gets the plain text.
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
            _fail("instance", token.strip())
        status = oauth.check(token.strip())
        if status == "expired":
            raise ApiError(401, "", "", body=EXPIRED_BODY)
        if status != "ok":
            _fail("instance", token.strip())
        return "oauth"
    staff = headers.get("brightpearl-staff-token")
    account = headers.get("brightpearl-account-token")
    if app_ref != config.app_ref:
        _fail("staff" if staff else "account", staff or account)
    if staff is not None:
        if staff != config.staff_token:
            _fail("staff", staff)
        return "staff"
    if account is not None and config.account_token is not None and account == config.account_token:
        return "account"
    _fail("account", account)


def _fail(kind=None, token=None):
    body = {"response": f"Invalid {kind} token: {token}"} if token else UNAUTHENTICATED_BODY
    raise ApiError(401, "", "", body=body)
