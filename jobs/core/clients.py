"""The one place API clients are built (flows, the stock worker, the CLI): from the settings, with
the shared Brightpearl budget, the call counters and the OAuth token store."""
from connectors.brightpearl import BrightpearlClient
from connectors.woocommerce import WooCommerceClient
from jobs.core.context import job_redis, settings
from models.credentials import CredentialStore, secret_from_settings

OAUTH_TOKENS = "brightpearl-oauth"


def token_store(config):
    """Where the Brightpearl OAuth tokens live: the database, encrypted with the app's key."""
    return CredentialStore(OAUTH_TOKENS, secret_from_settings(config))


def brightpearl(priority="interactive", config=None, redis_connection=None):
    """A Brightpearl client spending the shared per-account budget at the given priority."""
    config = config or settings()
    return BrightpearlClient.from_config(
        config, redis=redis_connection or job_redis(), token_store=token_store(config),
        priority=priority, timeout=_timeout(config))


def woocommerce(config=None, redis_connection=None):
    """A WooCommerce client whose calls are counted with everyone else's."""
    config = config or settings()
    return WooCommerceClient.from_config(config, redis=redis_connection or job_redis(),
                                         timeout=_timeout(config))


def _timeout(config):
    # (connect, read): a platform that accepted the connection may still be slow to answer.
    return (5.0, float(config.get("HTTP_TIMEOUT_SECONDS") or 30))
