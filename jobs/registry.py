"""Which flow handles which event: flows register here, the dispatcher looks up."""

_handlers = {}


def handles(source, topic_prefix):
    """Decorator: register the decorated callable for events of source whose topic starts so."""

    def register(func):
        _handlers[(source, topic_prefix)] = func
        return func

    return register


def handler_for(source, topic):
    """The handler for (source, topic), preferring the longest matching prefix; None if none."""
    best = None
    for (src, prefix), func in _handlers.items():
        if src == source and topic.startswith(prefix):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, func)
    return best[1] if best else None


def unregister_all():
    """Forget every handler (tests)."""
    _handlers.clear()
