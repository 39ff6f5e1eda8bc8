"""The network diagram's subgraph and layered layout."""

from __future__ import annotations

import pytest

from herscape.network import parse_expression
from herscape.network._curated import load_erbb_model
from herscape.report._layout import _influences, layout_diagram, signed_inputs


def model_path_edges(path: list[str]) -> set[tuple[str, str]]:
    """Consecutive pairs of ``path`` that are edges of the shipped model (as it is now)."""
    influences = _influences(load_erbb_model())
    return {(a, b) for a, b in zip(path, path[1:], strict=False) if a in influences.get(b, {})}


@pytest.mark.parametrize(
    ("rule", "signs"),
    [
        ("A & !B", {"A": "+", "B": "-"}),
        ("!(A | !B)", {"A": "-", "B": "+"}),
        ("(A & !B) | (B & C)", {"A": "+", "B": "±", "C": "+"}),
        ("A ^ B", {"A": "±", "B": "±"}),
    ],
)
def test_signed_inputs(rule, signs):
    assert signed_inputs(parse_expression(rule, logic=True)) == signs


@pytest.fixture(scope="module")
def diagram(_braf_crc):
    return layout_diagram(_braf_crc, load_erbb_model())


def test_subgraph_holds_path_alterations_drugs_and_readouts(diagram):
    names = set(diagram.nodes)
    assert {"BRAF_V600E", "BRAF", "MEK", "ERK", "Survival", "CTX_drug", "Ab_EGFR", "EGFR",
            "Proliferation", "Apoptosis", "ImmuneKill"} <= names
    assert 10 <= len(names) <= 40
    assert "altered" in diagram.nodes["BRAF_V600E"].roles
    assert "drug" in diagram.nodes["CTX_drug"].roles
    assert "target" in diagram.nodes["Ab_EGFR"].roles
    # drugs the regimen does not use are not drawn
    assert not names & {"BRAFi_drug", "MEKi_drug", "TZB_drug"}


def test_edges_follow_the_rules(diagram):
    signs = {(e.source, e.target): e.sign for e in diagram.edges}
    assert signs[("Ab_EGFR", "EGFR")] == "-"
    assert signs[("MEK", "ERK")] == "+"
    on_path = {(e.source, e.target) for e in diagram.edges if e.on_path}
    path = ["BRAF_V600E", "BRAF", "MEK", "ERK", "Survival"]
    assert on_path == model_path_edges(path)
    assert {("BRAF_V600E", "BRAF"), ("BRAF", "MEK"), ("MEK", "ERK")} <= on_path


def test_layers_run_left_to_right_without_overlap(diagram):
    nodes = diagram.nodes
    for e in diagram.edges:
        if not e.feedback:
            assert nodes[e.source].layer < nodes[e.target].layer, e
            assert nodes[e.source].x + nodes[e.source].w < nodes[e.target].x
    by_layer: dict[int, list] = {}
    for n in nodes.values():
        by_layer.setdefault(n.layer, []).append(n)
    for column in by_layer.values():
        column.sort(key=lambda n: n.y)
        for a, b in zip(column, column[1:], strict=False):
            assert a.y + a.h <= b.y
    for n in nodes.values():
        assert n.x >= 0 and n.x + n.w <= diagram.width
        assert n.y >= 0 and n.y + n.h <= diagram.height
    assert nodes["CTX_drug"].layer == 0


def test_layout_is_deterministic(_braf_crc, diagram):
    again = layout_diagram(_braf_crc, load_erbb_model())
    assert again == diagram


def test_no_model_no_diagram(_braf_crc):
    assert layout_diagram({**_braf_crc, "model": None}, load_erbb_model()) is None


def test_feedback_edges_are_set_aside(_braf_crc):
    """SPRY feeds back onto EGFR: that edge is drawn as feedback, the rest run left to right."""
    from herscape.report._svg import diagram_svg

    pred = {**_braf_crc, "mechanisms": [
        {**_braf_crc["mechanisms"][0],
         "path": ["EGFR", "EGFR_homo", "GRB2_SOS", "RAS", "BRAF", "MEK", "ERK", "SPRY"]}]}
    diagram = layout_diagram(pred, load_erbb_model())
    edges = {(e.source, e.target): e for e in diagram.edges}
    assert edges[("SPRY", "EGFR")].feedback
    assert not edges[("EGFR", "EGFR_homo")].feedback
    assert not edges[("EGFR_homo", "GRB2_SOS")].feedback
    assert diagram.nodes["EGFR"].layer < diagram.nodes["ERK"].layer < diagram.nodes["SPRY"].layer
    svg = diagram_svg(diagram)
    assert 'class="edge inhibition feedback" data-source="SPRY" data-target="EGFR"' in svg
