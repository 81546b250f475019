"""The periodic check of both platforms — our webhooks in place, our credentials accepted — and
the Health page's one-click re-registration. API calls, so always in a worker, never the poller."""
import logging
from dataclasses import asdict

from connectors.errors import ConnectorError, PermanentError
from connectors.provisioning import Provisioner
from jobs.core import clients
from jobs.core.context import job_database, job_redis, settings as job_settings
from jobs.core.queues import BULK, enqueue_once
from jobs.core.registry import every
from models.probes import store_probe

log = logging.getLogger(__name__)
PROBE = "platforms"


@every("platform-check", 300, setting="HEALTH_CHECK_SECONDS")
def schedule_check(settings, redis_connection):
    """Poller task: queue the check (it calls both platforms: a worker's job)."""
    enqueue_once(redis_connection, "jobs.maintenance.platforms.check_job", (), "platform-check",
                 name=BULK, description="check webhooks and credentials on both platforms")


def check_job():
    """The queued check, in a worker."""
    with job_database():
        return _summary(check_platforms(job_settings(), job_redis()))


def register_job():
    """Create missing webhooks, re-enable disabled ones, then check again."""
    settings, redis_connection = job_settings(), job_redis()
    with job_database():
        provisioner = _provisioner(settings, redis_connection)
        report = provisioner.register()
        log.info("webhooks re-registered: %d change(s)", len(report.changed))
        return _summary(check_platforms(settings, redis_connection, provisioner))


def check_platforms(settings, redis_connection, provisioner=None):
    """Both platforms' webhook lines and whether each accepted our credentials; stored."""
    provisioner = provisioner or _provisioner(settings, redis_connection)
    found = {"woocommerce": _check(provisioner.woo_status),
             "brightpearl": _check(provisioner.bp_status)}
    store_probe(PROBE, found)
    return found


def _provisioner(settings, redis_connection):
    return Provisioner(clients.woocommerce(settings, redis_connection),
                       clients.brightpearl("bulk", settings, redis_connection), settings)


def _check(status):
    try:
        lines = status()
    except PermanentError as exc:
        # 401 / 403: the platform refused our credentials (or our app's rights).
        auth = "failed" if exc.status in (401, 403) else "error"
        return {"auth": auth, "error": str(exc), "lines": None}
    except ConnectorError as exc:
        return {"auth": "unknown", "error": str(exc), "lines": None}
    return {"auth": "ok", "error": None, "lines": [asdict(line) for line in lines]}


def _summary(found):
    return "; ".join(f"{platform}: {state['auth']}" + (
        f", {sum(1 for ln in state['lines'] if ln['state'] != 'ok')} webhook problem(s)"
        if state["lines"] is not None else "") for platform, state in found.items())
