"""Issue 11, items 4 and 5: drug status (phase, cited approvals, discontinuation) and the release."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _kb_files import write_tree as _write

from herscape.cli import main
from herscape.errors import KnowledgeBaseError, UsageError
from herscape.knowledge import load_kb
from herscape.knowledge._format import format_numbers, format_status
from herscape.knowledge._load import data_dir
from herscape.knowledge._schema import DrugStatus, Numbers
from herscape.knowledge._store import kb_from_store

#: Drugs the issue names as abandoned: never to be recommended.
ABANDONED = ["futuximab", "modotuximab", "sym004", "matuzumab", "zalutumumab", "dalotuzumab",
             "ganitumab", "figitumumab"]
#: The in-scope drugs whose status must be recorded (approved or not).
IN_SCOPE = ["cetuximab", "panitumumab", "necitumumab", "amivantamab", "trastuzumab", "pertuzumab",
            "margetuximab", "zanidatamab", "trastuzumab-emtansine", "trastuzumab-deruxtecan",
            "lapatinib", "neratinib", "tucatinib", "gefitinib", "erlotinib", "afatinib", "dacomitinib",
            "osimertinib", "lazertinib", "sotorasib", "adagrasib", "encorafenib", "dabrafenib",
            "trametinib", "pembrolizumab", "nivolumab", "ipilimumab", "bevacizumab", "ramucirumab",
            "aflibercept", "fluorouracil", "oxaliplatin", "irinotecan", "capecitabine", *ABANDONED]


@pytest.mark.parametrize("drug", IN_SCOPE)
def test_in_scope_drug_has_a_cited_status(kb, drug) -> None:
    status = kb.drug_status(drug)
    assert status is not None, drug
    for approval in status.approvals:
        src = kb.sources[approval.source]
        assert src.read, (drug, approval.source)  # an approval is read from a label or notice


@pytest.mark.parametrize("drug", ABANDONED)
def test_abandoned_antibodies_are_discontinued(kb, drug) -> None:
    status = kb.drug_status(drug)
    assert status.is_discontinued and status.state == "discontinued"
    assert format_status(status).startswith("discontinued")


def test_drug_status_by_synonym_and_unknown_name(kb) -> None:
    assert kb.drug_status("Erbitux").id == "cetuximab"
    assert kb.drug_status("Erbitux").state == "approved"
    with pytest.raises(UsageError, match="unknown drug"):
        kb.drug_status("not-a-drug-xyz")


def test_approvals_for_a_tumour_type(kb) -> None:
    crc = kb.drug_status("encorafenib").approvals_for("COADREAD")
    assert {a.regimen for a in crc} >= {"encorafenib+cetuximab", "encorafenib+cetuximab+folfox"}
    assert all(a.biomarker == "BRAF V600E" for a in crc)
    assert "FDA 2020" in format_status(kb.drug_status("encorafenib"))


def test_status_states() -> None:
    base = {"id": "x1", "sources": ["pmid:123456"]}
    approval = {"agency": "FDA", "year": 2020, "indication": "something", "tumor_type": "BRCA",
                "source": "pmid:123456"}
    assert DrugStatus(**base, phase="phase_ii").state == "investigational"
    assert DrugStatus(**base, phase="approved").state == "approved"  # not itemised
    withdrawn = DrugStatus(**base, phase="approved", approvals=[{**approval, "withdrawn": True}])
    assert withdrawn.state == "discontinued"
    with pytest.raises(ValueError, match="phase must be 'approved'"):
        DrugStatus(**base, phase="phase_iii", approvals=[approval])
    assert format_status(None) == "status not recorded"


STATUS_DIR = {
    "sources/s.yaml": """\
        - id: pmid:111111
          citation: A trial et al. 2020
          year: 2020
          pmid: '111111'
          study_type: phase_iii
          where: [{seed: '000', line: 1, section: x, quote: 'some text'}]
        """,
    "drugs/d.yaml": """\
        - {id: drugx, name: drugx, drug_class: monoclonal_antibody, approved: false}
        """,
    "status/s.yaml": """\
        - id: drugx
          phase: approved
          approvals:
          - {agency: FDA, year: 2020, indication: an indication, tumor_type: BRCA, regimen: drugx+nodrug,
             source: pmid:111111}
          sources: [pmid:111111, pmid:999999]
        - id: nosuchdrug
          phase: phase_i
          sources: [pmid:111111]
        """,
}


def test_status_cross_checks(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError) as exc:
        load_kb(_write(tmp_path, STATUS_DIR), check_quotes=False)
    messages = "\n".join(p.message for p in exc.value.problems)
    assert "no 'read' address" in messages  # an approval must cite a label or notice read
    assert "'nodrug' does not resolve" in messages
    assert "pmid:999999" in messages  # undefined source
    assert "no drug has this id" in messages  # status for an unknown drug
    assert "approved: false but its status is 'approved'" in messages
    assert all(p.source and p.source.endswith("s.yaml") for p in exc.value.problems)


def test_release_is_read_and_exposed(kb) -> None:
    assert kb.release is not None
    assert kb.release.version.count(".") >= 1 and kb.release.date.startswith("20")


def test_release_file_errors_name_the_field(tmp_path: Path) -> None:
    (tmp_path / "release.yaml").write_text("version: one\ndate: '2026-12-02'\n")
    with pytest.raises(KnowledgeBaseError) as exc:
        load_kb(tmp_path, check_quotes=False)
    problem = exc.value.problems[0]
    assert problem.field == "version" and problem.line == 1


def test_store_round_trips_new_fields(tmp_path: Path, monkeypatch) -> None:
    """A knowledge base read back from the compiled store equals the validated one."""
    monkeypatch.setenv("HERSCAPE_CACHE", str(tmp_path))
    fresh = kb_from_store()  # builds the store
    again = kb_from_store()  # reads it back
    assert again.release == fresh.release
    for kind in ("sources", "assertions", "strategies", "status", "drugs"):
        assert dict(getattr(again, kind)) == dict(getattr(fresh, kind)), kind
    marianne = again.strategies["S002b-tdm1-marianne"]
    assert marianne.setting.line == "first" and marianne.comparator
    assert again.sources["ref:perez2017"].read and again.sources["ref:perez2017"].nct == "NCT01120184"
    assert again.assertions["A001-crystal-ras-wt-pfs"].numbers.p_bound == "<"


@pytest.mark.parametrize(("numbers", "text"), [
    ({"p": 0.001, "p_bound": "<"}, "P < 0.001"),
    ({"p": 0.02}, "P=0.02"),
    ({"pcr": 45.8, "pcr_control": 29}, "pCR 45.8% vs 29%"),
    ({"cbr": 40}, "CBR 40%"),
    ({"efs": 20.1, "efs_control": 15}, "EFS 20.1 mo vs 15 mo"),
    ({"dfs": 30}, "DFS 30 mo"),
    ({"rate": 88.3, "rate_control": 77, "rate_endpoint": "3-year IDFS"}, "3-year IDFS 88.3% vs 77%"),
    ({"hr": 0.5, "hr_endpoint": "pfs", "hr2": 0.67, "hr2_endpoint": "os", "ci2_low": 0.31,
      "ci2_high": 1.45, "p2": 0.001, "p2_bound": "<"}, "HR PFS 0.5; HR OS 0.67 (0.31-1.45); P < 0.001"),
])
def test_format_numbers_new_fields(numbers, text) -> None:
    assert text in format_numbers(Numbers(**numbers))


@pytest.mark.parametrize(("numbers", "error"), [
    ({"p_bound": "<"}, "p_bound is given but p is not"),
    ({"rate": 50}, "rate needs rate_endpoint"),
    ({"hr": 0.5, "ci_low": 0.4}, "ci_low and ci_high go together"),
    ({"hr": 0.5, "ci_low": 0.9, "ci_high": 0.4}, "is above"),
])
def test_numbers_refuse_half_stated_figures(numbers, error) -> None:
    with pytest.raises(ValueError, match=error):
        Numbers(**numbers)


def test_kb_stats_json_has_release_and_both_kinds(capsys) -> None:
    assert main(["kb", "stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["release"]["version"]
    assert stats["sources_seed"] > 0 and stats["sources_read"] > 0
    assert stats["drugs_discontinued"] >= len(ABANDONED)


def test_kb_validate_reports_both_kinds(capsys) -> None:
    assert main(["kb", "validate"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "read in the seeds" in out and "read beyond them" in out and "release" in out


def test_kb_diff_lists_added_removed_changed(tmp_path: Path, capsys) -> None:
    old = tmp_path / "old"
    shutil.copytree(data_dir(), old)
    path = old / "assertions" / "seed001.yaml"
    text = path.read_text()
    path.write_text(text.replace("numbers: {n: 102}", "numbers: {n: 99}", 1))
    shutil.rmtree(old / "status")
    (old / "release.yaml").write_text("version: '0.9'\ndate: '2026-11-01'\n")
    assert main(["kb", "diff", str(old), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["old"]["release"]["version"] == "0.9"
    assert {"record_type": "drug status", "id": "cetuximab"} in doc["added"]
    changed = {c["id"]: c for c in doc["changed"]}
    assert changed["A001-pten-laurentpuig-no-effect"]["fields"] == ["numbers"]
    assert changed["A001-pten-laurentpuig-no-effect"]["before"]["numbers"] == {"n": 99}
    assert not doc["removed"]
    assert main(["kb", "diff", str(old)]) == 0
    out = capsys.readouterr().out
    assert "~ assertion A001-pten-laurentpuig-no-effect: numbers" in out
    assert main(["kb", "diff", str(old), str(old)]) == 0
    assert "no record added, removed or changed" in capsys.readouterr().out


def test_kb_diff_bad_folder_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["kb", "diff", str(tmp_path / "nowhere")]) == 2
    assert "is not a knowledge folder" in capsys.readouterr().err
    bad = tmp_path / "bad"
    (bad / "assertions").mkdir(parents=True)
    (bad / "assertions" / "a.yaml").write_text("- biomarker: x\n")
    assert main(["kb", "diff", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "record has no 'id'" in err and "a.yaml" in err


def test_annotate_prints_the_release(capsys) -> None:
    assert main(["annotate", "--tumor-type", "COADREAD", "--alteration", "KRAS G12D", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["knowledge"]["release"]["version"] == load_kb(check_quotes=False).release.version
    assert main(["annotate", "--tumor-type", "COADREAD", "--alteration", "KRAS G12D"]) == 0
    assert "knowledge release" in capsys.readouterr().out


def test_prediction_carries_the_release_in_json_and_footers() -> None:
    from herscape.predict import predict
    from herscape.profile._read import profile_from_strings
    from herscape.report import render_html, render_text

    pred = predict(profile_from_strings(["BRAF V600E"], tumor_type="COADREAD"), "encorafenib+cetuximab",
                   screen="none")
    release = pred.to_dict()["knowledge_release"]
    assert release == {"version": pred_kb_release().version, "date": pred_kb_release().date}
    text = f"knowledge release {release['version']} of {release['date']}"
    assert text in render_html(pred)
    from io import StringIO

    from rich.console import Console

    buf = StringIO()
    render_text(pred, console=Console(file=buf, width=200))
    assert text in buf.getvalue()


def pred_kb_release():
    return kb_from_store().release
