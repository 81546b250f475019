"""Delivering the notification outbox: claim what is due, send it, retry failures with growing
waits. A failure is logged (without secrets) and never raised: nothing that sends alerts may
crash the job or the poller doing it."""
import logging
from datetime import timedelta

from connectors.errors import scrub
from alerts.senders import SENDERS
from models.alerts import claim_due, mark_failed, mark_sent
from models.base import utcnow

log = logging.getLogger(__name__)
# Seconds before the next try after the n-th failure; the last repeats. Given up after a day.
BACKOFF = (30, 60, 120, 300, 600, 1800, 3600)
GIVE_UP_AFTER = 30


def retry_delay(attempts):
    """Seconds to wait after `attempts` failed tries."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def deliver_due(settings, senders=None, now=None, limit=20):
    """Send every due notification once; (sent, failed) counts."""
    senders = senders or SENDERS
    now = now or utcnow()
    sent = failed = 0
    for notification in claim_due(now, limit):
        try:
            senders[notification.channel](settings, notification.subject, notification.body)
        except Exception as exc:  # noqa: BLE001 - any failure to send is retried, never raised
            failed += 1
            attempts = notification.attempts + 1
            error = scrub(f"{type(exc).__name__}: {exc}", _secrets(settings))
            give_up = attempts >= GIVE_UP_AFTER
            log.warning("alert %s (%s) not sent by %s, try %d%s: %s", notification.alert_key,
                        notification.kind, notification.channel, attempts,
                        "; giving up" if give_up else "", error)
            mark_failed(notification, error, now + timedelta(seconds=retry_delay(attempts)),
                        give_up)
        else:
            sent += 1
            mark_sent(notification)
            log.info("alert %s (%s) sent by %s", notification.alert_key, notification.kind,
                     notification.channel)
    return sent, failed


def _secrets(settings):
    return [settings.get(name) for name in ("ALERT_WEBHOOK_URL", "SMTP_PASSWORD",
                                            "SMTP_USERNAME")]
