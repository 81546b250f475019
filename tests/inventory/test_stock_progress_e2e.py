"""The Flows page shows stock work that has no Pending rows of its own: changes Brightpearl's
on-hand webhooks noted (through the real receiver and the dispatcher on RQ) and not yet
written, and how far a full stock sweep (run by the real stock worker) has got."""
import time

from rq import SimpleWorker

from demo.flows import DEMO_SETTINGS
from jobs.core.queues import INTERACTIVE, get_queue
from jobs.inventory import sweep, worker
from jobs.inventory.handlers import sweep_tick
from models.flows import save_flow
from models.users import User
from tests.staff import PASSWORD, sign_in
from tests.platforms import platforms  # noqa: F401 - the wired fixture


def staff_client(platforms):
    user = User(username="ann")
    user.set_password(PASSWORD)
    user.save()
    client = platforms.app.test_client()
    assert sign_in(client).status_code == 302
    return client


def stock_text(client):
    page = client.get("/flows").get_data(as_text=True)
    start = page.index('class="stock-work"')
    return " ".join(page[start:page.index("</small>", start)].split())


def dispatch_only(redis_connection):
    """Run the receivers' dispatcher jobs (interactive queue), not the stock worker (bulk)."""
    time.sleep(0.3)  # Brightpearl delivers its webhooks from its own thread
    SimpleWorker([get_queue(redis_connection, INTERACTIVE)],
                 connection=redis_connection).work(burst=True)


def test_pending_stock_changes_and_the_sweeps_progress(platforms, work, redis_connection,
                                                       monkeypatch):
    save_flow("inventory", "test", enabled=True, settings=DEMO_SETTINGS["inventory"])
    client = staff_client(platforms)
    assert "No full stock check has run yet." in stock_text(client)
    platforms.bp_control("stock", {"changes": [
        {"productId": 1007, "warehouseId": 2, "delta": 3},
        {"productId": 1008, "warehouseId": 2, "delta": 2}]})
    dispatch_only(redis_connection)
    assert "2 stock changes waiting to be written" in stock_text(client)
    platforms.settle(work)
    assert "0 stock changes waiting to be written" in stock_text(client)

    # A sweep in small steps, one step per worker run, so its progress can be seen.
    monkeypatch.setattr(sweep, "STEP", 5)
    one_step = worker._sweep
    monkeypatch.setattr(worker, "_sweep", lambda *args: one_step(*args) and False)
    sweep_tick({}, redis_connection)  # the poller's task: starts a sweep, queues the worker
    assert "Full stock check: reading Brightpearl's catalog" in stock_text(client)
    work()  # the catalog step
    worker.enqueue_stock_work(redis_connection)
    work()  # the first five products
    text = stock_text(client)
    state = sweep.sweep_state()
    assert not state["done"] and state["position"] > 0, state
    assert "Full stock check: 5 of " in text and "products (" in text, text
    for _ in range(5):
        worker.enqueue_stock_work(redis_connection)
        work()
    assert "Last full stock check finished" in stock_text(client)
