"""What the periodic checks last found (webhooks on both platforms, authentication, retention
figures), stored so the Health page, the alerts and /metrics read them without calling out."""
import json

from peewee import CharField, DateTimeField, TextField

from models.base import BaseModel, utcnow


class Probe(BaseModel):
    """One check's latest result as JSON, and when it ran."""

    name = CharField(max_length=32, unique=True)
    data_json = TextField(default="{}")
    checked_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "probe"


def store_probe(name, data, now=None):
    """Replace the stored result of the check name."""
    now = now or utcnow()
    payload = json.dumps(data, sort_keys=True, default=str)
    if not Probe.update(data_json=payload, checked_at=now).where(Probe.name == name).execute():
        Probe.insert(name=name, data_json=payload, checked_at=now).on_conflict(
            conflict_target=[Probe.name], update={Probe.data_json: payload,
                                                  Probe.checked_at: now}).execute()


def read_probe(name):
    """(data, checked_at) of the check name, or (None, None) when it never ran."""
    row = Probe.get_or_none(Probe.name == name)
    return (json.loads(row.data_json), row.checked_at) if row else (None, None)
