"""The configuration contract: names, defaults, fail-fast and redaction."""
import subprocess
import sys

import pytest

import config
from tests.conftest import TEST_SETTINGS


def test_defaults():
    settings = config.from_env({})
    assert settings["DATABASE_URL"] == "sqlite:///var/pearlbridge.db"
    assert settings["REDIS_URL"] == "redis://localhost:6379/0"
    assert settings["PORT"] == 8000 and settings["WEBHOOK_MAX_BYTES"] == 5 * 1024 * 1024


def test_environment_then_overrides():
    settings = config.from_env({"PORT": "9000", "WOO_URL": "https://a"}, {"WOO_URL": "https://b"})
    assert settings["PORT"] == 9000 and settings["WOO_URL"] == "https://b"


def test_missing_required_settings_are_named_in_one_line():
    with pytest.raises(config.MissingSettings) as caught:
        config.require(config.from_env({"SECRET_KEY": "x"}))
    message = str(caught.value)
    assert "\n" not in message
    assert "WOO_URL" in message and "BRIGHTPEARL_WEBHOOK_SECRET" in message
    assert "SECRET_KEY" not in message.split(":", 2)[-1].split(",")


def test_redacted_hides_secrets():
    shown = config.redacted(config.from_env(TEST_SETTINGS))
    assert shown["WOO_WEBHOOK_SECRET"] == "***" and shown["WOO_URL"] == TEST_SETTINGS["WOO_URL"]


def test_service_refuses_to_start_without_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi; wsgi.app"], capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin"}, cwd=str(config.__file__).rsplit("/", 1)[0])
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("pearlbridge: missing required settings: SECRET_KEY, WOO_URL")


@pytest.mark.parametrize("key", [
    "changeme", "dev", "secret", "x" * 40, "changeme-changeme-changeme-changeme",
    "please-change-me-to-a-long-random-value", "your-secret-key-here-0123456789abc",
    "a1" * 20,
])
def test_a_guessable_secret_key_stops_the_service(key):
    with pytest.raises(config.WeakSecretKey) as caught:
        config.require(config.from_env(dict(TEST_SETTINGS, SECRET_KEY=key)))
    message = str(caught.value)
    assert "\n" not in message and "secrets.token_urlsafe" in message
    assert len(key) < 10 or key not in message  # the key itself is never printed


def test_a_random_secret_key_is_accepted():
    import secrets

    key = secrets.token_urlsafe(32)
    assert config.require(config.from_env(dict(TEST_SETTINGS, SECRET_KEY=key)))["SECRET_KEY"] == key


def test_service_refuses_to_start_with_a_placeholder_key():
    env = dict(TEST_SETTINGS, SECRET_KEY="changeme", PATH="/usr/bin:/bin")
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi; wsgi.app"], capture_output=True, text=True,
        env=env, cwd=str(config.__file__).rsplit("/", 1)[0])
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("pearlbridge: SECRET_KEY is shorter than 32 bytes")


def test_the_demo_generates_a_key_the_service_accepts():
    from demo.settings import demo_environment

    env = demo_environment({})
    assert config.check_secret_key(env["SECRET_KEY"])


def test_the_brightpearl_settings_needed_depend_on_the_mode():
    base = {k: v for k, v in TEST_SETTINGS.items()
            if k not in ("BRIGHTPEARL_APP_REF", "BRIGHTPEARL_STAFF_TOKEN")}
    assert config.missing(config.from_env(base)) == ["BRIGHTPEARL_APP_REF",
                                                     "BRIGHTPEARL_STAFF_TOKEN"]
    oauth = dict(base, BRIGHTPEARL_OAUTH_CLIENT_ID="app-ref")
    assert config.missing(config.from_env(oauth)) == ["BRIGHTPEARL_DEV_REF"]
    settings = config.require(config.from_env(dict(oauth, BRIGHTPEARL_DEV_REF="dev")))
    assert config.brightpearl_mode(settings) == "oauth" and not settings["BRIGHTPEARL_STAFF_TOKEN"]
    assert config.redacted(dict(settings, TOKEN_ENCRYPTION_KEY="k"))["TOKEN_ENCRYPTION_KEY"] == "***"
