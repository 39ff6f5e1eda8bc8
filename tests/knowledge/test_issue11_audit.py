"""Issue 11, item 6: the audit findings stay fixed (each checked against the seed text)."""

from __future__ import annotations

import re

import pytest

from herscape._config import seeds_dir
from herscape.knowledge import load_kb
from herscape.knowledge._format import format_numbers
from herscape.knowledge._seedcheck import seed_lines


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_dalotuzumab_is_compared_with_placebo_within_igf1_positive(kb) -> None:
    rec = kb.strategies["S001-igf1r-dalotuzumab-igf1-positive"]
    assert "placebo" in rec.comparator and "IGF-1-positive" in rec.comparator
    n = rec.numbers
    assert (n.pfs, n.pfs_control, n.os, n.os_control) == (5.6, 3.6, 17.9, 9.4)
    assert (n.hr2, n.hr2_endpoint, n.ci2_low, n.ci2_high, n.p2) == (0.67, "os", 0.31, 1.45, 0.31)
    assert n.text is None  # the second HR now has its own fields


def test_marianne_is_non_inferiority_not_superiority(kb) -> None:
    marianne = kb.strategies["S002b-tdm1-marianne"]
    assert marianne.outcome == "mixed"
    assert "non-inferior" in marianne.numbers.text
    assert marianne.setting.line == "first"
    superior = kb.assertions["A002b-tdm1-superior-trastuzumab"]
    assert superior.sources == ["ref:vonminckwitz2019"]  # KATHERINE only, not MARIANNE
    assert superior.setting.line == "adjuvant"
    assert superior.numbers.rate_endpoint == "3-year IDFS"
    assert "P < 0.001" in format_numbers(superior.numbers)


def test_tdxd_single_arm_phase2_is_level_b(kb) -> None:
    rec = kb.strategies["S002b-tdxd-pretreated"]
    assert rec.level == "B"
    assert kb.sources[rec.sources[0]].study_type == "phase_ii"


def test_pdl1_rise_is_an_opening_for_immunotherapy_not_resistance(kb) -> None:
    rec = kb.assertions["A000-pdl1-up-after-anti-egfr"]
    assert rec.effect == "sensitivity"
    assert kb.regimen(rec.therapy).drugs == {"immune-checkpoint-inhibitor"}
    assert rec.level == "E"
    assert "cetuximab" in rec.setting.prior
    assert not any(a.biomarker == "CD274=high" and a.therapy == "cetuximab" and a.effect == "resistance"
                   and a.tumor_type == "COADREAD" for a in kb.assertions.values())


def test_crystal_os_gain_is_for_ras_wild_type(kb) -> None:
    rec = kb.assertions["A000-kras-wt-cetuximab-folfiri-crystal"]
    assert "NRAS wild-type" in rec.biomarker
    assert (rec.numbers.os, rec.numbers.os_control) == (28.4, 20.2)
    assert "15%" not in (rec.numbers.text or "")
    other = kb.assertions["A001-crystal-other-ras-os"]
    assert other.effect == "resistance" and other.numbers.hr == 1.22


@pytest.mark.parametrize("rid", ["A000-braf-v600e-beacon-triplet", "S000-beacon-triplet",
                                 "A001-crystal-ras-wt-pfs", "A002b-tdm1-superior-trastuzumab"])
def test_p_below_a_bound_is_stored_as_a_bound(kb, rid) -> None:
    rec = kb.assertions.get(rid) or kb.strategies[rid]
    assert rec.numbers.p_bound == "<"
    assert re.search(r"P < 0\.00?01", format_numbers(rec.numbers))


def test_no_p_bound_left_in_free_text(kb) -> None:
    """A 'P < x' written in the numbers' text is a bound that missed its field (an interaction or
    heterogeneity P has no field of its own and may stay in the text)."""
    bound = re.compile(r"(?<!interaction )(?<!heterogeneity )(?<!trend )\bP\s*[<≤]", re.IGNORECASE)
    for rec in (*kb.assertions.values(), *kb.strategies.values()):
        text = rec.numbers.text if rec.numbers is not None else None
        assert not (text and bound.search(text)), rec.id


def test_seed_p_bounds_are_stored_as_bounds(kb) -> None:
    """A record whose p equals a 'P < x' printed at its seed lines stores it as a bound."""
    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("seed documents not found (HERSCAPE_SEEDS)")
    bound = re.compile(r"\bP\s*<\s*(0?\.\d+)", re.IGNORECASE)
    checked = 0
    for rec in (*kb.assertions.values(), *kb.strategies.values()):
        if rec.numbers is None or rec.numbers.p is None:
            continue
        for ref in rec.where:
            lines = seed_lines(seeds, ref.seed) or ()
            text = " ".join(lines[max(0, ref.line - 4):ref.line + 3])
            for match in bound.finditer(text):
                if float(match.group(1)) == rec.numbers.p:
                    checked += 1
                    assert rec.numbers.p_bound == "<", rec.id
    assert checked >= 3


def test_laurent_puig_cohort_size(kb) -> None:
    assert kb.assertions["A001-pten-laurentpuig-no-effect"].numbers.n == 102


def test_mechanism_timing_follows_seed001_table2(kb) -> None:
    assert kb.mechanisms["pten_loss"].timing == "uncertain"  # "Not Sure" for both
    assert kb.mechanisms["angiogenesis_vegf"].timing == "acquired"  # primary: No, acquired: Yes
