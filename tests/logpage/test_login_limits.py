"""The sign-in limiter: tries counted before the password is checked (atomically), unknown
names as slow as known ones, and the real client behind TRUSTED_PROXIES reverse proxies."""
import threading

import pytest

import models.users
from tests.logpage.conftest import PASSWORD, sign_in, token_of


@pytest.fixture
def checks(monkeypatch):
    """Every password hash check made, counted (thread-safe)."""
    calls, lock = [], threading.Lock()
    real = models.users.check_password_hash

    def counted(stored, password):
        with lock:
            calls.append(password)
        return real(stored, password)

    monkeypatch.setattr(models.users, "check_password_hash", counted)
    return calls


def test_parallel_tries_get_no_more_password_checks_than_the_limit(app, user, checks):
    barrier, statuses = threading.Barrier(20), []

    def attempt():
        client = app.test_client()
        token = token_of(client)
        barrier.wait()
        statuses.append(client.post("/login", data={"username": "ann", "password": "wrong",
                                                     "csrf_token": token}).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) <= 5
    assert sorted(statuses) == [401] * len(checks) + [429] * (20 - len(checks))


def test_an_unknown_name_costs_a_password_check_too(client, user, checks):
    assert sign_in(client, username="nobody", password="guess").status_code == 401
    assert checks == ["guess"]


def test_behind_a_trusted_proxy_the_limit_is_per_real_client(settings, user):
    from wsgi import create_app

    client = create_app(dict(settings, TRUSTED_PROXIES="1")).test_client()
    attacker = {"X-Forwarded-For": "203.0.113.9"}
    for _ in range(5):
        client.post("/login", headers=attacker, data={
            "username": "ann", "password": "wrong", "csrf_token": token_of(client)})
    assert client.post("/login", headers=attacker, data={
        "username": "ann", "password": PASSWORD, "csrf_token": token_of(client)}).status_code == 429
    # The real user, behind the same proxy, is not locked out by someone else's tries.
    assert client.post("/login", headers={"X-Forwarded-For": "198.51.100.7"}, data={
        "username": "ann", "password": PASSWORD, "csrf_token": token_of(client)}).status_code == 302


def test_without_trusted_proxies_forwarded_for_is_not_believed(client, user):
    # Otherwise anyone could dodge the limit by sending a new X-Forwarded-For each time.
    for n in range(5):
        client.post("/login", headers={"X-Forwarded-For": f"203.0.113.{n}"}, data={
            "username": "ann", "password": "wrong", "csrf_token": token_of(client)})
    assert client.post("/login", headers={"X-Forwarded-For": "198.51.100.7"}, data={
        "username": "ann", "password": PASSWORD, "csrf_token": token_of(client)}).status_code == 429



def test_a_name_with_nul_is_an_unknown_name(client, user, checks):
    # PostgreSQL refuses NUL even in a query parameter: it was a 500 there.
    assert sign_in(client, username="ann\x00", password=PASSWORD).status_code == 401
    assert len(checks) == 1
