"""Found by the tumour-board walk-through of 2026-12-02 (docs/qa_2026-12-02.md): report files
readable by the colleague they are written for, `evolve` with the shared option set, and a
warning that says why a profile has no molecular data."""

from __future__ import annotations

import json
import os
import stat

import pytest

from herscape.cli import main


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_outputs_take_the_umask_not_0600(tmp_path, umask_022):
    out = tmp_path / "p.json"
    assert main(["predict", "-t", "COADREAD", "--therapy", "cetuximab", "-a", "KRAS G12D",
                 "--screen", "none", "-f", "json", "-o", str(out)]) == 0
    assert _mode(out) == 0o644
    tsv = tmp_path / "kb.tsv"
    assert main(["kb", "export", "--format", "tsv", "--out", str(tsv)]) == 0
    assert _mode(tsv) == 0o644


def test_outputs_follow_a_strict_umask(tmp_path):
    old = os.umask(0o077)
    try:
        out = tmp_path / "a.json"
        assert main(["annotate", "-t", "COADREAD", "-a", "KRAS G12D", "-f", "json", "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert _mode(out) == 0o600


def test_evolve_shares_the_profile_options(capsys):
    main(["evolve", "--help"])
    text = capsys.readouterr().out
    for option in ("-t", "-a", "-m", "-f", "-o", "--sample-id", "--oncotree", "--skip-bad"):
        assert option in text, f"evolve lacks {option}"
    assert "--sample " not in text  # the deprecated alias is hidden


def test_evolve_runs_with_short_options(tmp_path):
    out = tmp_path / "e.json"
    rc = main(["evolve", "-t", "mCRC", "-a", "KRAS G12D", "--schedule", "cetuximab until progression",
               "--months", "3", "-f", "json", "-o", str(out)])
    assert rc == 0
    doc = json.loads(out.read_text())
    assert doc["tumor_type"] == "COADREAD"
    assert doc["plan"]["clones"][0]["genotype"] == ["KRAS G12D"]


def test_evolve_unknown_sample_names_the_option(tmp_path, capsys):
    rc = main(["evolve", "-t", "COADREAD", "-a", "KRAS G12D", "--sample-id", "nope",
               "--schedule", "cetuximab until progression"])
    assert rc == 2
    assert "--sample-id" in capsys.readouterr().err


def test_no_file_no_statement_is_not_called_a_clinical_file(capsys):
    rc = main(["predict", "-t", "COADREAD", "--therapy", "cetuximab", "--screen", "none",
               "-f", "json"])
    assert rc == 0
    err = capsys.readouterr().err
    assert "clinical file" not in err
    assert "nothing was tested" in err
