"""The signature check against the test vectors of reference/woocommerce.md §1.2."""
import pytest

from tests.fixtures import php_json
from webhook.signature import woo_signature, woo_signature_valid

ESCAPED_BODY = (b'{"id":727,"status":"processing","_links":{"self":[{"href":'
                b'"https:\\/\\/example.com\\/wp-json\\/wc\\/v3\\/orders\\/727"}]}}')


@pytest.mark.parametrize("secret, body, expected", [
    ("secret", b'{"id":1}', "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc="),
    ("secret", ESCAPED_BODY, "Ltj2Sia+dPysbaFieC53/qL45+wiWgBDhirHedLQ6F0="),
    ("my&secret", b'{"id":1}', "PVnhfcJo98htQpmyJkfh40YpLnkqAtlMatBgZrkRVwY="),
])
def test_reference_vectors(secret, body, expected):
    assert woo_signature(body, secret) == expected
    assert woo_signature_valid(body, secret, expected)


def test_undecoded_entity_secret_does_not_verify():
    # WooCommerce signs with the decoded secret; configuring "my&amp;secret" must fail.
    assert not woo_signature_valid(b'{"id":1}', "my&amp;secret",
                                   "PVnhfcJo98htQpmyJkfh40YpLnkqAtlMatBgZrkRVwY=")


def test_reserialised_body_does_not_verify():
    body = php_json({"name": "Café / Bar", "href": "https://x/y"})
    assert b"\\u00e9" in body and b"\\/" in body
    signature = woo_signature(body, "secret")
    assert woo_signature_valid(body, "secret", signature)
    assert not woo_signature_valid(body.replace(b"\\/", b"/"), "secret", signature)


@pytest.mark.parametrize("secret, header", [("", "anything"), ("secret", ""), ("secret", None)])
def test_empty_secret_or_header_never_verifies(secret, header):
    assert not woo_signature_valid(b"{}", secret, header)
