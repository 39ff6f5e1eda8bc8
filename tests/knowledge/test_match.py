"""Matching semantics on small in-test knowledge records (independent of the curated counts)."""

from __future__ import annotations

import pytest

from herscape.knowledge import Assertion, KnowledgeBase, Matcher, Mechanism, Strategy, match_profile
from herscape.profile import Profile, default_vocabulary, parse_alteration

WHERE = [{"seed": "000", "line": 1, "section": "Test", "quote": "test quote"}]


def _assertion(rid, biomarker, *, tumor="COADREAD", therapy="cetuximab", effect="resistance",
               level="B", direction="supports"):
    return Assertion(id=rid, biomarker=biomarker, tumor_type=tumor, therapy=therapy, effect=effect,
                     level=level, direction=direction, sources=["ref:test"], where=WHERE)


def _kb(*assertions, strategies=(), mechanisms=()):
    return KnowledgeBase.from_records(
        sources={}, drugs={}, markers=dict(default_vocabulary().markers),
        mechanisms={m.id: m for m in mechanisms}, assertions={a.id: a for a in assertions},
        strategies={s.id: s for s in strategies})


def _profile(*alterations, tumor="COAD", assessed=()):
    features, seen = [], set(assessed)
    for text in alterations:
        parsed = parse_alteration(text)
        features += parsed.features
        seen |= set(parsed.assessed)
    return Profile("S", tumor, tuple(features), assessed=frozenset(seen))


def _ids(kb, profile):
    return {m.record_id: m.strength for m in Matcher(kb).match(profile).matches}


def test_exact_change_and_same_codon_other_allele():
    kb = _kb(_assertion("g12d", "KRAS G12D"))
    assert _ids(kb, _profile("KRAS p.Gly12Asp")) == {"g12d": "exact"}
    assert _ids(kb, _profile("KRAS G12V")) == {"g12d": "same_codon_other_allele"}
    weak = Matcher(kb).match(_profile("KRAS G12V"))
    assert weak.by_therapy["cetuximab"].highest_resistance is None
    assert weak.by_therapy["cetuximab"].weaker == ("g12d",)
    assert _ids(kb, _profile("KRAS G13D")) == {}
    assert _ids(kb, _profile("KRAS G12=")) == {}  # synonymous is not a change
    assert _ids(kb, _profile("KRAS codon 12")) == {"g12d": "same_codon_other_allele"}


def test_codon_only_pattern():
    kb = _kb(_assertion("g12", "KRAS G12"))
    assert _ids(kb, _profile("KRAS G12C")) == {"g12": "exact"}


def test_codon_sets_and_exons():
    kb = _kb(_assertion("codons", "KRAS codons 12,13"),
             _assertion("exons", "KRAS exons 2,3,4 | NRAS exons 2,3,4"),
             _assertion("pik9", "PIK3CA exon 9"), _assertion("pik20", "PIK3CA exon 20"),
             _assertion("egfr12", "EGFR exon 12"))
    assert set(_ids(kb, _profile("KRAS G13D"))) == {"codons", "exons"}
    assert set(_ids(kb, _profile("KRAS A146T"))) == {"exons"}
    assert set(_ids(kb, _profile("NRAS Q61K"))) == {"exons"}
    assert set(_ids(kb, _profile("PIK3CA E545K"))) == {"pik9"}
    assert set(_ids(kb, _profile("PIK3CA H1047R"))) == {"pik20"}
    assert set(_ids(kb, _profile("EGFR S492R"))) == {"egfr12"}
    assert set(_ids(kb, _profile("KRAS exon 2 mutation"))) == {"exons"}


