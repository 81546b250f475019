"""Alerts: one row per condition (open or resolved), and the outbox of notifications to send.

A condition changes state only through a guarded update (`... WHERE is_open = <old>`), and its
notifications are written in the same transaction, so however many processes check at once,
each opening and each resolution is notified exactly once.
"""
from datetime import timedelta

from peewee import BooleanField, CharField, DateTimeField, IntegerField, TextField

from models.base import BaseModel, utcnow
from models.db import write_transaction

OPENED, RESOLVED = "opened", "resolved"


class Alert(BaseModel):
    """A condition's current state: its words, its link, and when it last opened / resolved."""

    key = CharField(max_length=96, unique=True)
    is_open = BooleanField(default=False)
    title = CharField(max_length=255, default="")
    detail = TextField(default="")
    link = CharField(max_length=255, default="")
    opened_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    checked_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "alert"


class Notification(BaseModel):
    """One message about one transition for one channel (email or chat), sent or still due."""

    alert_key = CharField(max_length=96)
    kind = CharField(max_length=8)
    channel = CharField(max_length=8)
    subject = CharField(max_length=255)
    body = TextField()
    created_at = DateTimeField(default=utcnow)
    next_try_at = DateTimeField(default=utcnow)
    claimed_until = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    sent_at = DateTimeField(null=True)
    gave_up = BooleanField(default=False)
    last_error = CharField(max_length=255, null=True)

    class Meta:
        table_name = "notification"
        indexes = ((("sent_at", "gave_up", "next_try_at"), False),)


def transition(key, opening, words, messages, now=None):
    """Open (opening=True) or resolve the condition key; True when this call changed it.

    words: {title, detail, link}; messages: [(channel, subject, body)] queued only on change.
    While open, the words are kept current without notifying again.
    """
    now = now or utcnow()
    with write_transaction():
        Alert.insert(key=key, is_open=False, checked_at=now, **words).on_conflict_ignore() \
            .execute()
        stamp = {"opened_at": now, "resolved_at": None} if opening else {"resolved_at": now}
        changed = Alert.update(is_open=opening, checked_at=now, **stamp, **words).where(
            (Alert.key == key) & (Alert.is_open == (not opening))).execute()
        if not changed and opening:
            Alert.update(checked_at=now, **words).where(Alert.key == key).execute()
        for channel, subject, body in messages if changed else ():
            Notification.create(alert_key=key, kind=OPENED if opening else RESOLVED,
                                channel=channel, subject=subject[:255], body=body,
                                created_at=now, next_try_at=now)
    return bool(changed)


def open_alerts():
    """The open alerts, oldest first."""
    return list(Alert.select().where(Alert.is_open).order_by(Alert.opened_at, Alert.id))


def recently_resolved(since):
    """Alerts resolved since the given time, newest first."""
    return list(Alert.select().where(~Alert.is_open & (Alert.resolved_at >= since))
                .order_by(Alert.resolved_at.desc()))


def claim_due(now, limit=20, lease_seconds=120):
    """Notifications due now, each claimed by this caller alone for lease_seconds."""
    due = (Notification.select(Notification.id)
           .where(Notification.sent_at.is_null() & ~Notification.gave_up
                  & (Notification.next_try_at <= now)
                  & (Notification.claimed_until.is_null() | (Notification.claimed_until < now)))
           .order_by(Notification.id).limit(limit))
    claimed = []
    for (notification_id,) in due.tuples():
        won = Notification.update(claimed_until=now + timedelta(seconds=lease_seconds)).where(
            (Notification.id == notification_id) & Notification.sent_at.is_null()
            & (Notification.claimed_until.is_null() | (Notification.claimed_until < now))
        ).execute()
        if won:
            claimed.append(Notification.get_by_id(notification_id))
    return claimed


def mark_sent(notification, now=None):
    """Record a successful send."""
    Notification.update(sent_at=now or utcnow(), attempts=Notification.attempts + 1,
                        claimed_until=None, last_error=None).where(
        Notification.id == notification.id).execute()


def mark_failed(notification, error, retry_at, give_up=False):
    """Record a failed send: tried again at retry_at, or never again when give_up."""
    Notification.update(attempts=Notification.attempts + 1, claimed_until=None,
                        next_try_at=retry_at, gave_up=give_up, last_error=error[:255]).where(
        Notification.id == notification.id).execute()
