"""Brightpearl ID sets: expansion, bad forms and the cap."""
import pytest

from webhook.idset import IdSetTooLarge, InvalidIdSet, expand_id_set


@pytest.mark.parametrize("text, ids", [
    ("5906", [5906]),
    (5906, [5906]),
    ("1-5,7,20-22", [1, 2, 3, 4, 5, 7, 20, 21, 22]),
    (" 3 , 1-2 ,3", [3, 1, 2]),
])
def test_expands(text, ids):
    assert expand_id_set(text, cap=100) == ids


@pytest.mark.parametrize("text", ["", "a", "5-1", "1,,2", "1-", "-3", "1;2", None, "1.5"])
def test_rejects_bad_forms(text):
    with pytest.raises(InvalidIdSet):
        expand_id_set(text, cap=100)


def test_cap_counts_before_expanding():
    assert len(expand_id_set("1-10000", cap=10000)) == 10000
    with pytest.raises(IdSetTooLarge):
        expand_id_set("1-10001", cap=10000)
    with pytest.raises(IdSetTooLarge):
        expand_id_set("1-999999999", cap=10000)


@pytest.mark.parametrize("text", [
    "1" * 5000,                 # past int()'s digit limit: was a 500
    "12345678901234567890",     # a 20-digit id: overflowed SQLite's INTEGER, was a 500
    "2147483648",               # one past the INTEGER columns
    "1-2147483648",
    "0",
    "\u0663",                  # an Arabic-Indic digit: int() would take it
])
def test_rejects_ids_no_column_can_hold(text):
    with pytest.raises(InvalidIdSet):
        expand_id_set(text.encode().decode("unicode_escape"), cap=100)


def test_largest_id_is_accepted():
    assert expand_id_set("2147483647", cap=1) == [2147483647]
