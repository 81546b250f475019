"""WooCommerce's webhook signature: base64 HMAC-SHA256 over the exact body bytes."""
import base64
import hashlib
import hmac


def woo_signature(body, secret):
    """The X-WC-Webhook-Signature WooCommerce computes for body with secret."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def woo_signature_valid(body, secret, header_value):
    """True when header_value is the signature of body, compared in constant time."""
    if not secret or not header_value:
        return False
    return hmac.compare_digest(woo_signature(body, secret).encode("ascii"),
                               header_value.strip().encode("ascii", "replace"))
