"""Connecting Brightpearl as an OAuth instance app: the authorisation URL, the code exchange,
and what the connection looks like — shared by the staff page and `flask brightpearl connect`.

Tokens never leave this module's callers: the summary names the account, the API host, the
installation instance id and when the access token expires, nothing secret.
"""
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

from connectors.bp_auth import authorize_url
from connectors.errors import ConnectorError
from jobs.core import clients
from models.store_identity import note_instance

log = logging.getLogger(__name__)

CALLBACK_PATH = "/brightpearl/callback"


class NotOAuth(Exception):
    """The settings name no OAuth app (BRIGHTPEARL_OAUTH_CLIENT_ID is empty)."""


class ConnectFailed(Exception):
    """Brightpearl refused the code or could not be reached; str() says why, code its code."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


@dataclass
class Connection:
    """What an admin may see of the stored connection."""

    mode: str
    account: str
    connected: bool = False
    api_domain: str | None = None
    instance_id: str | None = None
    expires_at: datetime | None = None


def redirect_uri(settings):
    """The redirect URI registered with the app: the setting, else the staff page's callback."""
    return settings.get("BRIGHTPEARL_OAUTH_REDIRECT_URI") or (
        str(settings.get("PUBLIC_URL") or "").rstrip("/") + CALLBACK_PATH)


def new_state():
    """An unguessable state value: ties the approval to the session (or command) that asked."""
    return secrets.token_urlsafe(24)


def start(settings, state):
    """The URL an account admin opens to approve the app."""
    _require_oauth(settings)
    return authorize_url(settings["BRIGHTPEARL_ACCOUNT"], settings["BRIGHTPEARL_OAUTH_CLIENT_ID"],
                         redirect_uri(settings), state,
                         settings.get("BRIGHTPEARL_OAUTH_AUTHORIZE_URL") or None)


def code_from(text, state=None):
    """The code in a pasted redirect URL (checking its state when given), or the bare code."""
    text = (text or "").strip()
    if "code=" not in text:
        return text or None
    query = parse_qs(urlsplit(text).query or text.lstrip("?"))
    if state is not None and not secrets.compare_digest(query.get("state", [""])[0], state):
        raise ValueError("the state in the URL is not the one this connection started with")
    return query.get("code", [None])[0]


def complete(settings, code, redis_connection):
    """Trade the code for tokens (stored encrypted) and return the Connection; ConnectFailed
    when Brightpearl refuses it."""
    _require_oauth(settings)
    client = clients.brightpearl("interactive", settings, redis_connection)
    try:
        client.auth.exchange_code(code, redirect_uri(settings))
    except ConnectorError as exc:
        raise ConnectFailed(str(exc), exc.code) from None
    connected = summary(settings)
    replaced = note_instance(connected.instance_id)
    if replaced:
        log.warning("Brightpearl installation instance %s replaces %s on this connection",
                    connected.instance_id, replaced)
    return connected


def summary(settings):
    """The current Connection: mode, account, and for OAuth what the token store holds."""
    account = settings.get("BRIGHTPEARL_ACCOUNT", "")
    if not settings.get("BRIGHTPEARL_OAUTH_CLIENT_ID"):
        return Connection("private", account,
                          connected=bool(settings.get("BRIGHTPEARL_STAFF_TOKEN")),
                          api_domain=urlsplit(settings.get("BRIGHTPEARL_URL", "")).netloc)
    tokens = clients.token_store(settings).load() or {}
    expires = tokens.get("expires_at")
    return Connection(
        "oauth", account, connected=bool(tokens.get("refresh_token")),
        api_domain=tokens.get("api_domain"),
        instance_id=str(tokens["installation_instance_id"])
        if tokens.get("installation_instance_id") not in (None, "") else None,
        expires_at=datetime.fromtimestamp(float(expires), timezone.utc) if expires else None)


def _require_oauth(settings):
    if not settings.get("BRIGHTPEARL_OAUTH_CLIENT_ID"):
        raise NotOAuth("Brightpearl is set up as a private app (no BRIGHTPEARL_OAUTH_CLIENT_ID)")
