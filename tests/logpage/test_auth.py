"""Sign-in, the guard on every staff page, CSRF, cookies, headers, rate limits, the CLI."""
import pytest

from models.users import User
from tests.logpage.conftest import PASSWORD, make_row, post, sign_in, token_of

PAGES = ["/", "/logs", "/logs?type=inventory", "/logs/1", "/logs/retry-failed?type=order",
         "/logs/export.csv", "/logs/export.json", "/flows", "/flows/orders"]
ACTIONS = ["/logs/1/resync", "/logs/retry-failed", "/flows/orders", "/flows/orders/switch",
           "/logout"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_redirect_to_login_keeping_next(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.location.startswith("/login?next=")


@pytest.mark.parametrize("path", ACTIONS)
def test_anonymous_actions_redirect_to_login_and_change_nothing(client, path):
    make_row(status="failed")
    answer = client.post(path, data={"csrf_token": token_of(client), "type": "order"})
    assert answer.status_code == 302 and answer.location.startswith("/login")
    from models.logs import SyncLog
    assert SyncLog.get().status == "failed"


def test_sign_in_returns_to_next(client, user):
    client.get("/logs?type=refund")
    answer = client.post("/login", data={"username": "ann", "password": PASSWORD,
                                         "csrf_token": token_of(client),
                                         "next": "/logs?type=refund"})
    assert answer.status_code == 302 and answer.location == "/logs?type=refund"
    assert client.get("/logs?type=refund").status_code == 200
    assert User.get().last_login_at is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)", ""])
def test_next_must_be_a_local_path(client, user, target):
    answer = client.post("/login", data={"username": "ann", "password": PASSWORD,
                                         "csrf_token": token_of(client), "next": target})
    assert answer.location == "/logs"


def test_wrong_password_is_refused(client, user):
    answer = sign_in(client, password="wrong")
    assert answer.status_code == 401 and "Wrong name or password" in answer.get_data(as_text=True)
    assert client.get("/logs").status_code == 302


def test_sign_out_needs_post_and_ends_the_session(staff):
    assert staff.get("/logout").status_code == 405
    assert post(staff, "/logout").status_code == 302
    assert staff.get("/logs").status_code == 302


@pytest.mark.parametrize("path", ["/logs/1/resync", "/logs/retry-failed", "/flows/orders/switch",
                                  "/flows/orders", "/logout"])
def test_post_without_csrf_token_is_400(staff, path):
    make_row(status="failed")
    answer = staff.post(path, data={"type": "order", "enabled": "1"})
    assert answer.status_code == 400
    assert "form expired" in answer.get_data(as_text=True)
    answer = staff.post(path, data={"type": "order", "csrf_token": "forged"})
    assert answer.status_code == 400


def test_login_form_needs_csrf_token_too(client, user):
    answer = client.post("/login", data={"username": "ann", "password": PASSWORD})
    assert answer.status_code == 400


def test_webhooks_need_no_csrf_token(client):
    # The receivers answer by their own rules (here: no signature → 401), never CSRF's 400.
    answer = client.post("/webhooks/woocommerce", data=b"{}",
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 401


def test_session_cookie_is_httponly_lax_and_lasts_12_hours(client, user, app):
    answer = sign_in(client)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires=" in cookie
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600


def test_secure_cookie_when_configured(settings):
    from wsgi import create_app
    app = create_app(dict(settings, SESSION_COOKIE_SECURE="1"))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_pages_send_csp_without_inline_script(staff):
    answer = staff.get("/logs")
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "<script" not in answer.get_data(as_text=True)


def test_five_failures_lock_the_name_for_this_address(client, user, redis_connection):
    for _ in range(5):
        assert sign_in(client, password="wrong").status_code == 401
    answer = sign_in(client)  # even the right password waits
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in answer.get_data(as_text=True)
    keys = redis_connection.keys("pearlbridge:login-failures:*")
    assert len(keys) == 1 and 0 < redis_connection.ttl(keys[0]) <= 15 * 60
    # Another name from the same address is not locked.
    other = User(username="bob")
    other.set_password(PASSWORD)
    other.save()
    assert sign_in(client, username="bob").status_code == 302


def test_success_clears_the_failures(client, user, redis_connection):
    for _ in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302
    assert redis_connection.keys("pearlbridge:login-failures:*") == []


def test_limit_still_holds_while_redis_is_down(settings, user):
    from wsgi import create_app
    app = create_app(dict(settings, REDIS_URL="redis://127.0.0.1:1/0"))
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, password="wrong").status_code == 401
    assert sign_in(client).status_code == 429


def test_cli_creates_and_lists_users(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "carol"],
                           input="long-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    assert "created user carol" in result.output
    assert User.get(User.username == "carol").check_password("long-enough-pw")
    result = runner.invoke(args=["users", "create", "carol"], input="short\nshort\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    result = runner.invoke(args=["users", "create", "dave"], input="long-enough-pw\nother-pw-123\n")
    assert result.exit_code != 0
    result = runner.invoke(args=["users", "list"])
    assert "carol" in result.output and "never" in result.output
