"""`flask brightpearl connect|status` against the emulator's authorize page and token endpoint:
the code pasted (or given as the whole redirect URL), or the redirect served by the command."""
import socket
import threading
import time

import pytest
import requests

from jobs.core import connection as bp_connection
from tests.oauth_flow import approve, oauth_emulator, switch_to_oauth  # noqa: F401


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def settings(settings, oauth_emulator, monkeypatch):
    """The README's OAuth app; the command's state is fixed so the test can approve first."""
    monkeypatch.setattr(bp_connection, "new_state", lambda: "state-1")
    return switch_to_oauth(settings, oauth_emulator, monkeypatch)


def test_connect_with_the_pasted_redirect_address(app, settings):
    runner = app.test_cli_runner()
    location = bp_connection.start(settings, "state-1")
    back = approve(location)
    result = runner.invoke(args=["brightpearl", "connect"], input=back + "\n")
    assert result.exit_code == 0, result.output
    assert location in result.output
    assert "Connected." in result.output and "instance id    13" in result.output
    assert "token expires  20" in result.output
    status = runner.invoke(args=["brightpearl", "status"])
    assert status.exit_code == 0 and "connected      yes" in status.output


def test_a_pasted_address_with_another_state_is_refused(app, settings):
    runner = app.test_cli_runner()
    back = approve(bp_connection.start(settings, "someone-else"))
    result = runner.invoke(args=["brightpearl", "connect", "--code", back])
    assert result.exit_code != 0 and "state" in result.output
    status = runner.invoke(args=["brightpearl", "status"])
    assert status.exit_code == 1 and "connected      no" in status.output


def test_connect_serves_the_redirect_itself(app, settings):
    port = _free_port()
    app.config["BRIGHTPEARL_OAUTH_REDIRECT_URI"] = f"http://127.0.0.1:{port}/brightpearl/callback"
    runner, outcome = app.test_cli_runner(), {}
    command = threading.Thread(target=lambda: outcome.update(result=runner.invoke(
        args=["brightpearl", "connect", "--listen", "--timeout", "20"])))
    command.start()
    for _ in range(100):  # wait until the command listens
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    location = bp_connection.start(dict(app.config), "state-1")
    landed = requests.get(approve(location), timeout=10)  # the browser follows the redirect
    command.join(timeout=30)
    assert landed.status_code == 200 and "you can close this tab" in landed.text
    result = outcome["result"]
    assert result.exit_code == 0, result.output
    assert "Connected." in result.output and "instance id    13" in result.output


def test_connect_in_private_mode_explains(app, settings):
    app.config["BRIGHTPEARL_OAUTH_CLIENT_ID"] = ""
    result = app.test_cli_runner().invoke(args=["brightpearl", "connect", "--code", "x"])
    assert result.exit_code != 0 and "private app" in result.output
