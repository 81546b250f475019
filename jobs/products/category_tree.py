"""Brightpearl's category tree → Woo product categories: pure functions, no I/O.

A Brightpearl category is matched to the Woo category with the same name under the Woo
category its parent matched (names compared without case or HTML entities), level by level
from the top; so "Home › Kitchen" never lands in "Garden › Kitchen".
"""
import html

SEPARATOR = " › "


def _name(text):
    return html.unescape(str(text or "")).strip().lower()


def path_of(tree, code):
    """[(category id, name)] from the top of the tree down to code; [] when code is unknown.

    tree: Brightpearl's categories [{id, name, parentId}]. A loop in the parents ends the path.
    """
    by_id = {str(c.get("id")): c for c in tree}
    path, seen, current = [], set(), by_id.get(str(code))
    while current is not None and str(current.get("id")) not in seen:
        seen.add(str(current.get("id")))
        path.append((int(current["id"]), str(current.get("name") or current["id"])))
        current = by_id.get(str(current.get("parentId") or 0))
    return list(reversed(path))


def words(path):
    """A path as staff read it: "Home › Kitchen"."""
    return SEPARATOR.join(name for _, name in path)


def find_term(terms, name, parent):
    """The id of the Woo category called name directly under parent (0: the top), or None."""
    for term in terms:
        if int(term.get("parent") or 0) == int(parent or 0) and _name(term.get("name")) == \
                _name(name):
            return int(term["id"])
    return None


def match_path(terms, path, known=None):
    """Walk path through the Woo terms: ([(bp id, woo id)] matched, the first unmatched index).

    known: {bp id: woo id} already linked, trusted before the names. The index is len(path)
    when the whole path matched.
    """
    known, matched, parent = known or {}, [], 0
    for index, (bp_id, name) in enumerate(path):
        woo_id = known.get(bp_id) or find_term(terms, name, parent)
        if woo_id is None:
            return matched, index
        matched.append((bp_id, woo_id))
        parent = woo_id
    return matched, len(path)
