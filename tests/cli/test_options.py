"""One option set for `predict` and `annotate` (issue 13, item 7), empty inputs (item 6),
`--out` untouched on error, and real files that once stopped `predict` (genes outside the
knowledge)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from herscape.cli import main

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "inputs"
COMMON = ("--tumor-type", "-t", "--alteration", "-a", "--marker", "-m", "--format", "-f",
          "--out", "-o", "--sample-id", "--oncotree", "--assay", "--tested", "--skip-bad",
          "--prior-therapy")


def _help(capsys, command: str) -> str:
    main([command, "--help"])
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["predict", "annotate"])
def test_same_options(command, capsys):
    text = _help(capsys, command)
    for option in COMMON:
        assert option in text, f"{command} lacks {option}"
    assert "--sample " not in text  # the deprecated alias is hidden


def test_predict_short_options(tmp_path, capsys):
    out = tmp_path / "p.json"
    rc = main(["predict", "-t", "mCRC", "--therapy", "cetuximab", "-a", "BRAF V600E",
               "-m", "sidedness=left", "-f", "json", "-o", str(out)])
    assert rc == 0
    doc = json.loads(out.read_text())
    assert doc["verdict"] == "resistant"
    assert "read 'mCRC' as COADREAD" in capsys.readouterr().err


def test_predict_sample_alias_still_works(tmp_path, capsys):
    maf = tmp_path / "two.maf"
    maf.write_text("Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n"
                   "BRAF\tS1\tp.V600E\nKRAS\tS2\tp.G12D\n")
    for flag in ("--sample-id", "--sample"):
        rc = main(["predict", str(maf), "-t", "COADREAD", "--therapy", "cetuximab", flag, "S2",
                   "-f", "json"])
        assert rc == 0
        assert json.loads(capsys.readouterr().out)["query"]["sample_id"] == "S2"


def test_header_only_maf_is_not_a_sample(tmp_path, capsys):
    maf = tmp_path / "empty.maf"
    maf.write_text("Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n")
    rc = main(["predict", str(maf), "-t", "COADREAD", "--therapy", "cetuximab", "-f", "json"])
    assert rc == 2
    assert "holds no sample" in capsys.readouterr().err


def test_out_untouched_on_error(tmp_path, capsys):
    out = tmp_path / "report.txt"
    out.write_text("keep me")
    rc = main(["predict", "-t", "COADREAD", "--therapy", "cetuximab", "-a", "KRSA G12D",
               "-o", str(out)])
    assert rc == 2 and out.read_text() == "keep me"


def test_out_in_missing_folder_is_a_clear_error(tmp_path, capsys):
    rc = main(["predict", "-t", "COADREAD", "--therapy", "cetuximab", "-a", "KRAS G12D",
               "-o", str(tmp_path / "nope" / "p.txt")])
    assert rc == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared input files not present at {SHARED}")
def test_predict_on_a_real_maf_with_genes_outside_the_knowledge(capsys):
    rc = main(["predict", str(SHARED / "oncokb_annotator" / "example_maf.txt"), "-t", "LUAD",
               "--therapy", "osimertinib", "--sample-id", "TCGA-A6-2672-01A-01W-0833-10",
               "-f", "json"])
    assert rc == 0, capsys.readouterr().err
    assert "not in herscape's knowledge" in capsys.readouterr().err


def test_annotate_assay_makes_genes_assessed(capsys):
    rc = main(["annotate", "-a", "BRAF V600E", "-t", "COADREAD", "--tested", "KRAS,NRAS",
               "-f", "json"])
    assert rc == 0
    (sample,) = json.loads(capsys.readouterr().out)["samples"]
    assert sample["assessed"] == {"mutation": ["KRAS", "NRAS"]}


def test_batch_assay_and_tested_columns(tmp_path, capsys):
    queries = tmp_path / "q.tsv"
    queries.write_text("id\ttumor_type\ttherapy\talterations\tmarkers\tassay\ttested\n"
                       "a\tCOADREAD\tcetuximab\tTP53 R175H\t\t\t\n"
                       "b\tCOADREAD\tcetuximab\tTP53 R175H\t\texome\t\n"
                       "c\tCOADREAD\tcetuximab\tTP53 R175H\t\t\tKRAS,NRAS\n"
                       "d\tCOADREAD\tcetuximab\tTP53 R175H\t\tpanel_that_is_not_there.txt\t\n")
    rc = main(["predict", "--batch", str(queries), "-f", "jsonl"])
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rc == 2  # row d: the assay is neither exome, genome nor a panel file
    assert "assay" in rows["d"]["error"]["message"]
    # what was sequenced changes what the answer rests on
    assert (rows["a"]["verdict"], rows["a"]["basis"]) != (rows["b"]["verdict"], rows["b"]["basis"])
    assert (rows["b"]["verdict"], rows["b"]["basis"]) == (rows["c"]["verdict"], rows["c"]["basis"])
