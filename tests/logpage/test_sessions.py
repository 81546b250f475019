"""Sessions are revocable on the server: sign-out, password changes, `flask users sign-out`
and `disable` end copied cookies too; no session outlives its absolute lifetime."""
import time

import pytest

import logpage.auth
from models.users import User
from tests.logpage.conftest import post, sign_in


def copied_cookie(client):
    return client.get_cookie("session").value


def with_cookie(app, value):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_a_copied_cookie_stops_working_after_sign_out(app, staff):
    copy = copied_cookie(staff)
    assert with_cookie(app, copy).get("/logs").status_code == 200
    assert post(staff, "/logout").status_code == 302
    assert with_cookie(app, copy).get("/logs").status_code == 302


def test_sign_out_ends_every_session_of_the_user(app, staff, user):
    laptop = app.test_client()
    assert sign_in(laptop).status_code == 302
    post(staff, "/logout")
    assert laptop.get("/logs").status_code == 302


def test_the_cookie_is_not_renewed_by_requests(staff):
    answer = staff.get("/logs")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers


def test_a_session_ends_at_its_absolute_lifetime_however_active(staff, monkeypatch):
    start = time.time()
    for hours in (1, 6, 11.9):
        monkeypatch.setattr(logpage.auth.time, "time", lambda h=hours: start + h * 3600)
        assert staff.get("/logs").status_code == 200
    monkeypatch.setattr(logpage.auth.time, "time", lambda: start + 12 * 3600 + 1)
    answer = staff.get("/logs")
    assert answer.status_code == 302 and answer.location.startswith("/login")


def test_lifetime_is_configurable(settings, user):
    from wsgi import create_app

    app = create_app(dict(settings, SESSION_LIFETIME_HOURS="0.5"))
    assert app.permanent_session_lifetime.total_seconds() == 1800


@pytest.mark.parametrize("command", [
    ["users", "reset-password", "ann"],
    ["users", "create", "ann"],     # an existing name: its password changes
    ["users", "sign-out", "ann"],
    ["users", "disable", "ann"],
])
def test_cli_access_changes_end_sessions(app, staff, command):
    copy = copied_cookie(staff)
    result = app.test_cli_runner().invoke(args=command,
                                          input="another-long-pw\nanother-long-pw\n")
    assert result.exit_code == 0, result.output
    assert staff.get("/logs").status_code == 302
    assert with_cookie(app, copy).get("/logs").status_code == 302


def test_a_disabled_user_cannot_sign_in_until_enabled(app, client, user):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "disable", "ann"]).exit_code == 0
    answer = sign_in(client)
    assert answer.status_code == 401 and "Wrong name or password" in answer.get_data(as_text=True)
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "enable", "ann"]).exit_code == 0
    assert sign_in(client).status_code == 302


def test_reset_password_changes_the_password(app, client, user):
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "ann"],
                                          input="brand-new-password\nbrand-new-password\n")
    assert result.exit_code == 0, result.output
    assert sign_in(client).status_code == 401
    assert sign_in(client, password="brand-new-password").status_code == 302


def test_cli_names_an_unknown_user(app):
    result = app.test_cli_runner().invoke(args=["users", "disable", "nobody"])
    assert result.exit_code != 0 and "no user named 'nobody'" in result.output


def test_a_forged_session_without_a_version_is_refused(app, user):
    # A cookie signed with the key but made before versions (or by hand) names no version.
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = User.get().id
    assert client.get("/logs").status_code == 302
