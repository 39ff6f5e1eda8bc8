"""Exact fixed points (issue 4 §4), including every row of the Sahin et al. 2009 knockdown table.

Knockdown semantics of ``sahin2009_knockdown_stable_states.csv`` (Additional file 1 of the
paper): the growth-factor input EGF is held ON (stimulated cells) unless it is itself knocked
down, and every gene in ``knocked_genes`` (``+``-separated node names) is held OFF. The table
lists, per knockdown, the number of stable states and the nodes ON in each.
"""

from __future__ import annotations

import csv
import itertools
import json

import pytest
from _shared_models import model_file, shared_files

from herscape.cli import main
from herscape.errors import ModelError
from herscape.network import (
    Arith,
    Compare,
    Const,
    Model,
    Node,
    Not,
    Num,
    Or,
    Param,
    Var,
    Xor,
    evaluate_logic,
    fixpoints,
    read_model,
)


def _sahin_rows() -> dict[str, list[dict[str, str]]]:
    path = model_file("sahin2009_erbb_g1s", "sahin2009_knockdown_stable_states.csv")
    groups: dict[str, list[dict[str, str]]] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            groups.setdefault(row["knockdown"], []).append(row)
    return groups


def _knockdown_names() -> list[str]:
    try:
        return list(_sahin_rows())
    except pytest.skip.Exception:
        return ["<absent>"]


def test_sahin_table_has_137_knockdowns():
    groups = _sahin_rows()
    assert len(groups) == 137  # mock + 136 single/double/triple knockdowns
    assert "MOCK" in groups


@pytest.mark.parametrize("knockdown", _knockdown_names())
@pytest.mark.parametrize("method", ["brute", "asp"])
def test_sahin_knockdown_stable_states(sahin_model, knockdown, method):
    rows = _sahin_rows()[knockdown]
    knocked = [g for g in rows[0]["knocked_genes"].split("+") if g]
    knockin = [] if "EGF" in knocked else ["EGF"]
    states = list(fixpoints(sahin_model, knockout=knocked, knockin=knockin, method=method))
    assert len(states) == int(rows[0]["n_stable_states"]) == len(rows)
    got = sorted(sorted(n for n, on in fp.items() if on) for fp in states)
    expected = sorted(sorted(r["on_nodes"].split()) for r in rows)
    assert got == expected
    by_on = {frozenset(r["on_nodes"].split()): r for r in rows}
    for fp in states:
        row = by_on[frozenset(n for n, on in fp.items() if on)]
        assert int(fp["pRB1"]) == int(row["pRB1_on"])


def test_sahin_erbb2_knockdown_switches_igf1r_on_and_keeps_prb1(sahin_model):
    """The model's de novo trastuzumab-resistance mechanism."""
    (mock,) = fixpoints(sahin_model, knockin=["EGF"])
    (erbb2,) = fixpoints(sahin_model, knockout=["ERBB2"], knockin=["EGF"])
    assert not mock["IGF1R"] and erbb2["IGF1R"]
    assert mock["pRB1"] and erbb2["pRB1"]


@pytest.mark.parametrize("rel", shared_files("*/*.bnet"))
def test_brute_force_and_asp_agree(rel):
    model = read_model(model_file(rel))
    if len(model.nodes) > 25:
        pytest.skip(f"{rel} has {len(model.nodes)} nodes, too many for brute force in a unit test")
    assert list(fixpoints(model, method="brute")) == list(fixpoints(model, method="asp"))


@pytest.mark.parametrize("rel", shared_files("*/*.bnd"))
def test_asp_fixpoints_are_fixed_points(rel):
    model = read_model(model_file(rel))
    logic = {n.name: n.logic if n.logic is not None else Var(n.name) for n in model.nodes}
    states = list(fixpoints(model, method="asp", limit=20))
    for fp in states:
        assert all(evaluate_logic(logic[name], fp) == fp[name] for name in model.node_names)


def _all_fixed_points(model: Model) -> list[dict[str, bool]]:
    names = model.node_names
    out = []
    for bits in itertools.product([False, True], repeat=len(names)):
        state = dict(zip(names, bits, strict=True))
        if all(evaluate_logic(n.logic, state) == state[n.name] for n in model.nodes):
            out.append(state)
    return out


def test_small_models_match_an_independent_enumeration():
    toggle = Model(
        nodes=(
            Node("A", logic=Not(Var("B"))),
            Node("B", logic=Not(Var("A"))),
            Node("C", logic=Xor((Var("A"), Var("C")))),
            Node("D", logic=Or((Var("D"), Const(False)))),
        )
    )
    for method in ("brute", "asp"):
        assert list(fixpoints(toggle, method=method)) == _all_fixed_points(toggle)
    oscillator = Model(nodes=(Node("A", logic=Not(Var("A"))),))
    assert list(fixpoints(oscillator)) == []


