"""Documented cases from the drug approvals (issue 11): the labelled population on the labelled
regimen must rest on clinical evidence.

Each case is built from an approval recorded in ``knowledge/data/status/`` (agency, year, OncoTree
tumour type, the biomarker the label selects on, the approved regimen, prior therapy): the profile
carries the label's biomarker and nothing else, and ``predict`` must answer ``sensitive`` (or
``reduced_sensitivity``) with basis ``clinical evidence``. An approval that cannot be posed as a
profile is listed in ``NOT_POSED`` with the reason; a case that fails for a reason outside the
knowledge (verdict logic, issue 15) is an ``xfail(strict=True)`` listed in ``KNOWN_FAILURES``.
"""

from __future__ import annotations

import pytest

from herscape.knowledge import load_kb
from herscape.predict import Engine, predict
from herscape.profile._read import profile_from_strings

#: Tumour types of the HER-family scope (colorectal, breast, oesophagogastric, lung, biliary tract,
#: pan-cancer HER2 labels); approvals elsewhere (melanoma, pancreas) are outside it.
IN_SCOPE_TUMOURS = {"COADREAD", "BRCA", "STAD", "EGC", "NSCLC", "LUAD", "LUSC", "BILIARY_TRACT", "TISSUE"}
#: Drugs whose approvals are checked: HER-family agents and the drugs approved with them.
CHECKED_DRUGS = {
    "cetuximab", "panitumumab", "necitumumab", "amivantamab", "trastuzumab", "pertuzumab",
    "margetuximab", "zanidatamab", "trastuzumab-emtansine", "trastuzumab-deruxtecan", "lapatinib",
    "neratinib", "tucatinib", "gefitinib", "erlotinib", "afatinib", "dacomitinib", "osimertinib",
    "lazertinib", "sotorasib", "adagrasib", "encorafenib", "pembrolizumab", "nivolumab",
    "ipilimumab", "zenocutuzumab", "zongertinib", "mobocertinib", "pertuzumab-trastuzumab-hyaluronidase",
}
#: How each biomarker pattern used by a label is stated in a profile (alterations, markers).
PROFILE_FOR_PATTERN = {
    # anti-EGFR labels of 2004-2012 say "KRAS wild-type"; today's required test (issue 15, ESMO/NCCN,
    # the panitumumab label) is KRAS and NRAS exons 2-4, and a KRAS-only result withholds the verdict
    # by design, so the labelled population is posed as tested for all RAS exons 2-4
    "KRAS wild-type": (["RAS wild type"], []),
    "NRAS wild-type": (["NRAS wild type"], []),
    "KRAS G12C": (["KRAS G12C"], []),
    "BRAF V600E": (["BRAF V600E"], []),
    "HER2_status=positive": (["ERBB2 amplification"], ["HER2_status=positive"]),
    "HER2_status=low": ([], ["HER2_status=low"]),
    "HER2_IHC=3+": ([], ["HER2_IHC=3+"]),
    "MSI=high": ([], ["MSI=high"]),
    "PDL1_CPS=positive": ([], ["PDL1_CPS=positive"]),
    "EGFR exon 19 | EGFR L858R": (["EGFR L858R"], []),
    "EGFR T790M": (["EGFR L858R", "EGFR T790M"], []),
    "NRG1 fusion": (["NRG1 fusion"], []),
    # HER2 tyrosine kinase domain mutation: the common exon 20 insertion
    "ERBB2 activating": (["ERBB2 A775_G776insYVMA"], []),
    "ERBB2 exons 19,20,21": ([], []),
}
#: Approvals that cannot be posed as one profile and one regimen, and why.
NOT_POSED = {
    "no regimen recorded": "the label names a class of partner (\"with chemotherapy\"), not one regimen",
    "pattern": "the label's biomarker has no single profile statement here",
    "withdrawn": "the indication was withdrawn",
}
#: Cases expected to fail today, with the reason (each is a strict xfail: it must fail). None is
#: verdict logic (issue 15): each is a gap or a narrower population in the curated trials.
KNOWN_FAILURES: dict[str, str] = {
}

_KB = load_kb(check_quotes=False)


def _profile_strings(pattern: str | None) -> tuple[list[str], list[str]] | None:
    if not pattern:
        return [], []
    alts: list[str] = []
    marks: list[str] = []
    if pattern in PROFILE_FOR_PATTERN:
        a, m = PROFILE_FOR_PATTERN[pattern]
        return list(a), list(m)
    for part in (p.strip() for p in pattern.split("&")):
        if part not in PROFILE_FOR_PATTERN:
            return None
        a, m = PROFILE_FOR_PATTERN[part]
        alts += a
        marks += m
    return alts, marks


def _cases() -> tuple[list, list[tuple[str, str]]]:
    """One case per distinct (tumour type, biomarker, regimen, prior): an approval of a combination
    is recorded under each of its drugs."""
    params, skipped, seen = [], [], set()
    for status in _KB.status.values():
        if status.id not in CHECKED_DRUGS:
            continue
        for approval in status.approvals:
            if approval.tumor_type not in IN_SCOPE_TUMOURS:
                continue
            case = f"{status.id}-{approval.agency.value}{approval.year}-{approval.tumor_type}-{approval.regimen}"
            if approval.withdrawn:
                skipped.append((case, NOT_POSED["withdrawn"]))
                continue
            if not approval.regimen:
                skipped.append((case, NOT_POSED["no regimen recorded"]))
                continue
            strings = _profile_strings(approval.biomarker)
            if strings is None:
                skipped.append((case, NOT_POSED["pattern"]))
                continue
            prior = [f"{p}:progressed" for p in (approval.setting.prior if approval.setting else [])]
            key = (approval.tumor_type, approval.biomarker, approval.regimen, tuple(prior))
            if key in seen:
                continue
            seen.add(key)
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case])] if case in KNOWN_FAILURES else []
            params.append(pytest.param(approval.tumor_type, *strings, prior, approval.regimen, id=case, marks=marks))
    return params, skipped


CASES, NOT_POSED_CASES = _cases()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def test_enough_approvals_are_posed() -> None:
    """Most in-scope approvals become a case; the rest are listed with their reason."""
    assert len(CASES) >= 25, (len(CASES), NOT_POSED_CASES)
    assert len(NOT_POSED_CASES) <= len(CASES) // 2, NOT_POSED_CASES


def test_known_failures_name_real_cases() -> None:
    ids = {p.id for p in CASES}
    assert set(KNOWN_FAILURES) <= ids, set(KNOWN_FAILURES) - ids


@pytest.mark.parametrize(("tumor", "alterations", "markers", "prior", "regimen"), CASES)
def test_labelled_population_rests_on_clinical_evidence(engine, tumor, alterations, markers, prior,
                                                        regimen) -> None:
    profile = profile_from_strings(alterations, markers=markers, tumor_type=tumor, prior_therapies=prior)
    assert not profile.unrecognized, profile.unrecognized
    result = predict(profile, regimen, engine=engine, screen="none")
    assert result.basis == "clinical evidence", (result.verdict, result.basis, result.summary)
    assert result.verdict in ("sensitive", "reduced_sensitivity"), (result.verdict, result.summary)
