"""A deterministic demo catalog, so both emulators can be seeded with the same products."""
import random
import zlib
from decimal import Decimal

WAREHOUSES = (
    {"id": 2, "name": "Main Warehouse"},
    {"id": 3, "name": "Overflow Store"},
    {"id": 4, "name": "Returns Bay"},
)

_NOUNS = ("Mug", "Tee", "Hoodie", "Cap", "Tote", "Notebook", "Poster", "Socks", "Scarf", "Lamp")
_ADJECTIVES = ("Classic", "Organic", "Vintage", "Café", "Nordic", "Midnight", "Sunny", "Rustic")
# Brightpearl category codes (numbers, like the real ones) and names; each product sits in its
# noun's category, and some also in "New in" or "Sale" (real products sit in several).
CATEGORIES = {296: "Clothing", 297: "Homeware", 298: "Stationery", 299: "Accessories",
              300: "New in", 301: "Sale"}
_NOUN_CATEGORY = {"Mug": 297, "Tee": 296, "Hoodie": 296, "Cap": 299, "Tote": 299, "Notebook": 298,
                  "Poster": 298, "Socks": 296, "Scarf": 299, "Lamp": 297}
_COLOURS = ("Red", "Blue", "Green")
_SIZES = ("S", "M")


def demo_catalog(n_products=40, seed=7, group_every=5):
    """Return n_products product dicts; every group_every-th slot starts a 6-variant group.

    Each dict: sku, name, description (HTML), price (Decimal string), weight, group (None or
    a group key shared by variants), options ({"Colour": .., "Size": ..} for variants),
    stock_tracked, stock ({warehouse_id: on_hand}, warehouses holding none are absent),
    categories (Brightpearl category codes, the first one primary), dimensions (cm, or None).
    A weight of "" means none was entered (Brightpearl then shows 0).
    """
    rng = random.Random(seed)
    products, index = [], 0
    while len(products) < n_products:
        noun, adjective = rng.choice(_NOUNS), rng.choice(_ADJECTIVES)
        price = Decimal(rng.randint(500, 9000)) / 100
        if group_every and index % group_every == 0 and n_products - len(products) >= 6:
            group = f"GRP-{index:05d}"
            for colour in _COLOURS:
                for size in _SIZES:
                    products.append(
                        _product(rng, f"{adjective}-{noun}-{index:05d}-{colour[0]}{size}".upper(),
                                 f"{adjective} {noun} ({colour}, {size})", price, group,
                                 {"Colour": colour, "Size": size}, seed, noun)
                    )
        else:
            products.append(
                _product(rng, f"{adjective}-{noun}-{index:05d}".upper(), f"{adjective} {noun}",
                         price, None, {}, seed, noun)
            )
        index += 1
    return products[:n_products]


def _product(rng, sku, name, price, group, options, seed, noun):
    stock = {}
    for warehouse in WAREHOUSES:
        on_hand = rng.choice((0, 0, 3, 7, 12, 25, 40))
        if on_hand:
            stock[warehouse["id"]] = on_hand
    weight = str(Decimal(rng.randint(50, 2000)) / 1000)
    item = {
        "sku": sku,
        "name": name,
        "description": f"<p>The <strong>{name}</strong> — made to last.</p>",
        "price": str(price.quantize(Decimal("0.01"))),
        "weight": weight,
        "group": group,
        "options": options,
        "stock_tracked": rng.random() > 0.05,
        "stock": stock,
    }
    # Facts drawn from a hash of the SKU, so the main sequence (and every price, stock level and
    # name it gives) stays as it always was, and 100,000 products still seed in seconds.
    draw = zlib.crc32(f"{seed}:{sku}".encode())
    item["categories"] = [_NOUN_CATEGORY[noun]] + ([300 + draw % 2] if draw % 5 < 2 else [])
    draw //= 10
    item["dimensions"] = ({"length": 5 + draw % 56, "width": 5 + draw // 56 % 36,
                           "height": 1 + draw // 2016 % 20} if draw % 7 < 3 else None)
    if draw // 40320 % 7 == 0:
        item["weight"] = ""
    return item


_FIRST = ("Ada", "Bo", "Chloé", "Dev", "Emeka", "Freya", "Gus", "Hana", "Ivo", "Jun")
_LAST = ("Okafor", "Lindqvist", "Müller", "Patel", "Nguyen", "O'Brien", "Silva", "Kowalski")


def demo_customers(n_customers=20, seed=7):
    """Return n_customers customer dicts: first_name, last_name, email, address fields."""
    rng = random.Random(seed + 1)
    customers = []
    for i in range(n_customers):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        customers.append({
            "first_name": first,
            "last_name": last,
            "email": f"{first}.{last}.{i}@example.com".lower().replace("'", "").replace("é", "e")
            .replace("ü", "u"),
            "address_1": f"{rng.randint(1, 200)} High Street",
            "city": rng.choice(("Leeds", "Bristol", "York", "Bath")),
            "postcode": f"LS{rng.randint(1, 29)} {rng.randint(1, 9)}AB",
            "country": "GB",
            "phone": f"0113 {rng.randint(100000, 999999)}",
        })
    return customers
