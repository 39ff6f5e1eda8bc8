"""Protein-change normalisation: gauntlet, equivalents, rejects, and property round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from herscape.profile import parse_protein_change
from herscape.profile._protein import AMINO_ACIDS, ONE_TO_THREE

DATA = Path(__file__).resolve().parents[1] / "data" / "profile"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("text", _lines("protein_changes.gauntlet"))
def test_gauntlet_round_trips(text):
    assert str(parse_protein_change(text)) == text


@pytest.mark.parametrize("line", _lines("protein_changes.equivalent"))
def test_equivalent_spellings(line):
    given_text, canonical = line.split("\t")
    assert str(parse_protein_change(given_text)) == canonical


@pytest.mark.parametrize("line", _lines("protein_changes.reject"))
def test_rejects_with_reason(line):
    text, reason = line.split("\t")
    with pytest.raises(ValueError, match=reason):
        parse_protein_change(text)


def test_consequences():
    cases = {
        "G12D": "missense", "R1188*": "nonsense", "G12=": "synonymous", "P780fs": "frameshift",
        "E746_A750del": "inframe_deletion", "A775_G776insYVMA": "inframe_insertion",
        "A775_G776dup": "inframe_insertion", "E746_T751delinsA": "inframe_delins",
        "M1?": "start_lost", "M1V": "start_lost", "*1211Qext": "stop_lost",
        "X125_splice": "splice", "G12": "codon",
    }
    for text, consequence in cases.items():
        assert parse_protein_change(text).consequence == consequence, text


aa = st.sampled_from(AMINO_ACIDS)
pos = st.integers(min_value=2, max_value=5000)


@given(ref=aa, position=pos, alt=st.sampled_from(AMINO_ACIDS + "*"))
def test_substitution_spellings_agree(ref, position, alt):
    three_alt = ONE_TO_THREE[alt]
    spellings = [
        f"{ref}{position}{alt}",
        f"p.{ref}{position}{alt}",
        f"p.{ONE_TO_THREE[ref]}{position}{three_alt}",
        f"p.({ONE_TO_THREE[ref]}{position}{three_alt})",
        f"{ONE_TO_THREE[ref]}{position}{three_alt}",
    ]
    canonical = {str(parse_protein_change(s)) for s in spellings}
    assert len(canonical) == 1
    (text,) = canonical
    assert str(parse_protein_change(text)) == text
    expected = f"{ref}{position}{'=' if alt == ref else alt}"
    assert text == expected


@given(ref=aa, start=pos, length=st.integers(min_value=1, max_value=8), end_ref=aa,
       inserted=st.text(alphabet=AMINO_ACIDS, min_size=1, max_size=6),
       op=st.sampled_from(["del", "dup", "ins", "delins"]))
def test_indel_round_trip(ref, start, length, end_ref, inserted, op):
    end = start + (1 if op == "ins" else length)
    tail = inserted if op in {"ins", "delins"} else ""
    text = f"{ref}{start}_{end_ref}{end}{op}{tail}"
    change = parse_protein_change(text)
    assert str(change) == text
    three = (f"p.{ONE_TO_THREE[ref]}{start}_{ONE_TO_THREE[end_ref]}{end}{op}"
             + "".join(ONE_TO_THREE[c] for c in tail))
    assert str(parse_protein_change(three)) == text
    assert change.position == start and change.end == end


@given(ref=aa, position=pos, new=aa, stop=st.integers(min_value=1, max_value=99))
def test_frameshift_forms(ref, position, new, stop):
    forms = [f"{ref}{position}fs", f"{ref}{position}{new}fs*{stop}",
             f"p.{ONE_TO_THREE[ref]}{position}{ONE_TO_THREE[new]}fsTer{stop}"]
    assert {str(parse_protein_change(f)) for f in forms} == {f"{ref}{position}fs"}


@given(st.text(max_size=12))
def test_never_crashes_otherwise(text):
    try:
        change = parse_protein_change(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert re.match(r"^[A-Z*X]", str(change))
