"""predict(): verdicts, mechanisms and top strategies on documented cases; the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from herscape.errors import UsageError

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "src/herscape/predict/schema/"
                     "prediction.schema.json").read_text())
WT_CRC = ["KRAS wild-type", "NRAS wild-type", "BRAF wild-type"]


def _top(pred) -> tuple[str, ...]:
    """The best recommended answer to the tumour's mechanism (issue 12: the mechanism group)."""
    return next(s.regimen for s in pred.strategies if s.recommended and s.group == "mechanism")


CASES = [
    # alterations, markers, tumour type, therapy, expected verdict, expected top regimen (or None)
    (WT_CRC, [], "COADREAD", "cetuximab", "sensitive", None),
    # the labelled BEACON doublet: same level and model response as the triplet, simpler
    (["BRAF V600E", "KRAS wild-type", "NRAS wild-type"], [], "COADREAD", "cetuximab", "resistant",
     ("cetuximab", "encorafenib")),
    (["KRAS G12D"], [], "COADREAD", "cetuximab", "resistant", None),
    (["NRAS Q61K"], [], "COADREAD", "panitumumab", "resistant", None),
    # p95HER2: level-B reduced-benefit records and a level-D resistance record against the level-A
    # population evidence; the model reads reduced (SI ~0.6: full-length HER2 is still there), so
    # the mechanism does not remove trastuzumab's action outright (verdict rules 5-6)
    (["ERBB2 amplification"], ["p95HER2=positive"], "BRCA", "trastuzumab", "reduced_sensitivity", None),
    # seed 003 overcame Ras-induced lapatinib resistance with U0126, a research compound: the
    # recommendation is its class (issue 12: a board can act on it); U0126 stays listed
    (["ERBB2 amplification", "HRAS G12V"], [], "BRCA", "lapatinib", "resistant",
     ("lapatinib", "MEK inhibitor (class)")),
    (["ERBB2 amplification"], [], "BRCA", "trastuzumab", "sensitive", None),
]


@pytest.mark.parametrize(("alts", "markers", "tumor", "therapy", "verdict", "top"), CASES)
def test_documented_verdicts(run, alts, markers, tumor, therapy, verdict, top) -> None:
    pred = run(alts, tumor, therapy, markers=markers)
    if verdict == "resistant" and any(e.counted and e.level == "A" and e.effect == "sensitivity"
                                      and not e.specific for e in pred.evidence):
        # preclinical (level D) resistance against level-A population evidence reads reduced
        # (verdict rule 6): HRAS G12V on lapatinib once the knowledge holds lapatinib's trials
        verdict = "reduced_sensitivity"
    assert pred.verdict == verdict, pred.summary
    if top is not None:
        assert _top(pred) == top, [s.regimen for s in pred.strategies[:5]]
    jsonschema.validate(pred.to_dict(), SCHEMA)


def test_braf_v600e_explained(run) -> None:
    pred = run(["BRAF V600E", "KRAS wild-type", "NRAS wild-type"], "COADREAD", "cetuximab")
    # level-B resistance evidence on BRAF V600E itself, a constitutive downstream driver, overturns
    # the level-A RAS wild-type population evidence (verdict rule 5); the broad "BRAF mutation ->
    # benefit with FOLFIRI" record does not contest it (it names no allele)
    assert pred.verdict == "resistant"
    assert pred.basis == "clinical evidence"
    assert any(m.id == "braf_v600e" for m in pred.mechanisms)
    assert pred.model.active_path[:2] == ("BRAF_V600E", "BRAF")
    # BEACON: the encorafenib + cetuximab doublet (the labelled regimen) and the triplet had the
    # same evidence level and model response within noise, so the simpler doublet ranks first
    mech = [s for s in pred.strategies if s.group == "mechanism"]
    assert mech[0].regimen == ("cetuximab", "encorafenib") and mech[0].evidence_level == "A"
    triplet = next(s for s in mech if s.regimen == ("binimetinib", "cetuximab", "encorafenib"))
    assert triplet.evidence_level == "A" and triplet.numbers.get("orr") == 26
    assert any(c.url and "NEJMoa1908075" in c.url for c in triplet.sources)
    not_recommended = [s for s in pred.strategies if not s.recommended]
    assert all(s.reason_not_recommended for s in not_recommended)


def test_acquired_s492r_ranks_panitumumab_first(run) -> None:
    pred = run(["EGFR S492R", *WT_CRC], "COADREAD", "cetuximab", prior=["cetuximab:progressed"])
    assert pred.verdict == "resistant"
    mech = {m.id: m for m in pred.mechanisms}
    assert mech["egfr_ectodomain_mutation"].timing == "acquired"
    assert _top(pred) == ("panitumumab",)
    assert pred.model.active_path[0] == "EGFR_epi_A"


def test_without_prior_therapy_timing_is_not_acquired(run) -> None:
    pred = run(["EGFR S492R", *WT_CRC], "COADREAD", "cetuximab")
    mech = {m.id: m for m in pred.mechanisms}
    assert mech["egfr_ectodomain_mutation"].timing != "acquired"


