"""The alert conditions: pure functions from facts to findings (open, clear, or unknown)."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models.logs import LOG_TYPE_LABELS
from models.reconcile import KINDS

PLATFORM_NAMES = {"woocommerce": "WooCommerce", "brightpearl": "Brightpearl"}


@dataclass(frozen=True)
class Finding:
    """One condition now: opening True (it holds), False (clear) or None (cannot tell)."""

    key: str
    opening: bool | None
    title: str
    detail: str = ""
    link: str = "/health"


@dataclass(frozen=True)
class Thresholds:
    """When each condition opens (from the ALERT_* settings)."""

    failed_count: int = 10
    failed_window: float = 3600
    stalled: float = 1800
    waiting: float = 3600
    queue_age: float = 900
    poller_silent: float = 120

    @classmethod
    def from_settings(cls, settings):
        """The thresholds from the settings."""
        return cls(int(settings["ALERT_FAILED_THRESHOLD"]),
                   float(settings["ALERT_FAILED_WINDOW_SECONDS"]),
                   float(settings["ALERT_STALLED_SECONDS"]),
                   float(settings["ALERT_WAITING_SECONDS"]),
                   float(settings["ALERT_QUEUE_AGE_SECONDS"]),
                   float(settings["ALERT_POLLER_SILENT_SECONDS"]))


@dataclass
class Facts:
    """What the check saw; None where it could not look (Redis down, a check never run)."""

    now: datetime
    records: dict | None = None
    queues: list | None = None
    poller_beat_at: datetime | None = None
    platforms: dict | None = None
    extra: dict = field(default_factory=dict)


def evaluate(facts, limits):
    """Every condition's finding, in a stable order."""
    findings = []
    for log_type, record in (facts.records or {}).items():
        findings += _records(log_type, record, facts.now, limits)
    for platform in PLATFORM_NAMES:
        findings += _platform(platform, (facts.platforms or {}).get(platform))
    for queue in facts.queues or ():
        findings.append(_queue(queue, limits))
    findings.append(_poller(facts.poller_beat_at, facts.now, limits))
    findings.append(_discrepancies(facts.extra.get("discrepancies")))
    return findings


def _minutes(seconds):
    return f"{seconds / 60:g} minute{'s' if seconds != 60 else ''}"


def _records(log_type, record, now, limits):
    label = LOG_TYPE_LABELS.get(log_type, log_type)
    failed = record.failed_recent >= limits.failed_count > 0
    stalled_since = now - timedelta(seconds=limits.stalled)
    stalled = (record.oldest_backlog_at is not None and record.oldest_backlog_at < stalled_since
               and (record.last_success_at is None or record.last_success_at < stalled_since))
    waiting = (record.oldest_waiting_at is not None
               and record.oldest_waiting_at < now - timedelta(seconds=limits.waiting))
    return [
        Finding(f"failed:{log_type}", failed, f"{label}: {record.failed_recent} Failed in the "
                f"last {_minutes(limits.failed_window)}",
                f"{record.failed_recent} {label.lower()} record(s) failed within "
                f"{_minutes(limits.failed_window)} (alert at {limits.failed_count}).",
                f"/logs?type={log_type}&status=failed"),
        Finding(f"stalled:{log_type}", stalled, f"{label}: sync stalled",
                f"Records queued since {record.oldest_backlog_at or '—'} UTC and no success "
                f"since {record.last_success_at or 'ever'} (alert after "
                f"{_minutes(limits.stalled)}).", f"/logs?type={log_type}&status=pending"),
        Finding(f"waiting:{log_type}", waiting, f"{label}: {record.waiting_count} record(s) "
                "waiting for settings",
                f"Held since {record.oldest_waiting_at or '—'} UTC until a flow setting is "
                f"saved (alert after {_minutes(limits.waiting)}); the Sync Logs name the "
                "missing setting.", "/flows"),
    ]


def _platform(platform, state):
    name = PLATFORM_NAMES[platform]
    if not state:
        return [Finding(f"auth:{platform}", None, ""), Finding(f"webhooks:{platform}", None, "")]
    auth = {"ok": False, "failed": True}.get(state.get("auth"))
    lines = state.get("lines")
    wrong = [ln for ln in lines or () if ln["state"] != "ok"]
    return [
        Finding(f"auth:{platform}", auth, f"{name} refuses our credentials",
                state.get("error") or "", "/health"),
        Finding(f"webhooks:{platform}", None if lines is None else bool(wrong),
                f"{name}: {len(wrong)} webhook(s) missing or not active",
                "; ".join(f"{ln['topic']} {ln['state']}" for ln in wrong)
                + " — re-register them on the Health page.", "/health"),
    ]


def _queue(queue, limits):
    age = queue.oldest_age
    stuck = age is not None and age > limits.queue_age
    return Finding(f"queue:{queue.name}", stuck, f"Queue {queue.name} is not draining",
                   f"{queue.depth} job(s) waiting, the oldest for {_minutes(age or 0)}; is a "
                   "worker running?", "/health")


def _poller(beat_at, now, limits):
    if beat_at is None:
        return Finding("poller", None, "")
    silent = (now - beat_at).total_seconds()
    return Finding("poller", silent > limits.poller_silent, "The poller is not running",
                   f"No poller leader has ticked for {_minutes(round(silent))} (alert after "
                   f"{_minutes(limits.poller_silent)}); polls, sweeps and the retention prune "
                   "have stopped.", "/health")


def _discrepancies(counts):
    # One alert while reconciliation has open discrepancies: it opens when a run finds some
    # and resolves when later runs (or repairs) leave none; its words follow the counts.
    if counts is None:
        return Finding("reconcile", None, "")
    total = sum(counts.values())
    kinds = ", ".join(f"{KINDS[kind][0].lower()}: {n}" if kind in KINDS else f"{kind}: {n}"
                      for kind, n in sorted(counts.items()) if n)
    return Finding("reconcile", total > 0, "Reconciliation: WooCommerce and Brightpearl disagree",
                   f"{total} open discrepanc{'y' if total == 1 else 'ies'} ({kinds}); repair "
                   "them on the Reconciliation page.", "/reconcile")
