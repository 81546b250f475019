"""Flows page: switches, completeness, backlog, generated settings forms, history, releases."""
import json
from dataclasses import replace

import pytest
from marshmallow import Schema, fields, validate

from jobs.core.queues import INTERACTIVE, get_queue
from models.flow_settings import missing_settings, schema_for
from models.flow_specs import FLOW_NAMES, FLOW_SPECS
from models.flows import Flow, FlowAudit, get_flow
from models.logs import SyncLog
from tests.logpage.conftest import make_row, post

REFERENCE = {
    "warehouses": [(2, "Main warehouse"), (7, "Returns")],
    "channels": [(1, "Web store")],
    "order_statuses": [(4, "Awaiting payment"), (9, "Shipped")],
    "price_lists": [(3, "Retail GBP")],
    "nominal_codes": [("4000", "4000 Sales"), ("4040", "4040 Shipping")],
}


@pytest.fixture
def reference(app):
    """Brightpearl lists through the provider interface (what the connectors will supply)."""
    calls = []

    def provider(kind):
        calls.append(kind)
        if kind == "price_lists":
            raise ConnectionError("Brightpearl did not answer")
        return REFERENCE.get(kind, [])

    app.extensions["pearlbridge_reference_data"] = provider
    return calls


class DemoSettings(Schema):
    """A schema using every kind of control the form generator knows."""

    warehouse_id = fields.Integer(required=True, metadata={
        "label": "Default warehouse", "choices_from": "warehouses", "help": "Where orders ship"})
    price_list_id = fields.Integer(required=True, metadata={
        "label": "Price list", "choices_from": "price_lists"})
    restock = fields.Boolean(load_default=False, metadata={"label": "Restock"})
    statuses = fields.List(fields.String(validate=validate.OneOf(["processing", "on-hold"])),
                           load_default=list, metadata={"label": "Statuses"})
    skus = fields.List(fields.String(), load_default=list, metadata={"label": "SKUs"})
    payment_map = fields.Dict(keys=fields.String(), values=fields.Integer(), load_default=dict,
                              metadata={"label": "Payments", "key_label": "Woo method"})
    note = fields.String(load_default="", validate=validate.Length(max=5),
                         metadata={"label": "Note"})


@pytest.fixture
def demo_schema(monkeypatch):
    """DemoSettings as the products flow's schema for one test."""
    monkeypatch.setitem(FLOW_SPECS, "products", replace(FLOW_SPECS["products"],
                                                        schema=DemoSettings))
    return DemoSettings


def test_every_flow_has_a_registered_schema_with_real_fields():
    for name in FLOW_NAMES:
        assert schema_for(name).fields, name
    assert missing_settings("products", {}) == ["price_list_id"]
    assert missing_settings("products", {"price_list_id": 3}) == []


def test_flows_page_lists_switch_completeness_and_backlog(staff):
    make_row("order", 1, status="pending")
    make_row("order", 2, status="pending")
    make_row("inventory", 3, status="pending")
    make_row("order", 4, status="failed")
    page = staff.get("/flows").get_data(as_text=True)
    for name in FLOW_NAMES:
        assert f'id="flow-{name}"' in page
    assert page.count("2 pending") == 2 and "1 pending" in page
    missing = len(missing_settings("products", {}))
    assert f"{missing} setting{'s' if missing != 1 else ''} missing" in page


def test_switch_turns_a_flow_on_and_off_with_history(staff):
    answer = post(staff, "/flows/inventory/switch", {"enabled": "1"}, follow_redirects=True)
    assert "Inventory flow turned on" in answer.get_data(as_text=True)
    assert get_flow("inventory").enabled is True
    post(staff, "/flows/inventory/switch", {"enabled": "0"})
    assert get_flow("inventory").enabled is False
    history = [json.loads(a.changes_json) for a in FlowAudit.select().order_by(FlowAudit.id)]
    assert history == [{"enabled": [False, True]}, {"enabled": [True, False]}]
    assert {a.who for a in FlowAudit.select()} == {"ann"}
    assert post(staff, "/flows/nope/switch", {"enabled": "1"}).status_code == 404


