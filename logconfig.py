"""Logging for every process: one readable line, or with LOG_FORMAT=json one JSON object per
line that carries the record key and the RQ job id of the work it belongs to."""
import contextvars
import logging
import logging.config
from contextlib import contextmanager

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(record_key)s %(job_id)s"
_record_key = contextvars.ContextVar("pearlbridge_record_key", default=None)


class ContextFilter(logging.Filter):
    """Adds record_key and job_id to every record (None outside a job)."""

    def filter(self, record):
        """Annotate the record; never drops one."""
        record.record_key = _record_key.get()
        record.job_id = _current_job_id()
        return True


def _current_job_id():
    from rq import get_current_job

    try:
        job = get_current_job()
    except Exception:  # noqa: BLE001 - outside a worker there is simply no job
        return None
    return job.id if job is not None else None


@contextmanager
def record_context(record_key):
    """Every log line inside the block names record_key."""
    token = _record_key.set(record_key)
    try:
        yield
    finally:
        _record_key.reset(token)


def dict_config(settings, loggers=()):
    """The logging.config dictionary for the settings' LOG_LEVEL and LOG_FORMAT; the named
    loggers (gunicorn's own) get the same handler instead of theirs."""
    if settings.get("LOG_FORMAT") == "json":
        formatter = {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": JSON_FIELDS,
                     "rename_fields": {"asctime": "time", "levelname": "level",
                                       "name": "logger"}}
    else:
        formatter = {"format": TEXT_FORMAT}
    return {
        "version": 1,
        # Module loggers made at import time (before this runs) must keep working.
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {"main": formatter},
        "handlers": {"main": {"class": "logging.StreamHandler", "formatter": "main",
                              "filters": ["context"]}},
        "root": {"level": str(settings.get("LOG_LEVEL") or "INFO").upper(),
                 "handlers": ["main"]},
        "loggers": {name: {"handlers": ["main"], "propagate": False} for name in loggers},
    }


def setup(settings):
    """Configure logging once per process; a process already configured is left as it is."""
    if logging.getLogger().handlers:
        return
    logging.config.dictConfig(dict_config(settings))
