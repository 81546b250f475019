"""Stored credentials (OAuth tokens) for the connectors, encrypted at rest, behind their
load/save interface.

The blob is a Fernet token (AES-128-CBC + HMAC-SHA256, from the well-kept `cryptography`
package) whose key is derived with HKDF from TOKEN_ENCRYPTION_KEY, or from SECRET_KEY when no
dedicated key is set: a copied database file or backup does not give away the Brightpearl
account. Rows written before encryption (plain JSON) are still read, and encrypted on the next
save.
"""
import base64
import json
import logging

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from peewee import CharField, DateTimeField, TextField

from models.base import upsert, utcnow
from models.connections import ScopedModel

log = logging.getLogger(__name__)
PREFIX = "fernet:"


class Credential(ScopedModel):
    """A named blob of credentials, e.g. the Brightpearl OAuth tokens (encrypted JSON)."""

    name = CharField(max_length=64)
    data_json = TextField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "credential"
        indexes = ((("connection_id", "name"), True),)


def cipher_for(secret):
    """A Fernet cipher keyed from secret (TOKEN_ENCRYPTION_KEY or SECRET_KEY) through HKDF."""
    if not secret:
        raise ValueError("an encryption secret is required for stored credentials")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pearlbridge",
               info=b"stored credentials v1").derive(str(secret).encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


def secret_from_settings(settings):
    """The key material for stored credentials: the dedicated key when set, else SECRET_KEY."""
    return settings.get("TOKEN_ENCRYPTION_KEY") or settings.get("SECRET_KEY")


class CredentialStore:
    """The token-store interface the connectors expect: load() -> dict | None, save(dict).

    The cipher is made on first use, so a private app (whose store is never used) needs no key.
    """

    def __init__(self, name, secret):
        self.name, self._secret, self._fernet = name, secret, None

    @property
    def _cipher(self):
        if self._fernet is None:
            self._fernet = cipher_for(self._secret)
        return self._fernet

    def load(self):
        """The stored credentials, or None (also when they were sealed with another key)."""
        row = Credential.get_or_none(Credential.name == self.name)
        if row is None:
            return None
        text = row.data_json
        if not text.startswith(PREFIX):
            return json.loads(text)  # written before encryption
        try:
            return json.loads(self._cipher.decrypt(text[len(PREFIX):].encode("ascii")))
        except InvalidToken:
            # SECRET_KEY (or TOKEN_ENCRYPTION_KEY) changed: the app must be connected again.
            log.warning("stored %s credentials cannot be decrypted with the current key",
                        self.name)
            return None

    def save(self, data):
        """Replace the stored credentials with data, encrypted."""
        sealed = self._cipher.encrypt(json.dumps(data, sort_keys=True).encode("utf-8"))
        upsert(Credential, "name", name=self.name, data_json=PREFIX + sealed.decode("ascii"),
               updated_at=utcnow())
