"""Every setting, read once from the environment (12-factor), with defaults."""
import os

# Settings whose absence must stop the service at start: they name the two platforms and the
# secrets that authenticate them.
REQUIRED = (
    "SECRET_KEY",
    "WOO_URL",
    "WOO_CONSUMER_KEY",
    "WOO_CONSUMER_SECRET",
    "WOO_WEBHOOK_SECRET",
    "BRIGHTPEARL_URL",
    "BRIGHTPEARL_ACCOUNT",
    "BRIGHTPEARL_WEBHOOK_SECRET",
)
# How Pearlbridge authenticates to Brightpearl decides which further settings it needs: an OAuth
# instance app (BRIGHTPEARL_OAUTH_CLIENT_ID set; its tokens come from connecting the app) or a
# private app with a staff token.
REQUIRED_BY_MODE = {
    "oauth": ("BRIGHTPEARL_OAUTH_CLIENT_ID", "BRIGHTPEARL_DEV_REF"),
    "private": ("BRIGHTPEARL_APP_REF", "BRIGHTPEARL_STAFF_TOKEN"),
}

# name -> (default, parser). Strings stay strings; numbers are parsed once here.
OPTIONAL = {
    "DATABASE_URL": ("sqlite:///var/pearlbridge.db", str),
    "REDIS_URL": ("redis://localhost:6379/0", str),
    "PORT": ("8000", int),
    "PUBLIC_URL": ("http://127.0.0.1:8000", str),
    "WOO_QUERY_STRING_AUTH": ("0", lambda v: v.lower() in ("1", "true", "yes")),
    # The private app's ref and staff token (required in private mode, see REQUIRED_BY_MODE).
    "BRIGHTPEARL_APP_REF": ("", str),
    "BRIGHTPEARL_STAFF_TOKEN": ("", str),
    "BRIGHTPEARL_DEV_REF": ("", str),
    "BRIGHTPEARL_OAUTH_CLIENT_ID": ("", str),
    "BRIGHTPEARL_OAUTH_CLIENT_SECRET": ("", str),
    "BRIGHTPEARL_OAUTH_TOKEN_URL": ("", str),
    "BRIGHTPEARL_OAUTH_AUTHORIZE_URL": ("https://oauth.brightpearl.com/authorize/{account}", str),
    # Where Brightpearl sends the admin back after approving; must equal the app's registered
    # redirect URI. Empty: {PUBLIC_URL}/brightpearl/callback (the staff page).
    "BRIGHTPEARL_OAUTH_REDIRECT_URI": ("", str),
    # Key material for the stored OAuth tokens; empty: derived from SECRET_KEY.
    "TOKEN_ENCRYPTION_KEY": ("", str),
    "BRIGHTPEARL_RATE_PER_MINUTE": ("190", int),
    # The budget's rolling window (Brightpearl's is a minute; shorter only for demos/benchmarks),
    # the share of it held back for interactive (webhook-driven) work, and how long a caller
    # waits for budget before it sees a ThrottledError.
    "BRIGHTPEARL_BUDGET_WINDOW_SECONDS": ("60", float),
    "BRIGHTPEARL_INTERACTIVE_SHARE": ("0.15", float),
    "BRIGHTPEARL_MAX_WAIT_SECONDS": ("120", float),
    "BRIGHTPEARL_INSTANCE_ID": ("", str),
    "WEBHOOK_MAX_BYTES": (str(5 * 1024 * 1024), int),
    "BRIGHTPEARL_MAX_IDS": ("10000", int),
    "INBOX_SWEEP_SECONDS": ("5", float),
    "INBOX_SWEEP_GRACE_SECONDS": ("10", float),
    "INBOX_REQUEUE_SECONDS": ("600", float),
    "POLLER_LOCK_SECONDS": ("15", float),
    "ORDERS_RECONCILE_SECONDS": ("300", float),
    "HTTP_TIMEOUT_SECONDS": ("30", float),
    "REFERENCE_DATA_SECONDS": ("600", float),
    # The scheduled reconciliation: how often it runs, and how many days of Woo orders it covers.
    "RECONCILE_SECONDS": ("86400", float),
    "RECONCILE_DAYS": ("7", int),
    "BRIGHTPEARL_ADMIN_URL": ("", str),
    "SESSION_COOKIE_SECURE": ("0", lambda v: v.lower() in ("1", "true", "yes")),
    # A staff session ends this long after sign-in, however active (never extended).
    "SESSION_LIFETIME_HOURS": ("12", float),
    # How many reverse proxies in front of the service set X-Forwarded-For/-Proto/-Host: their
    # headers are believed (Werkzeug's ProxyFix), so the sign-in limiter sees the real client.
    "TRUSTED_PROXIES": ("0", int),
    # Unsigned WooCommerce pings are counted; each web process writes a webhook's count at
    # most this often.
    "WOO_PING_INTERVAL_SECONDS": ("60", float),
    "LOG_LEVEL": ("INFO", str),
    # "text" (one readable line) or "json" (one JSON object a line, with record key and job id).
    "LOG_FORMAT": ("text", lambda v: v.strip().lower() or "text"),
    # Retention (0 switches a rule off): payloads of processed inbox events are emptied after
    # RETENTION_PAYLOAD_DAYS; processed events and attempts are deleted after their days; a
    # log row keeps at most RETENTION_ATTEMPTS_PER_ROW attempts. The poller queues the prune
    # every RETENTION_SECONDS; it works in transactions of RETENTION_BATCH_ROWS rows with
    # RETENTION_PAUSE_SECONDS between them, so webhooks never wait long for the write lock.
    "RETENTION_PAYLOAD_DAYS": ("7", float),
    "RETENTION_EVENT_DAYS": ("30", float),
    "RETENTION_ATTEMPT_DAYS": ("90", float),
    "RETENTION_ATTEMPTS_PER_ROW": ("50", int),
    "RETENTION_SECONDS": ("3600", float),
    "RETENTION_BATCH_ROWS": ("500", int),
    "RETENTION_PAUSE_SECONDS": ("0.02", float),
    # Alerts: how often conditions are checked, where they go, and their thresholds.
    "ALERT_CHECK_SECONDS": ("60", float),
    "ALERT_EMAIL_TO": ("", str),
    "ALERT_EMAIL_FROM": ("pearlbridge@localhost", str),
    "SMTP_HOST": ("", str),
    "SMTP_PORT": ("587", int),
    "SMTP_USERNAME": ("", str),
    "SMTP_PASSWORD": ("", str),
    "SMTP_TLS": ("starttls", lambda v: v.strip().lower()),
    "ALERT_WEBHOOK_URL": ("", str),
    "ALERT_FAILED_THRESHOLD": ("10", int),
    "ALERT_FAILED_WINDOW_SECONDS": ("3600", float),
    "ALERT_STALLED_SECONDS": ("1800", float),
    "ALERT_WAITING_SECONDS": ("3600", float),
    "ALERT_QUEUE_AGE_SECONDS": ("900", float),
    "ALERT_POLLER_SILENT_SECONDS": ("120", float),
    "HEALTH_CHECK_SECONDS": ("300", float),
    # Bearer token for GET /metrics (empty: /metrics is open, e.g. behind a private network).
    "METRICS_TOKEN": ("", str),
}

