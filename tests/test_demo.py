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
