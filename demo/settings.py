"""The settings `make run` uses: the service wired to the sandbox emulators on loopback."""
import secrets

WOO_PORT, BRIGHTPEARL_PORT, WEB_PORT = 8081, 8082, 8000
SANDBOX_ACCOUNT = "sandbox"

# The sandbox's own credentials: public, fixed, and meaningless outside this machine.
SANDBOX_DEFAULTS = {
    "WOO_URL": f"http://127.0.0.1:{WOO_PORT}",
    "WOO_CONSUMER_KEY": "ck_sandbox",
    "WOO_CONSUMER_SECRET": "cs_sandbox",
    "BRIGHTPEARL_URL": f"http://127.0.0.1:{BRIGHTPEARL_PORT}/public-api/{SANDBOX_ACCOUNT}",
    "BRIGHTPEARL_ACCOUNT": SANDBOX_ACCOUNT,
    "BRIGHTPEARL_APP_REF": "sandbox_pearlbridge",
    "BRIGHTPEARL_STAFF_TOKEN": "sandbox-staff-token",
    "BRIGHTPEARL_DEV_REF": "sandbox-dev",
    "PUBLIC_URL": f"http://127.0.0.1:{WEB_PORT}",
    "PORT": str(WEB_PORT),
    "HOST": "127.0.0.1",
    # Alerts show up within a couple of minutes: the PayPal orders held for settings alert
    # after one minute, checked every 15 seconds.
    "ALERT_WAITING_SECONDS": "60",
    "ALERT_CHECK_SECONDS": "15",
    "HEALTH_CHECK_SECONDS": "60",
}


def demo_environment(environ):
    """environ completed with sandbox defaults; secrets made up per run unless already set."""
    env = dict(environ)
    for name, value in SANDBOX_DEFAULTS.items():
        env.setdefault(name, value)
    for name in ("SECRET_KEY", "WOO_WEBHOOK_SECRET", "BRIGHTPEARL_WEBHOOK_SECRET"):
        env.setdefault(name, secrets.token_urlsafe(32))
    return env