SECRETS = frozenset(
    {
        "SECRET_KEY",
        "WOO_CONSUMER_SECRET",
        "WOO_WEBHOOK_SECRET",
        "BRIGHTPEARL_STAFF_TOKEN",
        "BRIGHTPEARL_WEBHOOK_SECRET",
        "BRIGHTPEARL_OAUTH_CLIENT_SECRET",
        "SMTP_PASSWORD",
        "ALERT_WEBHOOK_URL",
        "METRICS_TOKEN",
        "TOKEN_ENCRYPTION_KEY",
    }
)


class MissingSettings(SystemExit):
    """Raised at start when required settings are absent; its message names every one."""

    def __init__(self, names):
        self.names = list(names)
        super().__init__(
            "pearlbridge: missing required settings: " + ", ".join(self.names)
            + " (see the configuration table in README.md)"
        )


def from_env(environ=None, overrides=None):
    """Read every setting from the environment (then overrides) into one plain dict."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    settings = {}
    for name in REQUIRED:
        settings[name] = overrides.pop(name, environ.get(name, ""))
    for name, (default, parse) in OPTIONAL.items():
        value = overrides.pop(name, environ.get(name, default))
        settings[name] = parse(value) if isinstance(value, str) else value
    settings.update(overrides)
    return settings


MIN_SECRET_KEY_BYTES = 32
# Values from docs and templates that people paste and forget; matched ignoring case and
# separators. Shorter keys are refused anyway.
PLACEHOLDER_WORDS = ("changeme", "changethis", "replaceme", "placeholder", "yoursecret",
                     "secretkey", "notsecret", "insecure", "example", "xxxxxxxx")
GENERATE_HINT = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


class WeakSecretKey(SystemExit):
    """Raised at start when SECRET_KEY could be guessed; its message says how to make one."""

    def __init__(self, why):
        super().__init__(f"pearlbridge: SECRET_KEY {why}; generate one with: {GENERATE_HINT}")


def check_secret_key(key):
    """Stop when key is shorter than 32 bytes or a known placeholder (sessions are signed
    with it: a guessable key lets anyone forge a staff session)."""
    if len(key.encode("utf-8")) < MIN_SECRET_KEY_BYTES:
        raise WeakSecretKey(f"is shorter than {MIN_SECRET_KEY_BYTES} bytes")
    letters = "".join(ch for ch in key.lower() if ch.isalnum())
    if len(set(letters)) < 8 or any(word in letters for word in PLACEHOLDER_WORDS):
        raise WeakSecretKey("is a placeholder, not a random value")
    return key


def brightpearl_mode(settings):
    """"oauth" when an OAuth client id is configured, else "private" (staff token)."""
    return "oauth" if settings.get("BRIGHTPEARL_OAUTH_CLIENT_ID") else "private"


def missing(settings):
    """The required settings that are empty, in declaration order (the mode's last)."""
    names = REQUIRED + REQUIRED_BY_MODE[brightpearl_mode(settings)]
    return [name for name in names if not settings.get(name)]


def require(settings):
    """Stop with one clear line when a required setting is missing or SECRET_KEY is weak."""
    absent = missing(settings)
    if absent:
        raise MissingSettings(absent)
    check_secret_key(settings["SECRET_KEY"])
    return settings


def redacted(settings):
    """A copy safe to print: secret values replaced by a marker."""
    return {k: ("***" if k in SECRETS and v else v) for k, v in settings.items()}


def bulk_limit(rate, interactive_share):
    """Brightpearl requests per window bulk work may spend: the rate less the interactive
    reserve (BRIGHTPEARL_INTERACTIVE_SHARE, at least one request left for bulk)."""
    rate = int(rate)
    return rate - min(rate - 1, round(rate * float(interactive_share)))


def bulk_per_second(settings):
    """Brightpearl requests per second the bulk share allows (the pace of a backfill)."""
    window = float(settings.get("BRIGHTPEARL_BUDGET_WINDOW_SECONDS") or 60)
    return bulk_limit(int(settings.get("BRIGHTPEARL_RATE_PER_MINUTE") or 190),
                      float(settings.get("BRIGHTPEARL_INTERACTIVE_SHARE") or 0.15)) / window
