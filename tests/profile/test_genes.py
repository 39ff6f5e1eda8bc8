"""Gene symbols and aliases; exon and hotspot tables."""

from __future__ import annotations

import pytest

from herscape.knowledge import CLASSES
from herscape.profile import (
    activating_reason,
    closest_genes,
    exon_of,
    exon_ranges,
    gene_symbols,
    is_activating_fusion,
    is_gene,
    make_mutation,
    normalize_gene,
)
from herscape.profile._data import read_table
from herscape.profile._vocab import default_vocabulary


@pytest.mark.parametrize(("alias", "symbol"), [
    ("HER2", "ERBB2"), ("her2", "ERBB2"), ("HER-2", "ERBB2"), ("HER3", "ERBB3"), ("c-MET", "MET"),
    ("c-Met", "MET"), ("IGF-1R", "IGF1R"), ("PD-L1", "CD274"), ("ER", "ESR1"), ("VEGF", "VEGFA"),
    ("HER1", "EGFR"), ("EGFR", "EGFR"), ("ERBB1", "EGFR"), ("H3F3A", "H3-3A"), ("MLL", "KMT2A"),
    ("p53", "TP53"), ("HIF-1α", "HIF1A"), ("NKX2-1", "NKX2-1"), ("DARPP-32", "PPP1R1B"),
])
def test_aliases(alias, symbol):
    assert normalize_gene(alias) == symbol


def test_unknown_is_reported_not_guessed():
    assert normalize_gene("KRSA") is None
    assert "KRAS" in closest_genes("KRSA")
    assert not is_gene("HER2")
    assert is_gene("ERBB2")


def test_symbol_list_is_census_scale():
    symbols = gene_symbols()
    assert len(symbols) > 700
    for gene in ("KRAS", "NRAS", "BRAF", "PIK3CA", "EGFR", "ERBB2", "ERBB3", "MET", "PTEN", "TP53"):
        assert gene in symbols


def test_every_marker_gene_is_a_known_symbol():
    vocab = default_vocabulary()
    missing = sorted({m.gene for m in vocab.markers.values() if m.gene} - gene_symbols())
    assert not missing, f"add to profile/data/genes.tsv: {missing}"


def test_every_kb_gene_is_known(kb):
    from herscape.knowledge._pattern import atoms, parse_pattern

    genes = set()
    for rec in [*kb.assertions.values(), *kb.strategies.values()]:
        if getattr(rec, "biomarker", None):
            genes |= {a.gene for a in atoms(parse_pattern(rec.biomarker)) if hasattr(a, "gene")}
    for m in kb.mechanisms.values():
        genes |= set(m.genes)
    missing = sorted(g for g in genes - gene_symbols() if normalize_gene(g) is None)
    assert not missing, f"add to profile/data/genes.tsv: {missing}"


@pytest.mark.parametrize(("gene", "codon", "exon"), [
    ("KRAS", 12, 2), ("KRAS", 13, 2), ("KRAS", 59, 3), ("KRAS", 61, 3), ("KRAS", 117, 4),
    ("KRAS", 146, 4), ("NRAS", 12, 2), ("NRAS", 61, 3), ("NRAS", 146, 4), ("BRAF", 600, 15),
    ("PIK3CA", 542, 9), ("PIK3CA", 545, 9), ("PIK3CA", 546, 9), ("PIK3CA", 1047, 20),
    ("EGFR", 492, 12), ("EGFR", 465, 12), ("EGFR", 464, 12), ("EGFR", 468, 12),
    ("EGFR", 746, 19), ("EGFR", 790, 20), ("EGFR", 858, 21), ("ERBB2", 640, 16),
    ("ERBB2", 777, 20), ("ERBB2", 755, 19),
])
def test_exons(gene, codon, exon):
    assert exon_of(gene, codon) == exon


def test_exon_table_is_consistent():
    header, rows = read_table("exons.tsv")
    assert header[:5] == ("gene", "transcript", "exon", "first_codon", "last_codon")
    for gene in {r[0] for r in rows}:
        ranges = exon_ranges(gene)
        assert len({r.transcript for r in ranges}) == 1, gene
        for a, b in zip(ranges, ranges[1:], strict=False):
            assert a.last < b.first, (gene, a, b)
            assert a.exon < b.exon, (gene, a, b)
    assert exon_of("TTN", 100) is None


def test_activating_rules():
    assert activating_reason("KRAS", make_mutation("KRAS", "G12D").change, 2, "missense") == "G12"
    assert activating_reason("PIK3CA", make_mutation("PIK3CA", "H1047R").change, 20, "missense")
    assert activating_reason("PIK3CA", make_mutation("PIK3CA", "R38H").change, None, "missense") is None
    m = make_mutation("EGFR", "E746_A750del")
    assert activating_reason("EGFR", m.change, m.exon, m.consequence) == "exon 19 inframe deletion"
    m = make_mutation("ERBB2", "A775_G776insYVMA")
    assert activating_reason("ERBB2", m.change, m.exon, m.consequence)
    m = make_mutation("KRAS", "G12fs")
    assert activating_reason("KRAS", m.change, m.exon, m.consequence) is None
    assert is_activating_fusion("ALK") and not is_activating_fusion("KRAS")
    assert "activating" in CLASSES
