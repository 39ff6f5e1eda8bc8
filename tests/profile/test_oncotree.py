"""OncoTree codes: shipped subtrees, relations, user-supplied trees."""

from __future__ import annotations

import json

import pytest

from herscape.errors import UsageError
from herscape.profile import load_oncotree, oncotree, tumor_type_problem


def test_shipped_subtrees():
    tree = oncotree()
    assert tree.lineage("COAD") == ("COAD", "COADREAD", "BOWEL", "TISSUE")
    assert tree.lineage("IDC") == ("IDC", "BRCA", "BREAST", "TISSUE")
    assert tree.lineage("LUAD") == ("LUAD", "NSCLC", "LUNG", "TISSUE")
    assert "STAD" in tree and "HNSC" in tree and "PAAD" in tree and "SKCM" in tree
    for code in ("COADREAD", "BRCA", "STAD", "NSCLC", "HNSC", "TISSUE"):
        assert tumor_type_problem(code) is None


@pytest.mark.parametrize(("evidence", "sample", "relation"), [
    ("COADREAD", "COAD", "broader"), ("COAD", "COAD", "exact"), ("COAD", "COADREAD", "narrower"),
    ("TISSUE", "COAD", "pan-cancer"), ("BRCA", "COAD", None), ("COADREAD", None, "unspecified"),
])
def test_relations(evidence, sample, relation):
    assert oncotree().relation(evidence, sample) == relation


def test_rank_prefers_specific():
    tree = oncotree()
    ranks = [tree.distance(e, "COAD") for e in ("COAD", "COADREAD", "BOWEL", "TISSUE")]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4


def test_unknown_code_names_closest():
    problem = tumor_type_problem("COADRED")
    assert problem is not None and "COADREAD" in problem
    with pytest.raises(UsageError, match="closest: .*COADREAD"):
        oncotree().check("COADRED")
    assert oncotree().check("coad") == "COAD"


def test_user_tree_api_json(tmp_path):
    nodes = [
        {"code": "BOWEL", "name": "Bowel", "parent": "TISSUE", "mainType": "Bowel"},
        {"code": "COADREAD", "name": "Colorectal Adenocarcinoma", "parent": "BOWEL"},
        {"code": "COAD", "name": "Colon Adenocarcinoma", "parent": "COADREAD"},
        {"code": "CAIS", "name": "Colon Adenocarcinoma In Situ", "parent": "COAD"},
    ]
    path = tmp_path / "tumorTypes.json"
    path.write_text(json.dumps(nodes))
    tree = load_oncotree(path)
    assert tree.lineage("CAIS") == ("CAIS", "COAD", "COADREAD", "BOWEL", "TISSUE")


def test_user_tree_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"code": "A", "parent": "MISSING"}]))
    with pytest.raises(UsageError, match="unknown parent 'MISSING'"):
        load_oncotree(bad)
    cyc = tmp_path / "cycle.json"
    cyc.write_text(json.dumps([{"code": "A", "parent": "B"}, {"code": "B", "parent": "A"}]))
    with pytest.raises(UsageError, match="cycle"):
        load_oncotree(cyc)
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    with pytest.raises(UsageError, match="does not parse"):
        load_oncotree(broken)


def test_every_knowledge_tumour_type_is_known(kb):
    codes = {r.tumor_type for r in [*kb.assertions.values(), *kb.strategies.values()]}
    assert {c: tumor_type_problem(c) for c in codes if tumor_type_problem(c)} == {}
