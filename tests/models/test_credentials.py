"""Stored OAuth tokens are encrypted at rest with a key from the app's secret."""
import json

from models.credentials import Credential, CredentialStore, secret_from_settings

TOKENS = {"access_token": "acc-123456", "refresh_token": "ref-654321",
          "installation_instance_id": "13"}


def test_tokens_are_sealed_and_read_back(app):
    store = CredentialStore("brightpearl-oauth", secret_from_settings(app.config))
    store.save(TOKENS)
    raw = Credential.get().data_json
    assert raw.startswith("fernet:") and "acc-123456" not in raw and "ref-654321" not in raw
    assert store.load() == TOKENS
    store.save(dict(TOKENS, access_token="acc-2"))
    assert Credential.select().count() == 1 and store.load()["access_token"] == "acc-2"


def test_a_dedicated_key_wins_over_the_secret_key(app):
    dedicated = secret_from_settings({"SECRET_KEY": "a", "TOKEN_ENCRYPTION_KEY": "b"})
    CredentialStore("x", dedicated).save(TOKENS)
    assert CredentialStore("x", "b").load() == TOKENS
    # Another key cannot read them: the app is simply not connected any more.
    assert CredentialStore("x", "a").load() is None


def test_rows_written_before_encryption_are_read_then_sealed(app):
    Credential.create(name="old", data_json=json.dumps(TOKENS))
    store = CredentialStore("old", "k")
    assert store.load() == TOKENS
    store.save(store.load())
    assert Credential.get(Credential.name == "old").data_json.startswith("fernet:")
