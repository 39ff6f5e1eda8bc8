"""The theory checks of issue 14: closed forms (Bozic 2013, Iwasa 2006) against the simulator.

Tolerances are the issue's: Table 1 within 0.01 absolute; simulations within 2 standard errors.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from herscape.evolve import (
    bozic_eradication,
    bozic_scenario,
    monotherapy_eradication,
    preexistence_probability,
    run_scenarios,
)

# Bozic 2013 Table 1: (patient, total burden, n12, probability of failure of dual therapy)
TABLE_1 = [
    ("N1", 2.6e11, 0, 0.283), ("N5", 1.0e11, 0, 0.128), ("N11", 5.4e10, 0, 0.068),
    ("N18", 2.0e10, 0, 0.026), ("N22", 8.5e8, 0, 0.001),
    ("N20", 1.6e9, 1, 0.881), ("N21", 1.3e9, 1, 0.828), ("N22", 8.5e8, 1, 0.677),
]


def _se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1 - p), 1e-12) / n)


@pytest.mark.parametrize(("patient", "size", "n12", "failure"), TABLE_1)
def test_bozic_equation_1_reproduces_table_1(patient, size, n12, failure):
    assert 1 - bozic_eradication(size, n12=n12) == pytest.approx(failure, abs=0.01), patient


def test_bozic_equation_1_at_1e9():
    assert bozic_eradication(1e9, n12=1) == pytest.approx(0.263, abs=0.001)
    assert bozic_eradication(1e9, n12=0) == pytest.approx(0.9987, abs=0.0002)


def test_eradication_is_a_product_over_lesions():
    """N11: 5.4e10 cells as one lesion or as fourteen equal ones, failure 0.068 +- 0.01."""
    one = bozic_eradication(5.4e10)
    fourteen = bozic_eradication(5.4e10 / 14) ** 14
    assert 1 - one == pytest.approx(0.068, abs=0.01)
    assert 1 - fourteen == pytest.approx(0.068, abs=0.01)


def _grow_only(sc):
    return dataclasses.replace(sc, phases=((0, 0.0, math.inf, 0.0),))


@pytest.mark.parametrize(("b", "d", "un", "size", "expected"), [
    (1.0, 0.5, 1e-5, 1e5, 0.750),
    (0.14, 0.13, 2.5e-5, 2e4, 0.7585),
])
def test_preexisting_resistance_probability(b, d, un, size, expected):
    assert preexistence_probability(size, b=b, d=d, un=un) == pytest.approx(expected, abs=5e-4)
    runs = 3000
    sc = _grow_only(bozic_scenario(size=size, therapy="drug1", b=b, d=d, u=un, n1=1, n2=0))
    res = run_scenarios(sc, runs=runs, seed=14, threads=2)
    present = (res.sizes[:, 1:].sum(axis=1) > 0).mean()
    assert abs(present - expected) <= 2 * _se(expected, runs)


@pytest.mark.parametrize(("b", "d", "d_t", "un", "size", "expected"), [
    (0.14, 0.13, 0.17, 2.5e-5, 2e4, 0.513),
    (1.0, 0.5, 1.5, 1e-5, 5e4, 0.368),
])
def test_monotherapy_eradication(b, d, d_t, un, size, expected):
    assert monotherapy_eradication(size, b=b, d=d, d_treated=d_t, un=un) == \
        pytest.approx(expected, abs=5e-4)
    runs = 3000
    sc = bozic_scenario(size=size, therapy="drug1", b=b, d=d, d_treated=d_t, u=un, n1=1, n2=0)
    res = run_scenarios(sc, runs=runs, seed=15, threads=2)
    assert abs(res.eradicated.mean() - expected) <= 2 * _se(expected, runs)


def test_same_seed_same_result_any_threads():
    sc = bozic_scenario(size=2e4, therapy="drug1", u=2.5e-5, n1=1, n2=0)
    a = run_scenarios(sc, runs=200, seed=3, threads=1)
    b = run_scenarios(sc, runs=200, seed=3, threads=2)
    c = run_scenarios(sc, runs=200, seed=4, threads=2)
    np.testing.assert_array_equal(a.sizes, b.sizes)
    assert not np.array_equal(a.sizes, c.sizes)


@pytest.mark.slow
def test_clinical_size_dual_versus_sequential():
    """M = 1e9, hybrid engine, 2000 runs (Bozic 2013 Figure 5)."""
    runs = 2000
    dual0 = run_scenarios(bozic_scenario(size=1e9, therapy="dual", n12=0), runs=runs, seed=5,
                          threads=2)
    assert dual0.eradicated.mean() >= 0.995
    dual1 = run_scenarios(bozic_scenario(size=1e9, therapy="dual", n12=1), runs=runs, seed=6,
                          threads=2)
    assert abs(dual1.eradicated.mean() - 0.263) <= 2 * _se(0.263, runs)
    seq0 = run_scenarios(bozic_scenario(size=1e9, therapy="sequential", n12=0), runs=runs,
                         seed=7, threads=2)
    assert seq0.eradicated.mean() <= 0.01
    seq1 = run_scenarios(bozic_scenario(size=1e9, therapy="sequential", n12=1), runs=runs,
                         seed=8, threads=2)
    assert seq1.eradicated.mean() <= 0.01
    # Failures carried by one-step cross-resistant lineages (Bozic: 73.7 %, "present at start").
    failed = ~seq1.eradicated
    one_step = (seq1.size_of("X12pre") + seq1.size_of("X12")) > 1000
    share = one_step[failed].mean()
    assert abs(share - 0.737) <= 2 * _se(0.737, int(failed.sum())) + 0.01


@pytest.mark.slow
@pytest.mark.parametrize(("b", "cost", "failure"), [
    (1.0, 0.0, 0.53), (1.0, 0.05, 0.42), (1.0, 0.10, 0.32),
    (0.14, 0.0, 0.12), (0.14, 0.05, 0.08), (0.14, 0.10, 0.06),
])
def test_fitness_cost_table_2(b, cost, failure):
    """Bozic 2013 Table 2 (n12 = 0, M = 1e11; d = b - 0.01, d' = b + 0.03), +- 0.03."""
    sc = bozic_scenario(size=1e11, therapy="dual", b=b, d=b - 0.01, d_treated=b + 0.03,
                        n12=0, cost=cost)
    # 2 SE <= 0.026 at b = 1 (p ~ 0.5, 1500 runs) and <= 0.021 at b = 0.14 (p <= 0.12, 1000)
    res = run_scenarios(sc, runs=1500 if b == 1.0 else 1000, seed=9, threads=2)
    assert 1 - res.eradicated.mean() == pytest.approx(failure, abs=0.03)


@pytest.mark.parametrize("size", [1e9, 1e10])
def test_diaz_2012_resistance_timing(size):
    """Single agent: median time until resistant cells are >= 0.1 % of the tumour, 3-6 months."""
    sc = bozic_scenario(size=size, therapy="drug1", n2=0)
    sc = dataclasses.replace(sc, phases=((1, math.inf, math.inf, 400.0),))
    res = run_scenarios(sc, runs=300, seed=11, threads=2)
    months = np.nanmedian(res.watch_day) / 30.44
    assert 3.0 <= months <= 6.0
