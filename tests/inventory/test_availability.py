"""Available to sell: warehouses, missing keys, buffers, caps, rounding, bundles (table-tested)."""
import pytest

from jobs.inventory.availability import (Rules, bundle_on_hand, on_hand, rules_from_settings,
                               sell_figure, units)
from models.flow_settings import load_settings

ENTRY = {"total": {"onHand": 60},
         "warehouses": {"2": {"inStock": 12, "onHand": 10, "allocated": 2},
                        "3": {"inStock": 7, "onHand": 7, "allocated": 0},
                        "4": {"onHand": 43}}}


@pytest.mark.parametrize("entry, warehouses, expected", [
    (ENTRY, None, (60, {2: 10, 3: 7, 4: 43})),                  # every warehouse
    (ENTRY, frozenset({2, 3}), (17, {2: 10, 3: 7})),            # only the chosen ones
    (ENTRY, frozenset({2, 9}), (10, {2: 10, 9: 0})),            # absent warehouse counts 0
    ({"total": {"onHand": 0}}, frozenset({2}), (0, {2: 0})),    # no warehouses key at all
    ({"warehouses": {"2": {}}}, None, (0, {2: 0})),             # no onHand key
    ({"warehouses": {"2": {"onHand": "4.9"}}}, None, (4, {2: 4})),   # decimals round down
    ({"warehouses": {"2": {"onHand": -3}, "3": {"onHand": 5}}}, None, (5, {2: 0, 3: 5})),
    ({"warehouses": {"x": {"onHand": 3}}}, None, (0, {})),      # junk keys ignored
    (None, None, (0, {})),
])
def test_on_hand_sums_the_chosen_warehouses(entry, warehouses, expected):
    assert on_hand(entry, warehouses) == expected


@pytest.mark.parametrize("total, sku, categories, rules, quantity, explanation", [
    (17, "A", [], Rules(), 17, "on hand 17 sent"),
    (17, "A", [], Rules(buffer_all=2), 15, "on hand 17 − buffer 2 = 15 sent"),
    (1, "A", [], Rules(buffer_all=2), 0, "on hand 1 − buffer 2 = -1 → 0 (never below zero); 0 sent"),
    (17, "A", [], Rules(buffer_all=2, buffer_by_sku={"A": 5}), 12,
     "on hand 17 − buffer for A 5 = 12 sent"),
    (17, "B", ["TEES", "SALE"], Rules(buffer_all=2, buffer_by_category={"TEES": 3, "SALE": 4}),
     13, "on hand 17 − category buffer 4 = 13 sent"),
    (17, "A", ["TEES"], Rules(buffer_by_sku={"A": 1}, buffer_by_category={"TEES": 3}), 16,
     "on hand 17 − buffer for A 1 = 16 sent"),
    (17, "A", [], Rules(cap=10), 10, "on hand 17 → 10 (most listed); 10 sent"),
    (17, "A", [], Rules(cap=0), 0, "on hand 17 → 0 (most listed); 0 sent"),
    (3, "A", [], Rules(zero_at_or_below=3), 0, "on hand 3 → 0 (3 or fewer count as 0); 0 sent"),
    (4, "A", [], Rules(zero_at_or_below=3), 4, "on hand 4 sent"),
    # peers 18: max(0, min(cap, floor(avail*pct) - buffer))
    (25, "A", [], Rules(percent=50, buffer_all=2, cap=20), 10,
     "on hand 25 × 50% = 12 − buffer 2 = 10 sent"),
    (99, "A", [], Rules(percent=50, buffer_all=2, cap=20), 20,
     "on hand 99 × 50% = 49 − buffer 2 = 47 → 20 (most listed); 20 sent"),
    (-5, "A", [], Rules(), 0, "on hand 0 sent"),              # stock never negative
    ("7.8", "A", [], Rules(), 7, "on hand 7 sent"),
])
def test_sell_figure_applies_the_rules_in_order(total, sku, categories, rules, quantity,
                                                explanation):
    figure = sell_figure(total, sku, categories, rules)
    assert (figure.quantity, figure.explanation) == (quantity, explanation)
    assert figure.quantity >= 0


@pytest.mark.parametrize("levels, components, expected", [
    ({1: 10, 2: 9}, [(1, 2), (2, 3)], 3),     # min(10//2, 9//3)
    ({1: 10}, [(1, 2), (2, 1)], 0),           # a component with no stock makes no bundle
    ({1: 10}, [], 0),
    ({1: 5}, [(1, 0)], 5),                    # a zero quantity counts as one per bundle
])
def test_bundles_count_complete_sets(levels, components, expected):
    assert bundle_on_hand(levels, components) == expected


def test_bundle_figure_names_its_source():
    figure = sell_figure(bundle_on_hand({1: 10, 2: 9}, [(1, 2), (2, 3)]), "KIT", [],
                         Rules(buffer_all=1), source="complete bundles")
    assert figure == figure.__class__(2, "complete bundles 3 − buffer 1 = 2 sent")


@pytest.mark.parametrize("value, expected", [(3, 3), ("3", 3), ("2.99", 2), (None, 0),
                                             ("x", 0), (-1, 0), (float("nan"), 0)])
def test_units(value, expected):
    assert units(value) == expected


def test_rules_from_loaded_settings_defaults():
    settings = load_settings("inventory", {})
    assert settings["sweep_seconds"] == 3600 and settings["untracked"] == "skip"
    assert rules_from_settings(settings) == Rules()
    rules = rules_from_settings(load_settings(
        "inventory",
        {"warehouse_ids": ["2", 3], "buffer_all": 1, "max_listed": 50, "percent_listed": 80}))
    assert rules.warehouses == frozenset({2, 3}) and rules.cap == 50 and rules.percent == 80


def test_settings_reject_nonsense():
    from marshmallow import ValidationError
    for bad in ({"percent_listed": 0}, {"buffer_all": -1}, {"untracked": "maybe"},
                {"sweep_seconds": 5}, {"bundles": "guess"}):
        with pytest.raises(ValidationError):
            load_settings("inventory", bad)
