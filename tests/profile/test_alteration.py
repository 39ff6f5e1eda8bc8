"""Alteration strings and markers: gauntlet (parse and format back), equivalents, rejects."""

from __future__ import annotations

from pathlib import Path

import pytest

from herscape.errors import UsageError
from herscape.profile import (
    CopyNumber,
    Expression,
    Mutation,
    Protein,
    Signature,
    Splice,
    parse_alteration,
    profile_from_strings,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "profile"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("text", _lines("alterations.gauntlet"))
def test_gauntlet_round_trips(text):
    parsed = parse_alteration(text)
    assert [str(f) for f in parsed.features] == [text]


@pytest.mark.parametrize("line", _lines("alterations.equivalent"))
def test_equivalent_spellings(line):
    given_text, _, canonical = line.partition("\t")
    parsed = parse_alteration(given_text)
    assert " ; ".join(str(f) for f in parsed.features) == canonical
    if not canonical:
        assert parsed.assessed


@pytest.mark.parametrize("line", _lines("alterations.reject"))
def test_rejects_with_reason(line):
    text, reason = line.split("\t")
    with pytest.raises(ValueError, match=reason):
        parse_alteration(text)


def test_kinds_are_subclasses():
    kinds = {text: type(parse_alteration(text).features[0]) for text in
             ("KRAS G12D", "HER2 amplified", "AREG=low", "p95HER2", "MSI-high", "ERBB2 delta16")}
    assert kinds == {"KRAS G12D": Mutation, "HER2 amplified": CopyNumber, "AREG=low": Expression,
                     "p95HER2": Protein, "MSI-high": Signature, "ERBB2 delta16": Splice}


def test_mutation_fields():
    (m,) = parse_alteration("KRAS p.Gly12Asp").features
    assert (m.gene, m.protein_change, m.codon, m.exon, m.consequence) == ("KRAS", "G12D", 12, 2, "missense")
    (m,) = parse_alteration("PIK3CA H1047R").features
    assert m.exon == 20
    (e,) = parse_alteration("AREG=-1.5").features
    assert (e.value, e.number) == ("low", -1.5)


def test_profile_from_strings_keeps_what_it_cannot_read():
    p = profile_from_strings(["KRAS G12D", "FOO G12D", "BRAF wt"], markers=["AREG=low", "junk"],
                             tumor_type="coad", prior_therapies=["cetuximab:progressed"])
    assert p.tumor_type == "COAD"
    assert [str(f) for f in p.features] == ["KRAS G12D", "AREG=low"]
    assert [u.input for u in p.unrecognized] == ["FOO G12D", "junk"]
    assert "closest" in p.unrecognized[0].reason
    assert ("mutation", "BRAF") in p.assessed  # a KRAS wt beside KRAS G12D is now an error
    assert str(p.prior_therapies[0]) == "cetuximab:progressed"
    assert p.is_assessed("mutation", "KRAS") and not p.is_assessed("mutation", "NRAS")


def test_unknown_tumour_type_is_a_usage_error():
    with pytest.raises(UsageError, match="closest"):
        profile_from_strings(["KRAS G12D"], tumor_type="COADRED")
    with pytest.raises(UsageError, match="outcome"):
        profile_from_strings([], prior_therapies=["cetuximab:exploded"])


@pytest.mark.parametrize(("wild_type", "change"), [
    ("RAS wild-type", "KRAS G12D"), ("all-RAS wt", "NRAS Q61K"), ("BRAF wild type", "BRAF V600E"),
    ("HER2 not amplified", "HER2 amplified"), ("KRAS codon 12 wild type", "KRAS G12C"),
])
def test_wild_type_and_a_change_it_excludes_is_an_error(wild_type, change):
    with pytest.raises(UsageError, match="give the one the report says") as info:
        profile_from_strings([wild_type, change])
    assert wild_type in str(info.value) and change in str(info.value)


@pytest.mark.parametrize(("wild_type", "change"), [
    ("KRAS exon 2 wild type", "KRAS Q61H"), ("KRAS wild type", "NRAS G12D"),
    ("RAS/BRAF wild-type", "EGFR S492R"), ("HER2 not amplified", "ERBB2 V777L"),
])
def test_wild_type_elsewhere_is_not_a_contradiction(wild_type, change):
    p = profile_from_strings([wild_type, change])
    assert [str(f) for f in p.features] == [change]


def test_wild_type_beside_a_measured_subclone_is_kept_with_a_note():
    p = profile_from_strings(["KRAS wild-type", "KRAS G12D VAF 2%"])
    assert [str(f) for f in p.features] == ["KRAS G12D"]
    assert any("subclone" in n for n in p.notes)
