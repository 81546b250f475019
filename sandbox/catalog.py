"""A deterministic demo catalog, so both emulators can be seeded with the same products."""
import random
from decimal import Decimal

WAREHOUSES = (
    {"id": 2, "name": "Main Warehouse"},
    {"id": 3, "name": "Overflow Store"},
    {"id": 4, "name": "Returns Bay"},
)

_NOUNS = ("Mug", "Tee", "Hoodie", "Cap", "Tote", "Notebook", "Poster", "Socks", "Scarf", "Lamp")
_ADJECTIVES = ("Classic", "Organic", "Vintage", "Café", "Nordic", "Midnight", "Sunny", "Rustic")
_COLOURS = ("Red", "Blue", "Green")
_SIZES = ("S", "M")


def demo_catalog(n_products=40, seed=7, group_every=5):
    """Return n_products product dicts; every group_every-th slot starts a 6-variant group.

    Each dict: sku, name, description (HTML), price (Decimal string), weight, group (None or
    a group key shared by variants), options ({"Colour": .., "Size": ..} for variants),
    stock_tracked, stock ({warehouse_id: on_hand}, warehouses holding none are absent).
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
                                 {"Colour": colour, "Size": size})
                    )
        else:
            products.append(
                _product(rng, f"{adjective}-{noun}-{index:05d}".upper(), f"{adjective} {noun}",
                         price, None, {})
            )
        index += 1
    return products[:n_products]


def _product(rng, sku, name, price, group, options):
    stock = {}
    for warehouse in WAREHOUSES:
        on_hand = rng.choice((0, 0, 3, 7, 12, 25, 40))
        if on_hand:
            stock[warehouse["id"]] = on_hand
    return {
        "sku": sku,
        "name": name,
        "description": f"<p>The <strong>{name}</strong> — made to last.</p>",
        "price": str(price.quantize(Decimal("0.01"))),
        "weight": str(Decimal(rng.randint(50, 2000)) / 1000),
        "group": group,
        "options": options,
        "stock_tracked": rng.random() > 0.05,
        "stock": stock,
    }


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
