"""Colorectal approvals rest on the trials that won them (issue 11): a predict for the labelled
population on the labelled regimen is decided by clinical evidence, and the pivotal trial's record
is among the evidence counted. Records: knowledge/data/assertions/trials_crc.yaml."""

from __future__ import annotations

import pytest

RAS_WT = ["KRAS wild-type", "NRAS wild-type"]

APPROVALS = [
    # alterations, markers, therapy, pivotal record
    (["KRAS G12C"], [], "sotorasib+panitumumab", "A-T-codebreak300-sotorasib-panitumumab"),
    (["KRAS G12C"], [], "adagrasib+cetuximab", "A-T-krystal1-adagrasib-cetuximab"),
    (["ERBB2 amplification", *RAS_WT], [], "tucatinib+trastuzumab", "A-T-mountaineer-tucatinib-trastuzumab"),
    (["ERBB2 amplification", *RAS_WT, "BRAF wild-type"], [], "trastuzumab-deruxtecan",
     "A-T-destinycrc02-tdxd-5.4"),
    (["BRAF V600E", *RAS_WT], [], "encorafenib+cetuximab", "A-T-beacon-encorafenib-cetuximab"),
    (["BRAF V600E", *RAS_WT], [], "encorafenib+cetuximab+mFOLFOX6", "A-T-breakwater-ec-mfolfox6"),
    ([], ["MSI=high"], "pembrolizumab", "A-T-keynote177-pembrolizumab-pfs"),
    ([], ["MSI=high"], "nivolumab+ipilimumab", "A-T-checkmate8hw-nivo-ipi-vs-chemo"),
    (RAS_WT, [], "panitumumab+folfox", "A-T-prime-ras-wt-panitumumab-folfox"),
    (RAS_WT, [], "cetuximab+folfox", "A-T-tailor-cetuximab-folfox"),
]


@pytest.mark.parametrize(("alts", "markers", "therapy", "record"), APPROVALS,
                         ids=[a[2] for a in APPROVALS])
def test_approval_rests_on_its_trial(run, alts, markers, therapy, record) -> None:
    pred = run(alts, "COADREAD", therapy, markers=markers, screen="none")
    assert pred.verdict == "sensitive" and pred.basis == "clinical evidence", pred.summary
    assert record in {e.record_id for e in pred.evidence if e.counted}


def test_kras_g12c_inhibitor_alone_is_not_enough(run) -> None:
    """CodeBreaK 100: sotorasib alone, ORR 9.7% in colorectal cancer (level B reduced benefit, so
    reduced sensitivity under the verdict rules); the answer is the panitumumab combination
    (CodeBreaK 300), which the strategies offer."""
    pred = run(["KRAS G12C"], "COADREAD", "sotorasib")
    assert pred.verdict in ("reduced_sensitivity", "resistant") and pred.basis == "clinical evidence"
    assert "A-T-codebreak100-sotorasib-mono-crc" in {e.record_id for e in pred.evidence if e.counted}
    assert {"sotorasib", "panitumumab"} in [set(s.regimen) for s in pred.strategies]


def test_her2_low_colorectal_does_not_respond_to_tdxd(run) -> None:
    """DESTINY-CRC01 cohorts B and C: no responses in HER2-low colorectal cancer."""
    pred = run([*RAS_WT, "BRAF wild-type"], "COADREAD", "trastuzumab-deruxtecan",
               markers=["HER2_status=low"], screen="none")
    ids = {e.record_id: e for e in pred.evidence}
    assert "A-T-destinycrc01-tdxd-her2low" in ids
    assert ids["A-T-destinycrc01-tdxd-her2low"].numbers.get("orr") == 0
