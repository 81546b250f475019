"""Which handler takes which event, and which periodic tasks the flows want the poller to run.

The flow declarations (models/flow_specs.py) name the modules that hold each flow's work;
load_flows() imports them, and their @handles / @every decorators register here. A Re-sync is
routed like any event of its record: the record-key codec (models/record_keys.py) says which
topic a row's record is re-read as.
"""
import importlib
from dataclasses import dataclass

from models.events import RESYNC_TOPIC
from models.flow_specs import FLOWS

# Not flows, but work the poller schedules or the dispatcher runs: the Flows page's reference
# lists, the maintenance (retention prune, count folding, platform checks, alert checks), and
# reconciliation (its daily run, its repairs).
CORE_MODULES = ("jobs.core.reference_data", "jobs.maintenance.prune",
                "jobs.maintenance.platforms", "jobs.maintenance.alerting",
                "jobs.reconcile.schedule", "jobs.reconcile.repair")

_handlers = {}
_periodic = {}


@dataclass(frozen=True)
class Periodic:
    """A task the poller runs every `seconds` (overridable by the setting named `setting`)."""

    name: str
    seconds: float
    run: callable
    setting: str | None = None


def handles(source, topic_prefix):
    """Decorator: register the callable for events of source whose topic starts so."""

    def register(func):
        _handlers[(source, topic_prefix)] = func
        return func

    return register


def every(name, seconds, setting=None):
    """Decorator: have the poller's leader call func(settings, redis_connection) periodically."""

    def register(func):
        _periodic[name] = Periodic(name, seconds, func, setting)
        return func

    return register


def handler_for(source, topic):
    """The handler for (source, topic), preferring the longest matching prefix; None if none."""
    best = None
    for (src, prefix), func in _handlers.items():
        if src == source and topic.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, func)
    return best[1] if best else None


def trigger_of(event):
    """What caused an inbox event, for the attempt history: webhook, poll, manual or retry."""
    key = event.dedupe_key or ""
    if key.startswith("poll:"):
        return "poll"
    if event.topic == RESYNC_TOPIC:
        return "retry" if key.startswith("retry:") else "manual"
    return "webhook"


def periodic_tasks():
    """Every registered periodic task, by name."""
    return dict(_periodic)


def flow_modules():
    """The modules that register the flows' handlers and tasks, in declaration order."""
    names = [m for spec in FLOWS for m in spec.modules] + list(CORE_MODULES)
    return tuple(dict.fromkeys(names))


def load_flows():
    """Import every flow module, so its handlers and tasks are registered (a typo fails loudly)."""
    for module in flow_modules():
        importlib.import_module(module)
