"""Issue 11, item 7: ``kb show`` finds identifiers and whole words, never substrings; says "no record"."""

from __future__ import annotations

import json

import pytest

from herscape.cli import main
from herscape.knowledge._query import find_records


def _ids(query: str) -> set[str]:
    return {rid for _, rid, _ in find_records(query)}


def test_trial_name_returns_that_trials_records(kb) -> None:
    ids = _ids("MARIANNE")
    assert {"ref:perez2017", "S002b-tdm1-marianne"} <= ids
    # KATHERINE's record only mentions MARIANNE in a note: the trial's own records come first
    assert "A002b-tdm1-superior-trastuzumab" not in ids
    for rid in ids - {"ref:perez2017"}:
        rec = kb.assertions.get(rid) or kb.strategies.get(rid) or kb.mechanisms.get(rid)
        assert rec is not None and any(kb.sources[s].trial == "MARIANNE" for s in rec.sources), rid


@pytest.mark.parametrize("fragment", ["tras", "umab", "cetux", "KATHERIN"])
def test_no_substring_hits(fragment) -> None:
    """A piece of a word is not a query: no record, rather than every record that contains it."""
    assert _ids(fragment) == set()


def test_whole_word_in_free_text(kb) -> None:
    ids = _ids("non-inferior")
    assert "S002b-tdm1-marianne" in ids
    assert all("non-inferior" in json.dumps((kb.assertions.get(i) or kb.strategies.get(i) or
                                             kb.sources.get(i) or kb.mechanisms.get(i) or
                                             kb.drugs.get(i) or kb.status.get(i)).model_dump(mode="json"))
               for i in ids)


def test_identifier_prefix(kb) -> None:
    assert _ids("S002b-tdm1") >= {r for r in kb.strategies if r.startswith("S002b-tdm1-")}


def test_drug_synonym_finds_its_status_and_records() -> None:
    ids = _ids("Erbitux")
    assert "cetuximab" in ids and len(ids) > 20


def test_cli_no_record_exit_2(capsys) -> None:
    assert main(["kb", "show", "tras"]) == 2
    assert "no knowledge record matches 'tras'" in capsys.readouterr().err


def test_cli_show_prints_reading_address_comparator_and_status(capsys) -> None:
    assert main(["kb", "show", "S002b-tdm1-marianne"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "comparator: trastuzumab + taxane" in out and "NCT01120184" in out
    assert "pubmed/28056202" in out and "first line" in out
    assert main(["kb", "show", "zalutumumab", "--type", "drugs"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "status: discontinued 2011" in out
