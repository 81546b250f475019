"""Which Woo product category each Brightpearl category code is, for one products run.

The Products setting "category_sync" says how: "map" (only the hand-kept category map), "match"
(Brightpearl's tree matched by name to the store's categories; the default), or "create" (as
match, creating what the store lacks, parents first). The category map always wins; found
pairs are kept in CategoryLink, so the tree and the store's categories are read only when a
code is new.
"""
from connectors.errors import PermanentError
from jobs.products import category_tree as tree
from jobs.products.mapping import channel
from models.base import upsert, utcnow
from models.products import CategoryLink

MAP, MATCH, CREATE = "map", "match", "create"


def codes_of(products):
    """The category codes the products are in (their first sales channel's categories)."""
    return sorted({str(c.get("categoryCode")) for bp in products
                   for c in channel(bp).get("categories") or [] if c.get("categoryCode")})


class Categories:
    """Resolve codes to Woo category ids; what could not be resolved is kept, in words."""

    def __init__(self, settings, bp, woo):
        self.settings, self.bp, self.woo = settings, bp, woo
        self.missing = {}  # code -> why it is left out
        self._tree = self._terms = None

    def resolve(self, codes):
        """{code: Woo category id} for codes: the map, then links, then the store."""
        overrides = {str(k): int(v) for k, v in (self.settings.get("category_map") or {}).items()}
        linked = {link.bp_category_id: link.woo_category_id for link in CategoryLink.select()}
        mode = self.settings.get("category_sync", MATCH)
        found = {}
        for code in codes:
            if code in overrides:
                found[code] = overrides[code]
            elif code.isdigit() and int(code) in linked:
                found[code] = linked[int(code)]
            elif mode == MAP or not code.isdigit():
                self.missing[code] = f"category {code} is not in the category map"
            else:
                woo_id = self._from_store(int(code), linked, mode == CREATE)
                if woo_id is not None:
                    found[code] = woo_id
        return found

    def left_out(self, bp):
        """Words for a product whose categories were not all found ('' when they were)."""
        reasons = [self.missing[str(c.get("categoryCode"))]
                   for c in channel(bp).get("categories") or []
                   if str(c.get("categoryCode")) in self.missing]
        return f"; categories left out: {'; '.join(reasons)}" if reasons else ""

    def _from_store(self, code, linked, create):
        path = tree.path_of(self._bp_tree(), code)
        if not path:
            self.missing[str(code)] = f"category {code} is not in Brightpearl's category list"
            return None
        matched, stop = tree.match_path(self._store_terms(), path, linked)
        if stop < len(path) and not create:
            self.missing[str(code)] = (f"no store category '{tree.words(path[:stop + 1])}' "
                                       f"(setting: match only)")
        elif stop < len(path):
            parent = matched[-1][1] if matched else 0
            for bp_id, name in path[stop:]:  # parents first, so each has its place in the tree
                try:
                    woo_id = self.woo.create_category(name, parent)
                except PermanentError as exc:  # the product still syncs, without this category
                    self.missing[str(code)] = f"the store refused category '{name}': {exc}"
                    break
                self._terms.append({"id": woo_id, "name": name, "parent": parent})
                matched.append((bp_id, woo_id))
                parent = woo_id
        for bp_id, woo_id in matched:
            linked[bp_id] = woo_id
            upsert(CategoryLink, "bp_category_id", bp_category_id=bp_id,
                   woo_category_id=woo_id, updated_at=utcnow())
        return linked.get(code)

    def _bp_tree(self):
        if self._tree is None:
            self._tree = self.bp.get_categories()
        return self._tree

    def _store_terms(self):
        if self._terms is None:
            self._terms = self.woo.list_categories()
        return self._terms
