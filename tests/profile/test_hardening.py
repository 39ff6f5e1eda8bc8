"""Inputs that crashed readers under mutation fuzzing (issue 13, item 8): each is now a
ProfileParseError naming the file (and line/field where there is one), never another
exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from herscape.errors import ProfileParseError
from herscape.profile import parse_alteration, read_profiles

VCF_HEAD = (
    "##fileformat=VCFv4.2\n"
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|SYMBOL|HGVSp">\n'
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
)
CHROM = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT1\n"
RECORD = "12\t25245350\t.\tC\tT\t.\tPASS\tCSQ=T|missense_variant|KRAS|p.Gly12Asp\tGT:AD\t0/1:40,20\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_vcf_reads(tmp_path):
    (p,) = read_profiles([_write(tmp_path, "ok.vcf", VCF_HEAD + CHROM + RECORD)]).profiles
    assert [str(f) for f in p.features] == ["KRAS G12D"] and p.features[0].allele_fraction == 0.3333


@pytest.mark.parametrize(("text", "line", "match"), [
    (VCF_HEAD + RECORD, 5, "data before the #CHROM header"),
    (VCF_HEAD + CHROM + RECORD.replace("40,20", "abc,5"), 6, "FORMAT/AD is declared Integer"),
    (VCF_HEAD + CHROM.replace("\tFORMAT\tT1", "") + RECORD.rsplit("\t", 2)[0] + "\n", None, None),
    (VCF_HEAD.replace('##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n', "")
     + CHROM + RECORD, 5, "FORMAT/AD is used but not declared"),
    (VCF_HEAD.replace("Type=Integer", "Type=Intger") + CHROM + RECORD, 4, "Type=Integer"),
    (VCF_HEAD + CHROM + "12\t25245350\t.\tC\tT\t.\tPASS\tCSQ=x\n", 6, "record has 8 columns"),
    (VCF_HEAD + CHROM + RECORD.replace("25245350", "x"), 6, "POS a positive integer"),
    ("chrom\tpos\n", 1, "starts with '##fileformat=VCF"),
    # these GT values crashed htslib (segmentation fault) under the fuzzer
    (VCF_HEAD + CHROM + RECORD.replace("0/1:40,20", "-1"), 6, "FORMAT/GT must be allele indices"),
    (VCF_HEAD + CHROM + RECORD.replace("0/1:40,20", "x" * 60), 6, "FORMAT/GT must be allele indices"),
    (VCF_HEAD + CHROM + RECORD.replace("0/1:40,20", "0/2:40,20"), 6, "allele indices 0..1"),
])
def test_malformed_vcf_is_a_clear_error(tmp_path, text, line, match):
    path = _write(tmp_path, "bad.vcf", text)
    if match is None:  # 8 fixed columns, no samples: valid, one sample named after the file
        assert read_profiles([path]).profiles[0].sample_id == "bad"
        return
    with pytest.raises(ProfileParseError, match=match) as info:
        read_profiles([path], skip_bad=True)
    assert info.value.line == line and info.value.source == str(path)


def test_vcf_line_numbers_are_the_files_own(tmp_path):
    text = VCF_HEAD + CHROM + RECORD.replace("CSQ=T|missense_variant|KRAS|p.Gly12Asp", "DP=3")
    with pytest.raises(ProfileParseError) as info:
        read_profiles([_write(tmp_path, "x.vcf", text)])
    assert info.value.line == 6  # no ##FILTER=<ID=PASS> in the file: htslib adds one


@pytest.mark.parametrize("value", ["inf", "1e309", "-1", "abc"])
def test_maf_counts_overflow_and_garbage(tmp_path, value):
    maf = _write(tmp_path, "x.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tt_alt_count\tt_depth\n"
                 f"KRAS\tS1\tp.G12D\t{value}\t100\n")
    with pytest.raises(ProfileParseError, match="non-negative count") as info:
        read_profiles([maf])
    assert (info.value.line, info.value.field) == (2, "t_alt_count")


@pytest.mark.parametrize(("text", "match"), [
    ('{"sample_id": "S", "features": [{"kind": "copy_number", "gene": "ERBB2", '
     '"status": "amplification", "copies": Infinity}]}', "Infinity"),
    ('{"sample_id": "S", "features": [{"kind": "mutation", "gene": "KRAS", '
     '"protein_change": 12}]}', "protein_change"),
    ('{"sample_id": "S", "features": [{"kind": "mutation", "gene": "KRAS", '
     '"protein_change": "G12D", "allele_fraction": 2.5}]}', "allele fraction"),
    ('{"sample_id": "S", "features": [{"kind": "copy_number", "gene": "ERBB2", '
     '"status": "amplification", "copies": -3}]}', "copies must be"),
    ('{"samples": "D"}', "samples|schema"),
    ('{"sample_id": "\\ud800"}', "not valid Unicode"),
    ("[" * 100_000 + "]" * 100_000, "nested more than"),
])
def test_json_wrong_types_and_values(tmp_path, text, match):
    with pytest.raises(ProfileParseError, match=match):
        read_profiles([_write(tmp_path, "p.json", text)])


@pytest.mark.parametrize("text", ["AREG=inf", "AREG=nan", "TMB=1e309", "AREG=-Infinity"])
def test_non_finite_marker_numbers_rejected(text):
    with pytest.raises(ValueError, match="AREG|TMB"):
        parse_alteration(text)


def test_cna_long_copies_must_be_finite(tmp_path):
    path = _write(tmp_path, "c.tsv", "sample\tgene\talteration\tcopies\nS\tERBB2\tamplification\tinf\n")
    with pytest.raises(ProfileParseError, match="finite") as info:
        read_profiles([path])
    assert (info.value.line, info.value.field) == (2, "copies")


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_bytes(b"sample\tmarker\tvalue\nS1\tAREG\tlow\nS\xe92\tAREG\tlow\n")
    with pytest.raises(ProfileParseError, match="not UTF-8") as info:
        read_profiles([path])
    assert info.value.line == 3


def test_header_only_file_is_not_a_sample(tmp_path):
    path = _write(tmp_path, "e.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n")
    with pytest.raises(ProfileParseError, match="holds no sample"):
        read_profiles([path])


def test_empty_file_is_not_a_sample(tmp_path):
    with pytest.raises(ProfileParseError, match="empty"):
        read_profiles([_write(tmp_path, "e.txt", "")])


def test_ambiguous_table_names_the_candidates(tmp_path):
    # a gene x sample matrix of fractions, not named as z-scores: could be log2 CNA or expression
    path = _write(tmp_path, "m.txt", "Hugo_Symbol\tS1\tS2\nERBB2\t0.53\t-1.2\n")
    with pytest.raises(ProfileParseError, match="cannot be told apart"):
        read_profiles([path])


def test_individual_cna_table_is_never_a_maf(tmp_path):
    path = _write(tmp_path, "cna.txt", "Tumor_Sample_Barcode\tHugo_Symbol\tCopy_Number_Alteration\n"
                  "S1\tERBB2\t2\nS1\tMET\tAmplification\n")
    (p,) = read_profiles([path]).profiles
    assert [str(f) for f in p.features] == ["ERBB2 amplification", "MET amplification"]


def test_a_maf_needs_a_mutation_column(tmp_path):
    path = _write(tmp_path, "x.maf", "Hugo_Symbol\tTumor_Sample_Barcode\n KRAS\tS1\n")
    with pytest.raises(ProfileParseError, match="no mutation column"):
        read_profiles([path])


def test_a_crash_inside_the_vcf_library_is_an_error_not_the_end(tmp_path, monkeypatch):
    import os
    import signal

    from herscape.profile import _vcf

    def crash(*_args):
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(_vcf, "_read_here", crash)
    path = _write(tmp_path, "ok.vcf", VCF_HEAD + CHROM + RECORD)
    with pytest.raises(ProfileParseError, match="crashed reading this file") as info:
        read_profiles([path], skip_bad=True)
    assert info.value.source == str(path)


def test_isolated_and_in_process_vcf_reads_agree(tmp_path):
    from herscape.profile import _vcf
    from herscape.profile._collect import Samples

    path = Path(__file__).resolve().parents[1] / "data" / "profile" / "vep_multiallelic.vcf"
    a, b = Samples(skip_bad=True), Samples(skip_bad=True)
    _vcf.read_vcf(path, a, isolate=True)
    _vcf.read_vcf(path, b, isolate=False)
    assert a.profiles() == b.profiles()
    assert [str(e) for e in a.skipped] == [str(e) for e in b.skipped]


def test_vcf_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "x.vcf"
    path.write_bytes((VCF_HEAD + CHROM).encode() + RECORD.replace("KRAS", "KR\xe9S").encode("latin-1"))
    with pytest.raises(ProfileParseError, match="not UTF-8") as info:
        read_profiles([path])
    assert info.value.line == 6
