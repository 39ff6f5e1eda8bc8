"""``herscape annotate`` and ``herscape kb markers`` end to end (small test knowledge base)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from herscape.cli import main
from herscape.cli._annotate import TSV_COLUMNS, annotate_schema
from herscape.knowledge import data_dir

DATA = Path(__file__).resolve().parents[1] / "data" / "profile"


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory):
    """The test knowledge records plus the shipped core marker vocabulary."""
    root = tmp_path_factory.mktemp("kb")
    shutil.copytree(DATA / "kb", root, dirs_exist_ok=True)
    shutil.copy(data_dir() / "markers" / "core.yaml", root / "markers" / "core.yaml")
    return root


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_alterations_text(capsys, kb_dir):
    code, out, _ = run(capsys, "annotate", "--kb", kb_dir, "-a", "KRAS G12D", "-a", "HER2 amplified",
                       "-m", "AREG=low", "-t", "COAD")
    assert code == 0
    assert "cetuximab" in out and "panitumumab" in out and "KRAS G12D" in out


def test_json_validates_against_schema(capsys, kb_dir):
    code, out, _ = run(capsys, "annotate", "--kb", kb_dir, "-a", "KRAS p.Gly12Asp", "-a", "FOO G12D",
                       "-a", "HER2 amplified", "-a", "PIK3CA exon 9 mutation", "-t", "COAD",
                       "--prior-therapy", "cetuximab:progressed", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, annotate_schema())
    (sample,) = doc["samples"]
    assert sample["features"][0]["protein_change"] == "G12D"
    assert sample["features"][0]["gene"] == "KRAS" and sample["features"][0]["kind"] == "mutation"
    assert sample["unrecognized"][0]["input"] == "FOO G12D"
    cet = sample["by_therapy"]["cetuximab"]
    assert cet["highest_resistance_level"] == "A"
    assert "TS-her2-lapatinib" in cet["strategies"]
    assert {m["record_type"] for m in sample["matches"]} == {"assertion", "strategy"}
    assert sample["prior_therapies"] == ["cetuximab:progressed"]


@pytest.mark.parametrize("inputs", [
    ["sample.maf"], ["vep.vcf"], ["snpeff.vcf"], ["study"], ["profile.json"], ["cna_matrix.txt"],
    ["sample.maf", "cna_long.tsv", "markers.tsv"], ["fusions.txt"], ["data_sv.txt"],
])
def test_every_format_gives_valid_json(capsys, kb_dir, inputs):
    code, out, _ = run(capsys, "annotate", "--kb", kb_dir, *[DATA / i for i in inputs],
                       "-t", "COADREAD", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, annotate_schema())
    assert doc["samples"]


def test_maf_tsv_adds_columns_to_every_row(capsys, kb_dir, tmp_path):
    out_file = tmp_path / "annotated.maf"
    code, _, _ = run(capsys, "annotate", "--kb", kb_dir, DATA / "sample.maf", "-t", "COAD",
                     "-f", "tsv", "--out", out_file)
    assert code == 0
    lines = out_file.read_text().splitlines()
    source = (DATA / "sample.maf").read_text().splitlines()
    assert len(lines) == len(source) and lines[0] == source[0]
    header = lines[1].split("\t")
    assert header[-len(TSV_COLUMNS):] == list(TSV_COLUMNS)
    rows = [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[2:]]
    kras = rows[0]
    assert kras["HERSCAPE_FEATURE"] == "KRAS G12D"
    assert kras["HERSCAPE_HIGHEST_RESISTANCE_LEVEL"] == "A"
    assert kras["HERSCAPE_RESISTANCE_THERAPIES"] == "cetuximab:A,panitumumab:B"
    s492r = next(r for r in rows if r["HERSCAPE_FEATURE"] == "EGFR S492R")
    assert (s492r["HERSCAPE_HIGHEST_RESISTANCE_LEVEL"], s492r["HERSCAPE_HIGHEST_SENSITIVITY_LEVEL"]) == ("C", "D")
    assert not list(tmp_path.glob(".*.tmp"))


def test_sample_tsv_for_other_inputs(capsys, kb_dir):
    code, out, _ = run(capsys, "annotate", "--kb", kb_dir, "-a", "BRAF V600E", "-t", "COAD", "-f", "tsv")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.startswith("sample_id\ttumor_type\ttherapy")
    assert rows[0].split("\t")[2:5] == ["cetuximab", "B", ""]


def test_bad_line_exits_2_naming_file_line_field(capsys, kb_dir, tmp_path):
    out_file = tmp_path / "result.json"
    out_file.write_text("previous result\n")
    bad = DATA / "bad" / "maf_bad_count.maf"
    code, out, err = run(capsys, "annotate", "--kb", kb_dir, bad, "-f", "json", "--out", out_file)
    assert code == 2
    assert f"{bad}:4" in err and "t_alt_count" in err and "'abc'" in err
    assert out_file.read_text() == "previous result\n"  # nothing half-written
    assert not list(tmp_path.glob(".*.tmp"))


def test_skip_bad_reports_and_continues(capsys, kb_dir):
    bad = DATA / "bad" / "maf_bad_count.maf"
    code, out, err = run(capsys, "annotate", "--kb", kb_dir, bad, "-f", "json", "--skip-bad", "-t", "COAD")
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, annotate_schema())
    assert doc["skipped"] == [{"source": str(bad), "line": 4, "field": "t_alt_count", "value": "abc",
                               "reason": "t_alt_count must be a non-negative count; got 'abc'"}]
    assert [s["sample_id"] for s in doc["samples"]] == ["S1", "S2"]
    assert "skipped 1 bad line" in err


def test_skip_bad_tsv_notes_the_row(capsys, kb_dir):
    code, out, _ = run(capsys, "annotate", "--kb", kb_dir, DATA / "bad" / "maf_bad_count.maf",
                       "-f", "tsv", "--skip-bad")
    assert code == 0
    row = out.splitlines()[3]
    assert row.endswith("skipped: t_alt_count must be a non-negative count; got 'abc'")


@pytest.mark.parametrize(("args", "message"), [
    (["-a", "KRAS G12D", "-t", "COADRED"], "closest: COADREAD"),
    ([DATA / "unannotated.vcf"], "annotate it first with Ensembl VEP"),
    ([DATA / "bad" / "markers_bad_value.tsv"], "marker AREG takes"),
    ([DATA / "bad" / "study_bad_code"], "data_clinical_sample.txt:7"),
    ([DATA / "bad" / "json_bad_tumor.json"], "samples/0/tumor_type"),
    ([], "give input files"),
    ([DATA / "does_not_exist.maf"], "does not exist"),
])
def test_usage_and_input_errors_exit_2(capsys, kb_dir, args, message):
    code, _, err = run(capsys, "annotate", "--kb", kb_dir, *args)
    assert code == 2
    assert message in err


def test_text_output_cannot_go_to_a_file(capsys, kb_dir, tmp_path):
    code, _, err = run(capsys, "annotate", "--kb", kb_dir, "-a", "KRAS G12D", "--out", tmp_path / "x.txt")
    assert code == 2 and "--format json or tsv" in err


def test_user_oncotree(capsys, kb_dir, tmp_path):
    tree = tmp_path / "tree.json"
    tree.write_text(json.dumps([
        {"code": "BOWEL", "name": "Bowel", "parent": "TISSUE"},
        {"code": "COADREAD", "name": "Colorectal Adenocarcinoma", "parent": "BOWEL"},
        {"code": "COAD", "name": "Colon Adenocarcinoma", "parent": "COADREAD"},
        {"code": "CAIS", "name": "Colon Adenocarcinoma In Situ", "parent": "COAD"},
        {"code": "BREAST", "name": "Breast", "parent": "TISSUE"},
        {"code": "BRCA", "name": "Invasive Breast Carcinoma", "parent": "BREAST"},
    ]))
    code, out, _ = run(capsys, "annotate", "--kb", kb_dir, "--oncotree", tree, "-a", "KRAS G12D",
                       "-t", "CAIS", "-f", "json")
    assert code == 0
    matches = json.loads(out)["samples"][0]["matches"]
    assert {m["tumor_match"] for m in matches} == {"broader"}


def test_kb_markers_lists_vocabulary(capsys):
    code, out, _ = run(capsys, "kb", "markers", "--format", "json")
    assert code == 0
    markers = {m["id"]: m for m in json.loads(out)}
    assert markers["HER2_IHC"]["values"] == ["0", "1+", "2+", "3+"]
    assert "amphiregulin" in markers["AREG"]["aliases"]
    code, out, _ = run(capsys, "kb", "markers")
    assert code == 0 and "p95HER2" in out


def _manifest():
    bad = DATA / "bad"
    for line in (bad / "manifest.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield tuple(line.split("\t"))


@pytest.mark.parametrize(("name", "line", "field", "message"), list(_manifest()))
def test_every_reject_file_exits_2_naming_file_line_field(capsys, kb_dir, name, line, field, message):
    code, _, err = run(capsys, "annotate", "--kb", kb_dir, DATA / "bad" / name, "-f", "json")
    assert code == 2
    err = " ".join(err.split())  # rich may wrap long lines
    assert name in err or "data_clinical_sample.txt" in err
    if line != "-":
        assert f":{line}:" in err
    if field != "-":
        assert f"field '{field}'" in err
