"""The WooCommerce REST client (wc/v3): one requests.Session, Basic or query-string auth, our
own User-Agent, pagination by X-WP-TotalPages, chunked batch writes, 429 Retry-After honoured,
and typed errors. Timeouts and 5xx are retried only for reads and idempotent writes."""
from dataclasses import dataclass

from connectors import woo_errors
from connectors.counter import CallCounter
from connectors.errors import ThrottledError, TransientError
from connectors.transport import (DEFAULT_TIMEOUT, IDEMPOTENT_METHODS, Clock, backoff, jitter,
                                  json_or_none, new_session, send, timeout_from)
from connectors.woo_batch import BATCH_LIMIT, run_batch
from connectors.woo_catalog import CatalogMixin
from connectors.woo_orders import OrdersMixin
from connectors.woo_tracking import TrackingMixin

PLATFORM = "woocommerce"
API_PREFIX = "/wp-json/wc/v3"
PER_PAGE = 100


@dataclass
class WooResponse:
    """A successful answer: status, parsed JSON body, headers."""

    status: int
    data: object
    headers: dict


class WooCommerceClient(CatalogMixin, OrdersMixin, TrackingMixin):
    """A WooCommerce store's REST API; base_url is the site root (…/wp-json/wc/v3 is appended)."""

    def __init__(self, base_url, consumer_key, consumer_secret, *, query_string_auth=False,
                 counter=None, session=None, timeout=DEFAULT_TIMEOUT, retries=2,
                 max_wait_seconds=120.0, clock=None):
        self.site_url = base_url.rstrip("/")
        self.api_url = self.site_url + API_PREFIX
        self._key, self._secret = consumer_key, consumer_secret
        self.query_string_auth = bool(query_string_auth)
        self.session = session or new_session()
        if not self.query_string_auth:
            self.session.auth = (consumer_key, consumer_secret)
        self.counter = counter or CallCounter()
        self.timeout, self.retries = timeout, int(retries)
        self.max_wait_seconds = float(max_wait_seconds)
        self.clock = clock or Clock()
        self._tracking = None  # None until detected; see TrackingMixin

    @classmethod
    def from_config(cls, settings, *, redis=None, counter=None, session=None, **kwargs):
        """A client from the settings dict; redis (raw client) shares the call counts."""
        kwargs.setdefault("timeout", timeout_from(settings))
        return cls(settings["WOO_URL"], settings["WOO_CONSUMER_KEY"],
                   settings["WOO_CONSUMER_SECRET"],
                   query_string_auth=bool(settings.get("WOO_QUERY_STRING_AUTH")),
                   counter=counter or CallCounter(redis), session=session, **kwargs)

    # -- the request loop -------------------------------------------------------------------

    def call(self, method, endpoint, path=None, *, params=None, body=None, idempotent=None,
             root=None):
        """Send one call to endpoint (a template such as "/products/{id}") and return a
        WooResponse; path is the concrete path; root replaces /wp-json/wc/v3 (extensions)."""
        path = path or endpoint
        url = (self.site_url + root if root is not None else self.api_url) + path
        label = f"{method} {root or ''}{endpoint}" if root else f"{method} {endpoint}"
        params = dict(params or {})
        if self.query_string_auth:
            params.update(consumer_key=self._key, consumer_secret=self._secret)
        retry = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        deadline, failures = self.clock.now() + self.max_wait_seconds, 0
        while True:
            try:
                response = send(self.session, method, url, params=params or None, json=body,
                                platform=PLATFORM, endpoint=label, timeout=self.timeout)
            except TransientError:
                self._count(label, "transient")
                failures += 1
                if retry and failures <= self.retries:
                    self.clock.sleep(backoff(failures))
                    continue
                raise
            if woo_errors.is_throttle(response.status_code, response.headers):
                self._count(label, "throttled")
                self._wait(woo_errors.retry_after(response.headers), deadline, label,
                           response.status_code)
                continue  # a refused request did nothing, so any method may be resent
            data = json_or_none(response)
            error = woo_errors.error_for(label, response.status_code, data,
                                         [self._secret, self._key])
            if error is None:
                self._count(label, "ok")
                return WooResponse(response.status_code, data, dict(response.headers))
            transient = isinstance(error, TransientError)
            self._count(label, "transient" if transient else "permanent")
            failures += 1
            if transient and retry and failures <= self.retries:
                self.clock.sleep(backoff(failures))
                continue
            raise error

    def get(self, endpoint, path=None, params=None):
        """GET and return the parsed body."""
        return self.call("GET", endpoint, path, params=params).data

    def paginate(self, endpoint, path=None, params=None):
        """Every item of a list endpoint, per_page=100, page by page up to X-WP-TotalPages."""
        params, page = dict(params or {}), 1
        params.setdefault("per_page", PER_PAGE)
        while True:
            params["page"] = page
            answer = self.call("GET", endpoint, path, params=params)
            items = answer.data or []
            yield from items
            total = answer.headers.get("X-WP-TotalPages") or answer.headers.get("x-wp-totalpages")
            more = page < int(total) if total not in (None, "") else \
                len(items) >= int(params["per_page"])
            if not more or not items:
                return
            page += 1

    def batch(self, endpoint, path=None, *, create=(), update=(), delete=(), limit=BATCH_LIMIT):
        """A batch write chunked to limit items (halved on 413); returns a BatchResult."""
        # Updates and deletes by id are idempotent; creates are not, so never resend those.
        safe = not create

        def post(body):
            return self.call("POST", endpoint, path, body=body, idempotent=safe).data

        return run_batch(post, create=create, update=update, delete=delete, limit=limit)

    # -- webhooks ---------------------------------------------------------------------------

    def list_webhooks(self):
        """Every webhook of the store."""
        return list(self.paginate("/webhooks"))

    def create_webhook(self, webhook):
        """Create a webhook {name, topic, delivery_url, secret, status, api_version}."""
        return self.call("POST", "/webhooks", body=webhook, idempotent=False).data

    def update_webhook(self, webhook_id, changes):
        """Change a webhook (e.g. {"status": "active"} to re-enable it)."""
        return self.call("PUT", "/webhooks/{id}", f"/webhooks/{int(webhook_id)}",
                         body=changes).data

    # -- helpers ----------------------------------------------------------------------------

    def _wait(self, seconds, deadline, label, status):
        if self.clock.now() + seconds > deadline:
            raise ThrottledError("The store asked us to slow down; it will be tried again",
                                 wait_seconds=seconds, status=status, platform=PLATFORM,
                                 detail=f"{label} -> HTTP {status}, Retry-After {seconds:g}s "
                                        f"beyond the maximum wait {self.max_wait_seconds:g}s")
        self.clock.sleep(jitter(seconds, spread=0.05, floor=0.01))

    def _count(self, label, outcome):
        self.counter.record(PLATFORM, label, outcome)