def test_knockin_knockout_and_limit():
    m = Model(nodes=(Node("A", logic=Not(Var("B"))), Node("B", logic=Not(Var("A")))))
    assert list(fixpoints(m, knockin=["A"])) == [{"A": True, "B": False}]
    assert len(list(fixpoints(m, limit=1))) == 1
    with pytest.raises(ModelError, match="both knocked out and knocked in"):
        list(fixpoints(m, knockout=["A"], knockin=["A"]))
    with pytest.raises(ModelError, match="unknown node 'Z'"):
        list(fixpoints(m, knockout=["Z"]))
    with pytest.raises(ValueError, match="method"):
        list(fixpoints(m, method="magic"))  # type: ignore[arg-type]


def test_non_boolean_logic_needs_brute_force():
    m = Model(
        nodes=(
            Node("A", logic=Compare(">", Arith("+", Var("B"), Param("k")), Num(1.0))),
            Node("B", logic=Var("B")),
        ),
        parameters={"k": 0.5},
    )
    assert list(fixpoints(m, method="brute")) == [{"A": False, "B": False}, {"A": True, "B": True}]
    with pytest.raises(ModelError, match="Boolean logic"):
        list(fixpoints(m, method="asp"))


# -- command line ---------------------------------------------------------------------------------


def test_cli_fixpoints_json(capsys):
    path = model_file("sahin2009_erbb_g1s", "bbm096_sahin2009.bnet")
    assert (
        main(
            [
                "model",
                "fixpoints",
                str(path),
                "--knockout",
                "ERBB2",
                "--knockin",
                "EGF",
                "--format",
                "json",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert payload["count"] == 1
    assert payload["fixpoints"][0]["IGF1R"] == 1


def test_cli_fixpoints_text_and_tsv(capsys):
    path = model_file("sahin2009_erbb_g1s", "bbm096_sahin2009.bnet")
    assert main(["model", "fixpoints", str(path), "-k", "EGF"]) == 0
    text = capsys.readouterr().out
    assert "2 fixed points" in text
    assert main(["model", "fixpoints", str(path), "-k", "EGF", "--format", "tsv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:2] == ["fixpoint", "AKT1"]
    assert len(lines) == 3


def test_cli_errors_exit_2(tmp_path, capsys):
    path = model_file("sahin2009_erbb_g1s", "bbm096_sahin2009.bnet")
    assert main(["model", "fixpoints", str(path), "--knockout", "NOPE"]) == 2
    bad = tmp_path / "bad.bnd"
    bad.write_text("Node A {\n  logic = B &;\n}\n")
    assert main(["model", "info", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2:14" in err


def test_cli_convert_and_info(tmp_path, capsys):
    src = model_file("metastasis_cohen2015", "metastasis.bnd")
    out = tmp_path / "meta.bnet"
    assert main(["model", "convert", str(src), str(out)]) == 0
    assert out.exists()
    assert main(["model", "convert", str(out), str(tmp_path / "meta.bnd")]) == 0
    assert (tmp_path / "meta.cfg").exists()
    capsys.readouterr()
    assert main(["model", "info", str(src), "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["node_count"] == 32
    assert info["inputs"] == ["ECMicroenv", "DNAdamage"]
    assert info["parameters"]["u_Migration"] == 1.0
    assert main(["model", "info", str(src)]) == 0
    assert "ECMicroenv" in capsys.readouterr().out


def test_cli_exports_the_erbb_model(tmp_path, capsys):
    """`herscape model convert erbb OUT` writes the shipped ERBB model as MaBoSS, .bnet and
    SBML-qual with the engine's writers; the MaBoSS export reads back with the same nodes."""
    from herscape.network import read_model
    from herscape.network._curated import load_erbb_model

    names = load_erbb_model().model.node_names
    for suffix in (".bnd", ".bnet", ".sbml"):
        out = tmp_path / f"erbb{suffix}"
        assert main(["model", "convert", "erbb", str(out)]) == 0
        assert out.exists()
    assert read_model(tmp_path / "erbb.bnd").node_names == names
    capsys.readouterr()
    assert main(["model", "info", "erbb", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["node_count"] == len(names)
    assert main(["model", "convert", "erbb", str(tmp_path / "erbb.yaml")]) == 2
    assert "extension must be one of" in capsys.readouterr().err


def test_curated_model_with_a_broken_rule_names_file_line_and_node(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text('name: x\nversion: "1"\ntitle: t\ndescription: d\n'
                   "readouts: {proliferation: A}\nnodes:\n"
                   "- {name: B, kind: k, input: true, description: an input}\n"
                   '- name: A\n  kind: k\n  rule: "B & (B"\n  description: a broken rule\n')
    assert main(["model", "convert", str(bad), str(tmp_path / "out.bnet")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{bad}:8:" in err and "record 'A'" in err and "field 'rule'" in err
    assert not (tmp_path / "out.bnet").exists()
