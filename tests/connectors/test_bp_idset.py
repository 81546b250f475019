"""ID sets: ids compressed into ranges and chunked at the per-resource caps."""
import pytest

from connectors import bp_idset


@pytest.mark.parametrize("ids, expected", [
    ([5], "5"),
    ([1, 2, 3, 4, 5, 7, 9, 20, 21, 22], "1-5,7,9,20-22"),
    ([9, 3, 1, 2, 2, 3], "1-3,9"),
    (["4", "5"], "4-5"),
    (range(100, 300), "100-299"),
])
def test_compress_makes_ascending_ranges(ids, expected):
    assert bp_idset.compress(ids) == expected


def test_ids_must_be_positive_integers():
    with pytest.raises(ValueError):
        bp_idset.compress([0, 1])
    with pytest.raises(ValueError):
        bp_idset.compress(["abc"])


def test_chunks_hold_at_most_the_cap_and_every_id_once():
    ids = list(range(1, 451)) + list(range(1, 50))
    chunks = bp_idset.chunk(ids, 200)
    assert [len(c) for c in chunks] == [200, 200, 50]
    assert sorted(i for c in chunks for i in c) == list(range(1, 451))


def test_id_sets_at_the_default_cap_and_the_goods_out_cap():
    ids = list(range(1, 1201, 2))  # 600 odd ids: nothing to compress
    assert bp_idset.DEFAULT_CAP == 200 and bp_idset.GOODS_OUT_CAP == 500
    default = bp_idset.id_sets(ids)
    assert len(default) == 3 and all(len(s.split(",")) == 200 for s in default)
    goods_out = bp_idset.id_sets(ids, bp_idset.GOODS_OUT_CAP)
    assert [len(s.split(",")) for s in goods_out] == [500, 100]


def test_a_range_counts_every_id_it_names_against_the_cap():
    assert bp_idset.id_sets(range(1, 501)) == ["1-200", "201-400", "401-500"]
