"""Readers: golden results on realistic example files, and every malformed-input path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from herscape.errors import ProfileParseError, UsageError
from herscape.profile import MafRows, Profile, detect_format, read_profiles

DATA = Path(__file__).resolve().parents[1] / "data" / "profile"
BAD = DATA / "bad"


def _read(*names: str, **kw) -> dict[str, Profile]:
    result = read_profiles([DATA / n for n in names], **kw)
    return {p.sample_id: p for p in result.profiles}


def _texts(p: Profile) -> list[str]:
    return [str(f) for f in p.features]


def test_maf_three_samples():
    rows: list[MafRows] = []
    profiles = _read("sample.maf", maf_rows=rows)
    assert list(profiles) == ["CRC-001-T", "CRC-002-T", "BRCA-003-T"]
    assert _texts(profiles["CRC-001-T"]) == ["KRAS G12D", "APC R1450*", "TP53 R175H", "SMAD4 G337=",
                                             "TTN R334W", "PIK3CA E545K"]
    assert _texts(profiles["CRC-002-T"]) == ["BRAF V600E", "RNF43 G659fs", "EGFR S492R", "KRAS noncoding"]
    assert _texts(profiles["BRCA-003-T"]) == ["ERBB2 A775_G776insYVMA", "PIK3CA H1047R",
                                              "PTEN X70_splice", "CDH1 G337fs"]
    kras = profiles["CRC-001-T"].features[0]
    assert (kras.codon, kras.exon, kras.allele_fraction) == (12, 2, round(62 / 212, 4))
    s492r = profiles["CRC-002-T"].features[2]
    assert (s492r.exon, s492r.allele_fraction) == (12, 0.03)
    # a MAF row for one gene says nothing about another: no gene is assessed beyond its rows
    assert all(not p.assessed for p in profiles.values())
    assert profiles["CRC-001-T"].is_assessed("mutation", "KRAS")
    assert not profiles["CRC-001-T"].is_assessed("mutation", "NRAS")
    # a gene outside herscape's knowledge is informational, not "not understood"
    assert not profiles["CRC-001-T"].unrecognized
    (note,) = profiles["CRC-001-T"].notes
    assert "TTN" in note and "not in herscape's knowledge" in note
    assert len(rows) == 1 and len(rows[0].rows) == 14 and rows[0].header_line == 2


def test_vep_vcf_picks_canonical_and_multisample():
    profiles = _read("vep.vcf")
    assert _texts(profiles["TUMOR_A"]) == ["KRAS G12D", "PIK3CA H1047R", "TP53 R175="]
    assert _texts(profiles["TUMOR_B"]) == ["BRAF V600E", "PIK3CA H1047R", "EGFR S492R"]
    pik3ca = profiles["TUMOR_A"].features[1]
    assert pik3ca.exon == 20  # legacy numbering from the exon table, not VEP's 21/21
    assert profiles["TUMOR_B"].features[2].allele_fraction == 0.03
    (intergenic,) = profiles["TUMOR_A"].notes  # reported, not dropped
    assert intergenic.startswith("1 variant(s)") and "intergenic" in intergenic
    assert not profiles["TUMOR_A"].unrecognized


def test_snpeff_vcf():
    (p,) = _read("snpeff.vcf").values()
    assert p.sample_id == "PATIENT_7"
    assert _texts(p) == ["KRAS G13D", "ERBB2 V777L", "PIK3CA E545K", "EGFR E746_A750del"]
    assert p.features[3].exon == 19 and p.features[3].consequence == "inframe_deletion"


def test_cna_matrix_assesses_listed_genes_only():
    profiles = _read("cna_matrix.txt")
    assert _texts(profiles["S-02"]) == ["KRAS gain", "PTEN deep deletion"]
    assert _texts(profiles["S-03"]) == ["ERBB2 amplification", "PTEN loss"]
    assert ("copy_number", "EGFR") in profiles["S-01"].assessed
    assert ("copy_number", "EGFR") not in profiles["S-03"].assessed  # NA
    assert ("copy_number", "*") not in profiles["S-01"].assessed


def test_cna_long():
    profiles = _read("cna_long.tsv")
    assert _texts(profiles["CRC-002-T"]) == ["KRAS amplification", "PTEN deep deletion"]
    assert profiles["CRC-001-T"].features[0].copies == 14


def test_fusions():
    (p,) = _read("fusions.txt").values()
    assert (p.sample_id, _texts(p)) == ("fusions", ["EML4::ALK", "ETV6::NTRK3"])
    by_sample = _read("fusions_by_sample.tsv")
    assert _texts(by_sample["BRCA-003-T"]) == ["FGFR2::BICC1"]
    sv = _read("data_sv.txt")
    assert _texts(sv["S-01"]) == ["ETV6::NTRK3"]
    # a structural-variant file assesses the genes it names, not every gene
    assert sv["S-01"].is_assessed("fusion", "ETV6") and not sv["S-01"].is_assessed("fusion", "ALK")


def test_markers_tsv():
    profiles = _read("markers.tsv")
    assert _texts(profiles["CRC-001-T"]) == ["AREG=low", "EREG=-1.6", "MSI=stable"]
    assert profiles["CRC-001-T"].features[1].value == "low"
    assert _texts(profiles["BRCA-003-T"]) == ["p95HER2=positive", "HER2_IHC=3+", "FCGR3A=158F/F", "TMB=3.2"]
    assert profiles["BRCA-003-T"].features[3].value == "low"


def test_study_folder():
    profiles = _read("study")
    assert {k: p.tumor_type for k, p in profiles.items()} == {"S-01": "COAD", "S-02": "READ", "S-03": "STAD"}
    assert _texts(profiles["S-01"]) == ["KRAS G13D", "MET amplification", "ETV6::NTRK3"]
    assert _texts(profiles["S-02"]) == ["NRAS Q61K", "TP53 R213*", "KRAS gain", "PTEN deep deletion"]
    # no sequenced case list and no gene-panel matrix: only the genes found are assessed
    assert all(("mutation", "*") not in p.assessed for p in profiles.values())


def test_json_profiles_and_round_trip(tmp_path):
    profiles = _read("profile.json")
    a, b = profiles["PT-17"], profiles["PT-18"]
    assert _texts(a) == ["KRAS G12D", "ERBB2 amplification", "ERBB2 delta16", "AREG=low", "MSI=stable"]
    assert [str(t) for t in a.prior_therapies] == ["cetuximab:progressed"]
    assert ("mutation", "NRAS") in a.assessed
    assert _texts(b) == ["ERBB2 amplification", "PIK3CA H1047R", "p95HER2=positive"]
    # what herscape writes reads back to the same profile
    out = tmp_path / "again.json"
    out.write_text(json.dumps({"samples": [p.to_dict() for p in profiles.values()]}))
    again = {p.sample_id: p for p in read_profiles([out]).profiles}
    assert again == profiles


def test_files_merge_by_sample():
    profiles = _read("sample.maf", "cna_long.tsv", "markers.tsv", tumor_type="COAD")
    assert "ERBB2 amplification" in _texts(profiles["CRC-001-T"])
    assert "AREG=low" in _texts(profiles["CRC-001-T"])
    assert {p.tumor_type for p in profiles.values()} == {"COAD"}


def test_strings_join_the_only_sample():
    (p,) = _read("snpeff.vcf", alterations=["HER2 amplified"], markers=["AREG=low"]).values()
    assert _texts(p)[-2:] == ["ERBB2 amplification", "AREG=low"]
    with pytest.raises(UsageError, match="--sample-id"):
        _read("sample.maf", alterations=["HER2 amplified"])
    profiles = _read("sample.maf", alterations=["HER2 amplified"], sample_id="CRC-002-T")
    assert "ERBB2 amplification" in _texts(profiles["CRC-002-T"])


@pytest.mark.parametrize(("name", "fmt"), [
    ("sample.maf", "maf"), ("vep.vcf", "vcf"), ("cna_matrix.txt", "cna_matrix"),
    ("cna_long.tsv", "cna_long"), ("fusions.txt", "fusion_list"),
    ("fusions_by_sample.tsv", "fusions"), ("data_sv.txt", "sv"),
    ("markers.tsv", "markers"), ("study", "study"), ("profile.json", "json"),
])
def test_detect_format(name, fmt):
    assert detect_format(DATA / name) == fmt


def _manifest() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (BAD / "manifest.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(line.split("\t")))
    return rows


@pytest.mark.parametrize(("name", "line", "field", "message"), _manifest())
def test_reject_files_name_file_line_field(name, line, field, message):
    with pytest.raises(ProfileParseError) as info:
        read_profiles([BAD / name])
    err = info.value
    assert re.search(message, err.message), err.message
    assert err.source is not None and Path(err.source).name in {name, "data_clinical_sample.txt"}
    assert (str(err.line) if err.line is not None else "-") == line
    assert (err.field or "-") == field
    assert str(err).startswith(err.source)


def test_skip_bad_keeps_the_rest():
    result = read_profiles([BAD / "maf_bad_count.maf"], skip_bad=True)
    assert [p.sample_id for p in result.profiles] == ["S1", "S2"]
    assert [str(f) for f in result.profiles[0].features] == ["KRAS G12D"]
    (skipped,) = result.skipped
    assert (skipped.line, skipped.field) == (4, "t_alt_count")


def test_missing_input_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        read_profiles([tmp_path / "nope.maf"])


def _gauntlet_rows(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (DATA / name).read_text().splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[1:]]


def test_maf_gauntlet_every_row_reads_and_formats():
    profiles = _read("maf.gauntlet.maf")
    for row in _gauntlet_rows("maf.gauntlet.maf"):
        p = profiles[row["Tumor_Sample_Barcode"]]
        assert [str(f) for f in p.features] == [row["expected"]], row
        assert not p.unrecognized, row


def test_cna_gauntlet_every_row_reads_and_formats():
    profiles = _read("cna.gauntlet.tsv")
    for row in _gauntlet_rows("cna.gauntlet.tsv"):
        p = profiles[row["sample"]]
        assert " ; ".join(str(f) for f in p.features) == row["expected"], row
        assert p.assessed, row


def test_vep_multiallelic_alleles_and_missing_annotation():
    profiles = _read("vep_multiallelic.vcf")
    assert "KRAS G15fs" in _texts(profiles["TUMOR_A"])  # VEP writes the deleted allele as '-'
    (missing,) = profiles["TUMOR_B"].unrecognized
    assert missing.input == "chr12:25245340 CA>CAA" and "no CSQ annotation" in missing.reason
    assert missing.line is not None


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    maf = tmp_path / "bom.maf"
    maf.write_bytes(b"\xef\xbb\xbfHugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\r\nKRAS\tS1\tp.G12D\r\n")
    (p,) = read_profiles([maf]).profiles
    assert (p.sample_id, _texts(p)) == ("S1", ["KRAS G12D"])
