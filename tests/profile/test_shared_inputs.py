"""Every real input file in ../shared/data/inputs (OncoKB annotator examples, a cBioPortal test
study), read in place: the features found per sample, or the rejection saying what it is.

Issue 13: inputs as users have them. The folder is outside the project (never copied); tests
skip with the reason when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from herscape.errors import ProfileParseError
from herscape.profile import Profile, detect_format, read_profiles

ROOT = Path(__file__).resolve().parents[3] / "shared" / "data" / "inputs"
if not ROOT.is_dir():  # the worktree layout: /work/<worktree>/tests/profile -> /work/shared
    ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "inputs"
ONCOKB = ROOT / "oncokb_annotator"
STUDY = ROOT / "cbioportal_study_es_0"

pytestmark = pytest.mark.skipif(not ROOT.is_dir(),
                                reason=f"shared input files not present at {ROOT}")


def _read(path: Path, **kw) -> dict[str, Profile]:
    return {p.sample_id: p for p in read_profiles([path], **kw).profiles}


def _texts(p: Profile) -> list[str]:
    return [str(f) for f in p.features]


@pytest.mark.parametrize(("name", "fmt"), [
    ("example_maf.txt", "maf"), ("example_maf_grch38.txt", "maf"),
    ("example_individual_cna.txt", "cna_long"), ("example_cna.txt", "cna_matrix"),
    ("example_fusions.txt", "fusions"), ("example_sv.txt", "sv_oncokb"),
    ("example_atypical_alterations.txt", "atypical"), ("example_clinical.txt", "clinical"),
])
def test_oncokb_formats_detected(name, fmt):
    assert detect_format(ONCOKB / name) == fmt


def test_individual_cna_is_copy_number_not_mutations():
    profiles = _read(ONCOKB / "example_individual_cna.txt")
    a = profiles["TCGA-05-4417-01"]
    assert _texts(a) == ["MET amplification", "ERBB2 amplification", "CDK4 deep deletion",
                         "CDK4 loss", "ERBB2 gain"]
    assert not any(f.kind == "mutation" for p in profiles.values() for f in p.features)
    # duplicated genes are reported, not silently merged
    assert any("CDK4" in n and "lines 4, 5, 11, 12" in n for n in a.notes)
    assert _texts(profiles["TCGA-02-0033-01"]) == ["MET amplification", "ERBB2 gain",
                                                   "CDK4 amplification"]
    assert a.is_assessed("copy_number", "MET") and not a.is_assessed("copy_number", "EGFR")


def test_gistic_matrix_with_gene_symbol_locus_id_cytoband():
    profiles = _read(ONCOKB / "example_cna.txt")
    assert list(profiles) == ["TCGA-05-4417-01", "TCGA-02-0033-01"]  # Locus ID is not a sample
    assert _texts(profiles["TCGA-05-4417-01"]) == ["MET amplification", "ERBB2 amplification",
                                                   "CDK4 deep deletion", "CDK4 loss"]
    assert _texts(profiles["TCGA-02-0033-01"]) == ["MET amplification", "ERBB2 gain",
                                                   "CDK4 amplification"]
    assert any("CDK4: duplicated row" in n for n in profiles["TCGA-02-0033-01"].notes)


def test_fusion_notations():
    profiles = _read(ONCOKB / "example_fusions.txt")
    assert _texts(profiles["TCGA-02-0033-01"]) == ["KMT2D intragenic rearrangement", "ETV6::RUNX1"]
    assert _texts(profiles["TCGA-05-4417-01"]) == ["ALK::EML4", "TMPRSS2::ERG"]
    assert _texts(profiles["TCGA-06-0155-01"]) == ["EGFR intragenic rearrangement", "TMPRSS2::ERG",
                                                   "ERBB2 intragenic rearrangement"]


def test_oncokb_structural_variants_intragenic_deletions_are_not_fusions():
    profiles = _read(ONCOKB / "example_sv.txt")
    assert _texts(profiles["TCGA-06-0155-01"]) == ["EGFR intragenic deletion", "TMPRSS2::ERG",
                                                   "ERBB2 intragenic deletion"]
    assert _texts(profiles["TCGA-02-0033-01"]) == ["KMT2D intragenic deletion", "ETV6::RUNX1"]
    assert not any(str(f) == "EGFR::EGFR" for p in profiles.values() for f in p.features)


def test_atypical_alterations():
    profiles = _read(ONCOKB / "example_atypical_alterations.txt")
    assert "SAMPLE_ID" not in profiles and "ALTERATION" not in profiles
    assert _texts(profiles["TCGA-A6-2672-01"]) == ["MSI=high"]
    assert _texts(profiles["TCGA-AG-A002-01"]) == ["TMB=high"]
    fake1 = profiles["TCGA-FAKE-01"]
    assert _texts(fake1) == ["EGFR exons 2-7 deletion", "FLT3 intragenic duplication",
                             "BRAF intragenic duplication"]
    assert fake1.features[0].name == "EGFRvIII"
    # forms herscape has no feature for are kept as not understood, with the reason
    assert [u.input for u in profiles["TCGA-FAKE-02"].unrecognized] == ["EGFR vV", "EGFR CTD"]


def test_clinical_file_codes_from_all_over_the_oncotree():
    profiles = _read(ONCOKB / "example_clinical.txt")
    assert {k: p.tumor_type for k, p in profiles.items()} == {
        "TCGA-05-4417-01": "LUAD", "TCGA-02-0033-01": "BLLETV6RUNX1", "TCGA-06-0155-01": "ADIFG",
        "TCGA-AG-A002-01": "READ", "TCGA-A6-2672-01": "COAD", "TCGA-FAKE-01": "AML",
        "TCGA-FAKE-02": "AML", "TCGA-FAKE-03": "HDCN", "TCGA-A6-2672-01A-01W-0833-10": "MEL"}
    assert "GBM" in profiles["TCGA-06-0155-01"].notes[0]  # the retired code is explained
    assert not any(p.molecular_data for p in profiles.values())


def test_clinical_file_beside_a_maf():
    result = read_profiles([ONCOKB / "example_maf.txt", ONCOKB / "example_clinical.txt"])
    profiles = {p.sample_id: p for p in result.profiles}
    assert profiles["TCGA-05-4417-01"].tumor_type == "LUAD"
    assert "KRAS G12C" in _texts(profiles["TCGA-05-4417-01"])
    assert profiles["TCGA-05-4417-01"].molecular_data
    assert not profiles["TCGA-FAKE-03"].molecular_data  # named by the clinical file only


@pytest.mark.parametrize("name", ["example_maf.txt", "example_maf_grch38.txt"])
def test_mafs(name):
    profiles = _read(ONCOKB / name)
    assert _texts(profiles["TCGA-02-0033-01"]) == ["PIK3CA E542K", "FGFR2 Q212K", "RB1 Q702*",
                                                   "TP53 R248Q", "NF1 X1445_splice"]
    assert _texts(profiles["TCGA-06-0155-01"]) == ["EGFR H304Y", "PTEN C136R"]
    lung = profiles["TCGA-05-4417-01"]
    assert "KRAS G12C" in _texts(lung)
    # a gene outside the knowledge is a note, never a reason to stop
    cul1 = profiles["TCGA-A6-2672-01A-01W-0833-10"]
    assert _texts(cul1) == ["CUL1 Y466S"] and not cul1.unrecognized and "CUL1" in cul1.notes[0]
    # a MAF says nothing about genes it has no row for
    assert lung.is_assessed("mutation", "KRAS") and not lung.is_assessed("mutation", "NRAS")


def test_cbioportal_study_whole():
    result = read_profiles([STUDY])
    profiles = {p.sample_id: p for p in result.profiles}
    a04p = profiles["TCGA-A2-A04P-01"]
    texts = _texts(a04p)
    assert "EGFR exons 2-7 deletion" in texts  # E1E8 junction, DelPositive: EGFRvIII
    assert {"EML4::ALK", "KIAA1549::BRAF", "NCOA4::RET", "TMPRSS2::ERG"} <= set(texts)
    assert "BRCA2 D191G" in texts
    # the gene-panel matrix decides what was sequenced
    sb01, sb02 = profiles["TCGA-A1-A0SB-01"], profiles["TCGA-A1-A0SB-02"]
    assert sb01.is_assessed("mutation", "TP53") and not sb01.is_assessed("mutation", "KRAS")
    assert sb02.is_assessed("mutation", "FGFR3") and not sb02.is_assessed("mutation", "TP53")
    assert not profiles["TEST_SAMPLE_1"].is_assessed("mutation", "TP53")  # NA: not sequenced
    # in the sequenced case list, not in the matrix: whole exome
    assert ("mutation", "*") in a04p.assessed
    # expression z-scores beyond the threshold are markers; the rest only assessed
    assert a04p.is_assessed("expression", "RPS11")
    # files herscape does not use are listed, not silently ignored
    assert any("data_cna_hg19.seg" in n for n in result.notes)
    assert any("data_gsva_scores.txt" in n for n in result.notes)
    # samples in the clinical file only have no molecular data
    assert any(not p.molecular_data for p in profiles.values())


@pytest.mark.parametrize(("name", "what"), [
    ("data_cna_hg19.seg", "segments"), ("data_cna_log2.txt", "continuous values"),
    ("data_expression_median.txt", "continuous values"), ("meta_study.txt", "meta file"),
    ("data_gene_panel_testpanel1.txt", "gene-panel definition"),
    ("data_clinical_patients.txt", "clinical patient file"),
    ("case_lists/cases_sequenced.txt", "case list"),
])
def test_study_files_alone_are_rejected_saying_what_they_are(name, what):
    with pytest.raises(ProfileParseError, match=what):
        read_profiles([STUDY / name])


@pytest.mark.parametrize(("name", "fmt"), [
    ("data_mutations_extended.maf", "maf"), ("data_cna_discrete.txt", "cna_long"),
    ("data_structural_variants.txt", "sv"), ("data_clinical_samples.txt", "clinical"),
    ("data_gene_panel_matrix.txt", "panel_matrix"),
    ("data_expression_median_Zscores.txt", "expression"),
])
def test_study_data_files_alone(name, fmt):
    assert detect_format(STUDY / name) == fmt
    assert read_profiles([STUDY / name]).profiles


def test_maf_protein_columns_that_disagree_are_noted():
    # the GRCh38 example row: HGVSp_Short p.Q212K beside HGVSp Gln121Lys (docs/qa_2026-12-02.md)
    p = _read(ONCOKB / "example_maf_grch38.txt")["TCGA-02-0033-01"]
    assert "FGFR2 Q212K" in _texts(p)
    assert any("example_maf_grch38.txt:8" in n and "Gln121Lys" in n and "HGVSp_Short" in n
               for n in p.notes)
    # rows whose two columns agree say nothing
    lung = _read(ONCOKB / "example_maf_grch38.txt")["TCGA-05-4417-01"]
    assert not any("HGVSp" in n for n in lung.notes)
