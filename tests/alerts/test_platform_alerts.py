"""Platform conditions against both emulators over real HTTP: a disabled WooCommerce webhook and
a missing Brightpearl subscription alert once and resolve once after the Health page's
re-register; refused credentials on either platform alert once and resolve once."""
import config
from alerts.check import check
from alerts.delivery import deliver_due
from jobs.maintenance.platforms import check_platforms, register_job
from models.alerts import Alert
from models.probes import read_probe
from models.users import User
from tests.logpage.conftest import PASSWORD, post, sign_in


def full_settings(platforms, mail, chat, **changes):
    """The platforms' settings with every default, alerts sent to both sinks."""
    return config.from_env(environ={}, overrides=dict(
        platforms.settings, SMTP_HOST="127.0.0.1", SMTP_PORT=str(mail.port), SMTP_TLS="none",
        ALERT_EMAIL_TO="ops@shop.example", ALERT_WEBHOOK_URL=chat.url, **changes))


def transitions(settings, redis_connection):
    """The platform conditions' transitions of one check, sorted."""
    return sorted(change for change in check(settings, redis_connection)
                  if change[0].split(":")[0] in ("auth", "webhooks"))


def test_webhooks_alert_and_reregister_from_the_health_page(platforms, redis_connection, mail,
                                                            chat, work, monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", platforms.app_url)
    settings = full_settings(platforms, mail, chat)
    register_job()  # everything in place: nothing to alert about
    assert transitions(settings, redis_connection) == []
    woo_hook = next(h for h in platforms.woo("GET", "/webhooks")
                    if h["topic"] == "order.updated" and h["status"] == "active"
                    and h["delivery_url"].startswith(platforms.app_url))
    platforms.woo("PUT", f"/webhooks/{woo_hook['id']}", json={"status": "disabled"})
    bp_hook = next(h for h in platforms.bp("GET", "/integration-service/webhook")
                   if h["subscribeTo"] == "order.modified.order-status")
    platforms.bp("DELETE", f"/integration-service/webhook/{bp_hook['id']}")
    check_platforms(settings, redis_connection)
    assert transitions(settings, redis_connection) == [("webhooks:brightpearl", "opened"),
                                                       ("webhooks:woocommerce", "opened")]
    assert "order.updated disabled" in Alert.get(Alert.key == "webhooks:woocommerce").detail
    assert transitions(settings, redis_connection) == []
    staff = User(username="ann")
    staff.set_password(PASSWORD)
    staff.save()
    client = platforms.app.test_client()
    sign_in(client)
    assert post(client, "/health/reregister").status_code == 302
    work()  # the queued re-registration, then its check
    lines = read_probe("platforms")[0]
    assert {ln["state"] for p in lines.values() for ln in p["lines"]} == {"ok"}
    assert transitions(settings, redis_connection) == [("webhooks:brightpearl", "resolved"),
                                                       ("webhooks:woocommerce", "resolved")]
    assert deliver_due(settings) == (8, 0)
    assert sorted(s.split(":")[0] for s in mail.subjects) == [
        "[Pearlbridge] ALERT", "[Pearlbridge] ALERT", "[Pearlbridge] RESOLVED",
        "[Pearlbridge] RESOLVED"]


def test_refused_credentials_on_either_platform(platforms, redis_connection, mail, chat,
                                                monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", platforms.app_url)
    register_job()
    good = full_settings(platforms, mail, chat)
    bad = full_settings(platforms, mail, chat, WOO_CONSUMER_SECRET="cs_revoked",
                        BRIGHTPEARL_STAFF_TOKEN="revoked-token")
    check_platforms(bad, redis_connection)
    assert read_probe("platforms")[0]["woocommerce"]["auth"] == "failed"
    assert transitions(good, redis_connection) == [("auth:brightpearl", "opened"),
                                                   ("auth:woocommerce", "opened")]
    check_platforms(bad, redis_connection)
    assert transitions(good, redis_connection) == []
    assert deliver_due(good) == (4, 0)
    assert "[Pearlbridge] ALERT: WooCommerce refuses our credentials" in mail.subjects
    assert "[Pearlbridge] ALERT: Brightpearl refuses our credentials" in chat.texts
    assert "cs_revoked" not in " ".join(p["text"] for p in chat.posts)
    check_platforms(good, redis_connection)
    assert transitions(good, redis_connection) == [("auth:brightpearl", "resolved"),
                                                   ("auth:woocommerce", "resolved")]
    assert deliver_due(good) == (4, 0)
