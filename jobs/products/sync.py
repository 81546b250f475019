"""One products sync run: read Brightpearl, match by SKU, write to Woo in batches of up to 100.

The run returns one outcome per Brightpearl product — a Synced, or the exception the product's
log row should record (Skipped, Rejected) — and jobs/products.py records them. Order of writes:
simple products and new variable products first (creates before updates, in one products
batch), then each variable product's variations (its parent exists by then).
"""
import hashlib
import json

from connectors.errors import PermanentError
from jobs.products import links, removals
from jobs.products import mapping as pm
from jobs.products.categories import Categories, codes_of
from jobs.core.flowkit import Synced
from jobs.core.outcomes import Rejected, Skipped
from jobs.products.removals import GONE
from models.base import upsert, utcnow
from models.products import ProductWrite


def digest(body):
    """A stable digest of a Woo body (without its id), to skip writing what is unchanged."""
    clean = {k: v for k, v in body.items() if k != "id"}
    return hashlib.sha256(json.dumps(clean, sort_keys=True).encode()).hexdigest()


class ProductRun:
    """Sync a set of Brightpearl products (and their whole groups) to Woo."""

    def __init__(self, settings, bp, woo, force=False):
        self.settings, self.bp, self.woo, self.force = settings, bp, woo, force
        self.outcomes, self.sent, self.gone, self.categories = {}, {}, {}, None

    def run(self, bp_ids):
        """{bp product id: Synced | Skipped | Rejected} for bp_ids and their group siblings."""
        products = self._read(bp_ids)
        missing = sorted(set(bp_ids) - {p["id"] for p in products})
        if missing:  # deleted in Brightpearl: taken off sale in the store
            self.outcomes.update(removals.retire(missing, self.settings, self.woo))
        prices = self._prices([p["id"] for p in products])
        refs = links.resolve(products, self.woo)
        self.gone = removals.gone_from_store([p["id"] for p in products if p["id"] not in refs])
        self._categorise(products, refs)
        units = [u for u in pm.units(products) if self._included(u, refs)]
        creates, updates, parents = [], [], {}
        for unit in units:
            if unit.variable:
                self._plan_parent(unit, prices, refs, creates, updates, parents)
            else:
                self._plan_simple(unit.members[0], prices, refs, creates, updates)
        self._write_products(creates, updates, parents)
        for unit in units:
            if unit.variable and unit.group_id in parents:
                self._write_variations(unit, prices, refs, parents[unit.group_id])
        for parent_id in list(self.sent):
            self._flush_variations(parent_id, [])  # store variations of simple BP products
        return self.outcomes

    # -- reading ----------------------------------------------------------------------------

    def _read(self, bp_ids):
        params = None
        if self.settings.get("include") == "channel":
            params = {"contextChannelId": self.settings["include_channel_id"]}
        products = self.bp.get_ids("/product-service/product/{ids}", bp_ids, params=params)
        have = {p["id"] for p in products}
        groups = sorted({pm.variant_group(p) for p in products} - {None})
        if groups:
            # A variant never travels alone: its variable product needs every sibling's options.
            # productGroupId is an INTEGER column (one value per filter; a list is a 500
            # CMNC-018), so each group is its own search.
            found = set()
            for group in groups:
                found |= {int(r["productId"]) for r in self.bp.search_products(
                    productGroupId=group, columns=("productId", "productGroupId"))}
            siblings = sorted(found - have)
            if siblings:
                products += self.bp.get_ids("/product-service/product/{ids}", siblings,
                                            params=params)
        return products

    def _prices(self, ids):
        index = {}
        for list_id in {self.settings["price_list_id"], self.settings.get("sale_price_list_id")}:
            if list_id and ids:
                for product_id, lists in pm.price_index(self.bp.get_prices(ids, list_id)).items():
                    index.setdefault(product_id, {}).update(lists)
        return index

    def _categorise(self, products, refs):
        # Category ids are needed for products created now, and for updates when owned.
        codes = codes_of(products)
        if codes and (any(p["id"] not in refs for p in products)
                      or "categories" in self.settings["owned_fields"]):
            self.categories = Categories(self.settings, self.bp, self.woo)
            self.settings = dict(self.settings, category_map=self.categories.resolve(codes))

    def _included(self, unit, refs):
        kept = []
        for bp in unit.members:
            try:
                pm.check_included(bp, self.settings, linked=bp["id"] in refs)
                if not pm.sku(bp):
                    raise Rejected("the product has no SKU in Brightpearl; SKU is the match key")
                if bp["id"] in self.gone and self.settings.get("deleted_in_store") != "recreate":
                    raise Skipped(f"deleted in the store by staff "
                                  f"({self.gone[bp['id']]:%Y-%m-%d %H:%M} UTC); "
                                  f"{removals.next_step(self.settings)}")
                kept.append(bp)
            except (Skipped, Rejected) as exc:
                self.outcomes[bp["id"]] = exc
        unit.members = kept
        return bool(kept)

    # -- planning ---------------------------------------------------------------------------

    def _plan_simple(self, bp, prices, refs, creates, updates):
        ref = refs.get(bp["id"])
        if ref is not None and ref.parent_id:
            # The store sells this SKU as a variation: update it there, never duplicate it.
            body = pm.variation_body(bp, prices.get(bp["id"]), self.settings, ref.woo_id)
            body.pop("attributes", None)
            if self._changed(bp["id"], body):
                self._variation_updates_for(ref.parent_id).append((bp, body, digest(body)))
            else:
                self._unchanged(bp, ref)
            return
        # Digests are always of the update form, so the run after a create writes nothing.
        update = pm.simple_body(bp, prices.get(bp["id"]), self.settings, ref.woo_id if ref else 0)
        if ref is None:
            body = pm.simple_body(bp, prices.get(bp["id"]), self.settings)
            creates.append(("simple", bp, body, digest(update)))
        elif self._changed(bp["id"], update):
            updates.append(("simple", bp, update, digest(update)))
        else:
            self._unchanged(bp, ref)

    def _plan_parent(self, unit, prices, refs, creates, updates, parents):
        member_refs = [refs.get(bp["id"]) for bp in unit.members]
        for bp, ref in zip(unit.members, member_refs):
            if ref is not None and not ref.parent_id:
                self.outcomes[bp["id"]] = Rejected(
                    f"SKU {pm.sku(bp)} is a simple product in the store (Woo #{ref.woo_id}) but "
                    f"a variant of group {unit.group_id} in Brightpearl",
                    "change the store's product into a variation, or remove it, then re-sync")
        unit.members = [bp for bp in unit.members if bp["id"] not in self.outcomes]
        if not unit.members:
            return
        parent_id = links.group_parent(unit.group_id, member_refs)
        update = pm.parent_body(unit, prices, self.settings, parent_id or 0)
        if parent_id is None:
            body = pm.parent_body(unit, prices, self.settings)
            creates.append(("parent", unit, body, digest(update)))
            return
        parents[unit.group_id] = parent_id
        if self.force or links.group_digest(unit.group_id) != digest(update):
            updates.append(("parent", unit, update, digest(update)))

    def _changed(self, bp_id, body):
        if self.force:
            return True
        last = ProductWrite.get_or_none(ProductWrite.bp_product_id == bp_id)
        return last is None or last.digest != digest(body)

    # -- writing ----------------------------------------------------------------------------

    def _write_products(self, creates, updates, parents):
        if not creates and not updates:
            return
        result = self.woo.batch_products(create=[item[2] for item in creates],
                                         update=[item[2] for item in updates])
        failed = {(f.action, f.index): f for f in result.failed}
        done = iter(result.created)
        for index, item in enumerate(creates):
            self._written(*item, failed.get(("create", index)) or next(done, None), parents)
        by_id = {int(r["id"]): r for r in result.updated}
        for index, item in enumerate(updates):
            answer = failed.get(("update", index)) or by_id.get(int(item[2]["id"]))
            self._written(*item, answer, parents)

    def _written(self, kind, subject, body, body_digest, answer, parents):
        members = subject.members if kind == "parent" else [subject]
        if not isinstance(answer, dict):
            if kind == "parent":
                parents.pop(subject.group_id, None)  # no variations under a failed parent
                if answer is not None and answer.code in GONE:
                    links.forget_group(subject.group_id)
            self._failed(members, answer, body.get("id"), kind)
            return
        woo_id = int(answer["id"])
        if kind == "parent":
            links.link_group(subject.group_id, woo_id, body_digest)
            parents[subject.group_id] = woo_id
            return
        ref = links.WooRef(woo_id, None, answer.get("type") or "simple")
        links.save_link(subject, ref)
        self._done(subject, ref, body, body_digest, "created" if "id" not in body else "updated")

    def _write_variations(self, unit, prices, refs, parent_id):
        creates, updates = [], self._variation_updates_for(parent_id)
        for bp in unit.members:
            ref = refs.get(bp["id"])
            update = pm.variation_body(bp, prices.get(bp["id"]), self.settings,
                                       ref.woo_id if ref else 0)
            if ref is None:
                body = pm.variation_body(bp, prices.get(bp["id"]), self.settings)
                creates.append((bp, body, digest(update)))
            elif self._changed(bp["id"], update):
                updates.append((bp, update, digest(update)))
            else:
                self._unchanged(bp, ref)
        self._flush_variations(parent_id, creates)

    def _variation_updates_for(self, parent_id):
        return self.sent.setdefault(parent_id, [])

    def _flush_variations(self, parent_id, creates):
        updates = self.sent.pop(parent_id, [])
        if not creates and not updates:
            return
        result = self.woo.batch_variations(parent_id, create=[b for _, b, _ in creates],
                                           update=[b for _, b, _ in updates])
        failed = {(f.action, f.index): f for f in result.failed}
        done, by_id = iter(result.created), {int(r["id"]): r for r in result.updated}
        for action, items in (("create", creates), ("update", updates)):
            for index, (bp, body, body_digest) in enumerate(items):
                answer = failed.get((action, index)) or (
                    next(done, None) if action == "create" else by_id.get(int(body["id"])))
                if not isinstance(answer, dict):
                    self._failed([bp], answer, body.get("id"), "variation")
                    continue
                ref = links.WooRef(int(answer["id"]), parent_id, "variation")
                links.save_link(bp, ref)
                self._done(bp, ref, body, body_digest,
                           "created" if action == "create" else "updated")

    # -- outcomes ---------------------------------------------------------------------------

    def _done(self, bp, ref, body, body_digest, verb):
        upsert(ProductWrite, "bp_product_id", bp_product_id=bp["id"], woo_id=ref.woo_id,
               digest=body_digest, regular_price=body.get("regular_price") or None,
               sale_price=body.get("sale_price") or None, written_at=utcnow())
        what = f"variation #{ref.woo_id} of Woo product #{ref.parent_id}" if ref.parent_id \
            else f"Woo product #{ref.woo_id}"
        priced = verb == "created" or "price" in self.settings["owned_fields"]
        note = pm.missing_price_note(bp, None, self.settings) \
            if priced and "regular_price" not in body else ""
        if self.categories and (verb == "created" or "categories" in self.settings["owned_fields"]):
            note += self.categories.left_out(bp)
        if not pm.is_live(bp) and body and body.get("status"):
            note += (f"; taken off sale: {bp.get('status')} in Brightpearl → {body['status']} "
                     f"in the store")
        self.outcomes[bp["id"]] = self._synced(bp, ref, f"{verb} {what} (SKU {pm.sku(bp)}){note}",
                                               body)

    def _unchanged(self, bp, ref):
        self.outcomes[bp["id"]] = self._synced(
            bp, ref, f"unchanged since the last write; nothing sent (SKU {pm.sku(bp)})", None,
            outcome="unchanged")

    def _synced(self, bp, ref, message, body, outcome="synced"):
        info = f"Brightpearl product {bp['id']} (SKU {pm.sku(bp)}, Woo #{ref.woo_id})"
        result = Synced(message, target_ref=str(ref.woo_id), outcome=outcome,
                        row_changes={"info": info[:255]})
        result.sent = body
        return result

    def _failed(self, members, failure, woo_id, kind):
        if failure is None:
            error = Rejected(f"the store did not answer for this {kind}")
        elif failure.code in GONE and woo_id:
            # Deleted in the store by staff: drop the link rather than fail on it every time.
            for bp in members:
                links.forget(bp["id"])
            error = Skipped(f"Woo {kind} #{woo_id} is gone from the store (deleted by staff); "
                            f"link dropped — {removals.next_step(self.settings)}")
        else:
            error = failure.as_error()
        for bp in members:
            self.outcomes[bp["id"]] = error if isinstance(error, (Rejected, PermanentError,
                                                                  Skipped)) \
                else Rejected(str(error))
