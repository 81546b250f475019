"""OAuth against the emulator: code exchange, refresh on 401 and before expiry, rotating refresh
tokens persisted through the store, and api_domain honoured."""
import requests

from connectors.bp_auth import OAuthAuth
from connectors.brightpearl import BrightpearlClient
from connectors.tokens import MemoryTokenStore, TokenStore

from .conftest import bp_settings


def oauth_settings(url, base_url=None):
    settings = bp_settings(url, BRIGHTPEARL_OAUTH_CLIENT_ID="sandbox-oauth-app",
                           BRIGHTPEARL_DEV_REF="sandbox-dev",
                           BRIGHTPEARL_OAUTH_TOKEN_URL=f"{url}/oauth/token/{{account}}")
    if base_url:
        settings["BRIGHTPEARL_URL"] = base_url
    return settings


def authorised(server, store, base_url=None):
    client = BrightpearlClient.from_config(oauth_settings(server.url, base_url),
                                           token_store=store)
    code = requests.post(f"{server.url}/_sandbox/oauth/code", json={}, timeout=10).json()["code"]
    client.auth.exchange_code(code)
    return client


def token_calls(client):
    return client.counter.counts()["brightpearl"].get("POST /oauth/token", {}).get("ok", 0)


def test_code_exchange_then_bearer_calls(bp_sandbox):
    store = MemoryTokenStore()
    assert isinstance(store, TokenStore)
    client = authorised(bp_sandbox, store)
    tokens = store.load()
    assert tokens["access_token"] and tokens["refresh_token"] and tokens["api_domain"]
    assert client.installation_instance_id == 13
    assert client.get_warehouses()
    headers = client.auth.headers()
    assert headers["Authorization"] == f"Bearer {tokens['access_token']}"
    assert headers["brightpearl-dev-ref"] == "sandbox-dev"
    assert headers["brightpearl-app-ref"] == "sandbox-oauth-app"


def test_a_401_refreshes_once_and_the_rotated_refresh_token_is_saved(bp_sandbox):
    store = MemoryTokenStore()
    client = authorised(bp_sandbox, store)
    first = store.load()
    requests.post(f"{bp_sandbox.url}/_sandbox/oauth/expire", timeout=10)
    assert client.get_warehouses()  # 401 "Authorization token expired", refresh, retry
    second = store.load()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert store.saves == 2 and token_calls(client) == 2
    requests.post(f"{bp_sandbox.url}/_sandbox/oauth/expire", timeout=10)
    assert client.get_channels()  # the saved (rotated) refresh token works for the next one
    assert store.load()["refresh_token"] not in (first["refresh_token"],
                                                 second["refresh_token"])


def on_a_clock(server, margin):
    """An authorised client whose auth reads time from a dict clock (its token: 7 days left)."""
    store, clock = MemoryTokenStore(), {"now": 1_000_000.0}
    client = authorised(server, store)
    client.auth = OAuthAuth(account="sandbox", client_id="sandbox-oauth-app",
                            dev_ref="sandbox-dev", store=store,
                            token_url=f"{server.url}/oauth/token/sandbox",
                            counter=client.counter, refresh_margin=margin,
                            now=lambda: clock["now"])
    store.save(dict(store.load(), expires_at=clock["now"] + 7 * 86400, refresh_after=None))
    return client, store, clock


def test_tokens_are_refreshed_before_they_expire(bp_sandbox):
    client, store, clock = on_a_clock(bp_sandbox, margin=3600)
    before = store.load()["refresh_token"]
    client.get_warehouses()
    assert store.load()["refresh_token"] == before  # a week left: nothing to do
    clock["now"] += 7 * 86400 - 1800  # half an hour left, inside the margin
    client.get_warehouses()
    assert store.load()["refresh_token"] != before
    assert client.counter.counts()["brightpearl"]["GET /warehouse-service/warehouse"] == {
        "ok": 2}  # no 401 on the way


def test_api_domain_from_the_token_answer_is_where_calls_go(bp_sandbox):
    # The configured host is dead; the token answer names the live one.
    store = MemoryTokenStore()
    client = authorised(bp_sandbox, store, base_url="http://127.0.0.1:9/public-api/sandbox")
    assert store.load()["api_domain"] == bp_sandbox.url.split("//")[1]
    assert client.get_warehouses()


def test_a_refresh_rotated_by_another_process_is_picked_up(bp_sandbox):
    store = MemoryTokenStore()
    client = authorised(bp_sandbox, store)
    stale = store.load()
    requests.post(f"{bp_sandbox.url}/_sandbox/oauth/expire", timeout=10)
    other = BrightpearlClient.from_config(oauth_settings(bp_sandbox.url), token_store=store)
    assert other.get_warehouses()  # the other process refreshes and saves
    # This process still holds the stale headers: it retries with the stored token, and does
    # not spend the (already used) refresh token again.
    assert client.auth.refresh({"Authorization": f"Bearer {stale['access_token']}"})
    assert client.get_warehouses()
    assert token_calls(client) == 1 and token_calls(other) == 1


def test_without_tokens_the_error_says_to_authorise(bp_sandbox):
    client = BrightpearlClient.from_config(oauth_settings(bp_sandbox.url),
                                           token_store=MemoryTokenStore())
    try:
        client.get_warehouses()
    except Exception as exc:  # noqa: BLE001 - asserting on the type below
        assert type(exc).__name__ == "PermanentError" and "authorise" in str(exc)
    else:
        raise AssertionError("expected a PermanentError")


def test_a_refresh_keeps_the_stored_instance_id(bp_sandbox):
    # Issue 12, item 2: Brightpearl's refresh answer has no installation_instance_id; storing
    # None over the saved one would send orders out without installedIntegrationInstanceId.
    store = MemoryTokenStore()
    client = authorised(bp_sandbox, store)
    assert store.load()["installation_instance_id"] == "13"
    requests.post(f"{bp_sandbox.url}/_sandbox/oauth/expire", timeout=10)
    assert client.get_warehouses()  # 401, refresh, retry
    assert token_calls(client) == 2
    assert store.load()["installation_instance_id"] == "13"
    assert client.installation_instance_id == 13


def test_a_refresh_that_buys_no_time_is_not_repeated_on_every_call(bp_sandbox):
    # A refreshed token keeps its predecessor's expiry (expires_in is the remaining lifetime):
    # refreshing inside the margin again and again would rotate tokens on every call.
    client, _, clock = on_a_clock(bp_sandbox, margin=30 * 86400)
    exchanged = token_calls(client)
    for _ in range(3):
        client.get_warehouses()
    assert token_calls(client) == exchanged + 1  # one refresh inside the margin, no more
    clock["now"] += 8 * 86400  # past its expiry: refreshed again
    client.get_warehouses()
    assert token_calls(client) == exchanged + 2
