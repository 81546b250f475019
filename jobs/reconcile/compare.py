"""One run's comparison: what to check (from the flows), the reads, then the pure checks.

Each area is checked only while its flow is on with complete settings: reconciliation
answers for what Pearlbridge is meant to keep in step, and says which areas it left out.
"""
from dataclasses import dataclass, field, replace

from jobs.core.flowkit import flow_state
from jobs.inventory.availability import rules_from_settings
from jobs.inventory.catalog import items_for, search_fields
from jobs.inventory.plan import Facts
from jobs.products import mapping as pm
from jobs.reconcile.orders import (SALES_CREDIT, SALES_ORDER, compare_orders, imported_statuses,
                                   primary, sales_copies)
from jobs.reconcile.products import compare_products, in_scope
from jobs.reconcile.shipments import SHIPPED_STATUSES, compare_shipments, needs_note_texts
from jobs.reconcile.stock import compare_stock
from jobs.shipments.mapping import tracking_number
from models.flow_settings import missing_settings
from models.flow_specs import flow_label
from models.connections import local_ref
from models.links import OrderLink
from models.products import ProductGroupLink
from models.schemas.inventory import BUNDLES_BRIGHTPEARL, BUNDLES_COMPONENTS
from models.stock import StockItem

# area -> the flow whose work it checks
AREA_FLOWS = {"orders": "orders", "status": "order_status", "refunds": "refunds",
              "shipments": "shipments", "stock": "inventory", "products": "products"}


def why_not_ready(name):
    """Why flow name's work cannot run now (off, settings invalid or missing), or None."""
    flow, label = flow_state(name), flow_label(name)
    if not flow.enabled:
        return f"the {label} flow is off"
    if flow.problem:
        return f"the {label} flow's settings cannot be used: {flow.problem}"
    missing = missing_settings(name, flow.settings)
    if missing:
        return f"the {label} flow is waiting for settings: {', '.join(missing)}"
    return None


@dataclass
class Scope:
    """The areas a run checks, each with its flow's settings, and why the others are not."""

    settings: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    order_settings: dict = field(default_factory=dict)  # the orders flow's, even when it is off

    @property
    def areas(self):
        """The areas checked."""
        return set(self.settings)


def scope_from_flows(only=None):
    """The Scope the flows allow now; only limits it to some areas."""
    scope = Scope()
    for area, name in AREA_FLOWS.items():
        if only and area not in only:
            scope.skipped[area] = "not asked for this run"
            continue
        reason = why_not_ready(name)
        if reason:
            scope.skipped[area] = reason
        else:
            scope.settings[area] = flow_state(name).settings
    # Statuses imported and the new-order status matter to every order check.
    scope.order_settings = flow_state("orders").settings
    return scope


