"""Contract tests: throttling headers and 503s, auth failures, OAuth codes, rotation and expiry."""
import time

import pytest
import requests

from sandbox.brightpearl import create_app
from sandbox.server import serve_in_thread
from tests.sandbox.bp_fixtures import STAFF_HEADERS, BrightpearlClient, bp, bp_server  # noqa: F401

THROTTLED = {"response": "You have sent too many requests. Please wait before sending another request"}


@pytest.fixture
def small_budget():
    """An emulator allowing 5 requests per 1-second period."""
    server = serve_in_thread(create_app(rate_per_minute=5, window_seconds=1))
    yield BrightpearlClient(server.url)
    server.stop()


def test_throttle_counts_down_then_503s_with_the_real_body(small_budget):
    remaining = []
    for _ in range(5):
        answer = small_budget.get("warehouse-service/warehouse")
        assert answer.status_code == 200
        remaining.append(int(answer.headers["brightpearl-requests-remaining"]))
        assert 0 < int(answer.headers["brightpearl-next-throttle-period"]) <= 1000
    assert remaining == [4, 3, 2, 1, 0]
    throttled = small_budget.get("warehouse-service/warehouse")
    assert throttled.status_code == 503
    assert throttled.json() == THROTTLED
    assert throttled.headers["brightpearl-requests-remaining"] == "0"
    assert int(throttled.headers["brightpearl-next-throttle-period"]) <= 1000
    time.sleep(1.05)
    assert small_budget.get("warehouse-service/warehouse").status_code == 200


def test_errors_carry_throttle_headers_and_count_against_the_budget(small_budget):
    wrong = small_budget.get("warehouse-service/warehouse", headers={"brightpearl-app-ref": "x"})
    assert wrong.status_code == 401
    assert wrong.headers["brightpearl-requests-remaining"] == "4"
    missing = small_budget.get("order-service/order/99")
    assert missing.status_code == 200 and missing.json() == {"response": []}
    assert missing.headers["brightpearl-requests-remaining"] == "3"


def test_control_api_changes_the_rate_and_exhausts_the_budget(small_budget):
    small_budget.control("POST", "/throttle", {"rate_per_minute": 2, "window_seconds": 0.5})
    assert small_budget.get("warehouse-service/warehouse").headers["brightpearl-requests-remaining"] == "1"
    small_budget.control("POST", "/throttle/exhaust")
    assert small_budget.get("warehouse-service/warehouse").status_code == 503
    counts = small_budget.control("GET", "/requests")
    assert counts["throttled"] == 1 and counts["total"] == 2
    time.sleep(0.55)
    assert small_budget.get("warehouse-service/warehouse").status_code == 200


@pytest.mark.parametrize("headers", [
    {},
    {"brightpearl-app-ref": "sandbox_pearlbridge"},
    {"brightpearl-app-ref": "sandbox_pearlbridge", "brightpearl-staff-token": "wrong"},
    {"brightpearl-app-ref": "other_app", "brightpearl-staff-token": "sandbox-staff-token"},
    {"brightpearl-app-ref": "sandbox_pearlbridge", "brightpearl-account-token": "anything"},
    {"Authorization": "Bearer nope", "brightpearl-app-ref": "sandbox-oauth-app",
     "brightpearl-dev-ref": "sandbox-dev"},
])
def test_bad_credentials_are_401(bp, headers):
    answer = bp.get("product-service/product/1001", headers=headers)
    assert answer.status_code == 401
    assert "brightpearl-requests-remaining" in answer.headers


def test_wrong_account_code_is_404(bp):
    answer = requests.get(f"{bp.url}/public-api/someoneelse/product-service/product/1001",
                          headers=STAFF_HEADERS, timeout=5)
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["code"] == "CMNC-404"


def test_account_token_works_when_configured():
    server = serve_in_thread(create_app(account_token="acct-token"))
    try:
        client = BrightpearlClient(server.url, {"brightpearl-app-ref": "sandbox_pearlbridge",
                                                "brightpearl-account-token": "acct-token"})
        assert client.get("warehouse-service/warehouse").status_code == 200
    finally:
        server.stop()


