"""The Brightpearl REST client: one requests.Session, the shared budget, auth, and typed errors.

Every call waits for the shared per-account budget, waits out throttling 503s transparently
(up to the budget's max wait), refreshes OAuth tokens on a 401, and retries timeouts and 5xx
only for GETs and writes that are idempotent by construction. Typed methods live in the
catalog and sales mixins; this module holds the request loop and the wiring from config.
"""
import copy

from connectors import bp_envelope, bp_idset, bp_search
from connectors.bp_auth import OAuthAuth, PrivateAppAuth
from connectors.bp_catalog import CatalogMixin
from connectors.bp_sales import SalesMixin
from connectors.counter import CallCounter
from connectors.errors import NotFoundError, ThrottledError, TransientError
from connectors.ratelimit import PRIORITIES, NoBudget, RedisBudget
from connectors.transport import (DEFAULT_TIMEOUT, IDEMPOTENT_METHODS, Clock, backoff,
                                  json_or_none, new_session, send, timeout_from)

PLATFORM = "brightpearl"


class BrightpearlClient(CatalogMixin, SalesMixin):
    """A Brightpearl account's API: base_url ends with /public-api/{account}."""

    def __init__(self, base_url, auth, *, budget=None, counter=None, session=None,
                 timeout=DEFAULT_TIMEOUT, retries=2, priority="interactive",
                 installation_instance_id=None, clock=None):
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.budget = budget or NoBudget()
        self.counter = counter or CallCounter()
        self.session = session or new_session()
        self.timeout, self.retries, self.priority = timeout, int(retries), priority
        self._instance_id = installation_instance_id
        self.clock = clock or Clock()

    @classmethod
    def from_config(cls, settings, *, redis=None, token_store=None, counter=None, session=None,
                    priority="interactive", **kwargs):
        """A client from settings; redis shares budget and counts, token_store enables OAuth."""
        session = session or new_session()
        counter = counter or CallCounter(redis)
        account = settings["BRIGHTPEARL_ACCOUNT"]
        if settings.get("BRIGHTPEARL_OAUTH_CLIENT_ID") and token_store is not None:
            auth = OAuthAuth(account=account, client_id=settings["BRIGHTPEARL_OAUTH_CLIENT_ID"],
                             dev_ref=settings.get("BRIGHTPEARL_DEV_REF", ""), store=token_store,
                             client_secret=settings.get("BRIGHTPEARL_OAUTH_CLIENT_SECRET"),
                             token_url=settings.get("BRIGHTPEARL_OAUTH_TOKEN_URL") or None,
                             session=session, counter=counter)
        else:
            auth = PrivateAppAuth(settings["BRIGHTPEARL_APP_REF"],
                                  staff_token=settings["BRIGHTPEARL_STAFF_TOKEN"])
        max_wait = float(settings.get("BRIGHTPEARL_MAX_WAIT_SECONDS") or 120)
        if redis is not None:
            budget = RedisBudget(
                redis, account, rate=int(settings.get("BRIGHTPEARL_RATE_PER_MINUTE") or 190),
                window_seconds=float(settings.get("BRIGHTPEARL_BUDGET_WINDOW_SECONDS") or 60),
                interactive_share=float(settings.get("BRIGHTPEARL_INTERACTIVE_SHARE") or 0.15),
                max_wait_seconds=max_wait)
        else:
            budget = NoBudget(max_wait)
        instance = settings.get("BRIGHTPEARL_INSTANCE_ID")
        kwargs.setdefault("timeout", timeout_from(settings))
        return cls(settings["BRIGHTPEARL_URL"], auth, budget=budget, counter=counter,
                   session=session, priority=priority,
                   installation_instance_id=int(instance) if instance else None, **kwargs)

    def with_priority(self, priority):
        """A view of this client spending the budget as priority ("interactive" or "bulk")."""
        if priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}, not {priority!r}")
        other = copy.copy(self)
        other.priority = priority
        return other

    @property
    def installation_instance_id(self):
        """installedIntegrationInstanceId for orders: from OAuth, else from config, else None."""
        from_auth = getattr(self.auth, "installation_instance_id", None)
        return from_auth if from_auth is not None else self._instance_id

    # -- the request loop -------------------------------------------------------------------

    def call(self, method, endpoint, path=None, *, params=None, body=None, idempotent=None):
        """Send one call to endpoint (a template, e.g. "/order-service/order/{ids}"); returns the
        whole parsed body. path is the concrete path (defaults to endpoint)."""
        path = path or endpoint
        query = f"?{bp_search.query_string(params)}" if params else ""
        label = f"{method} {endpoint}"
        retry = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        deadline, failures, refreshed = self.budget.deadline(), 0, False
        while True:
            ticket = self.budget.acquire(self.priority, deadline)
            headers = self.auth.headers()
            url = self.auth.base_url(self.base_url) + path + query
            try:
                response = send(self.session, method, url, headers=headers, json=body,
                                platform=PLATFORM, endpoint=label, timeout=self.timeout)
            except TransientError:
                self._count(label, "transient")
                failures += 1
                if retry and failures <= self.retries:
                    self.clock.sleep(backoff(failures))
                    continue
                raise
            self.budget.observe(ticket, response.headers)
            data = json_or_none(response)
            if bp_envelope.is_throttle(response.status_code, data):
                self._count(label, "throttled")
                self._wait_throttle(response, deadline, label)
                continue
            if response.status_code == 401 and not refreshed and self.auth.refresh(headers):
                self._count(label, "permanent")
                refreshed = True
                continue
            error = bp_envelope.error_for(label, response.status_code, data, self._secrets())
            if error is None:
                self._count(label, "ok")
                return data
            kind = "transient" if isinstance(error, TransientError) else "permanent"
            self._count(label, kind)
            failures += 1
            if kind == "transient" and retry and failures <= self.retries:
                self.clock.sleep(backoff(failures))
                continue
            raise error

    def get(self, endpoint, path=None, *, params=None):
        """GET and return the "response" part of the envelope."""
        return (self.call("GET", endpoint, path, params=params) or {}).get("response")

    def get_ids(self, endpoint, ids, *, cap=bp_idset.DEFAULT_CAP, params=None, as_map=False,
                **fill):
        """GET endpoint ("/x/{ids}", other {names} from fill) for every id, chunked at cap;
        lists are joined, maps merged, missing ids (200 [] or 404 CMNC-404) left out."""
        merged = {} if as_map else []
        for id_set in bp_idset.id_sets(ids, cap):
            try:
                part = self.get(endpoint, endpoint.format(ids=id_set, **fill), params=params)
            except NotFoundError:
                continue
            if as_map and isinstance(part, dict):
                merged.update(part)
            elif not as_map and part:
                merged.extend(part.values() if isinstance(part, dict) else part)
        return merged

    def get_one(self, endpoint, record_id, what):
        """GET one record by id; NotFoundError (both shapes) when it does not exist."""
        label = f"GET {endpoint}"
        try:
            found = self.get(endpoint, endpoint.format(id=int(record_id)))
        except NotFoundError:
            raise bp_envelope.not_found(f"{what} {record_id}", label) from None
        if isinstance(found, list):
            if not found:
                raise bp_envelope.not_found(f"{what} {record_id}", label)
            return found[0]
        return found

    def search(self, endpoint, filters=None, *, columns=None, sort=None, page_size=500):
        """Every row of a resource search as a dict, page after page (§4)."""
        for page in self.search_pages(endpoint, filters, columns=columns, sort=sort,
                                      page_size=page_size):
            yield from page.rows

    def search_changed(self, endpoint, since, id_column, columns=(), **filters):
        """Rows of records created or edited since `since`, oldest change first, each with
        changedOn. Two searches: updatedOn stays null until a record's first edit, so an
        updatedOn period alone never finds new records (reference, confirmed)."""
        wanted = tuple(dict.fromkeys((id_column, *columns, "createdOn", "updatedOn")))
        window = bp_search.period(since)
        updated = self.search(endpoint, dict(filters, updatedOn=window), columns=wanted,
                              sort="updatedOn.ASC")
        created = self.search(endpoint, dict(filters, createdOn=window), columns=wanted,
                              sort="createdOn.ASC")
        return bp_search.merge_changed(updated, created, id_column)

    def search_pages(self, endpoint, filters=None, *, columns=None, sort=None, page_size=500):
        """The pages of a resource search (rows, reference, metaData)."""
        fetch = lambda path: self.call("GET", endpoint, path)  # noqa: E731
        return bp_search.iterate(fetch, endpoint, filters, columns=columns, sort=sort,
                                 page_size=page_size)

    def _wait_throttle(self, response, deadline, label):
        wait = bp_envelope.throttle_wait(response.headers)
        self.budget.penalize(wait)
        try:
            self.budget.wait(wait, deadline)
        except ThrottledError as exc:
            exc.status, exc.detail = response.status_code, f"{label} -> {exc.detail}"
            raise

    def _secrets(self):
        return [s for s in getattr(self.auth, "secrets", []) if s]

    def _count(self, label, outcome):
        self.counter.record(PLATFORM, label, outcome)
