"""Verdict rule 11 on the curated trials, and a sample without molecular data (issue 13 item 6)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from herscape.cli import main
from herscape.predict import predict
from herscape.predict._regimens import active_comparator_drugs, added_drugs
from herscape.profile._read import profile_from_strings

SCHEMA = json.loads((Path(__file__).resolve().parents[2]
                     / "src/herscape/predict/schema/prediction.schema.json").read_text())
RAS_WT = ("KRAS wild-type", "NRAS wild-type", "BRAF wild-type")


@pytest.mark.parametrize(("regimen", "comparator", "added"), [
    ("cetuximab+capox", "the same oxaliplatin-fluoropyrimidine chemotherapy alone", {"cetuximab"}),
    ("pertuzumab+trastuzumab+capecitabine+cisplatin",
     "placebo plus trastuzumab and cisplatin with capecitabine or fluorouracil", {"pertuzumab"}),
    ("trastuzumab-emtansine", "physician's choice of taxane (docetaxel or paclitaxel)",
     {"trastuzumab-emtansine"}),
    # an active comparator, or the same drug for longer, is not "no benefit"
    ("trastuzumab-emtansine", "trastuzumab + taxane", set()),
    ("cetuximab+folfox", "bevacizumab + the same chemotherapy", set()),
    ("trastuzumab", "1 year of trastuzumab", set()),
])
def test_what_a_trial_tested_against_its_comparator(engine, regimen, comparator, added) -> None:
    kb = engine.kb
    assert added_drugs(kb.regimen(regimen), comparator, kb) == added
    assert active_comparator_drugs("best supportive care", kb) == frozenset()


@pytest.mark.parametrize(("tumor", "alterations", "prior", "therapy", "record"), [
    ("COADREAD", RAS_WT, (), "cetuximab+capox", "A-T-coin-cetuximab-oxaliplatin"),
    ("COADREAD", RAS_WT, (), "cetuximab+oxaliplatin+fluorouracil+leucovorin", "A-T-nordic7-cetuximab-flox"),
    ("STAD", (), (), "cetuximab+capecitabine+cisplatin", "A-T-expand-cetuximab-gastric"),
    ("STAD", (), (), "panitumumab+epirubicin+oxaliplatin+capecitabine",
     "A-T-real3-panitumumab-oesophagogastric"),
    ("STAD", ("ERBB2 amplification",), ("trastuzumab:progressed",), "trastuzumab-emtansine",
     "A-T-gatsby-tdm1"),
    ("STAD", ("ERBB2 amplification",), (), "lapatinib+capox", "A-T-logic-lapatinib"),
])
def test_level_a_failed_trials_read_no_benefit(run, tumor, alterations, prior, therapy, record) -> None:
    result = run(alterations, tumor, therapy, prior=prior, screen="none")
    assert (result.verdict, result.basis) == ("resistant", "clinical evidence"), result.summary
    failed = next(e for e in result.evidence if e.record_id == record)
    assert failed.counted and failed.no_added_benefit
    assert "no added benefit over" in result.summary


def test_a_failure_does_not_spill_onto_other_regimens_or_settings(run) -> None:
    # COIN was first line: after progression on FOLFOX it says nothing; FOLFIRI never failed
    assert run(RAS_WT, "COADREAD", "cetuximab+capox", prior=("folfox:progressed",),
               screen="none").verdict == "sensitive"
    assert run(RAS_WT, "COADREAD", "cetuximab+folfiri", screen="none").verdict == "sensitive"
    # New EPOC (perioperative) does not make metastatic cetuximab + FOLFOX resistant
    folfox = run(RAS_WT, "COADREAD", "cetuximab+folfox", screen="none")
    assert folfox.verdict == "sensitive"
    assert not next(e for e in folfox.evidence
                    if e.record_id == "A-T-new-epoc-perioperative-cetuximab").counted
    # T-DM1 failed in gastric cancer, not in breast cancer
    assert run(("ERBB2 amplification",), "BRCA", "trastuzumab-emtansine",
               screen="none").verdict == "sensitive"


def test_unselected_trials_are_population_evidence(run) -> None:
    squire = run((), "LUSC", "necitumumab+gemcitabine+cisplatin", screen="none")
    assert squire.verdict == "sensitive" and squire.basis == "clinical evidence"
    assert any(e.record_id == "A-T-squire-necitumumab" and e.counted for e in squire.evidence)


def test_no_molecular_data_gives_uncertain(engine) -> None:
    profile = replace(profile_from_strings(list(RAS_WT), tumor_type="COADREAD"), molecular_data=False)
    result = predict(profile, "cetuximab", engine=engine, screen="none", samples=200)
    assert result.verdict == "uncertain" and result.basis == "required tests missing"
    assert "no molecular data for this sample" in result.verdict_line
    jsonschema.validate(json.loads(json.dumps(result.to_dict(), default=str)), SCHEMA)


def test_no_molecular_data_end_to_end_from_a_study_folder(tmp_path: Path, capsys) -> None:
    study = tmp_path / "study"
    study.mkdir()
    (study / "data_clinical_sample.txt").write_text(
        "SAMPLE_ID\tONCOTREE_CODE\nS1\tCOADREAD\nS2\tCOADREAD\n", encoding="utf-8")
    (study / "data_mutations.txt").write_text(
        "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nKRAS\tS1\tp.G12D\n", encoding="utf-8")
    out = tmp_path / "p.json"
    rc = main(["predict", str(study), "--sample-id", "S2", "--therapy", "cetuximab",
               "--format", "json", "--out", str(out)])
    assert rc == 0, capsys.readouterr().err
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["verdict"] == "uncertain"
    assert "no molecular data for this sample" in doc["verdict_line"]


@pytest.mark.parametrize(("alts", "therapy", "verdict"), [
    (["EGFR ex20ins"], "gefitinib", "resistant"),  # exon 20 insertion: not TKI-sensitising
    (["EGFR L858R"], "gefitinib", "sensitive"),
    (["EGFR L858R", "EGFR T790M"], "gefitinib", "resistant"),
    (["EGFR L858R", "EGFR T790M"], "osimertinib", "sensitive"),
])
def test_egfr_tki_populations_are_the_sensitising_mutations(run, alts, therapy, verdict) -> None:
    """Trial populations of EGFR TKIs are exon 19 deletions and L858R (and the uncommon G719X,
    S768I, L861Q), not every activating EGFR mutation: exon 20 insertions and T790M are not."""
    pred = run(alts, "LUAD", therapy, screen="none")
    assert pred.verdict == verdict and pred.basis == "clinical evidence", pred.summary


def test_model_alone_gives_no_verdict_outside_its_tumour_contexts(run) -> None:
    """The network model is wired for colorectal, breast, gastric, lung and melanoma; for a
    leukaemia or a glioma with no evidence its reading is shown, not a verdict."""
    pred = run(["TP53 R175H"], "BLLETV6RUNX1", "cetuximab", screen="none")
    assert pred.verdict == "uncertain" and pred.basis == "model inference"
    assert "no context for BLLETV6RUNX1" in pred.summary
    crc = run(["KRAS G12D"], "COADREAD", "cetuximab", screen="none")
    assert crc.verdict == "resistant"
