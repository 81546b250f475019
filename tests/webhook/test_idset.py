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
        expand_id_set("1-999999999999", cap=10000)
