"""JSON and signatures byte-for-byte as WooCommerce produces them (reference §1.2)."""
import base64
import hashlib
import hmac
import json

# wp_specialchars_decode( $secret, ENT_QUOTES ) decodes exactly these (§1.2, PR #22722).
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#039;", "'"), ("&#39;", "'"),
             ("&#x27;", "'"), ("&amp;", "&"))


def _php_shape(value):
    # PHP has no empty object in these payloads: an empty associative array encodes as [].
    if isinstance(value, dict):
        if not value:
            return []
        return {key: _php_shape(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_php_shape(item) for item in value]
    return value


def encode_php_json(obj):
    """Encode obj like PHP json_encode with default flags (and trim()), returning bytes."""
    text = json.dumps(_php_shape(obj), ensure_ascii=True, separators=(",", ":"))
    # "/" only ever occurs inside JSON strings, so a plain replace is exact.
    return text.replace("/", "\\/").strip().encode("ascii")


def decode_secret(secret):
    """The effective HMAC key: the stored secret after wp_specialchars_decode (§1.2)."""
    for entity, char in _ENTITIES:
        secret = secret.replace(entity, char)
    return secret


def sign(body_bytes, secret):
    """X-WC-Webhook-Signature: base64 of HMAC-SHA256 over the exact body bytes (§1.2)."""
    if isinstance(body_bytes, str):
        body_bytes = body_bytes.encode("utf-8")
    key = decode_secret(secret or "").encode("utf-8")
    return base64.b64encode(hmac.new(key, body_bytes, hashlib.sha256).digest()).decode("ascii")


def delivery_id(webhook_id, unix_seconds, salt):
    """X-WC-Webhook-Delivery-ID: wp_hash(id . strtotime('now')), same within one second (§1.1)."""
    message = f"{webhook_id}{int(unix_seconds)}".encode("ascii")
    return hmac.new(salt.encode("utf-8"), message, hashlib.md5).hexdigest()
