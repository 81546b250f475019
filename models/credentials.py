"""Stored credentials (OAuth tokens) for the connectors, behind their load/save interface."""
import json

from peewee import CharField, DateTimeField, TextField

from models.base import BaseModel, upsert, utcnow


class Credential(BaseModel):
    """A named JSON blob of credentials, e.g. the Brightpearl OAuth tokens."""

    name = CharField(max_length=64, unique=True)
    data_json = TextField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "credential"


class CredentialStore:
    """The token-store interface the connectors expect: load() -> dict | None, save(dict)."""

    def __init__(self, name):
        self.name = name

    def load(self):
        """The stored credentials, or None."""
        row = Credential.get_or_none(Credential.name == self.name)
        return json.loads(row.data_json) if row else None

    def save(self, data):
        """Replace the stored credentials with data."""
        payload = json.dumps(data, sort_keys=True)
        upsert(Credential, "name", name=self.name, data_json=payload, updated_at=utcnow())
