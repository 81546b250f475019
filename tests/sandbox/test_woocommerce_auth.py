"""Contract: WooCommerce REST authentication and its error bodies (reference §2.1, §2.8)."""
import requests

from tests.sandbox.woo_fixtures import KEY, SECRET, store  # noqa: F401  (fixture)


def test_basic_auth_and_query_auth_both_work(store):
    assert requests.get(store.wc("products"), auth=(KEY, SECRET)).status_code == 200
    query = {"consumer_key": KEY, "consumer_secret": SECRET}
    assert requests.get(store.wc("products"), params=query).status_code == 200


def test_missing_credentials_is_a_capability_error(store):
    response = requests.get(store.wc("products"))
    assert response.status_code == 401
    assert response.json() == {"code": "woocommerce_rest_cannot_view",
                               "message": "Sorry, you cannot list resources.", "data": {"status": 401}}
    single = requests.get(store.wc("orders/1")).json()
    assert single["message"] == "Sorry, you cannot view this resource."
    assert requests.post(store.wc("products"), json={}).json()["code"] == "woocommerce_rest_cannot_create"
    assert requests.post(store.wc("products/batch"), json={}).json()["code"] == "woocommerce_rest_cannot_batch"


def test_wrong_key_or_secret_basic_mode(store):
    response = requests.get(store.wc("products"), auth=("ck_wrong", SECRET))
    assert response.status_code == 401
    assert response.json() == {"code": "woocommerce_rest_authentication_error",
                               "message": "Consumer key is invalid.", "data": {"status": 401}}
    assert response.headers["WWW-Authenticate"].startswith('Basic realm="WooCommerce API.')
    wrong_secret = requests.get(store.wc("products"), auth=(KEY, "cs_wrong")).json()
    assert wrong_secret["message"] == "Consumer secret is invalid."


def test_wrong_secret_query_mode(store):
    response = requests.get(store.wc("orders"), params={"consumer_key": KEY, "consumer_secret": "nope"})
    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_authentication_error"
    assert response.json()["data"] == {"status": 401}
    assert "WWW-Authenticate" not in response.headers


def test_custom_keys_and_unknown_route(store):
    assert requests.get(store.wc("nope"), auth=(KEY, SECRET)).json()["code"] == "rest_no_route"
    assert requests.delete(store.wc("orders"), auth=(KEY, SECRET)).status_code == 404
