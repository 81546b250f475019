"""The stock catalog against the strict emulator: new products are found though never edited,
and every category a product sits in is known on the search path as on the GET path."""
import requests

from jobs.core.clients import brightpearl
from jobs.inventory.catalog import item_fields, refresh_catalog, search_fields
from models.db import db
from models.stock import StockItem
from tests.conftest import TEST_SETTINGS

HEADERS = {"brightpearl-app-ref": TEST_SETTINGS["BRIGHTPEARL_APP_REF"],
           "brightpearl-staff-token": TEST_SETTINGS["BRIGHTPEARL_STAFF_TOKEN"]}


def _client(stock):
    return brightpearl("bulk", stock.settings, stock.redis)


def _items():
    with db.connection_context():
        return {i.bp_product_id: i for i in StockItem.select()}


def test_search_rows_take_every_category_from_the_reference():
    row = {"productId": 1001, "SKU": "A", "brightpearlCategoryCode": 298, "stockTracked": True}
    assert search_fields(row, {"1001": [298, 300]})["categories"] == "298,300"
    assert search_fields(row, {})["categories"] == "298"
    assert search_fields(dict(row, brightpearlCategoryCode=None), {})["categories"] == ""


def test_the_search_path_knows_the_same_categories_as_the_get_path(stock):
    # Issue 12, item 7: a row carries one brightpearlCategoryCode; the full membership is in
    # reference.productCategoryMembership, so category buffer rules must read it there.
    stock.seed(20)
    with db.connection_context():
        assert refresh_catalog(_client(stock))
    items = _items()
    product = requests.get(f"{stock.settings['BRIGHTPEARL_URL']}/product-service/product/1001",
                           headers=HEADERS, timeout=10).json()["response"][0]
    assert items[1001].categories == item_fields(product)["categories"] == "298,300"


def test_a_new_product_is_read_though_it_was_never_edited(stock):
    # Issue 12, item 4: updatedOn stays null until the first edit; the refresh reads new
    # products by createdOn.
    stock.seed(10)
    with db.connection_context():
        assert refresh_catalog(_client(stock))
    answer = requests.post(f"{stock.settings['BRIGHTPEARL_URL']}/product-service/product",
                           headers=HEADERS, timeout=10, json={
                               "brandId": 1, "identity": {"sku": "NEW-LAMP-1"},
                               "salesChannels": [{"salesChannelName": "Brightpearl",
                                                  "productName": "New Lamp"}]})
    new_id = answer.json()["response"]
    with db.connection_context():
        assert refresh_catalog(_client(stock))
    assert _items()[new_id].sku == "NEW-LAMP-1"
