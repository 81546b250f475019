"""Brightpearl products → Woo bodies, over realistic payloads (tests/fixtures/bp_products.json)."""
import json
from pathlib import Path

import pytest

from jobs.products import mapping as pm
from jobs.core.outcomes import Skipped
from models.schemas.products import ProductSettings

FIXTURES = Path(__file__).parent.parent / "fixtures"
PRODUCTS = json.loads((FIXTURES / "bp_products.json").read_text())
PRICES = pm.price_index(json.loads((FIXTURES / "bp_product_prices.json").read_text()))


def settings(**changes):
    """The flow's settings as the job sees them: loaded through the schema (defaults filled)."""
    return ProductSettings().load({"price_list_id": 1, **changes})


SIMPLE, GROUP, BUNDLE = PRODUCTS["simple"], PRODUCTS["group"], PRODUCTS["bundle"]
NON_ASCII, DISCONTINUED = PRODUCTS["non_ascii"], PRODUCTS["discontinued"]


def test_a_simple_product_is_created_with_every_field():
    body = pm.simple_body(SIMPLE, PRICES[1007], settings())
    assert body == {
        "type": "simple", "sku": "MUG-CAFE-01", "name": "Café Crème Mug – Édition Limitée",
        "description": SIMPLE["salesChannels"][0]["description"]["text"],
        "short_description": "<p>Our best-selling mug.</p>",
        "status": "draft", "regular_price": "12.50", "sale_price": "",
        "weight": "0.35", "dimensions": {"length": "12", "width": "8", "height": "9.5"},
        "categories": [],
    }


@pytest.mark.parametrize("product, prices, expected", [
    # the quantity-1 break, rounded to cents; other breaks are ignored
    (SIMPLE, {1: {"1": "12.5000", "6": "11.0000"}}, "12.50"),
    (SIMPLE, {1: {"1": "9.9950"}}, "10.00"),
    # only the quantity-6 break on the list: no unit price
    (SIMPLE, {1: {"6": "11.0000"}}, None),
    # the product is not on the configured list at all
    (NON_ASCII, PRICES[1301], None),
    (SIMPLE, None, None),
])
def test_price_comes_from_the_quantity_one_break_of_the_chosen_list(product, prices, expected):
    body = pm.simple_body(product, prices, settings())
    assert body.get("regular_price") == expected
    if expected is None:
        assert "sale_price" not in body  # a missing price leaves Woo's price alone
        assert "no price on price list 1" in pm.missing_price_note(product, prices, settings())


@pytest.mark.parametrize("sale_list, expected", [(4, "9.99"), (None, ""), (9, "")])
def test_sale_price_only_when_a_sale_list_gives_a_lower_price(sale_list, expected):
    body = pm.simple_body(SIMPLE, PRICES[1007], settings(sale_price_list_id=sale_list))
    assert body["sale_price"] == expected


def test_html_and_non_ascii_text_pass_through_unchanged():
    body = pm.simple_body(NON_ASCII, {1: {"1": "30"}}, settings())
    assert body["name"] == "Zürich Schal — 100 % Wolle"
    assert body["description"] == "<p>Gestrickt in Zürich. <br/>Größe: 180&times;30&nbsp;cm</p>"


def test_a_bundle_is_a_simple_product_of_its_own():
    body = pm.simple_body(BUNDLE, PRICES[1201], settings(new_product_status="publish"))
    assert body["type"] == "simple" and body["sku"] == "GIFT-SET-01"
    assert body["regular_price"] == "45.00" and body["status"] == "publish"
    assert [len(u.members) for u in pm.units([BUNDLE, SIMPLE])] == [1, 1]


