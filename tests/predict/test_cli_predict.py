"""The `herscape predict` command: formats, batch contract, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from herscape.cli import main

SCHEMAS = Path(__file__).resolve().parents[2] / "src/herscape/predict/schema"
PRED = json.loads((SCHEMAS / "prediction.schema.json").read_text())
ERR = json.loads((SCHEMAS / "prediction_error.schema.json").read_text())


def test_json_out(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    rc = main(["predict", "--tumor-type", "COADREAD", "--therapy", "cetuximab",
               "--alteration", "BRAF V600E", "--format", "json", "--out", str(out)])
    assert rc == 0
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, PRED)
    assert doc["verdict"] == "resistant"


def test_unknown_gene_exit_2_nothing_written(tmp_path: Path, capsys) -> None:
    out = tmp_path / "p.json"
    rc = main(["predict", "--tumor-type", "COADREAD", "--therapy", "cetuximab",
               "--alteration", "KRSS G12D", "--format", "json", "--out", str(out)])
    assert rc == 2
    assert "KRSS" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_drug_exit_2(capsys) -> None:
    rc = main(["predict", "--tumor-type", "COADREAD", "--therapy", "cetuximabb",
               "--alteration", "KRAS G12D", "--format", "json"])
    assert rc == 2
    assert "closest: cetuximab" in capsys.readouterr().err


def test_batch_contract(tmp_path: Path, capsys) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text(
        "id\ttumor_type\ttherapy\talterations\tmarkers\n"
        "q1\tCOADREAD\tcetuximab\tKRAS G12D\t\n"
        "q2\tBRCA\ttrastuzumab\tERBB2 amplification\tp95HER2=positive\n"
        "q3\tCOADREAD\tnotadrug\tKRAS G12D\t\n"
        "q4\tCOADREAD\tcetuximab\t\t\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    rc = main(["predict", "--batch", str(queries), "--format", "jsonl", "--out", str(out)])
    assert rc == 2  # one bad row; the others are still answered
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [d["id"] for d in lines] == ["q1", "q2", "q3", "q4"]
    for d in (lines[0], lines[1], lines[3]):
        jsonschema.validate(d, PRED)
    jsonschema.validate(lines[2], ERR)
    assert lines[2]["error"]["line"] == 4 and "notadrug" in lines[2]["error"]["message"]
    assert lines[0]["verdict"] == "resistant"
    assert "line 4" in capsys.readouterr().err


def test_batch_missing_column(tmp_path: Path, capsys) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("id\ttherapy\nq1\tcetuximab\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc = main(["predict", "--batch", str(queries), "--out", str(out), "--format", "jsonl"])
    assert rc == 2
    err = capsys.readouterr().err
    assert "q.tsv:1" in err and "tumor_type" in err
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_report_formats(tmp_path: Path, fmt: str) -> None:
    pytest.importorskip("herscape.report")
    out = tmp_path / f"r.{fmt}"
    rc = main(["predict", "--tumor-type", "BRCA", "--therapy", "trastuzumab", "--alteration",
               "ERBB2 amplification", "--marker", "p95HER2=positive", "--format", fmt, "--out", str(out)])
    assert rc == 0
    text = out.read_text()
    assert "resistant" in text.lower() and "p95" in text.lower()


def test_batch_answers_identical_rows_once_and_streams(tmp_path: Path, monkeypatch) -> None:
    """Issue 12: rows are answered as read, identical rows (all but the id) once."""
    import herscape.predict._batch as batch

    calls = []
    real = batch.predict

    def counting(profile, therapy, **kw):
        calls.append((profile.sample_id, therapy))
        return real(profile, therapy, **kw)

    monkeypatch.setattr(batch, "predict", counting)
    rows = "".join(f"r{i}\tCOADREAD\tcetuximab\tKRAS G12D\t\n" for i in range(2000))
    queries = tmp_path / "q.tsv"
    queries.write_text("id\ttumor_type\ttherapy\talterations\tmarkers\n" + rows
                       + "other\tCOADREAD\tcetuximab\tBRAF V600E\t\n", encoding="utf-8")
    answers = batch.predict_batch(queries, screen="none")
    first, ok = next(answers)  # a generator: the first row is answered before the rest is read
    assert ok and first["id"] == "r0" and len(calls) == 1
    rest = list(answers)
    assert len(rest) == 2000 and len(calls) == 2
    assert rest[-2][0]["id"] == "r1999" and rest[-2][0]["query"]["sample_id"] == "r1999"
    assert rest[-2][0]["strategies"] == first["strategies"]
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--batch", str(queries), "--screen", "none", "--format", "jsonl",
                 "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 2001 and json.loads(lines[-1])["id"] == "other"
