"""``herscape evolve`` on a profile string, a MAF and a study folder; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from herscape.cli import main
from herscape.evolve import evolve_schema

DATA = Path(__file__).resolve().parents[1] / "data" / "profile"


def test_profile_string_json_and_plot(tmp_path, capsys):
    out = tmp_path / "run.json"
    svg = tmp_path / "run.svg"
    code = main(["evolve", "--tumor-type", "COADREAD", "--alteration", "KRAS wild-type",
                 "--alteration", "KRAS G12D", "--allele-fraction", "KRAS G12D=0.02",
                 "--schedule", "cetuximab until progression; off 4 months; cetuximab",
                 "--months", "12", "--patients", "20", "--format", "json", "--out", str(out),
                 "--plot", str(svg)])
    assert code == 0
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, evolve_schema())
    assert doc["schema_version"] == "1.0"
    origins = {c["origin"] for c in doc["plan"]["clones"]}
    assert origins == {"founding", "subclone", "pre-existing"}
    assert doc["cohort"]["patients"] == 20
    assert svg.read_text().startswith("<svg")


def test_maf(capsys):
    code = main(["evolve", str(DATA / "sample.maf"), "--sample", "CRC-001-T", "--tumor-type", "COADREAD",
                 "--schedule", "cetuximab", "--months", "6", "--format", "tsv", "--skip-bad"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("day\tphase\tregimen\tcells")
    assert "vaf:KRAS G12D" in out.splitlines()[0]


def test_study_folder(capsys):
    code = main(["evolve", str(DATA / "study"), "--sample", "S-01", "--schedule",
                 "cetuximab until progression", "--months", "6"])
    assert code == 0
    assert "preset colorectal_anti_egfr" in capsys.readouterr().out


def test_bad_schedule_exit_2(capsys):
    code = main(["evolve", "--tumor-type", "COADREAD", "--alteration", "KRAS wild-type",
                 "--schedule", "cetuximab until tomorrow"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--schedule:1" in err and "until" in err


def test_bad_options_exit_2(tmp_path, capsys):
    assert main(["evolve", "--tumor-type", "COADREAD", "--alteration", "KRAS wild-type",
                 "--schedule", "cetuximab", "--patients", "0"]) == 2
    assert main(["evolve", "--tumor-type", "COADREAD", "--alteration", "KRAS wild-type",
                 "--schedule", "cetuximab", "--allele-fraction", "NRAS Q61K=0.1"]) == 2
    out = tmp_path / "x.json"
    assert main(["evolve", "--tumor-type", "COADREAD", "--alteration", "KRAS wild-type",
                 "--schedule", "cetuximab", "--plot", str(tmp_path / "x.png"),
                 "--out", str(out)]) == 2
    assert not out.exists()


def test_predict_evolve_adds_the_dynamics_to_html(tmp_path):
    page = tmp_path / "report.html"
    code = main(["predict", "--tumor-type", "COADREAD", "--therapy", "cetuximab",
                 "--alteration", "KRAS wild-type", "--format", "html", "--evolve",
                 "--schedule", "cetuximab until progression; off 4 months; cetuximab",
                 "--screen", "none", "--out", str(page)])
    assert code == 0
    html = page.read_text()
    assert '<section id="evolve">' in html and "Clone fractions" in html
    assert html.index('<section id="evolve">') < html.index("</body>")


def test_predict_evolve_needs_html(capsys):
    code = main(["predict", "--tumor-type", "COADREAD", "--therapy", "cetuximab",
                 "--alteration", "KRAS wild-type", "--evolve"])
    assert code == 2
    assert "--format html" in capsys.readouterr().err


def test_cohort_tsv_one_row_per_patient(capsys):
    code = main(["evolve", "--tumor-type", "COADREAD", "--alteration", "KRAS wild-type",
                 "--schedule", "cetuximab until progression", "--patients", "12",
                 "--months", "6", "--format", "tsv", "--threads", "2"])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("patient\tburden_cells\tlesions\tbest_response\tpfs_months")
    assert len(lines) == 13
