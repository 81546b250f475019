"""Generated hostile query parameters, paths and form fields on the staff pages: never a 5xx
or a stack trace, never a redirect off the site. SQLite and PostgreSQL."""
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import given, settings, strategies as st

from tests.hostile.conftest import assert_clear_answer
from tests.hostile.strategies import ODD_NUMBER_TEXT, ODD_TEXT, STAFF_PARAMS
from tests.logpage.conftest import make_row
from tests.staff import token_of

PAGES = st.sampled_from(["/logs", "/logs/export.csv", "/logs/export.json", "/login",
                         "/logs/retry-failed", "/flows", "/", "/reconcile"])
ROW_IDS = st.one_of(st.integers(0, 2**70).map(str), ODD_NUMBER_TEXT, ODD_TEXT)


def post_form(client, path, **fields):
    """POST fields as a browser would send their bytes (lone surrogates as invalid UTF-8)."""
    body = urlencode(fields, encoding="utf-8", errors="surrogatepass")
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


@pytest.fixture
def row(app):
    """A failed order row, so lists, exports and Re-sync have something to work on."""
    return make_row(n=2, status="failed")


def _stays_on_site(response):
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response.location)
        # Werkzeug's own slash-merging redirects name this host; nothing may name another.
        assert location.netloc in ("", "localhost"), response.location
        assert location.scheme in ("", "http"), response.location
        assert not response.location.startswith("//")


@settings(max_examples=120)
@given(path=PAGES, params=STAFF_PARAMS)
def test_list_pages_and_exports(staff, row, path, params):
    # As raw bytes would arrive: a lone surrogate becomes invalid UTF-8 in the URL.
    query = urlencode(params, encoding="utf-8", errors="surrogatepass")
    response = staff.get(path, query_string=query)
    response.get_data()  # exports stream: an error would surface while reading
    assert_clear_answer(response)
    _stays_on_site(response)


@settings(max_examples=80)
@given(row_id=ROW_IDS, suffix=st.sampled_from(["", "/resync"]), next_=ODD_TEXT)
def test_row_paths_and_back_links(staff, row, row_id, suffix, next_):
    path = f"/logs/{quote(row_id.encode('utf-8', 'surrogatepass'), safe='')}{suffix}"
    if suffix:
        response = post_form(staff, path, csrf_token=token_of(staff), next=next_)
    else:
        response = staff.get(path)
    assert_clear_answer(response)
    _stays_on_site(response)
    if suffix:
        response = post_form(staff, f"/logs/{row.id}/resync", csrf_token=token_of(staff),
                             next=next_)
        assert response.status_code == 302
        _stays_on_site(response)


@settings(max_examples=25)  # each try costs a password hash check
@given(username=ODD_TEXT, password=ODD_TEXT, next_=ODD_TEXT)
def test_sign_in_form(client, username, password, next_):
    response = post_form(client, "/login", username=username, password=password, next=next_,
                         csrf_token=token_of(client))
    assert_clear_answer(response)
    _stays_on_site(response)


@settings(max_examples=20)  # the Flows page reads every flow's settings and backlog
@given(name=ODD_TEXT, field=ODD_TEXT)
def test_flow_pages_and_forms(staff, name, field):
    path = "/flows/" + quote(name.encode("utf-8", "surrogatepass"), safe="")
    response = staff.get(path)
    assert_clear_answer(response)
    for target in (path, "/flows/orders", f"{path}/switch"):
        response = post_form(staff, target, csrf_token=token_of(staff), enabled=field,
                             channel_id=field, warehouse_id=field)
        assert_clear_answer(response)
        _stays_on_site(response)


@settings(max_examples=80)
@given(form=st.sampled_from(["/reconcile/run", "/reconcile/repair-all", "/flows/backfill"]),
       kind=ODD_TEXT, since=ODD_TEXT, until=ODD_TEXT)
def test_reconciliation_and_backfill_forms(staff, form, kind, since, until):
    response = post_form(staff, form, csrf_token=token_of(staff), kind=kind, since=since,
                         until=until)
    assert_clear_answer(response)
    _stays_on_site(response)


@settings(max_examples=60)
@given(record_id=ROW_IDS, path=st.sampled_from(["/reconcile/{}/repair",
                                                "/flows/backfill/{}/resume"]))
def test_repair_and_resume_paths(staff, record_id, path):
    target = path.format(quote(record_id.encode("utf-8", "surrogatepass"), safe=""))
    response = post_form(staff, target, csrf_token=token_of(staff), kind="stock")
    assert_clear_answer(response)
    _stays_on_site(response)
