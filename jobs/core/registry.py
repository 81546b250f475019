"""Which flow handles which event, and which periodic tasks the flows want the poller to run.

Flow modules register themselves when imported; load_flows() imports every one that exists.
"""
import importlib
from contextlib import contextmanager
from dataclasses import dataclass

FLOW_MODULES = ("jobs.orders.handlers", "jobs.orders.reconcile", "jobs.shipments.handlers",
                "jobs.products.handlers", "jobs.inventory.handlers", "jobs.core.reference_data",
                "jobs.reconcile.schedule", "jobs.reconcile.repair")

_handlers = {}
_resync_handlers = {}
_periodic = {}
RESYNC_TOPIC = "manual.resync"


@dataclass(frozen=True)
class Periodic:
    """A task the poller runs every `seconds` (overridable by the setting named `setting`)."""

    name: str
    seconds: float
    run: callable
    setting: str | None = None


def handles(source, topic_prefix, resyncs=None):
    """Decorator: register the callable for events of source whose topic starts so.

    resyncs names the log type(s) whose Re-sync / Retry events (topic manual.resync) it handles.
    """

    def register(func):
        # A later registration for the same key wins (tests override flows this way).
        _handlers.setdefault((source, topic_prefix), []).append(func)
        for log_type in ((resyncs,) if isinstance(resyncs, str) else resyncs or ()):
            _resync_handlers.setdefault((source, log_type), []).append(func)
        return func

    return register


def resync_handler_for(source, log_type):
    """The handler that re-syncs rows of log_type for source's records; None if none."""
    found = _resync_handlers.get((source, log_type))
    return found[-1] if found else None


def trigger_of(event):
    """What caused an inbox event, for the attempt history: webhook, poll, manual or retry."""
    key = event.dedupe_key or ""
    if key.startswith("poll:"):
        return "poll"
    if event.topic == RESYNC_TOPIC:
        return "retry" if key.startswith("retry:") else "manual"
    return "webhook"


def every(name, seconds, setting=None):
    """Decorator: have the poller's leader call func(settings, redis_connection) periodically."""

    def register(func):
        _periodic[name] = Periodic(name, seconds, func, setting)
        return func

    return register


def handler_for(source, topic):
    """The handler for (source, topic), preferring the longest matching prefix; None if none."""
    best = None
    for (src, prefix), funcs in _handlers.items():
        func = funcs[-1] if funcs else None
        if func and src == source and topic.startswith(prefix):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, func)
    return best[1] if best else None


def periodic_tasks():
    """Every registered periodic task, by name."""
    return dict(_periodic)


def load_flows():
    """Import every flow module that exists, so its handlers and tasks are registered."""
    for module in FLOW_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def unregister_all():
    """Forget every handler and task registered outside the flow modules (tests' own)."""
    for table in (_handlers, _resync_handlers):
        for key, funcs in list(table.items()):
            table[key] = [f for f in funcs if f.__module__ in FLOW_MODULES]
    for name, task in list(_periodic.items()):
        if task.run.__module__ not in FLOW_MODULES:
            del _periodic[name]


@contextmanager
def isolated():
    """Tests: an empty registry inside the block, everything registered before restored after."""
    load_flows()
    saved = [dict(t) for t in (_handlers, _resync_handlers, _periodic)]
    for table in (_handlers, _resync_handlers, _periodic):
        table.clear()
    try:
        yield
    finally:
        for table, copy in zip((_handlers, _resync_handlers, _periodic), saved):
            table.clear()
            table.update(copy)