def test_panitumumab_works_on_s492r(run) -> None:
    """S492R defeats cetuximab; the report that panitumumab still works on it (seed 001, level C)
    is the contrast, not a generic 'EGFR-targeted drug' claim, and outranks seed 000's grouped
    sentence (level D)."""
    pred = run(["EGFR S492R", *WT_CRC], "COADREAD", "panitumumab")
    assert pred.model.verdict == "sensitive"
    assert pred.verdict == "sensitive" and pred.basis == "clinical evidence"
    assert run(["EGFR S492R", *WT_CRC], "COADREAD", "cetuximab").verdict == "resistant"


def test_negative_evidence_is_not_recommended(run) -> None:
    pred = run(["BRAF V600E", "KRAS wild-type", "NRAS wild-type"], "COADREAD", "cetuximab")
    negatives = [s for s in pred.strategies if s.outcome == "negative"]
    assert negatives, "seed 000 records failed BRAF strategies (e.g. vemurafenib + cetuximab)"
    assert all(not s.recommended for s in negatives)
    ranks = [s.rank for s in pred.strategies]
    assert ranks == list(range(1, len(ranks) + 1))
    groups = [s.group for s in pred.strategies]
    assert groups == sorted(groups, key=("standard", "mechanism", "exploratory").index)
    standard = [s for s in pred.strategies if s.group == "standard"]
    first_not = min((s.rank for s in standard if not s.recommended), default=10**6)
    assert all(s.recommended for s in standard if s.rank < first_not)


def test_deterministic(engine) -> None:
    from herscape.predict import predict
    from herscape.profile._read import profile_from_strings

    p = profile_from_strings(["PIK3CA H1047R"], tumor_type="COADREAD")
    a = predict(p, "cetuximab", engine=engine, seed=7).to_dict()
    b = predict(p, "cetuximab", engine=engine, seed=7).to_dict()
    assert a == b


@pytest.mark.parametrize(("therapy", "message"), [
    ("cetuximab+fakeumab", r"unknown drug 'fakeumab' \(closest"),
    ("", r"regimen '' must be drug names"),
])
def test_bad_therapy(run, therapy, message) -> None:
    with pytest.raises(UsageError, match=message):
        run(["KRAS G12D"], "COADREAD", therapy)


def test_unknown_tumor_type(engine) -> None:
    from herscape.profile._read import profile_from_strings

    with pytest.raises(UsageError, match="closest: COAD"):
        profile_from_strings(["KRAS G12D"], tumor_type="COADX")


def test_synonyms_resolve(run) -> None:
    a = run(["KRAS G12D"], "COADREAD", "Erbitux")
    assert a.query["regimen"] == ["cetuximab"]


def test_evidence_for_benefit_does_not_cover_an_alteration_it_did_not_consider(run) -> None:
    """Level-B evidence that ERBB2-amplified CRC benefits from trastuzumab + pertuzumab does not
    cover a KRAS G12D tumour. Since the MyPathway KRAS-mutant subgroup was curated (ORR 7.7% vs
    39.5% in KRAS wild type, level B), the lower benefit rests on that clinical record; with the
    verdict scale v2 a level-B reduced-benefit record gives reduced sensitivity naming KRAS G12D."""
    wild = run(["ERBB2 amplification"], "COADREAD", "trastuzumab+pertuzumab")
    assert wild.verdict == "sensitive" and wild.basis == "clinical evidence"
    kras = run(["ERBB2 amplification", "KRAS G12D"], "COADREAD", "trastuzumab+pertuzumab")
    assert kras.verdict == "reduced_sensitivity" and kras.basis == "clinical evidence"
    assert "KRAS G12D" in kras.reduced_by
    used = [e for e in kras.evidence if e.counted]
    assert [e.record_id for e in used] == ["A-T-mypathway-kras-mut"]


def test_screened_add_ons_that_change_nothing_are_not_listed(run) -> None:
    """A model-screened add-on must raise the plan's index: a β-agonist added to cetuximab in
    RAS wild-type CRC (index 1.0 either way) is not offered as a strategy."""
    pred = run(WT_CRC, "COADREAD", "cetuximab")
    plan = pred.model.sensitivity_index
    screened = [s for s in pred.strategies if s.origin == "screen"]
    assert all(s.sensitivity_index >= plan + 0.05 for s in screened)
    assert not any("isoprenaline" in s.regimen for s in pred.strategies)


def test_narrower_no_effect_evidence_supersedes_a_broad_class(run) -> None:
    """'PIK3CA exon 9 mutations had no effect' (level B) supersedes 'PIK3CA mutation -> resistance'
    (level B) for an exon 9 tumour; exon 20 keeps the resistance evidence, which against the
    level-A RAS wild-type population evidence lowers the benefit (PI3K is a partial mechanism)."""
    ex9 = run(["PIK3CA E545K", *WT_CRC], "COADREAD", "cetuximab")
    broad = [e for e in ex9.evidence if e.biomarker == "PIK3CA mutation" and e.effect == "resistance"]
    assert broad and all(e.superseded_by and not e.counted for e in broad)
    assert ex9.verdict == "sensitive" and ex9.basis == "clinical evidence"
    ex20 = run(["PIK3CA H1047R", *WT_CRC], "COADREAD", "cetuximab")
    assert ex20.verdict == "reduced_sensitivity" and "PIK3CA H1047R" in ex20.reduced_by
    assert not any(e.superseded_by for e in ex20.evidence)
    untested = run(["PIK3CA E545K"], "COADREAD", "cetuximab")  # RAS never tested
    assert untested.verdict == "uncertain" and untested.basis == "required tests missing"
