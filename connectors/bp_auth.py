"""Brightpearl authentication (§1): private-app headers, or OAuth with refresh and rotation.

OAuth access tokens live 7 days; every refresh answers a new refresh token, which is saved
through the TokenStore at once (the old one no longer works). api_domain from the token answer
names the host to call, and can change when an account moves datacentre. A refresh answer has
no installation_instance_id (only the code exchange has it), so the stored one is kept; and its
expires_in is the remaining lifetime, so refreshing early may not buy time: then the token is
used until it expires (or a 401) instead of being refreshed on every call.
"""
import threading
import time
from urllib.parse import urlencode, urlsplit, urlunsplit

from connectors.errors import PermanentError, TransientError
from connectors.transport import DEFAULT_TIMEOUT, json_or_none, new_session, send

PLATFORM = "brightpearl"
DEFAULT_TOKEN_URL = "https://oauth.brightpearl.com/token/{account}"
DEFAULT_AUTHORIZE_URL = "https://oauth.brightpearl.com/authorize/{account}"
REFRESH_MARGIN_SECONDS = 24 * 3600  # refresh a day before the 7-day token expires


def authorize_url(account, client_id, redirect_uri, state, template=None):
    """Where an account admin approves the app; Brightpearl then redirects to redirect_uri
    with ?code=…&state=… (the Authorization Code Grant, reference §1 (3))."""
    base = (template or DEFAULT_AUTHORIZE_URL).format(account=account)
    query = urlencode({"response_type": "code", "client_id": client_id,
                       "redirect_uri": redirect_uri, "state": state})
    return f"{base}{'&' if '?' in base else '?'}{query}"


class PrivateAppAuth:
    """A private app: brightpearl-app-ref plus a staff token (or a legacy account token)."""

    mode = "private"

    def __init__(self, app_ref, staff_token=None, account_token=None):
        if not (staff_token or account_token):
            raise ValueError("a private app needs a staff token or an account token")
        self.app_ref, self._staff, self._account = app_ref, staff_token, account_token

    def headers(self):
        """The headers every API call carries."""
        token = {"brightpearl-staff-token": self._staff} if self._staff else {
            "brightpearl-account-token": self._account}
        return {"brightpearl-app-ref": self.app_ref, **token}

    def base_url(self, configured):
        """Private apps call the configured host."""
        return configured

    def refresh(self, failed_headers=None):
        """Private tokens cannot be refreshed: False tells the caller to give up."""
        return False

    @property
    def secrets(self):
        """Values that must never appear in messages."""
        return [self._staff, self._account]


