"""A cBioPortal study's own cancer type (meta_study.txt ``type_of_cancer``) types the samples
its clinical file leaves untyped, as cBioPortal does; ``--tumor-type`` and a clinical
``ONCOTREE_CODE`` take precedence; a study-specific code reads through data_cancer_type.txt
(docs/qa_2026-12-02.md: 845 breast samples of the shared study came out "tumour type not
given")."""

from __future__ import annotations

from pathlib import Path

import pytest

from herscape.profile import read_profiles

ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "inputs"
STUDY = ROOT / "cbioportal_study_es_0"

MAF = ("Hugo_Symbol\tTumor_Sample_Barcode\tVariant_Classification\tHGVSp_Short\n"
       "KRAS\tS1\tMissense_Mutation\tp.G12D\n"
       "TP53\tS2\tMissense_Mutation\tp.R175H\n")


def _study(tmp_path: Path, type_of_cancer: str, *, cancer_type_row: str | None = None,
           clinical: str | None = None) -> Path:
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "meta_study.txt").write_text(
        f"type_of_cancer: {type_of_cancer}\ncancer_study_identifier: s\nname: s\n")
    (folder / "meta_mutations_extended.txt").write_text(
        "cancer_study_identifier: s\ngenetic_alteration_type: MUTATION_EXTENDED\n"
        "datatype: MAF\ndata_filename: data_mutations.txt\n")
    (folder / "data_mutations.txt").write_text(MAF)
    if cancer_type_row is not None:
        (folder / "data_cancer_type.txt").write_text(cancer_type_row + "\n")
    if clinical is not None:
        (folder / "meta_clinical_samples.txt").write_text(
            "cancer_study_identifier: s\ngenetic_alteration_type: CLINICAL\n"
            "datatype: SAMPLE_ATTRIBUTES\ndata_filename: data_clinical_samples.txt\n")
        (folder / "data_clinical_samples.txt").write_text(clinical)
    return folder


def _types(folder: Path, **kw) -> dict[str, str | None]:
    return {p.sample_id: p.tumor_type for p in read_profiles([folder], **kw).profiles}


def test_study_code_types_every_sample(tmp_path):
    folder = _study(tmp_path, "coadread")
    result = read_profiles([folder])
    assert {p.sample_id: p.tumor_type for p in result.profiles} == {"S1": "COADREAD", "S2": "COADREAD"}
    assert any("type_of_cancer 'coadread'" in n for n in result.notes)


def test_clinical_code_and_tumor_type_option_take_precedence(tmp_path):
    folder = _study(tmp_path, "coadread", clinical="SAMPLE_ID\tONCOTREE_CODE\nS2\tLUAD\n")
    assert _types(folder) == {"S2": "LUAD", "S1": "COADREAD"}
    assert _types(folder, tumor_type="READ") == {"S2": "LUAD", "S1": "READ"}


def test_study_specific_code_reads_through_data_cancer_type(tmp_path):
    folder = _study(tmp_path, "crc-x", cancer_type_row="crc-x\tColorectal Adenocarcinoma\tBlue\tBowel")
    result = read_profiles([folder])
    assert {p.tumor_type for p in result.profiles} == {"COADREAD"}
    assert any("'crc-x' is not an OncoTree code" in n and "name" in n for n in result.notes)


def test_unresolvable_study_code_leaves_samples_untyped_with_a_note(tmp_path):
    folder = _study(tmp_path, "zz-unknown")
    result = read_profiles([folder])
    assert {p.tumor_type for p in result.profiles} == {None}
    assert any("'zz-unknown'" in n and "--tumor-type" in n for n in result.notes)


@pytest.mark.skipif(not STUDY.is_dir(), reason=f"shared study not present at {STUDY}")
def test_shared_breast_study_is_breast():
    result = read_profiles([STUDY])
    assert {p.tumor_type for p in result.profiles} == {"BREAST"}  # parent 'Breast' of brca-es0
    assert {p.tumor_type for p in read_profiles([STUDY], tumor_type="BRCA").profiles} == {"BRCA"}
