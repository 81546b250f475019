"""Brightpearl products → Woo products and variations: pure functions, no I/O.

A product without a productGroupId is a Woo simple product (bundles too: Woo core has no
bundles, and stock is the inventory flow's business). Products sharing a productGroupId and
carrying `variations` are one Woo variable product whose attributes come from those variations
and whose variations are the products. A product in a group but without variations (real
accounts have groups with no option values) is a simple product: a variation without attributes
cannot be sold. The SKU is the match key; fields the settings leave to the store are written
only when a product is created. A weight or dimension of 0 means none was entered (Brightpearl
answers 0.0 when unset), so nothing is written for it.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal

from jobs.core.money import money
from jobs.core.outcomes import Skipped

LIVE = "LIVE"
# Settings field → the Woo fields it covers.
WOO_FIELDS = {"name": ("name",), "description": ("description",),
              "short_description": ("short_description",),
              "price": ("regular_price", "sale_price"), "weight": ("weight",),
              "dimensions": ("dimensions",), "status": ("status",), "categories": ("categories",)}
_SUFFIX = re.compile(r"\s*\(([^()]*)\)\s*$")


@dataclass
class Unit:
    """What one Woo product is made of: one simple product, or a group's variants."""

    group_id: int | None
    members: list = field(default_factory=list)

    @property
    def variable(self):
        """True for a product group (a Woo variable product)."""
        return self.group_id is not None


def sku(bp):
    """The product's SKU (identity.sku), stripped; '' when it has none."""
    return str((bp.get("identity") or {}).get("sku") or "").strip()


def channel(bp):
    """The product's first sales channel entry (its name and texts live there)."""
    return (bp.get("salesChannels") or [{}])[0]


def product_name(bp):
    """The product name: salesChannels[0].productName (there is no top-level name)."""
    return str(channel(bp).get("productName") or sku(bp) or f"Product {bp.get('id')}")


def html_text(bp, key="description"):
    """A description's HTML fragment as Brightpearl holds it ('' when absent)."""
    value = channel(bp).get(key)
    return str(value.get("text") or "") if isinstance(value, dict) else str(value or "")


def price_index(entries):
    """{productId: {priceListId: quantityPrice}} from a product-price GET response."""
    index = {}
    for entry in entries or []:
        lists = index.setdefault(int(entry["productId"]), {})
        for price_list in entry.get("priceLists") or []:
            lists[int(price_list["priceListId"])] = price_list.get("quantityPrice") or {}
    return index


def unit_price(prices, price_list_id):
    """The quantity-1 price on the list as a Decimal with 2 places; None when there is none."""
    if not price_list_id:
        return None
    value = (prices or {}).get(int(price_list_id), {}).get("1")
    return money(value) if value not in (None, "") else None


def is_live(bp):
    """True when the product is LIVE in Brightpearl (on sale)."""
    return bp.get("status", LIVE) == LIVE


def check_included(bp, settings, linked=False):
    """Raise Skipped unless the product is inside the configured scope and live.

    A product already in the store that stops being live is still synced (to take it off sale).
    """
    status = bp.get("status", LIVE)
    if status != LIVE and not linked:
        raise Skipped(f"not synced: status {status} in Brightpearl")
    mode = settings["include"]
    if mode == "brand" and bp.get("brandId") not in settings["include_brand_ids"]:
        raise Skipped(f"not synced: brand {bp.get('brandId')} is not in the list")
    if mode == "category":
        codes = {str(c.get("categoryCode")) for c in channel(bp).get("categories") or []}
        if not codes & set(settings["include_category_codes"]):
            raise Skipped("not synced: none of its categories is in the list")
    if mode == "channel" and channel(bp).get("availableToSellOnChannel") is False:
        raise Skipped(f"not synced: not available on channel {settings.get('include_channel_id')}")


def variant_group(bp):
    """The product's group id when it is a variant (a group and option values), else None."""
    group_id = bp.get("productGroupId")
    return int(group_id) if group_id and bp.get("variations") else None


def units(products):
    """Group products into Units: groups (ordered by first member id), then simple products."""
    groups, result = {}, []
    for bp in sorted(products, key=lambda p: p["id"]):
        group_id = variant_group(bp)
        if group_id:
            if group_id not in groups:
                groups[group_id] = Unit(int(group_id))
                result.append(groups[group_id])
            groups[group_id].members.append(bp)
        else:
            result.append(Unit(None, [bp]))
    return result


def full_fields(bp, prices, settings):
    """Every Woo field Brightpearl can set for one product (before the owned-field rule)."""
    stock = bp.get("stock") or {}
    body = {"name": product_name(bp), "description": html_text(bp, "description"),
            "short_description": html_text(bp, "shortDescription")}
    if woo_status(bp, settings):
        body["status"] = woo_status(bp, settings)
    regular = unit_price(prices, settings.get("price_list_id"))
    if regular is not None:
        sale = unit_price(prices, settings.get("sale_price_list_id"))
        body["regular_price"] = str(regular)
        body["sale_price"] = str(sale) if sale is not None and sale < regular else ""
    weight = _measure((stock.get("weight") or {}).get("magnitude"))
    if weight:
        body["weight"] = _number(weight)
    dimensions = {k: _measure((stock.get("dimensions") or {}).get(k))
                  for k in ("length", "width", "height")}
    if any(dimensions.values()):
        # Woo keeps a side Brightpearl leaves at 0 empty ("") rather than "0".
        body["dimensions"] = {k: _number(v) if v else "" for k, v in dimensions.items()}
    categories = [settings["category_map"].get(str(c.get("categoryCode")))
                  for c in channel(bp).get("categories") or []]
    body["categories"] = [{"id": c} for c in categories if c]
    return body