class OAuthAuth:
    """An OAuth instance app: Bearer token + brightpearl-dev-ref + brightpearl-app-ref."""

    mode = "oauth"

    def __init__(self, *, account, client_id, dev_ref, store, client_secret=None, token_url=None,
                 session=None, timeout=DEFAULT_TIMEOUT, counter=None,
                 refresh_margin=REFRESH_MARGIN_SECONDS, now=time.time):
        self.account, self.client_id, self.dev_ref = account, client_id, dev_ref
        self.store, self._secret = store, client_secret or None
        self.token_url = (token_url or DEFAULT_TOKEN_URL).format(account=account)
        self._session = session or new_session()
        self._timeout, self._counter = timeout, counter
        self._margin, self._now = refresh_margin, now
        self._lock = threading.Lock()

    @property
    def tokens(self):
        """The stored tokens; PermanentError when the app was never authorised."""
        tokens = self.store.load()
        if not tokens or not tokens.get("refresh_token"):
            raise PermanentError("Brightpearl is not connected yet: authorise the app first",
                                 code="oauth_missing", platform=PLATFORM,
                                 detail="no OAuth tokens in the token store")
        return tokens

    def headers(self):
        """Headers for one call, refreshing first when the access token is close to expiry."""
        tokens = self.tokens
        if self._due(tokens):
            tokens = self._refresh_from(tokens)
        return {"Authorization": f"Bearer {tokens['access_token']}",
                "brightpearl-dev-ref": self.dev_ref, "brightpearl-app-ref": self.client_id}

    def base_url(self, configured):
        """configured with its host replaced by the api_domain Brightpearl gave us, if any."""
        domain = (self.store.load() or {}).get("api_domain")
        if not domain:
            return configured
        parts = urlsplit(configured)
        return urlunsplit((parts.scheme, domain, parts.path, "", ""))

    @property
    def installation_instance_id(self):
        """The id to send as installedIntegrationInstanceId on orders, or None."""
        value = (self.store.load() or {}).get("installation_instance_id")
        return int(value) if value not in (None, "") else None

    def refresh(self, failed_headers=None):
        """Get a new access token after a 401; True when there is one to retry with."""
        tokens = self.tokens
        failed = (failed_headers or {}).get("Authorization", "")
        if failed and failed != f"Bearer {tokens.get('access_token')}":
            return True  # another thread or process already refreshed; retry with its token
        self._refresh_from(tokens, force=True)
        return True

    def exchange_code(self, code, redirect_uri=None):
        """Trade an authorization code for the first tokens and save them."""
        form = {"grant_type": "authorization_code", "code": code, "client_id": self.client_id}
        if redirect_uri:
            form["redirect_uri"] = redirect_uri
        return self._save(self._post(form))

    @property
    def secrets(self):
        """Values that must never appear in messages."""
        tokens = self.store.load() or {}
        return [self._secret, tokens.get("access_token"), tokens.get("refresh_token")]

    def _due(self, tokens):
        """True when the access token should be refreshed before the next call."""
        expires = float(tokens.get("expires_at") or 0)
        return self._now() >= float(tokens.get("refresh_after") or expires - self._margin)

    def _refresh_from(self, tokens, force=False):
        with self._lock:
            current = self.store.load() or tokens
            if current.get("access_token") != tokens.get("access_token") or (
                    not force and not self._due(current)):
                return current  # rotated meanwhile
            form = {"grant_type": "refresh_token", "refresh_token": current["refresh_token"],
                    "client_id": self.client_id}
            try:
                return self._save(self._post(form), current)
            except PermanentError as exc:
                if exc.code != "invalid_grant":
                    raise
                return self._rotated_elsewhere(current, exc)

    def _rotated_elsewhere(self, used, error):
        # Refresh tokens work once: when two processes refresh together one loses, and finds the
        # winner's tokens in the shared store a moment later.
        for _ in range(5):
            latest = self.store.load() or {}
            if latest.get("refresh_token") and latest.get("refresh_token") != used["refresh_token"]:
                return latest
            time.sleep(0.2)
        raise error

    def _post(self, form):
        if self._secret:
            form["client_secret"] = self._secret
        endpoint = "POST /oauth/token"
        response = send(self._session, "POST", self.token_url, data=form, platform=PLATFORM,
                        endpoint=endpoint, timeout=self._timeout)
        body = json_or_none(response) or {}
        if response.status_code >= 500 or response.status_code == 429:
            self._count(endpoint, "transient")
            raise TransientError("Brightpearl's login service is unavailable; will retry",
                                 status=response.status_code, platform=PLATFORM,
                                 detail=f"{endpoint} -> {response.status_code}")
        if response.status_code != 200 or "access_token" not in body:
            self._count(endpoint, "permanent")
            code = body.get("error") or f"http_{response.status_code}"
            raise PermanentError(
                "Brightpearl refused our authorisation; reconnect the Brightpearl app",
                code=code, status=response.status_code, platform=PLATFORM,
                detail=f"{endpoint} -> {response.status_code} {code}: "
                       f"{str(body.get('error_description', ''))[:200]}")
        self._count(endpoint, "ok")
        return body

    def _save(self, body, previous=None):
        previous = previous or {}
        expires_at = self._now() + int(body.get("expires_in") or 0)
        tokens = {"access_token": body["access_token"], "refresh_token": body["refresh_token"],
                  "expires_at": expires_at, "token_type": body.get("token_type"),
                  "api_domain": body.get("api_domain") or previous.get("api_domain"),
                  # Only the code exchange names the instance; a refresh answer leaves it out.
                  "installation_instance_id": body.get("installation_instance_id")
                  or previous.get("installation_instance_id"),
                  # A token that still expires inside the margin is kept until it expires.
                  "refresh_after": expires_at if expires_at - self._now() < self._margin
                  else expires_at - self._margin}
        self.store.save(tokens)
        return tokens

    def _count(self, endpoint, outcome):
        if self._counter is not None:
            self._counter.record(PLATFORM, endpoint, outcome)
