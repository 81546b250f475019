"""New discrepancies raise one alert (told once); it resolves when none are left open."""
from datetime import timedelta

from models.base import utcnow
from models.reconcile import RESOLVED, Discrepancy, ReconcileRun
from tests.alerts.test_alerts import assert_told_once, changes_of


def test_open_discrepancies_raise_one_alert_until_none_are_left(alert_settings,
                                                                redis_connection, mail, chat):
    assert changes_of(alert_settings, redis_connection, "reconcile") == []
    run = ReconcileRun.create(since=utcnow() - timedelta(days=7), until=utcnow(), status="done")
    first = Discrepancy.create(kind="order_missing", log_type="order", record_key="woo-5",
                               title="Woo order #5 is not in Brightpearl", first_run=run.id,
                               last_run=run.id)
    assert changes_of(alert_settings, redis_connection, "reconcile") == ["opened"]
    assert_told_once(alert_settings, mail, chat,
                     "[Pearlbridge] ALERT: Reconciliation: WooCommerce and Brightpearl disagree")
    assert "https://sync.shop.example/reconcile" in mail.messages[-1].get_content()
    second = Discrepancy.create(kind="stock", log_type="inventory", record_key="bp-1001",
                                title="Mug: Woo shows 4", first_run=run.id, last_run=run.id)
    assert changes_of(alert_settings, redis_connection, "reconcile") == []  # words kept current
    assert deliver_nothing(alert_settings)
    Discrepancy.update(status=RESOLVED).where(
        Discrepancy.id.in_([first.id, second.id])).execute()
    assert changes_of(alert_settings, redis_connection, "reconcile") == ["resolved"]
    assert_told_once(alert_settings, mail, chat, "[Pearlbridge] RESOLVED: Reconciliation")


def deliver_nothing(settings):
    from alerts.delivery import deliver_due

    return deliver_due(settings) == (0, 0)
