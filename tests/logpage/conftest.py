"""Fixtures for the staff pages: log rows to show.

The account, signing in and CSRF helpers are in tests/staff.py (shared with the receivers'
and the hostile-input tests); they are imported here for the page tests' convenience.
"""
from datetime import timedelta

from models.base import utcnow
from models.logs import SyncLog
from tests.staff import PASSWORD, post, sign_in, token_of  # noqa: F401 (re-exported)


def make_row(log_type="order", n=1, status="synced", at=None, **fields):
    """Create one sync log row (woo-N / bp-N keys like the receivers make)."""
    prefix = {"order": "woo", "refund": "woo", "shipment": "gon"}.get(log_type, "bp")
    values = dict(log_type=log_type, record_key=f"{prefix}-{n}", status=status,
                  info=fields.pop("info", f"{log_type} record {n}"),
                  updated_at=at or utcnow(), created_at=(at or utcnow()) - timedelta(hours=1))
    values.update(fields)
    return SyncLog.create(**values)
