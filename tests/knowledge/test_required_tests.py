"""Required tests as data: the shipped records load, cite known sources, and are checked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from herscape.errors import KnowledgeBaseError
from herscape.knowledge._required import load_required_tests, missing_tests
from herscape.knowledge._store import kb_from_store
from herscape.profile import oncotree
from herscape.profile._read import profile_from_strings


@pytest.fixture(scope="module")
def kb():
    return kb_from_store()


def _missing(kb, alts, tumor, drug, assessed=frozenset()):
    p = profile_from_strings(alts, tumor_type=tumor)
    p = replace(p, assessed=p.assessed | frozenset(assessed))
    return {m.id: m for m in missing_tests(kb, p, {drug}, oncotree().lineage(tumor),
                                            lambda text: False)}


def test_shipped_records_load_and_cite_known_sources(kb) -> None:
    records = load_required_tests(kb)
    assert {r.id for r in records} >= {"anti-egfr-antibody-crc-ras", "her2-antibody-status",
                                       "egfr-tki-lung-egfr", "kras-g12c-inhibitor-g12c",
                                       "trastuzumab-deruxtecan-breast-her2-low"}
    for r in records:
        assert r.sources and all(s in kb.sources for s in r.sources)


def test_ras_needs_both_genes_at_exons_2_to_4(kb) -> None:
    assert "anti-egfr-antibody-crc-ras" in _missing(kb, [], "COADREAD", "cetuximab")
    assert "anti-egfr-antibody-crc-ras" in _missing(kb, ["KRAS wild type"], "COADREAD", "cetuximab")
    got = _missing(kb, ["KRAS wild type", "NRAS wild type"], "COADREAD", "cetuximab")
    assert "anti-egfr-antibody-crc-ras" not in got
    assert got["anti-egfr-antibody-crc-braf"].need == "recommended"
    # exon by exon (the target convention "GENE exon N") answers it too
    exons = {("mutation", f"{g} exon {n}") for g in ("KRAS", "NRAS") for n in (2, 3, 4)}
    assert "anti-egfr-antibody-crc-ras" not in _missing(kb, [], "COADREAD", "panitumumab", exons)
    partial = exons - {("mutation", "NRAS exon 4")}
    assert "anti-egfr-antibody-crc-ras" in _missing(kb, [], "COADREAD", "panitumumab", partial)
    # an exome answers everything
    assert not _missing(kb, [], "COADREAD", "cetuximab", {("mutation", "*")})


def test_other_classes(kb) -> None:
    assert "her2-antibody-status" in _missing(kb, [], "BRCA", "trastuzumab")
    assert "her2-antibody-status" not in _missing(kb, ["ERBB2 amplification"], "BRCA", "trastuzumab")
    assert "trastuzumab-deruxtecan-breast-her2-low" in _missing(kb, [], "BRCA", "trastuzumab-deruxtecan")
    assert "egfr-tki-lung-egfr" in _missing(kb, [], "LUAD", "osimertinib")
    assert "egfr-tki-lung-egfr" not in _missing(kb, ["EGFR wild type"], "LUAD", "osimertinib")
    assert "kras-g12c-inhibitor-g12c" in _missing(kb, [], "LUAD", "sotorasib")
    assert "kras-g12c-inhibitor-g12c" not in _missing(kb, ["KRAS G12C"], "LUAD", "sotorasib")
    assert not _missing(kb, [], "BRCA", "cetuximab")  # the CRC rule stays in CRC


def test_a_bad_record_names_file_line_and_field(kb, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "- id: bad-one\n  tumor_type: COADREAD\n  drug_classes: [monoclonal_antibody]\n"
        "  target: EGFR\n  need: required\n  test: RAS\n  action: test RAS first\n"
        "  checks: [mutation KRAS exoms 2]\n  why: because the label says so\n"
        "  sources: [ref:not-a-source]\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_required_tests(kb, tmp_path)
    problems = err.value.problems
    assert problems[0].field == "checks" and problems[0].line == 8
    assert problems[0].source.endswith("bad.yaml") and problems[0].record == "bad-one"