@pytest.mark.parametrize(("pattern", "hits", "misses"), [
    ("PIK3CA activating", ["PIK3CA H1047R", "PIK3CA E545K"], ["PIK3CA R38H", "PIK3CA amplification"]),
    ("EGFR activating", ["EGFR E746_A750del", "EGFR L858R"], ["EGFR S492R"]),
    ("PTEN truncating", ["PTEN R233*", "PTEN P248fs", "PTEN X70_splice"], ["PTEN R130G"]),
    ("PTEN loss", ["PTEN deep deletion", "PTEN R233*", "PTEN low expression", "PTEN loss"], ["PTEN R130G"]),
    ("ERBB2 amplification", ["HER2 amplified", "HER2_FISH=amplified"], ["ERBB2 gain", "ERBB2 V777L"]),
    ("MET gain", ["MET gain", "MET amplification"], ["MET deep deletion"]),
    ("CDKN2A deletion", ["CDKN2A deep deletion"], ["CDKN2A loss"]),
    # an amplified gene counts as overexpressed (HER2-positive = IHC 3+ or ISH-amplified)
    ("ERBB2 overexpression", ["HER2 overexpression", "HER2 IHC 3+", "HER2 positive",
                              "ERBB2 amplification"], ["HER2 IHC 2+", "ERBB2 gain"]),
    ("MET overexpression", ["MET high", "MET amplification"], ["MET gain"]),
    ("AREG low-expression", ["AREG=low", "AREG=-1.2"], ["AREG=high", "AREG=0.2"]),
    ("ALK fusion", ["EML4::ALK", "ALK fusion"], ["ALK F1174L"]),
    ("ALK activating", ["EML4::ALK", "ALK F1174L"], ["ALK G1202R"]),
    ("MGMT methylation", ["MGMT methylation"], ["MGMT R22*"]),
    ("ERBB2 delta16", ["HER2Δ16", "ERBB2 exon 16 skipping"], ["ERBB2 exon 17 skipping"]),
    ("KRAS mutation", ["KRAS G12D", "KRAS exon 3 mutation", "KRAS mutation"], ["KRAS G12=", "KRAS amplification"]),
])
def test_functional_classes(pattern, hits, misses):
    kb = _kb(_assertion("xx", pattern, tumor="TISSUE"))
    for text in hits:
        assert "xx" in _ids(kb, _profile(text)), text
    for text in misses:
        assert "xx" not in _ids(kb, _profile(text, assessed={("mutation", "*"), ("copy_number", "*"), ("expression", "*")})), text


def test_her2_amplification_counts_as_her2_positive():
    """HER2-positive = IHC 3+ or ISH-amplified (ASCO/CAP): evidence for "ERBB2 overexpression"
    applies to an amplified tumour; a low-level gain is not enough."""
    kb = _kb(_assertion("her2pos", "ERBB2 overexpression", tumor="BRCA", therapy="trastuzumab",
                        effect="sensitivity", level="A"))
    assert _ids(kb, _profile("HER2 amplified", tumor="IDC")) == {"her2pos": "exact"}
    assert _ids(kb, _profile("HER2 IHC 3+", tumor="IDC")) == {"her2pos": "exact"}
    assert _ids(kb, _profile("ERBB2 gain", tumor="IDC")) == {}


def test_markers_and_value_equivalence():
    kb = _kb(_assertion("p95", "p95HER2=positive", tumor="BRCA", therapy="trastuzumab"),
             _assertion("fcgr", "FCGR3A=158F/F", tumor="TISSUE"),
             _assertion("msi", "MSI=high", tumor="TISSUE"), _assertion("tmb", "TMB=high", tumor="TISSUE"))
    assert set(_ids(kb, _profile("p95HER2", tumor="IDC"))) == {"p95"}
    assert set(_ids(kb, _profile("p95HER2 negative", tumor="IDC"))) == set()
    assert set(_ids(kb, _profile("FCGR3A=158F/F", "MSI-H", "TMB=22"))) == {"fcgr", "msi", "tmb"}


def test_and_not_and_assessment():
    kb = _kb(_assertion("wt", "!(KRAS mutation) & !(NRAS mutation)", effect="sensitivity"),
             _assertion("her2pik", "ERBB2 amplification & PIK3CA activating", tumor="BRCA"),
             _assertion("wtclass", "KRAS wild-type"))
    # not assessed: unknown, so no match; the NOT cannot be decided from a CNA-only profile
    assert _ids(kb, _profile("HER2 amplified")) == {}
    # explicitly wild type
    assert set(_ids(kb, _profile("KRAS wt", "NRAS wt"))) == {"wt", "wtclass"}
    # sequenced (a MAF assesses all genes) and nothing found
    assert set(_ids(kb, _profile("BRAF V600E", assessed={("mutation", "*")}))) == {"wt", "wtclass"}
    assert _ids(kb, _profile("KRAS G12D", "NRAS wt")) == {}
    # AND needs both sides; unknown side is reported as undetermined
    m = Matcher(kb)
    r = m.match(_profile("HER2 amplified", tumor="IDC"))
    assert r.matches == () and r.undetermined == (("her2pik", ("PIK3CA activating",)),)
    assert set(_ids(kb, _profile("HER2 amplified", "PIK3CA H1047R", tumor="IDC"))) == {"her2pik"}


def test_tumour_hierarchy_and_ranking():
    kb = _kb(_assertion("crc", "KRAS G12D", tumor="COADREAD", level="B"),
             _assertion("coad", "KRAS G12D", tumor="COAD", level="B"),
             _assertion("pan", "KRAS G12D", tumor="TISSUE", level="B"),
             _assertion("lung", "KRAS G12D", tumor="LUAD", level="A"))
    r = Matcher(kb).match(_profile("KRAS G12D", tumor="COAD"))
    assert [(m.record_id, m.tumor_match) for m in r.matches] == [
        ("coad", "exact"), ("crc", "broader"), ("pan", "pan-cancer")]
    up = Matcher(kb).match(_profile("KRAS G12D", tumor="COADREAD"))
    assert [(m.record_id, m.tumor_match) for m in up.matches] == [
        ("crc", "exact"), ("coad", "narrower"), ("pan", "pan-cancer")]
    anywhere = Matcher(kb).match(_profile("KRAS G12D", tumor=None))
    assert {m.tumor_match for m in anywhere.matches} == {"unspecified"}
    assert len(anywhere.matches) == 4


