"""Fixtures for the products flow's tests: the emulators and the flow switched on."""
import pytest

from jobs.products import handlers as products
from models.db import connection
from models.flows import save_flow
from tests.products.sandboxes import platforms  # noqa: F401 - a fixture


@pytest.fixture
def db(app):
    """A connection held for the test (jobs run in-process reuse it)."""
    with connection() as database:
        yield database


@pytest.fixture
def products_flow(db):
    """Turn the products flow on with price list 1; returns a function to change settings."""

    def configure(**settings):
        save_flow("products", "test", enabled=True, settings={"price_list_id": 1, **settings})

    configure()
    return configure
