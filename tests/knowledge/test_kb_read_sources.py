"""The second kind of source: evidence read outside the seeds (PMID/DOI/NCT + reading address)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _kb_files import write_tree as _write

from herscape.errors import KnowledgeBaseError
from herscape.knowledge import load_kb
from herscape.knowledge._schema import Setting

DRUGS = """\
- {id: sotorasib, name: sotorasib, drug_class: kinase_inhibitor, targets: [KRAS]}
- {id: panitumumab, name: panitumumab, drug_class: monoclonal_antibody, targets: [EGFR]}
"""
READ_SOURCE = """\
- id: pmid:37870968
  citation: Fakih MG et al. N Engl J Med 2023;389:2125-2139
  year: 2023
  pmid: '37870968'
  nct: NCT05198934
  trial: CodeBreaK 300
  study_type: phase_iii
  read:
  - {url: 'https://pubmed.ncbi.nlm.nih.gov/37870968/', date: '2026-12-02', what: abstract}
"""
ASSERTION = """\
- id: A-cb300
  biomarker: KRAS G12C
  tumor_type: COADREAD
  therapy: sotorasib+panitumumab
  effect: sensitivity
  level: A
  claim: predictive
  comparator: trifluridine-tipiracil or regorafenib
  setting: {line: later, stage: metastatic, population: chemorefractory KRAS G12C mCRC}
  numbers: {n: 53, hr: 0.49, hr_endpoint: pfs, ci_low: 0.30, ci_high: 0.80, p: 0.006}
  sources: [pmid:37870968]
"""


def test_read_source_record_loads_without_seed_line(tmp_path: Path) -> None:
    kb = load_kb(_write(tmp_path, {"sources/t.yaml": READ_SOURCE, "drugs/d.yaml": DRUGS,
                                   "assertions/a.yaml": ASSERTION}), check_quotes=False)
    rec = kb.assertions["A-cb300"]
    assert not rec.where and rec.setting is not None and rec.setting.line == "later"
    assert not kb.sources["pmid:37870968"].is_seed
    assert "later line" in str(rec.setting)


def test_source_without_identifier_or_address_is_an_error(tmp_path: Path) -> None:
    no_id = READ_SOURCE.replace("  pmid: '37870968'\n", "").replace("  nct: NCT05198934\n", "")
    no_id = no_id.replace("id: pmid:37870968", "id: ref:cb300")
    with pytest.raises(KnowledgeBaseError) as exc:
        load_kb(_write(tmp_path, {"sources/t.yaml": no_id, "drugs/d.yaml": DRUGS}), check_quotes=False)
    assert any("pmid, doi or nct" in p.message for p in exc.value.problems)


def test_record_without_where_must_cite_a_read_source(tmp_path: Path) -> None:
    seedless = READ_SOURCE.replace(
        "  read:\n  - {url: 'https://pubmed.ncbi.nlm.nih.gov/37870968/', date: '2026-12-02', what: abstract}\n",
        "  where:\n  - {seed: '000', line: 1, section: x, quote: 'some text'}\n")
    with pytest.raises(KnowledgeBaseError) as exc:
        load_kb(_write(tmp_path, {"sources/t.yaml": seedless, "drugs/d.yaml": DRUGS,
                                  "assertions/a.yaml": ASSERTION}), check_quotes=False)
    problems = exc.value.problems
    assert any(p.field == "where" and p.record == "A-cb300" for p in problems)


def test_setting_from_plain_text_is_the_population() -> None:
    assert Setting.model_validate("first-line mCRC").population == "first-line mCRC"
