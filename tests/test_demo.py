"""The demo's settings stay valid as the flows' schemas evolve, and leave one mapping to fix."""
import pytest

from demo.flows import DEMO_SETTINGS, configure_demo_flows
from demo.settings import demo_environment
from models.flow_settings import missing_settings, schema_for
from models.flows import get_flow, save_flow


@pytest.mark.parametrize("name", sorted(DEMO_SETTINGS))
def test_demo_settings_are_valid_and_complete(name):
    assert schema_for(name).validate(DEMO_SETTINGS[name]) == {}
    assert missing_settings(name, DEMO_SETTINGS[name]) == []


def test_paypal_is_left_for_the_newcomer():
    assert "paypal" not in DEMO_SETTINGS["orders"]["payment_methods"]


def test_configure_keeps_what_staff_changed(app):
    save_flow("orders", "staff", enabled=False, settings={"channel_id": 9})
    assert "orders" not in configure_demo_flows()
    assert get_flow("orders").settings == {"channel_id": 9}
    assert get_flow("refunds").enabled
    assert configure_demo_flows() == []


def test_demo_environment_fills_only_what_is_missing():
    env = demo_environment({"WOO_URL": "https://shop.example"})
    assert env["WOO_URL"] == "https://shop.example"
    assert env["BRIGHTPEARL_URL"].endswith("/public-api/sandbox")
    assert len(env["WOO_WEBHOOK_SECRET"]) > 20


def test_the_launcher_restarts_a_crashed_child(tmp_path):
    """`make run` stopped the whole demo when one process died; now it starts it again."""
    import io
    import threading
    import time

    from demo.processes import Supervisor

    runs = tmp_path / "runs"
    supervisor = Supervisor({"PATH": "/usr/bin:/bin"}, out=io.StringIO())
    supervisor.start("crasher", f"sh -c 'echo run >> {runs}; exit 1'")
    stop = threading.Event()
    watcher = threading.Thread(target=supervisor.wait, args=(stop,))
    watcher.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (
                not runs.exists() or runs.read_text().count("run") < 2):
            time.sleep(0.1)
    finally:
        stop.set()
        watcher.join()
        supervisor.stop()
    assert runs.read_text().count("run") >= 2
    assert "crasher exited (1); restarting" in supervisor.out.getvalue()


def test_each_run_starts_the_demo_database_with_the_sandbox(tmp_path, monkeypatch):
    """Run twice, the second run's orders were taken for the first's (22 Failed rows)."""
    from demo.fresh import DEMO_DATABASE_URL, fresh_demo_database

    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"var/demo.db{suffix}").write_text("the previous run")
    env = {}
    assert fresh_demo_database(env, named_by_user=False)
    assert env["DATABASE_URL"] == DEMO_DATABASE_URL
    assert list((tmp_path / "var").iterdir()) == []


def test_a_database_the_user_named_is_kept_and_gets_a_new_connection(app, settings, tmp_path):
    from demo.fresh import fresh_demo_database, new_connection_if_used
    from models.db import db
    from models.logs import SyncLog, log_row
    from models.store_identity import check

    env = {"DATABASE_URL": settings["DATABASE_URL"]}
    assert not fresh_demo_database(env, named_by_user=True)
    with db.connection_context():
        check(settings)
        assert new_connection_if_used(settings) is None  # nothing synced yet: keep it
        log_row("order", "woo-95", "Order #95 of the first run")
        old, new = new_connection_if_used(settings)
        assert (old.id, new.id) == (1, 2)
        assert SyncLog.select().count() == 0
        assert SyncLog.select_everywhere().count() == 1
