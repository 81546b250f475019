"""Available to sell: Brightpearl on-hand levels and the buffer rules in, one quantity out.

Pure functions, no I/O. Every figure carries its arithmetic in words, because the Inventory log
row shows it ("on hand 17 − buffer 2 = 15 sent") and a shop manager should never have to guess
where a number came from.
"""
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Rules:
    """The inventory settings that shape a quantity; warehouses None means every warehouse."""

    warehouses: frozenset | None = None
    buffer_all: int = 0
    buffer_by_sku: dict = field(default_factory=dict)
    buffer_by_category: dict = field(default_factory=dict)
    percent: int = 100
    cap: int | None = None
    zero_at_or_below: int = 0


@dataclass(frozen=True)
class Figure:
    """A quantity to list and how it was reached."""

    quantity: int
    explanation: str


def rules_from_settings(settings):
    """Rules from the (loaded) inventory settings dict."""
    warehouses = settings["warehouse_ids"]
    return Rules(
        warehouses=frozenset(int(w) for w in warehouses) if warehouses else None,
        buffer_all=settings["buffer_all"], buffer_by_sku=dict(settings["buffer_by_sku"]),
        buffer_by_category=dict(settings["buffer_by_category"]),
        percent=settings["percent_listed"], cap=settings["max_listed"],
        zero_at_or_below=settings["zero_at_or_below"],
    )


def units(value):
    """A level as whole units: decimals round down, junk and negatives count 0."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return 0
    if not number.is_finite():
        return 0
    return max(0, math.floor(number))


def on_hand(entry, warehouses=None):
    """Σ onHand over the chosen warehouses of one product-availability entry, per warehouse too.

    A warehouse absent from the entry holds none of the product (Brightpearl leaves it out).
    Returns (total, {warehouse_id: units}) with only the counted warehouses in the dict.
    """
    levels = {}
    for key, level in ((entry or {}).get("warehouses") or {}).items():
        try:
            warehouse = int(key)
        except (TypeError, ValueError):
            continue
        if warehouses is None or warehouse in warehouses:
            levels[warehouse] = units((level or {}).get("onHand"))
    for warehouse in warehouses or ():
        levels.setdefault(warehouse, 0)
    return sum(levels.values()), levels


def bundle_on_hand(component_levels, components):
    """Complete bundles from components: min over components of ⌊on hand ÷ quantity per bundle⌋.

    component_levels maps component id → counted on hand; a component never seen counts 0.
    """
    if not components:
        return 0
    return min(units(component_levels.get(pid, 0)) // max(1, int(qty)) for pid, qty in components)


def buffer_for(sku, categories, rules):
    """The safety stock for a SKU: per-SKU rule, else the largest matching category, else all."""
    if sku in rules.buffer_by_sku:
        return int(rules.buffer_by_sku[sku]), f"buffer for {sku}"
    matches = [int(rules.buffer_by_category[c]) for c in categories or ()
               if c in rules.buffer_by_category]
    if matches:
        # Several categories: hold back the most, the safe side against overselling.
        return max(matches), "category buffer"
    return rules.buffer_all, "buffer"


def sell_figure(total, sku, categories, rules, source="on hand"):
    """max(0, min(cap, ⌊total × percent⌋ − buffer)), then "≤ N counts 0", with its arithmetic."""
    total = units(total)
    steps, value = [f"{source} {total}"], total
    if rules.percent != 100:
        value = math.floor(Decimal(total) * Decimal(rules.percent) / 100)
        steps.append(f"× {rules.percent}% = {value}")
    buffer, label = buffer_for(sku, categories, rules)
    if buffer:
        value -= buffer
        steps.append(f"− {label} {buffer} = {value}")
    if value < 0:
        value = 0
        steps.append("→ 0 (never below zero)")
    if rules.cap is not None and value > rules.cap:
        value = int(rules.cap)
        steps.append(f"→ {value} (most listed)")
    if 0 < value <= rules.zero_at_or_below:
        value = 0
        steps.append(f"→ 0 ({rules.zero_at_or_below} or fewer count as 0)")
    text = " ".join(steps)
    # "on hand 17 − buffer 2 = 15 sent" reads best; after a "→" step the total needs repeating.
    return Figure(value, text + (f"; {value} sent" if steps[-1].startswith("→") else " sent"))

