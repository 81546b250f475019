"""OAuth 2.0 for instance apps: codes from the control API, rotating refresh tokens (§1)."""
import secrets
import time

from flask import Blueprint, current_app, request

from .envelope import raw

DEFAULT_LIFETIME = 604800  # seven days, as observed in VCR:auth_request_token
CODE_LIFETIME = 600

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
        """A single-use authorization code, as the authorize step would redirect with."""
        code = secrets.token_urlsafe(16)
        self.data["codes"][code] = {"redirect_uri": redirect_uri,
                                    "expires_at": time.time() + CODE_LIFETIME}
        self.state.changed("oauth")
        return code

    def issue_tokens(self):
        """A new access token and refresh token pair; returns (access, refresh, lifetime)."""
        data = self.data
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        lifetime = int(data["lifetime"])
        data["access"][access] = {"expires_at": time.time() + lifetime}
        data["refresh"][refresh] = {"issued_at": time.time()}
        self.state.changed("oauth")
        return access, refresh, lifetime

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


def _error(status, error, description):
    return raw({"error": error, "error_description": description}, status)


@blueprint.route("/oauth/token/<account>", methods=["POST"])
@blueprint.route("/token/<account>", methods=["POST"])
@blueprint.route("/<account>/oauth/token", methods=["POST"])
@blueprint.route("/oauth/token", methods=["POST"])
def token(account=None):
    """The token endpoint: authorization_code and refresh_token grants, form-encoded only."""
    emu = current_app.extensions["brightpearl"]
    # The doc insists on application/x-www-form-urlencoded; JSON bodies are refused.
    if request.mimetype != "application/x-www-form-urlencoded":
        return _error(400, "invalid_request", "body must be application/x-www-form-urlencoded")
    form = request.form
    account = account or form.get("account_code")
    if account != emu.config.account:
        return _error(400, "invalid_request", "unknown account")
    if form.get("client_id") != emu.config.oauth_client_id:
        return _error(401, "invalid_client", "unknown client_id")
    secret = emu.config.oauth_client_secret
    if secret is not None and form.get("client_secret") != secret:
        return _error(401, "invalid_client", "client_secret missing or wrong")
    with emu.state.lock:
        oauth = emu.oauth
        grant = form.get("grant_type")
        if grant == "authorization_code":
            entry = oauth.data["codes"].pop(form.get("code", ""), None)
            if entry is None or entry["expires_at"] < time.time():
                return _error(400, "invalid_grant", "authorization code invalid or used")
            if entry["redirect_uri"] and form.get("redirect_uri") != entry["redirect_uri"]:
                return _error(400, "invalid_grant", "redirect_uri does not match")
        elif grant == "refresh_token":
            # Rotation: a refresh token works once; the answer carries its replacement.
            if oauth.data["refresh"].pop(form.get("refresh_token", ""), None) is None:
                oauth.state.changed("oauth")
                return _error(400, "invalid_grant", "refresh token invalid or already used")
        else:
            return _error(400, "unsupported_grant_type", f"grant_type {grant!r} not supported")
        access, refresh, lifetime = oauth.issue_tokens()
    return raw({"access_token": access, "refresh_token": refresh,
                "installation_instance_id": str(emu.config.instance_id),
                "api_domain": request.host, "token_type": "Bearer", "expires_in": lifetime})
