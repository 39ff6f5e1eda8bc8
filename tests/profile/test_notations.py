"""Notations reports print (issue 13, item 5; docs/profiles.md "Accepted notations"), what was
tested (issue 15, item 3) and HER2 categories (issue 15, item 6): each form with a test."""

from __future__ import annotations

import pytest

from herscape.knowledge import Matcher, load_kb
from herscape.profile import Profile, parse_alteration, profile_from_strings
from herscape.profile._assay import Assay


def _texts(text: str) -> list[str]:
    return [str(f) for f in parse_alteration(text).features]


def _assessed(text: str) -> list[tuple[str, str]]:
    return list(parse_alteration(text).assessed)


RAS_EXONS = [("mutation", f"{g} exon {e}") for g in ("KRAS", "NRAS") for e in (2, 3, 4)]


@pytest.mark.parametrize("text", ["RAS wild-type", "all-RAS wt", "RAS wt", "RAS wild type",
                                  "extended RAS wild-type", "all RAS wildtype"])
def test_ras_wild_type_is_kras_nras_exons_2_to_4(text):
    parsed = parse_alteration(text)
    assert parsed.features == () and list(parsed.assessed) == RAS_EXONS


def test_ras_braf_wild_type_adds_braf_v600():
    assert _assessed("RAS/BRAF wild-type") == [*RAS_EXONS, ("mutation", "BRAF codon 600")]


@pytest.mark.parametrize(("text", "pairs"), [
    ("KRAS exon 2 wild type", [("mutation", "KRAS exon 2")]),
    ("KRAS exons 2-4 wt", [("mutation", f"KRAS exon {e}") for e in (2, 3, 4)]),
    ("KRAS exons 2, 3 and 4 wild-type", [("mutation", f"KRAS exon {e}") for e in (2, 3, 4)]),
    ("KRAS codon 12 wild type", [("mutation", "KRAS codon 12")]),
    ("KRAS codons 12 and 13 wt", [("mutation", "KRAS codon 12"), ("mutation", "KRAS codon 13")]),
    ("KRAS/NRAS wild-type", [("mutation", "KRAS"), ("mutation", "NRAS")]),
    ("HER2 not amplified", [("copy_number", "ERBB2")]),
])
def test_wild_type_at_gene_exon_codon_level(text, pairs):
    assert _assessed(text) == pairs


@pytest.mark.parametrize(("text", "expected"), [
    ("EGFR ex19del", ["EGFR exon 19 inframe deletion"]),
    ("EGFR exon19del", ["EGFR exon 19 inframe deletion"]),
    ("del19", ["EGFR exon 19 inframe deletion"]),
    ("ERBB2 ex20ins", ["ERBB2 exon 20 inframe insertion"]),
    ("MET ex14", ["MET exon 14 skipping"]),
    ("METex14", ["MET exon 14 skipping"]),
    ("EGFR L858R/T790M", ["EGFR L858R", "EGFR T790M"]),
    ("c-erbB-2 amplification", ["ERBB2 amplification"]),
    ("Ki-ras G12D", ["KRAS G12D"]),
    ("MLL2 R5432W", ["KMT2D R5432W"]),
    ("NM_004985.5:p.Gly12Cys", ["KRAS G12C"]),
    ("EGFR vIII", ["EGFR exons 2-7 deletion"]),
    ("EGFRvIII", ["EGFR exons 2-7 deletion"]),
    ("ALK-EML4 fusion", ["ALK::EML4"]),
    ("ETV6-RUNX1 fusion", ["ETV6::RUNX1"]),
    ("MLL2-intragenic", ["KMT2D intragenic rearrangement"]),
    ("Microsatellite Instability-High", ["MSI=high"]),
    ("Tumor Mutational Burden-High", ["TMB=high"]),
    ("sidedness=right-sided", ["sidedness=right"]),
    ("line=2nd", ["line_of_therapy=2"]),
    ("line=first", ["line_of_therapy=1"]),
])
def test_report_notations(text, expected):
    assert _texts(text) == expected


