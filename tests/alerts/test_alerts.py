"""Each alert condition opens once and resolves once, told by e-mail (a real SMTP server) and
to a chat webhook (a real HTTP sink); a failed send is logged and retried, never raised."""
import threading
import time
from datetime import timedelta

from alerts.check import check
from alerts.delivery import deliver_due
from jobs.maintenance.alerting import schedule_watchdog
from jobs.core.queues import BULK, get_queue
from models.alerts import Alert, Notification, transition
from models.base import utcnow
from models.db import db
from models.logs import SyncLog
from monitoring.heartbeat import beat
from tests.logpage.conftest import make_row

WAITING = "waiting for settings: payment method `paypal` has no Brightpearl payment method"


def changes_of(settings, redis_connection, key):
    """The transitions one check made for the condition key."""
    return [kind for k, kind in check(settings, redis_connection) if k == key]


def assert_told_once(settings, mail, chat, subject_start):
    """Delivering now sends exactly one e-mail and one chat post, starting so."""
    before_mail, before_chat = len(mail.messages), len(chat.posts)
    assert deliver_due(settings) == (2, 0)
    assert len(mail.messages) == before_mail + 1 and len(chat.posts) == before_chat + 1
    assert mail.subjects[-1].startswith(subject_start), mail.subjects[-1]
    assert chat.texts[-1].startswith(subject_start), chat.texts[-1]
    assert deliver_due(settings) == (0, 0)


def test_failed_rows_above_the_threshold(alert_settings, redis_connection, mail, chat):
    rows = [make_row("order", n, status="failed", at=utcnow() - timedelta(minutes=5))
            for n in range(3)]
    make_row("order", 99, status="failed", at=utcnow() - timedelta(hours=3))  # outside window
    assert changes_of(alert_settings, redis_connection, "failed:order") == ["opened"]
    assert changes_of(alert_settings, redis_connection, "failed:order") == []
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] ALERT: Order: 3 Failed")
    message = mail.messages[-1]
    assert message["To"] == "ops@shop.example, owner@shop.example"
    assert "https://sync.shop.example/logs?type=order&status=failed" in message.get_content()
    SyncLog.update(status="synced").where(SyncLog.id.in_([r.id for r in rows])).execute()
    assert changes_of(alert_settings, redis_connection, "failed:order") == ["resolved"]
    assert changes_of(alert_settings, redis_connection, "failed:order") == []
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] RESOLVED: Order: 3 Failed")


def test_records_waiting_for_settings(alert_settings, redis_connection, mail, chat):
    row = make_row("order", 7, status="pending", pending_reason=WAITING,
                   at=utcnow() - timedelta(minutes=11))
    assert changes_of(alert_settings, redis_connection, "waiting:order") == ["opened"]
    assert_told_once(alert_settings, mail, chat,
                     "[Pearlbridge] ALERT: Order: 1 record(s) waiting for settings")
    assert "https://sync.shop.example/flows" in chat.posts[-1]["text"]
    SyncLog.update(status="synced", pending_reason=None).where(SyncLog.id == row.id).execute()
    assert changes_of(alert_settings, redis_connection, "waiting:order") == ["resolved"]
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] RESOLVED")


def test_a_stalled_flow(alert_settings, redis_connection, mail, chat):
    make_row("inventory", 1, status="pending", pending_reason="queued",
             at=utcnow() - timedelta(minutes=20))
    make_row("inventory", 2, status="synced", at=utcnow() - timedelta(minutes=30))
    assert changes_of(alert_settings, redis_connection, "stalled:inventory") == ["opened"]
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] ALERT: Inventory: sync stalled")
    make_row("inventory", 3, status="synced")  # work is getting through again
    assert changes_of(alert_settings, redis_connection, "stalled:inventory") == ["resolved"]
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] RESOLVED: Inventory")


def test_a_queue_that_does_not_drain(alert_settings, redis_connection, mail, chat, work):
    job = get_queue(redis_connection, BULK).enqueue("os.getpid")
    redis_connection.hset(job.key, "enqueued_at", (utcnow() - timedelta(minutes=6)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"))
    key = f"queue:{BULK}"
    assert changes_of(alert_settings, redis_connection, key) == ["opened"]
    assert_told_once(alert_settings, mail, chat, f"[Pearlbridge] ALERT: Queue {BULK}")
    work()
    assert changes_of(alert_settings, redis_connection, key) == ["resolved"]
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] RESOLVED")


def test_a_silent_poller_is_told_by_the_worker_watchdog(alert_settings, redis_connection, mail,
                                                        chat, work, monkeypatch):
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_TLS", "ALERT_EMAIL_TO", "ALERT_WEBHOOK_URL",
                 "PUBLIC_URL"):
        monkeypatch.setenv(name, str(alert_settings[name]))
    beat(redis_connection, "host-a:41", now=time.time() - 600)
    schedule_watchdog(redis_connection, 60)
    work(retries_due=True)  # the scheduled watchdog runs in a worker: checks and sends
    assert Alert.get(Alert.key == "poller").is_open
    assert mail.subjects == ["[Pearlbridge] ALERT: The poller is not running"]
    assert chat.texts == ["[Pearlbridge] ALERT: The poller is not running"]
    # It scheduled its own next run.
    assert any(j.startswith("alerts-watchdog-") for j in
               get_queue(redis_connection, BULK).scheduled_job_registry.get_job_ids())
    beat(redis_connection, "host-b:7")
    assert changes_of(alert_settings, redis_connection, "poller") == ["resolved"]
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] RESOLVED: The poller")


def test_a_failed_send_is_logged_retried_and_never_raised(alert_settings, redis_connection,
                                                           mail, chat, caplog):
    for n in range(3):
        make_row("refund", n, status="failed")
    chat.failures = 1
    assert changes_of(alert_settings, redis_connection, "failed:refund") == ["opened"]
    assert deliver_due(alert_settings) == (1, 1)
    assert len(mail.messages) == 1 and chat.posts == []
    assert "not sent by chat" in caplog.text and "secret-token" not in caplog.text
    pending = Notification.get(Notification.channel == "chat")
    assert pending.attempts == 1 and pending.sent_at is None and pending.next_try_at > utcnow()
    assert deliver_due(alert_settings) == (0, 0)  # not due yet
    assert deliver_due(alert_settings, now=utcnow() + timedelta(seconds=31)) == (1, 0)
    assert len(chat.posts) == 1 and len(mail.messages) == 1
    unreachable = dict(alert_settings, SMTP_PORT=1)
    make_row("shipment", 1, status="failed")
    for n in range(2, 4):
        make_row("shipment", n, status="failed")
    check(unreachable, redis_connection)
    assert deliver_due(unreachable) == (1, 1)  # the mail server is down: logged, not raised


def test_concurrent_checks_notify_each_transition_once(alert_settings):
    words = {"title": "t", "detail": "d", "link": "/health"}
    messages = [("email", "s", "b"), ("chat", "s", "b")]
    results, barrier = [], threading.Barrier(4)

    def opener():
        with db.connection_context():
            barrier.wait()
            results.append(transition("race", True, words, messages))

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert Notification.select().where(Notification.alert_key == "race").count() == 2


def test_watchdog_runs_never_pile_up_while_no_scheduler_runs(redis_connection):
    first = schedule_watchdog(redis_connection, 60, now=1_000_000)
    for minutes in range(1, 30):  # the poller asks every minute; no worker moves them
        assert schedule_watchdog(redis_connection, 60, now=1_000_000 + 60 * minutes) == first
    assert get_queue(redis_connection, BULK).scheduled_job_registry.count == 1
