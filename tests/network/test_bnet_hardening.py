"""Model formats under hostile input (issue 13, item 8): a ModelError naming file and line,
never AttributeError, RecursionError or UnicodeDecodeError."""

from __future__ import annotations

import pytest

from herscape.errors import ModelError
from herscape.network._bnet import parse_bnet, read_bnet
from herscape.network._expr import MAX_NESTING


@pytest.mark.parametrize("text", [
    "targets, factors\nA, .5\n",
    "targets, factors\nA, " + "(" * 70 + "B" + ")" * 70 + "\n",
    "targets, factors\nA, " + "!" * 5000 + "B\n",
    "targets, factors\nA, " + "(" * 100_000 + "\n",
])
def test_bad_bnet_is_a_model_error(text):
    with pytest.raises(ModelError) as info:
        parse_bnet(text, source="x.bnet")
    assert info.value.source == "x.bnet" and info.value.line == 2


def test_nesting_up_to_the_bound_reads():
    depth = MAX_NESTING - 1
    model = parse_bnet("targets, factors\nA, " + "(" * depth + "B" + ")" * depth + "\nB, A\n",
                       source="x.bnet")
    assert "A" in {n.name for n in model.nodes}


def test_bnet_not_utf8(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_bytes(b"targets, factors\nA, B\nB, \xe9A\n")
    with pytest.raises(ModelError, match="not UTF-8") as info:
        read_bnet(path)
    assert info.value.line == 3


@pytest.mark.parametrize("line", ["sample_count = 1e309;", "thread_count = 1e400;", "$k = 1e309;"])
def test_cfg_numbers_must_be_finite(tmp_path, line):
    from herscape.network._maboss import read_maboss

    bnd = tmp_path / "m.bnd"
    bnd.write_text("Node A {\n  logic = A;\n  rate_up = 1;\n  rate_down = 1;\n}\n")
    cfg = tmp_path / "m.cfg"
    cfg.write_text(line + "\n")
    with pytest.raises(ModelError, match="not a finite number") as info:
        read_maboss(bnd, cfg)
    assert info.value.line == 1
