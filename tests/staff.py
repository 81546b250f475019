"""A member of staff for any test that needs the pages: the account, signing in, CSRF tokens."""
import re

import pytest

from models.users import User

PASSWORD = "correct horse battery"


@pytest.fixture
def user(app):
    """A staff account named ann."""
    account = User(username="ann")
    account.set_password(PASSWORD)
    account.save()
    return account


def token_of(client):
    """The CSRF token of the client's session (fetched from the login form if none yet)."""
    with client.session_transaction() as session:
        token = session.get("csrf_token")
    if token:
        return token
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, username="ann", password=PASSWORD):
    """Post the login form; the response."""
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token_of(client)})


@pytest.fixture
def staff(client, user):
    """The test client, signed in as ann."""
    assert sign_in(client).status_code == 302
    return client


def post(client, path, data=None, **kwargs):
    """POST with the session's CSRF token added."""
    return client.post(path, data=dict(data or {}, csrf_token=token_of(client)), **kwargs)
