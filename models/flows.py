"""Flow switches and settings, with an audit trail of every change."""
import json

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from models.base import upsert, utcnow
from models.connections import ScopedModel


class Flow(ScopedModel):
    """One sync module: on/off and its settings (a JSON object validated by the flow's schema)."""

    name = CharField(max_length=32)
    enabled = BooleanField(default=False)
    settings_json = TextField(default="{}")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "flow"
        indexes = ((("connection_id", "name"), True),)

    @property
    def settings(self):
        """The settings as a dict."""
        return json.loads(self.settings_json or "{}")

    @settings.setter
    def settings(self, value):
        self.settings_json = json.dumps(value, sort_keys=True)


class FlowAudit(ScopedModel):
    """Who changed what on a flow, and when: old and new values per changed field."""

    flow = ForeignKeyField(Flow, backref="audit", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    who = CharField(max_length=64)
    changes_json = TextField()

    class Meta:
        table_name = "flow_audit"
        indexes = ((("flow", "at"), False),)


def get_flow(name):
    """The flow row for name, created disabled with empty settings on first use."""
    flow, _ = Flow.get_or_create(name=name)
    return flow


def save_flow(name, who, enabled=None, settings=None):
    """Apply a change to a flow and record it in the audit trail; returns the changes made."""
    flow = get_flow(name)
    changes = {}
    if enabled is not None and bool(enabled) != flow.enabled:
        changes["enabled"] = [flow.enabled, bool(enabled)]
        flow.enabled = bool(enabled)
    if settings is not None:
        old = flow.settings
        for key in sorted(set(old) | set(settings)):
            if old.get(key) != settings.get(key):
                changes[key] = [old.get(key), settings.get(key)]
        flow.settings = settings
    if changes:
        flow.updated_at = utcnow()
        flow.save()
        FlowAudit.create(flow=flow, who=who, changes_json=json.dumps(changes, sort_keys=True))
    return changes


class ReferenceData(ScopedModel):
    """Brightpearl's lists (warehouses, price lists, statuses…) as (value, label) pairs.

    Refreshed by the poller, read by the Flows page: the page never waits on Brightpearl.
    """

    kind = CharField(max_length=32)
    items_json = TextField()
    fetched_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "reference_data"
        indexes = ((("connection_id", "kind"), True),)


def stored_reference_data(kind):
    """The stored (value, label) pairs of kind; LookupError when never fetched."""
    row = ReferenceData.get_or_none(ReferenceData.kind == kind)
    if row is None:
        raise LookupError(f"{kind} not fetched from Brightpearl yet")
    return [tuple(pair) for pair in json.loads(row.items_json)]


def store_reference_data(kind, pairs):
    """Replace the stored pairs of kind."""
    payload = json.dumps([list(p) for p in pairs])
    upsert(ReferenceData, "kind", kind=kind, items_json=payload, fetched_at=utcnow())