def test_cdna_in_parentheses_is_kept_as_a_field():
    (m,) = parse_alteration("KRAS p.Gly12Cys (c.34G>T)").features
    assert (str(m), m.cdna) == ("KRAS G12C", "c.34G>T")
    (m,) = parse_alteration("KRAS c.34G>T (p.Gly12Cys)").features
    assert (str(m), m.cdna) == ("KRAS G12C", "c.34G>T")
    assert m.to_dict()["cdna"] == "c.34G>T"


@pytest.mark.parametrize(("text", "af"), [("KRAS G12C VAF 12%", 0.12), ("KRAS G12C (VAF 0.12)", 0.12),
                                          ("KRAS G12C AF=12", 0.12), ("KRAS G12C VAF: 3.5%", 0.035)])
def test_vaf_is_kept_as_a_field(text, af):
    (m,) = parse_alteration(text).features
    assert (str(m), m.allele_fraction) == ("KRAS G12C", af)


def test_vaf_alone_is_an_error():  # found by hypothesis: 'VAF 12%' once raised IndexError
    with pytest.raises(ValueError, match="no alteration"):
        parse_alteration("VAF 12%")


def test_vaf_out_of_range_is_an_error():
    with pytest.raises(ValueError, match="outside 0-100%"):
        parse_alteration("KRAS G12C VAF 250%")


def test_unknown_transcript_is_an_error():
    with pytest.raises(ValueError, match="transcript 'NM_000000'"):
        parse_alteration("NM_000000.1:p.Gly12Cys")


def test_well_formed_unknown_gene_is_accepted_near_miss_is_not():
    parsed = parse_alteration("ZNF9999 R12W")
    assert _texts("ZNF9999 R12W") == ["ZNF9999 R12W"] and parsed.unlisted == ("ZNF9999",)
    p = profile_from_strings(["ZNF9999 R12W"])
    assert not p.unrecognized and "ZNF9999" in p.notes[0]
    with pytest.raises(ValueError, match="closest: KRAS"):
        parse_alteration("KRSA G12D")


# --- HER2 categories (issue 15, item 6) ---------------------------------------------------


@pytest.mark.parametrize(("text", "status", "markers"), [
    ("HER2+", "positive", []),
    ("HER2 positive", "positive", []),
    ("HER2 3+", "positive", ["HER2_IHC=3+"]),
    ("HER2 IHC 3+", "positive", ["HER2_IHC=3+"]),
    ("HER2 IHC 2+ FISH positive", "positive", ["HER2_IHC=2+", "HER2_FISH=amplified"]),
    ("HER2 IHC 2+/ISH+", "positive", ["HER2_IHC=2+", "HER2_FISH=amplified"]),
    ("HER2-low", "low", []),
    ("HER2 low", "low", []),
    ("HER2 IHC 1+", "low", ["HER2_IHC=1+"]),
    ("HER2 IHC 2+ FISH negative", "low", ["HER2_IHC=2+", "HER2_FISH=not amplified"]),
    ("HER2 2+ ISH-", "low", ["HER2_IHC=2+", "HER2_FISH=not amplified"]),
    ("HER2-ultralow", "ultralow", []),
    ("HER2-0", "zero", []),
    ("HER2 IHC 0", "zero", ["HER2_IHC=0"]),
    ("HER2 negative", "negative", []),
    ("HER2-", "negative", []),
])
def test_her2_categories(text, status, markers):
    texts = _texts(text)
    assert texts[-1] == f"HER2_status={status}"
    assert texts[:-1] == markers
    assert not any(t.startswith("ERBB2=") for t in texts)  # never an expression level
    assert profile_from_strings([text]).her2_status == status


def test_her2_ihc_2_plus_alone_is_equivocal():
    assert _texts("HER2 IHC 2+") == ["HER2_IHC=2+"]
    assert profile_from_strings(["HER2 IHC 2+"]).her2_status is None


def test_her2_status_derived_from_amplification():
    assert profile_from_strings(["HER2 amplified"]).her2_status == "positive"
    assert profile_from_strings(["KRAS G12D"]).her2_status is None


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_kb(check_quotes=False))


def _records(matcher: Matcher, texts: list[str], tumor: str) -> set[str]:
    return {m.record_id for m in matcher.match(profile_from_strings(texts, tumor_type=tumor)).matches}


