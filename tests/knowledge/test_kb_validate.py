"""`herscape kb validate` on bad records: exit 2, with file, line, record and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _kb_files import write_tree as _write

from herscape._config import seeds_dir
from herscape.cli import main
from herscape.errors import KnowledgeBaseError
from herscape.knowledge import load_kb

GOOD_SOURCE = """\
- id: doi:10.1056/NEJMoa1908075
  citation: Kopetz S et al. N Engl J Med 2019;381(17):1632-43
  year: 2019
  doi: 10.1056/NEJMoa1908075
  trial: BEACON
  study_type: phase_iii
  where:
  - {seed: "000", line: 294, section: References, quote: "Encorafenib, Binimetinib, and Cetuximab"}
"""
GOOD_DRUGS = """\
- {id: cetuximab, name: cetuximab, synonyms: [Erbitux, C225], drug_class: monoclonal_antibody, targets: [EGFR]}
- {id: encorafenib, name: encorafenib, synonyms: [LGX818], drug_class: kinase_inhibitor, targets: [BRAF]}
- {id: binimetinib, name: binimetinib, drug_class: kinase_inhibitor, targets: [MAP2K1]}
"""
GOOD_STRATEGY = """\
- id: S-beacon
  biomarker: BRAF V600E
  tumor_type: COADREAD
  fails: cetuximab
  regimen: encorafenib+binimetinib+Erbitux
  kind: combination
  outcome: positive
  level: A
  numbers: {orr: 26, orr_control: 2, os: 9.0, os_control: 5.4}
  sources: [doi:10.1056/NEJMoa1908075]
  where:
  - {seed: "000", line: 130, section: RAF mutations and RAF inhibitors, quote: "(26% vs. 2%)"}
"""


def _good(tmp_path: Path) -> dict[str, str]:
    return {
        "sources/s.yaml": GOOD_SOURCE,
        "drugs/d.yaml": GOOD_DRUGS,
        "strategies/t.yaml": GOOD_STRATEGY,
        "markers/m.yaml": "- {id: AREG, kind: expression, gene: AREG, values: [high, low], description: amphiregulin}\n",
    }


def test_good_minimal_kb_loads(tmp_path: Path) -> None:
    kb = load_kb(_write(tmp_path, _good(tmp_path)), check_quotes=False)
    assert kb.regimen("LGX818+erbitux+binimetinib").drugs == {"encorafenib", "cetuximab", "binimetinib"}
    assert kb.stats()["strategies_positive"] == 1


BAD_CASES = [
    # (file to replace, its text, expected message fragment, line, field)
    ("strategies/t.yaml", GOOD_STRATEGY.replace("level: A", "level: Z"), "level", 8, "level"),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("doi:10.1056/NEJMoa1908075]", "pmid:999999]"),
     "source 'pmid:999999' is not defined", 10, "sources"),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("binimetinib+", "binimetinb+"),
     "drug 'binimetinb' does not resolve \\(closest: binimetinib", 5, "regimen"),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("  biomarker: BRAF V600E", "  mechanism: nope"),
     "mechanism 'nope' is not defined", 2, "mechanism"),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("BRAF V600E", "BRAF V600EE"), "neither a protein change", 2,
     "biomarker"),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("BRAF V600E", "AREG=lowish"), "marker AREG takes", 2,
     "biomarker"),
    ("strategies/t.yaml", GOOD_STRATEGY + GOOD_STRATEGY, "duplicate strategy id 'S-beacon'", 13, "id"),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("(26% vs. 2%)", "(27% vs. 2%)"), "not found within 3 lines",
     11, "where"),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("  sources: [doi:10.1056/NEJMoa1908075]\n", ""),
     "sources: Field required", 1, None),
    ("drugs/d.yaml", GOOD_DRUGS + "- {id: other, name: other, synonyms: [C-225], drug_class: other}\n",
     "drug name 'C-225' of 'other' is already a name of 'cetuximab'", None, "synonyms"),
    ("strategies/t.yaml", "- id: [unclosed\n", "YAML does not parse", 2, None),
    ("strategies/t.yaml", GOOD_STRATEGY.replace("tumor_type: COADREAD", "tumor_type: COLRECT"),
     "tumour type 'COLRECT' is not an OncoTree code", 3, "tumor_type"),
    # issue 11: a record without a seed line must cite a source read elsewhere (identifier + address)
    ("strategies/t.yaml", re.sub(r"  where:\n  - \{seed.*\n", "", GOOD_STRATEGY),
     "has no 'where' \\(seed line\\) and cites 'doi:10.1056/NEJMoa1908075', which has no 'read'", 1, "where"),
]


@pytest.mark.parametrize(("rel", "text", "message", "line", "field"), BAD_CASES)
def test_bad_record_is_reported(tmp_path: Path, rel: str, text: str, message: str,
                                line: int | None, field: str | None) -> None:
    if "not found within" in message and seeds_dir() is None:
        pytest.skip("../shared/seeds is absent, so quotes cannot be checked (tests read ../shared in place)")
    files = _good(tmp_path)
    files[rel] = text
    root = _write(tmp_path, files)
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(root)
    problems = info.value.problems
    assert problems, "a failed load lists its problems"
    hit = [p for p in problems if re.search(message, str(p))]
    assert hit, f"no problem matches {message!r}: {[str(p) for p in problems]}"
    if line is not None:
        assert hit[0].line == line
    if field is not None:
        assert hit[0].field == field
    if rel != "drugs/d.yaml":
        assert hit[0].source is not None and hit[0].source.endswith(rel.split("/")[-1])


def test_cli_validate_exit_2_names_file_line_field(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    files = _good(tmp_path)
    files["strategies/t.yaml"] = GOOD_STRATEGY.replace("level: A", "level: Z")
    root = _write(tmp_path, files)
    assert main(["kb", "validate", "--data", str(root)]) == 2
    err = capsys.readouterr().err
    assert "t.yaml:8" in err and "record 'S-beacon'" in err and "field 'level'" in err


def test_cli_validate_good_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = _write(tmp_path, _good(tmp_path))
    assert main(["kb", "validate", "--data", str(root)]) == 0
    assert "knowledge base valid" in capsys.readouterr().out