def test_a_group_of_six_variants_over_two_options_is_one_variable_product():
    [unit] = pm.units(list(reversed(GROUP)))
    assert unit.variable and unit.group_id == 1101
    assert [bp["id"] for bp in unit.members] == list(range(1101, 1107))
    parent = pm.parent_body(unit, PRICES, settings())
    assert parent["type"] == "variable" and parent["name"] == "Organic Tee"
    assert "sku" not in parent and "regular_price" not in parent
    assert parent["attributes"] == [
        {"name": "Colour", "options": ["Red", "Blue", "Green"], "variation": True, "visible": True},
        {"name": "Size", "options": ["S", "M"], "variation": True, "visible": True},
    ]
    variations = [pm.variation_body(bp, PRICES[bp["id"]], settings()) for bp in unit.members]
    assert [v["sku"] for v in variations] == ["TEE-ORG-RS", "TEE-ORG-RM", "TEE-ORG-BS",
                                              "TEE-ORG-BM", "TEE-ORG-GS", "TEE-ORG-GM"]
    assert variations[1] == {"sku": "TEE-ORG-RM", "regular_price": "21.00", "sale_price": "",
                             "weight": "0.18", "status": "publish",
                             "attributes": [{"name": "Colour", "option": "Red"},
                                            {"name": "Size", "option": "M"}]}


def test_groups_and_simple_products_are_separate_units():
    found = pm.units([SIMPLE, *GROUP[:3], BUNDLE, *GROUP[3:]])
    assert [(u.group_id, len(u.members)) for u in found] == [(None, 1), (1101, 6), (None, 1)]


@pytest.mark.parametrize("names, expected", [
    (["Organic Tee (Red, S)", "Organic Tee (Blue, M)"], "Organic Tee"),
    (["Organic Tee", "Organic Tee"], "Organic Tee"),
    # a parenthesis that is not the option values stays part of the name
    (["Tee (2024 edition)", "Tee (2024 edition)"], "Tee (2024 edition)"),
])
def test_parent_name_drops_the_option_value_suffix(names, expected):
    members = []
    for name, bp in zip(names, GROUP):
        members.append(dict(bp, salesChannels=[dict(bp["salesChannels"][0], productName=name)]))
    assert pm.parent_name(members) == expected


class TestOwnedFields:
    def test_an_update_writes_only_the_owned_fields_and_the_sku(self):
        body = pm.simple_body(SIMPLE, PRICES[1007], settings(owned_fields=["price"]), woo_id=55)
        assert body == {"id": 55, "sku": "MUG-CAFE-01", "regular_price": "12.50",
                        "sale_price": ""}

    def test_store_owned_fields_are_still_set_on_create(self):
        body = pm.simple_body(SIMPLE, PRICES[1007], settings(owned_fields=["price"]))
        assert body["name"] and body["description"] and body["weight"] == "0.35"

    def test_an_update_never_changes_a_live_products_status(self):
        for status in ("draft", "publish"):
            body = pm.simple_body(SIMPLE, PRICES[1007], settings(new_product_status=status),
                                  woo_id=55)
            assert "status" not in body

    def test_a_product_no_longer_live_is_taken_off_sale_as_the_setting_says(self):
        body = pm.simple_body(DISCONTINUED, {}, settings(), woo_id=56)
        assert body["status"] == "draft"
        # Whoever owns the status: staff chose what an archived product becomes.
        body = pm.simple_body(DISCONTINUED, {}, settings(owned_fields=["name"]), woo_id=56)
        assert body["status"] == "draft"
        body = pm.simple_body(DISCONTINUED, {}, settings(off_sale="private"), woo_id=56)
        assert body["status"] == "private"
        body = pm.simple_body(DISCONTINUED, {}, settings(off_sale="leave"), woo_id=56)
        assert "status" not in body
        variation = pm.variation_body(DISCONTINUED, {}, settings(off_sale="draft"), woo_id=57)
        assert variation["status"] == "private"  # a variation has no draft of its own
        assert "status" not in pm.variation_body(DISCONTINUED, {}, settings(off_sale="leave"),
                                                 woo_id=57)

    def test_categories_are_mapped_codes_and_unmapped_ones_keep_the_stores(self):
        owned = ["categories"]
        mapped = settings(owned_fields=owned, category_map={"WINTER": 17})
        assert pm.simple_body(NON_ASCII, {}, mapped, woo_id=9)["categories"] == [{"id": 17}]
        assert "categories" not in pm.simple_body(NON_ASCII, {}, settings(owned_fields=owned),
                                                   woo_id=9)

    def test_a_variation_update_keeps_store_owned_weight(self):
        body = pm.variation_body(GROUP[0], PRICES[1101], settings(owned_fields=["price"]),
                                 woo_id=77)
        assert body == {"id": 77, "sku": "TEE-ORG-RS", "regular_price": "19.00",
                        "sale_price": "",
                        "attributes": [{"name": "Colour", "option": "Red"},
                                       {"name": "Size", "option": "S"}]}

    def test_a_parent_update_keeps_store_owned_texts(self):
        [unit] = pm.units(GROUP)
        body = pm.parent_body(unit, PRICES, settings(owned_fields=["price"]), woo_id=70)
        assert set(body) == {"id", "attributes"}