def test_her2_positive_still_satisfies_overexpression_patterns(matcher):
    old_way = _records(matcher, ["HER2 overexpression"], "BRCA")
    assert old_way and old_way <= _records(matcher, ["HER2+"], "BRCA")
    assert old_way <= _records(matcher, ["HER2 3+"], "BRCA")


def test_her2_low_is_not_low_expression(matcher):
    low_expression = _records(matcher, ["ERBB2=low"], "BRCA")
    her2_low = _records(matcher, ["HER2-low"], "BRCA")
    assert low_expression - her2_low  # the records about low HER2 expression do not match
    assert "A002b-tdxd-her2-low" in _records(matcher, ["HER2 IHC 2+ FISH negative"], "BRCA")


# --- what was tested (issue 15, item 3) -----------------------------------------------------


def test_exon_level_assessment():
    p = profile_from_strings(["RAS wild-type"])
    assert p.is_assessed("mutation", "KRAS exon 3") and p.is_assessed("mutation", "NRAS codon 61")
    assert not p.is_assessed("mutation", "KRAS")  # part of a gene is not the gene
    assert not p.is_assessed("mutation", "KRAS exon 5")
    q = profile_from_strings(["KRAS wild-type"])
    assert q.is_assessed("mutation", "KRAS exon 4") and not q.is_assessed("mutation", "NRAS")


def test_a_found_mutation_answers_for_its_gene_exon_and_codon_only():
    p = profile_from_strings(["KRAS G12D"])
    assert p.is_assessed("mutation", "KRAS") and p.is_assessed("mutation", "KRAS codon 12")
    assert p.is_assessed("mutation", "KRAS exon 2") and not p.is_assessed("mutation", "KRAS exon 3")
    assert not p.is_assessed("mutation", "NRAS")


@pytest.mark.parametrize(("assay", "tested", "nras"), [
    ("exome", (), True), ("genome", (), True), (None, ("KRAS,NRAS",), True),
    (None, ("KRAS",), False), (None, (), False),
])
def test_assay_and_tested(assay, tested, nras):
    p = profile_from_strings(["KRAS G12D"], assay=assay, tested=tested)
    assert p.is_assessed("mutation", "NRAS") is nras


def test_gene_panel_file_assay(tmp_path):
    panel = tmp_path / "panel.txt"
    panel.write_text("stable_id: CRC5\ndescription: test\ngene_list: KRAS\tNRAS\tBRAF\tc-erbB-2\n")
    a = Assay.parse(str(panel))
    assert a.name == "CRC5" and a.genes == frozenset({"KRAS", "NRAS", "BRAF", "ERBB2"})
    p = profile_from_strings([], assay=str(panel))
    assert p.is_assessed("mutation", "BRAF") and not p.is_assessed("mutation", "PIK3CA")
    assert p.molecular_data


def test_nothing_tested_is_not_wild_type():
    p = Profile("S")
    assert not p.is_assessed("mutation", "KRAS") and p.her2_status is None


# --- regimens as reports write them ----------------------------------------------------------


@pytest.mark.parametrize(("text", "regimen"), [
    ("cetuximab/FOLFIRI", "cetuximab+folfiri"),
    ("cetuximab, encorafenib", "cetuximab+encorafenib"),
    ("cetuximab and encorafenib", "cetuximab+encorafenib"),
    ("encorafenib with cetuximab", "cetuximab+encorafenib"),
    ("osimertinib mesylate", "osimertinib"),
    ("lapatinib ditosylate", "lapatinib"),
    ("trastuzumab deruxtecan", "trastuzumab-deruxtecan"),  # one drug, never split
])
def test_regimen_notations(text, regimen, matcher):
    assert str(matcher.kb.regimen(text)) == regimen


def test_regimen_with_an_unknown_part_is_an_error(matcher):
    from herscape.errors import UsageError

    with pytest.raises(UsageError, match="closest: cetuximab"):
        matcher.kb.regimen("cetuximab/foo")


def test_lone_surrogate_strings_are_not_understood():
    p = profile_from_strings(["KRAS G12D\udc80"])
    assert not p.features and "not valid text" in p.unrecognized[0].reason
