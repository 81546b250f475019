"""Connecting the Brightpearl OAuth app from the staff page, as the README tells a newcomer to:
against the emulator's real authorize page and token endpoint, over HTTP."""
import os
import re
from urllib.parse import urlsplit

import pytest

from jobs.core.clients import brightpearl, token_store
from tools.screenshots import CHROMIUM, launch
from models.credentials import Credential
from sandbox.server import serve_in_thread
from tests.logpage.conftest import PASSWORD, post, sign_in
from tests.oauth_flow import PUBLIC, approve, oauth_emulator, switch_to_oauth  # noqa: F401

@pytest.fixture
def settings(settings, oauth_emulator, monkeypatch):
    """This module's app is the OAuth app of the README."""
    return switch_to_oauth(settings, oauth_emulator, monkeypatch)


def test_connecting_from_the_page_stores_encrypted_tokens_and_shows_the_connection(
        client, user, settings, app, oauth_emulator):
    sign_in(client)
    before = client.get("/brightpearl").get_data(as_text=True)
    assert "not connected" in before and f"{PUBLIC}/brightpearl/callback" in before
    assert client.post("/brightpearl/connect").status_code == 400  # no CSRF token
    started = post(client, "/brightpearl/connect")
    assert started.status_code == 303
    location = started.headers["Location"]
    assert location.startswith(f"{oauth_emulator.url}/authorize/sandbox?response_type=code")
    back = approve(location)
    assert back.startswith(f"{PUBLIC}/brightpearl/callback?code=")
    done = client.get(back[len(PUBLIC):])
    assert done.status_code == 302 and done.headers["Location"].endswith("/brightpearl")
    shown = client.get("/brightpearl").get_data(as_text=True)
    assert "Brightpearl is connected." in shown
    assert re.search(r'id="bp-status">connected<', shown)
    assert f'id="bp-api-domain">{urlsplit(oauth_emulator.url).netloc}<' in shown
    assert 'id="bp-instance">13<' in shown and "UTC</dd>" in shown
    tokens = token_store(settings).load()
    assert tokens["access_token"] not in shown and tokens["refresh_token"] not in shown
    stored = Credential.get().data_json
    assert stored.startswith("fernet:") and tokens["access_token"] not in stored
    # The jobs' client uses what was stored, and sends orders with the instance id.
    bp = brightpearl(config=settings, redis_connection=app.extensions["pearlbridge_queue"][0])
    assert bp.get_warehouses() and bp.installation_instance_id == 13
    # The connection records which installation it is (shown by `flask connection status`).
    from models.connections import Connection
    assert Connection.get_by_id(1).bp_instance_id == "13"


def test_a_callback_with_another_state_is_refused_and_nothing_stored(client, user, settings):
    sign_in(client)
    location = post(client, "/brightpearl/connect").headers["Location"]
    back = approve(location.replace(re.search(r"state=([^&]+)", location).group(1), "forged"))
    answer = client.get(back[len(PUBLIC):])
    assert answer.status_code == 400 and "not started from this session" in answer.get_data(
        as_text=True)
    assert Credential.select().count() == 0


def test_the_callback_needs_a_signed_in_member_of_staff(client, user, settings):
    answer = client.get("/brightpearl/callback?code=x&state=y")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert Credential.select().count() == 0


def test_a_denied_approval_says_so(client, user, settings):
    sign_in(client)
    denied = approve(post(client, "/brightpearl/connect").headers["Location"], "deny")
    answer = client.get(denied[len(PUBLIC):], follow_redirects=True).get_data(as_text=True)
    assert "did not authorise the app (access_denied)" in answer
    assert Credential.select().count() == 0


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent")
def test_connecting_in_a_real_browser(app, user, settings):
    # Chromium applies the page's CSP form-action to the redirect the Connect form starts.
    from playwright.sync_api import sync_playwright

    server = serve_in_thread(app)
    app.config["PUBLIC_URL"] = server.url
    try:
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            tab = chromium.new_page()
            tab.goto(f"{server.url}/login")
            tab.fill("input[name=username]", "ann")
            tab.fill("input[name=password]", PASSWORD)
            tab.click("button[type=submit]")
            tab.goto(f"{server.url}/brightpearl")
            tab.click("text=Connect Brightpearl")
            tab.click("button[value=allow]")
            tab.wait_for_url(f"{server.url}/brightpearl")
            assert tab.inner_text("#bp-status") == "connected"
            assert tab.inner_text("#bp-instance") == "13"
            chromium.close()
    finally:
        server.stop()
