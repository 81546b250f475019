"""Exact money: Decimal from the platforms' strings, two places, half-up like the shops round."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money(value):
    """A Decimal with two places from a string, number or None (None and "" are zero)."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def text(amount):
    """The amount as the platforms write it: a string with exactly two places."""
    return str(money(amount))