def test_by_therapy_levels_and_conflicts():
    kb = _kb(_assertion("r1", "KRAS G12D", level="C"), _assertion("r2", "KRAS exon 2", level="A"),
             _assertion("s1", "KRAS G12D", effect="sensitivity", level="D"),
             _assertion("n1", "KRAS G12D", direction="does_not_support", level="B"),
             _assertion("p1", "KRAS G12D", therapy="panitumumab", effect="sensitivity", level="B"))
    r = Matcher(kb).match(_profile("KRAS G12D"))
    cet, pan = r.by_therapy["cetuximab"], r.by_therapy["panitumumab"]
    assert (cet.highest_resistance, cet.highest_sensitivity, cet.conflicting) == ("A", "D", True)
    assert set(cet.resistance) == {"r1", "r2"} and cet.other == ("n1",)
    assert (pan.highest_resistance, pan.highest_sensitivity) == (None, "B")


def test_strategies_by_biomarker_or_mechanism():
    mech = Mechanism(id="braf_v600e", name="BRAF V600E", category="downstream", timing="primary",
                     therapies=["cetuximab"], biomarkers=["BRAF V600E"], description="RAF activation",
                     sources=["ref:test"], where=WHERE)
    strat = Strategy(id="st1", mechanism="braf_v600e", tumor_type="COADREAD", fails="cetuximab",
                     regimen="encorafenib+cetuximab", kind="combination", outcome="positive",
                     level="A", sources=["ref:test"], where=WHERE)
    kb = _kb(strategies=[strat], mechanisms=[mech])
    r = Matcher(kb).match(_profile("BRAF V600E"))
    kinds = {m.record_id: m.record_type for m in r.matches}
    assert kinds == {"st1": "strategy", "braf_v600e": "mechanism"}
    assert r.by_therapy["cetuximab"].strategies == ("st1",)
    (st,) = [m for m in r.matches if m.record_type == "strategy"]
    assert st.regimen == "cetuximab+encorafenib" and st.outcome == "positive"


def test_matched_features_and_cache_consistency():
    kb = _kb(_assertion("aa", "KRAS exons 2,3,4"))
    m = Matcher(kb)
    r1 = m.match(_profile("KRAS G12D", "TP53 R175H"))
    r2 = m.match(_profile("KRAS G13D"))
    assert r1.matches[0].matched_features == ("KRAS G12D",)
    assert r2.matches[0].matched_features == ("KRAS G13D",)
    assert m.match(_profile("KRAS G12D", "TP53 R175H")) == r1
    assert match_profile(_profile("KRAS G12D"), kb).matches[0].record_id == "aa"


def test_prognostic_claims_are_never_counted_as_prediction():
    """Issue 11: a prognosis-only record is listed, never summarised as resistance or benefit."""
    prognostic = Assertion(id="prog", biomarker="BRAF V600E", tumor_type="COADREAD", therapy="cetuximab",
                           effect="resistance", level="A", claim="prognostic", sources=["ref:test"],
                           where=WHERE)
    result = Matcher(_kb(prognostic, _assertion("pred", "KRAS G12D"))).match(_profile("BRAF V600E", "KRAS G12D"))
    (summary,) = result.by_therapy.values()
    assert summary.resistance == ("pred",)
    assert next(m for m in result.matches if m.record_id == "prog").claim == "prognostic"


def test_any_matches_every_tumour_of_its_type_through_no_feature():
    """``any``: a trial that selected on no biomarker (SQUIRE) is population evidence for every
    tumour of its type, tested or not, matched through none of its alterations."""
    from herscape.knowledge._holds import PatternEvaluator
    from herscape.knowledge._pattern import Anything, parse_pattern

    kb = _kb(_assertion("unselected", "any", tumor="COADREAD", effect="sensitivity", level="A"),
             _assertion("any-and-kras", "any & KRAS G12D"))
    assert parse_pattern("any") == Anything() and str(parse_pattern("any & KRAS G12D")) == "any & KRAS G12D"
    for profile in (_profile(), _profile("KRAS G12D"), _profile("BRAF V600E")):
        found = {m.record_id: m for m in Matcher(kb).match(profile).matches}
        assert found["unselected"].matched_features == ()
        assert ("any-and-kras" in found) == ("KRAS G12D" in {str(f) for f in profile.features})
        assert PatternEvaluator(kb).holds(parse_pattern("any"), profile)
    assert _ids(kb, _profile(tumor="BRCA")) == {}  # its tumour type still applies
