"""The biomarker pattern language: data-driven gauntlet (parse -> format) and reject files."""

from __future__ import annotations

from pathlib import Path

import pytest

from herscape.errors import KnowledgeBaseError
from herscape.knowledge import parse_pattern
from herscape.knowledge._pattern import All, Any_, Change, Codon, Exon, Marker, Not, atoms

DATA = Path(__file__).resolve().parents[1] / "data" / "knowledge"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("text", _lines("patterns_gauntlet.txt"))
def test_gauntlet_round_trips(text: str) -> None:
    assert str(parse_pattern(text)) == text


@pytest.mark.parametrize("line", _lines("patterns_reject.txt"))
def test_reject(line: str) -> None:
    text, reason = line.split("\t")
    with pytest.raises(KnowledgeBaseError, match=reason) as info:
        parse_pattern(text)
    assert info.value.field == "biomarker"


def test_precedence_and_words() -> None:
    p = parse_pattern("KRAS G12D OR NRAS exon 3 AND NOT BRAF V600E")
    assert isinstance(p, Any_)
    assert p.operands[0] == Change("KRAS", "G12D")
    right = p.operands[1]
    assert isinstance(right, All)
    assert right.operands == (Exon("NRAS", (3,)), Not(Change("BRAF", "V600E")))


def test_atoms_in_order() -> None:
    p = parse_pattern("KRAS codons 12,13 & (AREG=low | !EREG=high)")
    assert atoms(p) == [Codon("KRAS", (12, 13)), Marker("AREG", "low"), Marker("EREG", "high")]


def test_any_is_a_word_not_a_gene() -> None:
    from herscape.knowledge._pattern import Anything

    assert parse_pattern("any") == Anything()
    assert atoms(parse_pattern("any | KRAS G12D"))[0] == Anything()
    with pytest.raises(KnowledgeBaseError):
        parse_pattern("any G12D")  # not a gene symbol: "any" stands alone