class TestScope:
    @pytest.mark.parametrize("product, changes", [
        (SIMPLE, {}),
        (NON_ASCII, {"include": "brand", "include_brand_ids": [5]}),
        (NON_ASCII, {"include": "category", "include_category_codes": ["WINTER"]}),
        (SIMPLE, {"include": "channel", "include_channel_id": 2}),
    ])
    def test_included(self, product, changes):
        pm.check_included(product, settings(**changes))

    @pytest.mark.parametrize("product, changes, words", [
        (DISCONTINUED, {}, "status DISCONTINUED"),
        (SIMPLE, {"include": "brand", "include_brand_ids": [5]}, "brand 3"),
        (SIMPLE, {"include": "category", "include_category_codes": ["WINTER"]}, "categories"),
        (dict(SIMPLE, salesChannels=[dict(SIMPLE["salesChannels"][0],
                                          availableToSellOnChannel=False)]),
         {"include": "channel", "include_channel_id": 2}, "channel 2"),
    ])
    def test_excluded(self, product, changes, words):
        with pytest.raises(Skipped, match=words):
            pm.check_included(product, settings(**changes))

    def test_a_linked_product_that_stops_being_live_is_still_synced(self):
        pm.check_included(DISCONTINUED, settings(), linked=True)

    def test_a_scope_without_its_list_is_refused_by_the_form(self):
        from marshmallow import ValidationError
        with pytest.raises(ValidationError, match="brand"):
            settings(include="brand")


def test_unset_weight_and_dimensions_are_not_written():
    # Issue 12, item 7: 0.0 is Brightpearl's "none entered" (numbers, not strings).
    from jobs.products.mapping import full_fields
    bp = {"id": 1, "identity": {"sku": "X"}, "salesChannels": [{"productName": "X"}],
          "stock": {"weight": {"magnitude": 0.0},
                    "dimensions": {"length": 0.0, "height": 0.0, "width": 0.0, "volume": 0.0}}}
    body = full_fields(bp, {}, settings())
    assert "weight" not in body and "dimensions" not in body
    bp["stock"] = {"weight": {"magnitude": 0.25},
                   "dimensions": {"length": 30.0, "height": 0.0, "width": 12.5, "volume": 0.0}}
    body = full_fields(bp, {}, settings())
    assert body["weight"] == "0.25"
    assert body["dimensions"] == {"length": "30", "width": "12.5", "height": ""}


def test_a_grouped_product_without_variations_is_its_own_simple_unit():
    # Issue 12, item 3.
    from jobs.products.mapping import units
    lonely = {"id": 5, "productGroupId": 5}
    variants = [{"id": 7, "productGroupId": 7, "variations": [{"optionName": "Size",
                                                                "optionValue": "S"}]},
                {"id": 8, "productGroupId": 7, "variations": [{"optionName": "Size",
                                                                "optionValue": "M"}]}]
    found = units([lonely, *variants])
    assert [(u.group_id, [m["id"] for m in u.members]) for u in found] == [(None, [5]),
                                                                           (7, [7, 8])]
