"""Clinical side of issue 14: ctDNA shedding, withdrawal half-lives, drug-specific resistance,
virtual cohorts (determinism, schema)."""

from __future__ import annotations

import math

import jsonschema
import numpy as np
import pytest

from herscape.evolve import (
    build_plan,
    evolve_schema,
    plasma_genomes,
    run_to_dict,
    sample_draws,
    shedding_mean,
    simulate_cohort,
    simulate_patient,
    with_allele_fractions,
    withdrawal_half_life,
)
from herscape.profile import profile_from_strings


def test_shedding_mean_and_sampled_draws():
    """N = 1e10, d = 0.136, q_d = 1.4e-4: 5.7e3 genome equivalents in plasma (Avanzini 2020)."""
    expected = shedding_mean(1e10, b=0.136, d=0.136, q_d=1.4e-4)
    assert expected == pytest.approx(5.7e3, rel=0.01)
    assert plasma_genomes(1e10, b=0.136, d=0.136) == pytest.approx(expected, rel=1e-9)
    draws = 4000
    got = sample_draws(1e10, b=0.136, d=0.136, draws=draws, seed=2)
    per_draw = expected * 8.25 / 2750.0
    assert abs(got.mean() - per_draw) <= 2 * math.sqrt(per_draw / draws)


@pytest.fixture(scope="module")
def withdrawal_run():
    profile = profile_from_strings(["APC R1450*", "KRAS G12D", "EGFR S492R"], tumor_type="COADREAD")
    profile = with_allele_fractions(profile, {"KRAS G12D": 0.02, "EGFR S492R": 0.02})
    plan = build_plan(profile, schedule="cetuximab for 2 months; off 8 months")
    res = simulate_patient(plan, seed=1, burden=1e10, lesions=1, horizon=300)
    return plan, res


def _ratio_half_life(plan, res, j: int) -> float:
    """Half-life (days) of resistant clone j's reads relative to the sensitive founding clone's
    during the holiday (off the drug both shed alike per cell, so reads follow cells)."""
    off = (res.phase == 1) & (res.days >= 90)
    ratio = np.log(res.cells[off, j] / res.cells[off, 0])
    slope = np.polyfit(res.days[off], ratio, 1)[0]
    return math.log(2) / -slope


@pytest.mark.parametrize(("gene", "marker", "months"), [("KRAS", "KRAS G12D", 3.7),
                                                         ("EGFR", "EGFR S492R", 4.7)])
def test_withdrawal_half_life(withdrawal_run, gene, marker, months):
    plan, res = withdrawal_run
    clone = next(t for t in plan.types if t.genotype[-1] == marker)
    birth, death = plan.rates()
    founder = 0
    j = plan.types.index(clone)
    r_s = birth[0, founder] - death[0, founder]
    r_r = birth[0, j] - death[0, j]
    theory = withdrawal_half_life(r_s, r_r)
    got = _ratio_half_life(plan, res, j)
    assert got == pytest.approx(theory, rel=0.05)
    assert got / 30.44 == pytest.approx(months, rel=0.25)


def test_s492r_resists_cetuximab_not_panitumumab():
    profile = profile_from_strings(["KRAS wild-type"], tumor_type="COADREAD")
    plan = build_plan(profile, schedule="cetuximab until progression; panitumumab")
    s492r = [t for t in plan.types if "S492R" in t.name]
    assert len(s492r) == 1
    t = s492r[0]
    assert t.effect["cetuximab"] == 0.0
    assert t.effect["panitumumab"] > 0.9
    ras = next(t for t in plan.types if t.name.startswith("KRAS"))
    assert ras.effect["cetuximab"] == 0.0 and ras.effect["panitumumab"] == 0.0


def test_cohort_same_seed_any_threads_and_schema():
    profile = profile_from_strings(["KRAS wild-type"], tumor_type="COADREAD")
    plan = build_plan(profile, schedule="cetuximab until progression; off 4 months; cetuximab")
    a = simulate_cohort(plan, patients=60, seed=5, threads=1)
    b = simulate_cohort(plan, patients=60, seed=5, threads=2)
    c = simulate_cohort(plan, patients=60, seed=6, threads=2)
    np.testing.assert_array_equal(a.pfs_days, b.pfs_days)
    np.testing.assert_array_equal(a.burden, b.burden)
    assert not np.array_equal(a.burden, c.burden)
    assert a.summary() == b.summary()
    patient = simulate_patient(plan, seed=5, horizon=200)
    doc = run_to_dict(plan, seed=5, patient=patient, cohort=a)
    jsonschema.validate(doc, evolve_schema())
    s = doc["cohort"]
    assert 0 <= s["orr"] <= s["dcr"] <= 1
    assert s["patients"] == 60


def test_resistant_founder_progresses():
    """A tumour whose every cell carries KRAS G12D does not respond to cetuximab."""
    profile = profile_from_strings(["KRAS G12D"], tumor_type="COADREAD")
    plan = build_plan(profile, schedule="cetuximab until progression")
    res = simulate_patient(plan, seed=2, horizon=365)
    assert res.best_response in ("SD", "PD")
    assert res.pfs_days is not None


@pytest.mark.parametrize(("b", "d", "un", "size"), [(0.14, 0.13, 2.5e-5, 2e4), (1.0, 0.5, 1e-5, 1e5)])
def test_preexisting_sampler_matches_closed_form(b, d, un, size):
    """The sampler that seeds virtual patients' resistant clones (Iwasa 2006 / Bozic 2013)."""
    from herscape.evolve import _kernel, preexistence_probability

    rng = np.random.default_rng(8)
    runs = 20000
    cells = np.array([_kernel.preexisting(size, b, d, b, d, un, rng) for _ in range(runs)])
    expected = preexistence_probability(size, b=b, d=d, un=un)
    assert abs((cells > 0).mean() - expected) <= 2 * math.sqrt(expected * (1 - expected) / runs)
