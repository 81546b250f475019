"""OAuth 2.0 for instance apps: the authorize page, the token endpoint, rotating refresh tokens.

Shapes follow the recorded traffic (reference §1 and "Column types and values confirmed"): the
code exchange answers installation_instance_id, a refresh does not and its expires_in is the
remaining lifetime; token errors are 400 {"error": "invalid_client"} (no description) or
{"error": "invalid_grant", "error_description": ...}.
"""
import secrets
import time
import uuid

from flask import Blueprint, current_app, request

from .envelope import raw
from .oauth_pages import authorize_page, error_page, redirect_to

DEFAULT_LIFETIME = 604800  # seven days, as observed in VCR:auth_request_token
CODE_LIFETIME = 600
EXPIRED_GRANT = "The auth token has either expired or does not exist"
REDIRECT_MISMATCH = "Redirect uri does not match that used to request auth token"

blueprint = Blueprint("bp_oauth", __name__)


class OAuth:
    """Codes, access tokens and refresh tokens, held in the state's "oauth" collection."""

    def __init__(self, state):
        self.state = state

    @property
    def data(self):
        """The persisted dict: codes, access, refresh, lifetime."""
        data = self.state.oauth
        for key in ("codes", "access", "refresh"):
            data.setdefault(key, {})
        data.setdefault("lifetime", DEFAULT_LIFETIME)
        return data

    def issue_code(self, redirect_uri=None):
        """A single-use authorization code (a UUID, as recorded) for the token endpoint."""
        code = str(uuid.uuid4())
        self.data["codes"][code] = {"redirect_uri": redirect_uri,
                                    "expires_at": time.time() + CODE_LIFETIME}
        self.state.changed("oauth")
        return code

    def issue_tokens(self, expires_at=None):
        """A new access + refresh token pair; returns (access, refresh, seconds left).

        expires_at keeps a refreshed token on its predecessor's expiry (the recorded refresh
        answered expires_in 537227, not 604800); None starts a full lifetime.
        """
        data = self.data
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        moment = time.time()
        if expires_at is None or expires_at <= moment:
            seconds = int(data["lifetime"])
            expires_at = moment + seconds
        else:
            seconds = max(1, int(expires_at - moment))
        data["access"][access] = {"expires_at": expires_at}
        data["refresh"][refresh] = {"issued_at": moment, "access": access}
        self.state.changed("oauth")
        return access, refresh, seconds

    def redeem_refresh(self, token):
        """Use a refresh token once; returns its access token's expiry, or None if invalid."""
        entry = self.data["refresh"].pop(token, None)
        self.state.changed("oauth")
        if entry is None:
            return None
        previous = self.data["access"].get(entry.get("access"), {})
        return previous.get("expires_at", 0)

    def check(self, token):
        """"ok", "expired" or "unknown" for an access token."""
        entry = self.data["access"].get(token)
        if entry is None:
            return "unknown"
        return "ok" if entry["expires_at"] > time.time() else "expired"

    def expire_all(self):
        """Expire every access token now (the refresh tokens stay usable)."""
        for entry in self.data["access"].values():
            entry["expires_at"] = 0
        self.state.changed("oauth")
        return len(self.data["access"])


def _error(error, description=None):
    body = {"error": error}
    if description:
        body["error_description"] = description
    return raw(body, 400)


@blueprint.route("/authorize/<account>", methods=["GET", "POST"])
def authorize(account):
    """The consent page an admin sees; approving redirects to redirect_uri with code and state.

    Problems with the client or the redirect URI are shown on the page and never redirected
    (the URI is not trusted yet), as OAuth servers do.
    """
    emu = current_app.extensions["brightpearl"]
    params = request.values
    redirect_uri, state = params.get("redirect_uri", ""), params.get("state", "")
    if account != emu.config.account:
        return error_page(f"There is no Brightpearl account {account!r}.", 404)
    if params.get("client_id") != emu.config.oauth_client_id:
        return error_page("This app is not installed on the account (unknown client_id).")
    if params.get("response_type") != "code":
        return error_page("response_type must be code.")
    registered = emu.config.oauth_redirect_uri
    if not redirect_uri.startswith(("http://", "https://")) or (
            registered and redirect_uri != registered):
        return error_page("redirect_uri is missing or is not the app's registered one.")
    if request.method == "GET":
        return authorize_page(account, params)
    if request.form.get("decision") != "allow":
        return redirect_to(redirect_uri, error="access_denied", state=state)
    with emu.state.lock:
        code = emu.oauth.issue_code(redirect_uri)
    return redirect_to(redirect_uri, code=code, state=state)


@blueprint.route("/oauth/token/<account>", methods=["POST"])
@blueprint.route("/token/<account>", methods=["POST"])
@blueprint.route("/<account>/oauth/token", methods=["POST"])
@blueprint.route("/oauth/token", methods=["POST"])
def token(account=None):
    """The token endpoint: authorization_code and refresh_token grants, form-encoded only."""
    emu = current_app.extensions["brightpearl"]
    # The doc insists on application/x-www-form-urlencoded; JSON bodies are refused.
    if request.mimetype != "application/x-www-form-urlencoded":
        return _error("invalid_request", "body must be application/x-www-form-urlencoded")
    form = request.form
    account = account or form.get("account_code")
    secret = emu.config.oauth_client_secret
    if account != emu.config.account or form.get("client_id") != emu.config.oauth_client_id or (
            secret is not None and form.get("client_secret") != secret):
        return _error("invalid_client")  # recorded with no description
    with emu.state.lock:
        oauth = emu.oauth
        grant = form.get("grant_type")
        if grant == "authorization_code":
            entry = oauth.data["codes"].pop(form.get("code", ""), None)
            oauth.state.changed("oauth")
            if entry is None or entry["expires_at"] < time.time():
                return _error("invalid_grant", EXPIRED_GRANT)
            if entry["redirect_uri"] and form.get("redirect_uri") != entry["redirect_uri"]:
                return _error("invalid_grant", REDIRECT_MISMATCH)
            access, refresh, lifetime = oauth.issue_tokens()
            return raw({"access_token": access, "refresh_token": refresh,
                        "installation_instance_id": str(emu.config.instance_id),
                        "api_domain": request.host, "token_type": "Bearer",
                        "expires_in": lifetime})
        if grant == "refresh_token":
            # Rotation: a refresh token works once; the answer carries its replacement.
            expiry = oauth.redeem_refresh(form.get("refresh_token", ""))
            if expiry is None:
                return _error("invalid_grant", EXPIRED_GRANT)
            access, refresh, lifetime = oauth.issue_tokens(expiry)
            # No installation_instance_id on a refresh (recorded VCR:auth_use_refresh_token).
            return raw({"access_token": access, "refresh_token": refresh,
                        "api_domain": request.host, "token_type": "Bearer",
                        "expires_in": lifetime})
        return _error("unsupported_grant_type", f"grant_type {grant!r} not supported")
