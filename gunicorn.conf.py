"""gunicorn settings for the web process (Procfile: web). Every value can be overridden by env."""
import multiprocessing
import os

from gunicorn.glogging import Logger

from webhook import mask_logs

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# Threads keep a slow client from holding a whole worker; two processes per core is plenty
# for receivers that answer in milliseconds.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Access logs cost throughput on the receivers; turn on with ACCESS_LOG=-.
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"


class MaskedLogger(Logger):
    """gunicorn's logger; the Brightpearl callback path's secret never reaches its lines."""

    def setup(self, cfg):
        """Set up as gunicorn does, then mask both the access and the error log."""
        super().setup(cfg)
        mask_logs(self.access_log, self.error_log)


logger_class = MaskedLogger


def on_starting(server):
    """Before any worker: refuse to serve a database that belongs to another store or account
    (one line naming both and the command that resolves it; models/store_identity.py)."""
    import config
    from models.store_identity import check_at_start

    check_at_start(config.from_env())
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Build the app once in the master so a bad configuration fails at start, with one line.
preload_app = True

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    # gunicorn's own lines (start, workers, access log) as JSON like the app's.
    import config
    import logconfig

    logconfig_dict = logconfig.dict_config(config.from_env(),
                                           loggers=("gunicorn.error", "gunicorn.access"))
