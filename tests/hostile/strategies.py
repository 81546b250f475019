"""Generated hostile input: values, bodies and headers of the kinds attackers and broken
plugins send (deep nesting, huge numbers, NaN/Infinity, NUL, lone surrogates, over-long text,
wrong types, invalid UTF-8, big ID sets)."""
import json

from hypothesis import strategies as st

from tests.fixtures import load, php_json


def nested(depth, leaf=1):
    """A list nested depth levels deep, built without recursion."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


ODD_NUMBER_TEXT = st.sampled_from([
    "Infinity", "-Infinity", "NaN", "sNaN", "-sNaN", "1e26", "1E+400", "-1e-400", "0", "-0",
    "0.005", "999999999999.99", "1000000000000", "12345678901234567890", "", " ", "1_000",
    "0x10", "١٢٣", "53.00\x00", "5" * 5000,
])
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfff", "\r\n", "<script>alert(1)</script>",
                     "'; DROP TABLE sync_log; --", "%s%n", "../../etc/passwd", "\u202e"]),
    st.integers(256, 6000).map(lambda n: "é" * n),
)
SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    ODD_NUMBER_TEXT, ODD_TEXT,
)
VALUES = st.one_of(
    SCALARS,
    # Past the parser's bound of 32 but within what json.dumps can write here; deeper bodies
    # are written as bytes (RAW_BODIES).
    st.integers(1, 400).map(nested),
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.text(max_size=8), SCALARS, max_size=4),
)

ORDER_FIELDS = ["id", "number", "status", "total", "currency", "date_modified_gmt",
                "customer_note", "billing", "line_items", "refunds", "meta_data", "code",
                "message", "arg"]
WOO_TOPICS = st.one_of(
    st.sampled_from(["order.created", "order.updated", "order.deleted", "product.created",
                     "product.updated", "product.deleted", "action.woocommerce_x", "coupon.updated",
                     "order", ".", "order.", "ORDER.UPDATED"]),
    st.text(max_size=120).filter(lambda t: "\n" not in t and "\r" not in t),
)


@st.composite
def woo_bodies(draw):
    """A WooCommerce order with some fields replaced, dropped or added, as PHP encodes it."""
    order = load("woo_order.json")
    for name in draw(st.lists(st.sampled_from(ORDER_FIELDS), max_size=4, unique=True)):
        if draw(st.booleans()) or name not in order:
            order[name] = draw(VALUES)
        else:
            del order[name]
    order["id"] = draw(st.one_of(st.just(order.get("id", 727)), st.integers(1, 50), VALUES))
    return php_json(order)


RAW_BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"", b"{}", b"[]", b"null", b'"x"', b"\xff\xfe\x00", b'{"id": NaN}',
                     b'{"id": Infinity}', b'{"total": -Infinity, "id": 1}', b"{" * 3000,
                     b'{"id": 1, "a": ' + b"[" * 3000 + b"]" * 3000 + b"}",
                     b'{"id": ' + b"9" * 5000 + b"}", b'{"id": 1}' + b"\x00",
                     '{"id": 727}'.encode("utf-16"), b'{"id": 727, "number": "\\ud800"}',
                     b"webhook_id=1", b"webhook_id=99999999999"]),
    st.integers(1, 4000).map(lambda d: b"[" * d + b"]" * d),
)


VALID_ID_SETS = st.one_of(
    st.integers(1, 3000).map(str),
    st.lists(st.integers(1, 2**31 - 1).map(str), min_size=1, max_size=5).map(",".join),
    st.tuples(st.integers(1, 500), st.integers(0, 300)).map(lambda p: f"{p[0]}-{p[0] + p[1]}"),
)
ODD_ID_SETS = st.one_of(
    st.sampled_from(["0", "-1", "1-", "5-1", "1,,2", "2147483648", "12345678901234567890",
                     "1-99999999999", "1-20000", "1" * 5000, "١", "1;2", " ", "1.5"]),
    VALUES,
)


@st.composite
def bp_callbacks(draw):
    """A Brightpearl callback, its ID set valid or not, some fields replaced or dropped."""
    full_event, resource_type = draw(st.sampled_from([
        ("product.modified.on-hand-modified", "product"), ("order.modified.order-status", "order"),
        ("goods-out-note.modified.shipped", "goods-out-note"), ("sales-order.created", "sales")]))
    body = {"accountCode": "testacct", "resourceType": resource_type,
            "id": draw(draw(st.sampled_from([VALID_ID_SETS, VALID_ID_SETS, ODD_ID_SETS]))),
            "lifecycleEvent": "modified", "fullEvent": full_event,
            "raisedOn": draw(st.one_of(st.just("2026-11-20T10:20:41.691Z"),
                                       st.text(min_size=1, max_size=12))),
            "brightpearlVersion": "4.95.2647"}
    if draw(st.sampled_from([False, False, True])):
        for name in draw(st.lists(st.sampled_from(sorted(body) + ["padding"]), max_size=2,
                                  unique=True)):
            if draw(st.booleans()):
                body[name] = draw(VALUES)
            else:
                body.pop(name, None)
    return json.dumps(body).encode()


STAFF_PARAMS = st.dictionaries(
    st.sampled_from(["type", "status", "from", "to", "q", "older", "newer", "next"]),
    st.one_of(ODD_TEXT, ODD_NUMBER_TEXT,
              st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "order", "failed",
                               "2026-01-01T00:00:00.000000_" + "9" * 30, "_1", "/\t/evil.com",
                               "/logs\r\nSet-Cookie: x=1", "//evil.com", "javascript:alert(1)"])),
    max_size=4,
)