def test_form_is_generated_from_the_schema(staff, reference, demo_schema):
    page = staff.get("/flows/products").get_data(as_text=True)
    assert '<option value="2">Main warehouse</option>' in page
    assert "Where orders ship" in page
    # The provider failed for price lists: a plain input, and the page says why.
    assert 'name="price_list_id" value=""' in page
    assert "The list of price lists could not be loaded from Brightpearl" in page
    assert 'type="checkbox" name="restock"' in page
    assert 'name="statuses" value="on-hold"' in page
    assert '<textarea id="in-skus" name="skus"' in page
    assert page.count('name="payment_map-key"') == 2  # the blank "+" rows


def test_without_a_provider_every_list_is_a_plain_input(staff, demo_schema):
    page = staff.get("/flows/products").get_data(as_text=True)
    assert 'name="warehouse_id" value=""' in page
    assert "The list of warehouses could not be loaded from Brightpearl; type the id." in page


def test_validation_errors_are_shown_next_to_their_field(staff, reference, demo_schema):
    answer = post(staff, "/flows/products", {
        "warehouse_id": "", "price_list_id": "abc", "note": "far too long",
        "payment_map-key": ["stripe", "", "paypal"], "payment_map-value": ["x1", "5", ""],
    })
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Nothing was saved" in page
    assert page.index("Required.") > page.index('id="field-warehouse_id"')
    assert page.index("Must be a whole number (an id).") > page.index('id="field-price_list_id"')
    assert "The row with value &#39;5&#39; has no woo method." in page
    assert "paypal: choose a value (or clear the row)." in page
    assert 'value="far too long"' in page  # what was typed stays in the form
    assert get_flow("products").settings == {}


def test_more_rows_button_rerenders_without_saving(staff, demo_schema):
    answer = post(staff, "/flows/products", {"more_rows": "payment_map",
                                             "payment_map-key": ["stripe"],
                                             "payment_map-value": ["12"]})
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert page.count('name="payment_map-key"') == 1 + 2 + 3 and 'value="stripe"' in page
    assert FlowAudit.select().count() == 0


def test_saving_records_history_and_releases_waiting_records(staff, reference, demo_schema,
                                                            redis_connection):
    waiting = make_row("product", 1001, status="pending",
                       pending_reason="waiting for settings: price list")
    queued = make_row("product", 1002, status="pending", pending_reason="queued")
    other = make_row("inventory", 1003, status="pending",
                     pending_reason="waiting for settings: warehouses")
    answer = post(staff, "/flows/products", {
        "warehouse_id": "2", "price_list_id": "3", "restock": "1", "statuses": ["on-hold"],
        "statuses-present": "1", "skus": "A-1\nB-2\n", "skus-present": "1",
        "payment_map-key": ["stripe", ""], "payment_map-value": ["12", ""], "note": "ok",
    }, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Products settings saved" in page and "1 record(s) waiting for settings were released" in page
    assert get_flow("products").settings == {
        "warehouse_id": 2, "price_list_id": 3, "restock": True, "statuses": ["on-hold"],
        "skus": ["A-1", "B-2"], "payment_map": {"stripe": 12}, "note": "ok"}
    assert "<strong>ann</strong>" in page and "price_list_id" in page  # the history
    assert SyncLog.get_by_id(waiting.id).pending_reason == "queued"
    assert SyncLog.get_by_id(other.id).pending_reason.startswith("waiting for settings")
    assert SyncLog.get_by_id(queued.id).pending_reason == "queued"
    assert get_queue(redis_connection, INTERACTIVE).job_ids == ["brightpearl-product-1001"]
    # Saving the same values again changes nothing and records nothing.
    post(staff, "/flows/products", {
        "warehouse_id": "2", "price_list_id": "3", "restock": "1", "statuses": ["on-hold"],
        "statuses-present": "1", "skus": "A-1\nB-2", "skus-present": "1",
        "payment_map-key": ["stripe"], "payment_map-value": ["12"], "note": "ok"})
    assert FlowAudit.select().count() == 1


def test_unknown_keys_of_stored_settings_are_kept(staff, demo_schema):
    flow = get_flow("products")
    flow.settings = {"future_option": "x"}
    flow.save()
    post(staff, "/flows/products", {"warehouse_id": "2", "price_list_id": "3"})
    assert Flow.get(Flow.name == "products").settings["future_option"] == "x"


def test_real_schemas_render_and_validate(staff, reference):
    for name in FLOW_NAMES:
        assert staff.get(f"/flows/{name}").status_code == 200, name
        answer = post(staff, f"/flows/{name}", {})
        assert answer.status_code in (302, 422), name
    assert staff.get("/flows/nope").status_code == 404
