"""Brightpearl's category tree matched to Woo categories: pure, table-tested."""
import pytest

from jobs.products.category_tree import find_term, match_path, path_of, words

TREE = [{"id": 276, "name": "Home", "parentId": 0}, {"id": 277, "name": "Kitchen", "parentId": 276},
        {"id": 280, "name": "Garden", "parentId": 0}, {"id": 281, "name": "Kitchen", "parentId": 280},
        {"id": 290, "name": "Loop A", "parentId": 291}, {"id": 291, "name": "Loop B", "parentId": 290}]
TERMS = [{"id": 21, "name": "home", "parent": 0}, {"id": 22, "name": "Kitchen", "parent": 21},
         {"id": 23, "name": "Garden &amp; Patio", "parent": 0}, {"id": 24, "name": "Kitchen", "parent": 0}]


@pytest.mark.parametrize("code, expected", [
    ("277", [(276, "Home"), (277, "Kitchen")]),
    (276, [(276, "Home")]),
    ("999", []),
    ("290", [(291, "Loop B"), (290, "Loop A")]),  # a loop in the parents ends the path
])
def test_path_of(code, expected):
    assert path_of(TREE, code) == expected


@pytest.mark.parametrize("name, parent, expected", [
    ("Kitchen", 21, 22), ("KITCHEN", 0, 24), ("Home", 0, 21), ("Garden & Patio", 0, 23),
    ("Kitchen", 23, None), ("Lighting", 21, None),
])
def test_find_term(name, parent, expected):
    assert find_term(TERMS, name, parent) == expected


@pytest.mark.parametrize("path, known, expected", [
    ([(276, "Home"), (277, "Kitchen")], {}, ([(276, 21), (277, 22)], 2)),
    # Garden › Kitchen must not land in the top-level "Kitchen" nor Home › Kitchen.
    ([(280, "Garden"), (281, "Kitchen")], {}, ([], 0)),
    ([(280, "Garden"), (281, "Kitchen")], {280: 23}, ([(280, 23)], 1)),
    ([(276, "Home"), (278, "Lighting")], {}, ([(276, 21)], 1)),
])
def test_match_path(path, known, expected):
    assert match_path(TERMS, path, known) == expected


def test_words():
    assert words([(276, "Home"), (277, "Kitchen")]) == "Home › Kitchen"
