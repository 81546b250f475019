"""REST authentication as WC_REST_Authentication does it: query keys, else Basic (§2.1)."""
import base64
import hmac

from flask import request

from .errors import WooError

_REALM = ('Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret '
          'in the password field"')
_PERMISSION = {  # capability failures after (non-)authentication, 401 when not logged in [WHREST]
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
    "batch": ("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource."),
}


def _credentials():
    """(key, secret, basic?) from the query string first, else the Authorization header."""
    if request.args.get("consumer_key") and request.args.get("consumer_secret"):
        return request.args["consumer_key"], request.args["consumer_secret"], False
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None, None, True
        return user, password, True
    return None, None, False


def authenticate(consumer_key, consumer_secret):
    """Raise the 401 WooCommerce gives for bad keys; return whether the request is authenticated."""
    key, secret, basic = _credentials()
    if key is None:
        return False
    headers = {"WWW-Authenticate": _REALM} if basic else {}
    if not hmac.compare_digest(key.encode(), consumer_key.encode()):
        raise WooError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.", headers=headers)
    if not hmac.compare_digest(secret.encode(), consumer_secret.encode()):
        raise WooError(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.", headers=headers)
    namespace = request.path[len("/wp-json/"):]
    if not namespace.startswith(("wc/", "wc-")):  # since WC 11.1.0
        raise WooError(401, "woocommerce_rest_authentication_error",
                       "The provided API key cannot be used to access this endpoint.")
    return True


def permission_error():
    """The capability error a matched route gives an unauthenticated request."""
    rule = request.url_rule.rule
    if rule.endswith("/batch"):
        action = "batch"
    elif request.method in ("GET", "HEAD"):
        action = "view" if rule.endswith(">") else "list"
    elif request.method == "DELETE":
        action = "delete"
    else:
        action = "edit" if rule.endswith(">") else "create"
    code, message = _PERMISSION[action]
    return WooError(401, code, message)