class Comparison:
    """Gather facts for a scope, then compare; findings and counts of what was checked."""

    def __init__(self, gather, scope):
        self.gather, self.scope = gather, scope
        self.checked, self._woo_skus = {}, {}

    def run(self, since, until):
        """Every finding over the Woo orders created in [since, until) and the catalog."""
        areas, findings = self.scope.areas, []
        if areas & {"orders", "status", "refunds", "shipments"}:
            findings += self._orders(since, until)
        if areas & {"stock", "products"}:
            catalog = self.gather.catalog()
            self.checked["Brightpearl products"] = len(catalog)
            if "products" in areas:
                findings += self._products(catalog)
            if "stock" in areas:
                findings += self._stock(catalog)
        return findings

    # -- orders, refunds, status, shipments ------------------------------------------------

    def _order_settings(self):
        s = self.scope.settings
        return {**self.scope.order_settings, **(s.get("status") or {})}

    def _orders(self, since, until):
        areas, settings = self.scope.areas, self._order_settings()
        statuses = imported_statuses(settings) | ({"refunded"} if "refunds" in areas else set())
        woo_orders = self.gather.woo_orders(since, until, statuses)
        # Brightpearl's externalRefs of this connection, as the Woo ids they were made from
        # ("c2-95" → "95"); another connection's orders are not this store's to compare.
        bp_orders = [replace(o, external_ref=local_ref(o.external_ref))
                     for o in self.gather.bp_orders(since)
                     if o.external_ref is None or local_ref(o.external_ref) is not None]
        woo_ids = {str(o["id"]) for o in woo_orders}
        refunds = {f"woo-refund-{r['id']}" for o in woo_orders for r in o.get("refunds") or []}
        wanted = [o for o in bp_orders if (o.type_id == SALES_ORDER and o.external_ref in woo_ids)
                  or (o.type_id == SALES_CREDIT and o.external_ref in refunds)]
        self.gather.order_details(wanted)
        self.checked.update({"Woo orders": len(woo_orders), "Brightpearl orders": len(wanted)})
        links = dict(OrderLink.select(OrderLink.woo_order_id, OrderLink.bp_order_id).where(
            OrderLink.bp_order_id.is_null(False)).tuples())
        findings = compare_orders(woo_orders, wanted, settings, areas, links)
        self._check_links(findings)
        if "shipments" in areas:
            findings += self._shipments(woo_orders, wanted, settings, links)
        return findings

    def _check_links(self, findings):
        # A missing order Pearlbridge has linked: does the linked Brightpearl order still exist?
        missing = [f for f in findings if f.kind == "order_missing"
                   and f.facts.get("linked_bp_order_id")]
        existing = self.gather.existing_orders({f.facts["linked_bp_order_id"] for f in missing})
        for finding in missing:
            finding.facts["linked_order_exists"] = finding.facts["linked_bp_order_id"] in existing

    def _shipments(self, woo_orders, bp_orders, settings, links):
        copies, imported = sales_copies(bp_orders, settings), imported_statuses(settings)
        pairs = []
        for order in woo_orders:
            found = copies.get(str(order["id"]))
            keep = primary(found, links.get(order["id"])) if found else None
            if order.get("status") in imported and keep and \
                    keep.shipping_status in SHIPPED_STATUSES:
                pairs.append((order, keep))
        notes = self.gather.notes([bp.id for _, bp in pairs])
        fallback = [order["id"] for order, bp in pairs if needs_note_texts(
            order, [tracking_number(n) for _, _, n in notes.get(bp.id, [])])]
        texts = self.gather.woo_note_texts(fallback)
        self.checked["shipped orders"] = len(pairs)
        return compare_shipments(pairs, notes, self.scope.settings["shipments"], texts)

    # -- catalog ----------------------------------------------------------------------------

    def _woo(self, skus):
        wanted = set(skus) - set(self._woo_skus)
        if wanted:
            self._woo_skus.update({s: None for s in wanted})
            self._woo_skus.update(self.gather.woo_by_sku(wanted))
        return {s: p for s, p in self._woo_skus.items() if p is not None}

    def _products(self, catalog):
        settings = self.scope.settings["products"]
        params = ({"contextChannelId": settings["include_channel_id"]}
                  if settings.get("include") == "channel" else None)
        products = self.gather.products([int(r["productId"]) for r in catalog], params)
        woo = self._woo(pm.sku(p) for p in products if pm.sku(p))
        scoped = [p for p in products if in_scope(p, settings, pm.sku(p) in woo)]
        prices = (self.gather.prices([p["id"] for p in scoped], (
            settings.get("price_list_id"), settings.get("sale_price_list_id")))
            if "price" in settings.get("owned_fields", ()) else {})
        parents = self.gather.woo_products({int(w["parent_id"]) for w in woo.values()
                                            if w.get("parent_id")})
        self.checked["products in scope"] = len(scoped)
        findings = compare_products(scoped, prices, woo, parents, settings)
        self._check_groups([f for f in findings if f.kind == "product_missing"])
        return findings

    def _check_groups(self, missing):
        # A missing variant whose group Pearlbridge linked: is that Woo parent still there?
        groups = {f.facts["bp_group_id"] for f in missing if f.facts.get("bp_group_id")}
        if not groups:
            return
        parents = dict(ProductGroupLink.select(ProductGroupLink.bp_group_id,
                                               ProductGroupLink.woo_product_id)
                       .where(ProductGroupLink.bp_group_id.in_(list(groups))).tuples())
        present = self.gather.woo_products(parents.values())
        for finding in missing:
            parent = parents.get(finding.facts.get("bp_group_id"))
            finding.facts["group_gone"] = parent is not None and parent not in present

    def _stock(self, catalog):
        settings = self.scope.settings["stock"]
        items = {int(r["productId"]): StockItem(**search_fields(r)) for r in catalog}
        # Only the stored catalog knows bundles (a product GET tells; search rows do not).
        items.update({i.bp_product_id: i for i in items_for(list(items)) if i.is_bundle})
        counted = {pid: i for pid, i in items.items() if i.sku and (i.stock_tracked or i.is_bundle)}
        woo = self._woo(i.sku for i in counted.values())
        counted = {pid: i for pid, i in counted.items() if i.sku in woo}
        reads = {pid for pid, i in counted.items() if i.stock_tracked}
        if settings["bundles"] == BUNDLES_COMPONENTS:
            reads |= {c for i in counted.values() if i.is_bundle for c, _ in i.components}
        facts = Facts(items=items, links={}, levels=self.gather.availability(sorted(reads)),
                      rules=rules_from_settings(settings), untracked=settings["untracked"],
                      bundles=settings["bundles"])
        if settings["bundles"] == BUNDLES_BRIGHTPEARL:
            facts.bundle_levels = self.gather.bundle_availability(
                [pid for pid, i in counted.items() if i.is_bundle])
        self.checked["SKUs in both"] = len(counted)
        return compare_stock(counted, woo, facts)