def _token(bp, **form):
    return requests.post(f"{bp.url}/oauth/token/sandbox", data=form, timeout=5)


def _bearer(token):
    return {"Authorization": f"Bearer {token}", "brightpearl-app-ref": "sandbox-oauth-app",
            "brightpearl-dev-ref": "sandbox-dev"}


def test_oauth_code_exchange_then_api_call(bp):
    code = bp.control("POST", "/oauth/code", {"redirect_uri": "https://app.example/cb"})["code"]
    answer = _token(bp, grant_type="authorization_code", code=code, client_id="sandbox-oauth-app",
                    redirect_uri="https://app.example/cb")
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    assert set(tokens) == {"access_token", "refresh_token", "installation_instance_id", "api_domain",
                           "token_type", "expires_in"}
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 604800
    assert tokens["installation_instance_id"] == "13"
    ok = bp.get("product-service/product/1001", headers=_bearer(tokens["access_token"]))
    assert ok.status_code == 200
    assert ok.headers["Brightpearl-Installed-Integration-Instance-Id"] == "13"
    no_dev_ref = _bearer(tokens["access_token"])
    del no_dev_ref["brightpearl-dev-ref"]
    assert bp.get("product-service/product/1001", headers=no_dev_ref).status_code == 401
    # A code works once.
    again = _token(bp, grant_type="authorization_code", code=code, client_id="sandbox-oauth-app",
                   redirect_uri="https://app.example/cb")
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_refresh_rotates_and_expiry_answers_the_real_401(bp):
    code = bp.control("POST", "/oauth/code")["code"]
    first = requests.post(f"{bp.url}/sandbox/oauth/token", timeout=5, data={
        "grant_type": "authorization_code", "code": code, "client_id": "sandbox-oauth-app"}).json()
    bp.control("POST", "/oauth/expire")
    expired = bp.get("product-service/product/1001", headers=_bearer(first["access_token"]))
    assert expired.status_code == 401
    assert expired.json() == {"response": "Authorization token expired"}
    second = _token(bp, grant_type="refresh_token", refresh_token=first["refresh_token"],
                    client_id="sandbox-oauth-app")
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert bp.get("product-service/product/1001", headers=_bearer(second.json()["access_token"])).status_code == 200
    reused = _token(bp, grant_type="refresh_token", refresh_token=first["refresh_token"],
                    client_id="sandbox-oauth-app")
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_token_lifetime_is_configurable_and_json_bodies_are_refused(bp):
    bp.control("POST", "/oauth/config", {"access_token_lifetime": 1})
    code = bp.control("POST", "/oauth/code")["code"]
    as_json = requests.post(f"{bp.url}/oauth/token/sandbox", timeout=5, json={
        "grant_type": "authorization_code", "code": code, "client_id": "sandbox-oauth-app"})
    assert as_json.status_code == 400
    tokens = _token(bp, grant_type="authorization_code", code=code, client_id="sandbox-oauth-app").json()
    assert tokens["expires_in"] == 1
    time.sleep(1.1)
    answer = bp.get("product-service/product/1001", headers=_bearer(tokens["access_token"]))
    assert answer.json() == {"response": "Authorization token expired"}
    wrong_client = _token(bp, grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="x")
    # Token errors are 400; invalid_client comes without a description (recorded).
    assert wrong_client.status_code == 400 and wrong_client.json() == {"error": "invalid_client"}


def test_oauth_apps_have_their_own_budget():
    server = serve_in_thread(create_app(rate_per_minute=2))
    try:
        client = BrightpearlClient(server.url)
        code = client.control("POST", "/oauth/code")["code"]
        token = requests.post(f"{server.url}/oauth/token/sandbox", timeout=5, data={
            "grant_type": "authorization_code", "code": code,
            "client_id": "sandbox-oauth-app"}).json()["access_token"]
        client.get("warehouse-service/warehouse")
        client.get("warehouse-service/warehouse")
        assert client.get("warehouse-service/warehouse").status_code == 503
        assert client.get("warehouse-service/warehouse", headers=_bearer(token)).status_code == 200
    finally:
        server.stop()
