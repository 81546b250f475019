"""Notes → Woo lines, tracking, carrier and completion, over realistic payloads."""
import json
from datetime import date
from pathlib import Path

import pytest

from jobs.shipments import mapping as sm
from models.flow_settings import load_settings
from models.record_keys import note_key
DATA = json.loads((Path(__file__).parent.parent / "fixtures" / "bp_shipments.json").read_text())
GONS, DSNS, SALES_ORDER = DATA["goods_out_notes"], DATA["drop_ship_notes"], DATA["sales_order"]
SHIPPED, UNSHIPPED = GONS["12447605"], GONS["12447606"]
DROP_SHIP = DSNS["5501"]
METHODS = [{"id": 1, "name": "Standard Delivery"}, {"id": 2, "name": "UPS Ground"},
           {"id": 49, "name": "Royal Mail Tracked 48"}]
WOO_ORDER = {"id": 1042, "number": "1042", "status": "processing",
             "line_items": [{"id": 101}, {"id": 102}, {"id": 103}, {"id": 105}], "meta_data": []}


@pytest.mark.parametrize("note, expected", [
    (SHIPPED, "RM123456789GB"),
    (UNSHIPPED, None),               # an empty reference is no tracking number
    (DROP_SHIP, "1Z999AA10123456784"),  # a drop-ship note's SHS event carries it
    ({"shipping": {"reference": "  AB 12  "}}, "AB 12"),
    ({}, None),
])
def test_tracking_number(note, expected):
    assert sm.tracking_number(note) == expected


@pytest.mark.parametrize("note, settings, expected", [
    (SHIPPED, {"tracking_providers": {"49": "Royal Mail"}}, "Royal Mail"),
    (SHIPPED, {}, "Royal Mail Tracked 48"),  # unmapped: the Brightpearl method's name
    (DROP_SHIP, {}, "UPS Ground"),
    ({"shipping": {"shippingMethodId": 77}}, {}, None),
    ({"shipping": {"shippingMethodId": 0}}, {}, None),
])
def test_provider(note, settings, expected):
    assert sm.provider(note, METHODS, load_settings("shipments", settings)) == expected


def test_shipped_state_and_date():
    assert sm.is_shipped(SHIPPED) and not sm.is_shipped(UNSHIPPED)
    assert sm.shipped_on(SHIPPED) == date(2025, 11, 4)  # the day in the note's own offset
    assert sm.shipped_on(UNSHIPPED) is None


def test_rows_map_to_woo_lines_by_external_ref_and_bundle_parents():
    assert sm.line_for_row(SALES_ORDER) == {
        2975385: 101, 2975386: 102, 2975387: 103, 2975389: 105,
        2975391: 105, 2975392: 105}  # the shipping row has no Woo line


@pytest.mark.parametrize("notes, status, expected", [
    ([SHIPPED], "SPS", (2, 4, "partial: 2 of 4 lines")),
    ([SHIPPED, UNSHIPPED], "SPS", (2, 4, "partial: 2 of 4 lines")),  # unshipped notes count for nothing
    ([SHIPPED, dict(UNSHIPPED, status={"shipped": True})], "SPS",
     (3, 4, "partial: 3 of 4 lines")),
    ([], "ASS", (4, 4, "all 4 lines shipped")),  # Brightpearl's own "all shipped" settles it
])
def test_progress_over_every_note_of_the_order(notes, status, expected):
    progress = sm.progress(WOO_ORDER, sm.shipped_lines(notes, SALES_ORDER), status)
    assert (progress.shipped_lines, progress.total_lines, progress.words()) == expected


def test_a_short_pick_is_not_a_shipped_line():
    short = dict(SHIPPED, orderRows={"2975385": [{"productId": 1007, "quantity": 1}]})
    assert sm.shipped_lines([short], SALES_ORDER) == {101: False}
    twice = [short, dict(short, orderRows={"2975385": [{"productId": 1007, "quantity": 1}]})]
    assert sm.shipped_lines(twice, SALES_ORDER) == {101: True}


def test_a_bundle_line_ships_when_its_components_do():
    one = dict(SHIPPED, orderRows={"2975391": [{"productId": 1007, "quantity": 1}]})
    both = dict(one, orderRows={**one["orderRows"],
                                "2975392": [{"productId": 1101, "quantity": 2}]})
    assert sm.shipped_lines([one], SALES_ORDER) == {105: True}  # the seen component is done
    assert sm.shipped_lines([both], SALES_ORDER) == {105: True}
    partial = dict(both, orderRows={**one["orderRows"],
                                    "2975392": [{"productId": 1101, "quantity": 1}]})
    assert sm.shipped_lines([partial], SALES_ORDER) == {105: False}


@pytest.mark.parametrize("settings, status, complete, expected", [
    ({"complete_when_shipped": True}, "processing", True, True),
    ({"complete_when_shipped": False}, "processing", True, False),
    ({"complete_when_shipped": True}, "processing", False, False),
    ({"complete_when_shipped": True}, "completed", True, False),   # never twice
    ({"complete_when_shipped": True}, "cancelled", True, False),
])
def test_should_complete(settings, status, complete, expected):
    progress = sm.Progress(4 if complete else 3, 4)
    assert sm.should_complete(settings, dict(WOO_ORDER, status=status), progress) is expected


@pytest.mark.parametrize("meta, expected", [
    ([], False),
    ([{"id": 1, "key": "_wc_shipment_tracking_items",
       "value": [{"tracking_number": "RM123456789GB", "tracking_provider": "royal-mail"}]}], True),
    ([{"id": 2, "key": "_tracking_number", "value": "RM123456789GB"}], True),
    ([{"id": 2, "key": "_tracking_number", "value": "OTHER"}], False),
])
def test_tracking_already_on_the_order(meta, expected):
    assert sm.tracking_on_order(dict(WOO_ORDER, meta_data=meta), "RM123456789GB") is expected


def test_keys_and_info():
    assert note_key(sm.GOODS_OUT, 12447605) == "gon-12447605"
    assert note_key(sm.DROP_SHIP, 5501) == "dsn-5501"
    assert sm.info(sm.GOODS_OUT, 12447605, WOO_ORDER) == "Goods-out note 12447605 for Woo order #1042"
