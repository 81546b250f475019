"""One alert check: gather the facts, evaluate the conditions, record each change once (with
its notifications), log it. Cheap reads only, so the poller can run it on every interval."""
import logging
from datetime import datetime, timezone

from alerts.conditions import Facts, Finding, Thresholds, evaluate
from alerts.messages import compose
from alerts.senders import channels
from models.alerts import Alert, transition
from models.base import utcnow
from models.probes import read_probe
from models.reconcile import open_counts
from monitoring.heartbeat import last_beat
from monitoring.queues import queue_facts
from monitoring.records import record_facts

log = logging.getLogger(__name__)
PLATFORMS_PROBE = "platforms"


def gather(settings, redis_connection, now=None):
    """The facts the conditions need; a source that cannot be read is left as None."""
    now = now or utcnow()
    facts = Facts(now=now, records=record_facts(now, settings["ALERT_FAILED_WINDOW_SECONDS"]),
                  platforms=read_probe(PLATFORMS_PROBE)[0],
                  extra={"discrepancies": open_counts()})
    try:
        facts.queues = queue_facts(redis_connection, now.replace(tzinfo=timezone.utc))
        beat, _ = last_beat(redis_connection)
        facts.poller_beat_at = (datetime.fromtimestamp(beat, timezone.utc).replace(tzinfo=None)
                                if beat is not None else None)
    except Exception as exc:  # noqa: BLE001 - Redis away: those conditions stay as they are
        log.warning("alert check cannot read Redis: %s", type(exc).__name__)
    return facts


def check(settings, redis_connection, now=None):
    """Evaluate every condition and apply what changed; [(key, "opened"|"resolved")]."""
    now = now or utcnow()
    findings = evaluate(gather(settings, redis_connection, now),
                        Thresholds.from_settings(settings))
    current = {a.key: a for a in Alert.select()}
    configured = channels(settings)
    changes = []
    for finding in findings:
        stored = current.get(finding.key)
        is_open = bool(stored and stored.is_open)
        if finding.opening is None or (not finding.opening and not is_open):
            continue
        if finding.opening and is_open and (stored.title, stored.detail) == (
                finding.title, finding.detail):
            continue
        # A resolution is told in the words the alert opened with.
        told = finding if finding.opening else Finding(finding.key, False, stored.title,
                                                       stored.detail, stored.link)
        words = {"title": told.title[:255], "detail": told.detail, "link": told.link[:255]}
        messages = compose(told, finding.opening, settings["PUBLIC_URL"], configured)
        if transition(finding.key, finding.opening, words, messages, now):
            kind = "opened" if finding.opening else "resolved"
            level = logging.WARNING if finding.opening else logging.INFO
            log.log(level, "alert %s: %s — %s", kind, told.title, told.detail)
            changes.append((finding.key, kind))
    return changes