def off_sale_status(settings):
    """The Woo status for a product Brightpearl archived or deleted; None: leave it."""
    status = settings.get("off_sale", "draft")
    return None if status == "leave" else status


def woo_status(bp, settings):
    """Woo status for the product: live → the new-product status; else the off-sale setting
    (None when the setting leaves it)."""
    return settings["new_product_status"] if is_live(bp) else off_sale_status(settings)


def owned_only(body, settings, creating, live=True):
    """body trimmed to what Brightpearl may write: everything on create, owned fields after.

    An update never publishes nor unpublishes a live product (staff may have reviewed a draft
    and published it); a product that stops being live is taken off sale as the off-sale
    setting says, whoever owns the status.
    """
    if creating:
        return dict(body)
    owned = set(settings["owned_fields"])
    allowed = {w for name in owned for w in WOO_FIELDS.get(name, ())}
    trimmed = {k: v for k, v in body.items() if k in allowed}
    if live:
        trimmed.pop("status", None)
    elif "status" in body:
        trimmed["status"] = body["status"]
    if "categories" in trimmed and not trimmed["categories"]:
        trimmed.pop("categories")  # no mapped category: keep the store's
    return trimmed


def simple_body(bp, prices, settings, woo_id=None):
    """The Woo body creating (woo_id None) or updating a simple product."""
    body = owned_only(full_fields(bp, prices, settings), settings, creating=woo_id is None,
                      live=is_live(bp))
    body["sku"] = sku(bp)
    if woo_id is None:
        body["type"] = "simple"
    else:
        body["id"] = woo_id
    return body


def attributes(members):
    """The variable product's attributes: each option with its values, in first-seen order."""
    options = {}
    for bp in members:
        for variation in bp.get("variations") or []:
            values = options.setdefault(str(variation.get("optionName")), [])
            value = str(variation.get("optionValue"))
            if value not in values:
                values.append(value)
    return [{"name": name, "options": values, "variation": True, "visible": True}
            for name, values in options.items()]


def parent_name(members):
    """The group's name: the variants' shared name, without a '(Red, S)' style suffix."""
    names = []
    for bp in members:
        name = product_name(bp)
        values = {str(v.get("optionValue")).strip().lower() for v in bp.get("variations") or []}
        match = _SUFFIX.search(name)
        if match and {p.strip().lower() for p in match.group(1).split(",")} <= values:
            name = name[:match.start()]
        names.append(name)
    return min(names, key=lambda n: (-names.count(n), names.index(n)))


def parent_body(unit, prices_by_id, settings, woo_id=None):
    """The Woo variable product for a group: texts from its first member, attributes, no SKU."""
    first = unit.members[0]
    full = full_fields(first, prices_by_id.get(first["id"]), settings)
    full["name"] = parent_name(unit.members)
    for key in ("regular_price", "sale_price", "weight", "dimensions"):
        full.pop(key, None)  # these live on the variations
    live = any(is_live(bp) for bp in unit.members)
    full.pop("status", None)
    if woo_status(first if not live else {"status": LIVE}, settings):
        full["status"] = woo_status(first if not live else {"status": LIVE}, settings)
    body = owned_only(full, settings, creating=woo_id is None, live=live)
    body["attributes"] = attributes(unit.members)
    if woo_id is None:
        body["type"] = "variable"
    else:
        body["id"] = woo_id
    return body


def variation_body(bp, prices, settings, woo_id=None):
    """The Woo variation for one group member (its option values, price, weight, SKU)."""
    full = full_fields(bp, prices, settings)
    body = {k: v for k, v in owned_only(full, settings, creating=woo_id is None).items()
            if k in ("regular_price", "sale_price", "weight", "dimensions")}
    if is_live(bp) and (woo_id is None or "status" in settings["owned_fields"]):
        body["status"] = "publish"
    elif not is_live(bp) and off_sale_status(settings):
        # A variation is either on sale (publish) or not (private); drafts belong to parents.
        body["status"] = "private"
    body["sku"] = sku(bp)
    body["attributes"] = [{"name": str(v.get("optionName")), "option": str(v.get("optionValue"))}
                          for v in bp.get("variations") or []]
    if woo_id is not None:
        body["id"] = woo_id
    return body


def missing_price_note(bp, prices, settings):
    """Words for the log when the product has no price on the configured list, else ''."""
    if unit_price(prices, settings.get("price_list_id")) is None:
        return f"; no price on price list {settings.get('price_list_id')}, price left unset"
    return ""


def _measure(value):
    """A weight or side as a Decimal; None for nothing, unreadable, or 0 (Brightpearl's unset)."""
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None
    return number if number else None


def _number(value):
    # Woo stores weights and dimensions as plain decimal strings; Brightpearl sends "0.500".
    number = Decimal(str(value)).normalize()
    return format(number, "f") if number != number.to_integral() else str(int(number))
