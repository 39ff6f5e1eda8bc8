"""Equivalence with MaBoSS (cmaboss, the reference implementation; a test dependency only).

For each published MaBoSS model in ``../shared/data/models`` (and mutated variants), both
engines run the same settings with a seeded generator:

* node probabilities: for every observed node and every time window,
  ``|p_ours - p_maboss| <= 4 * SE`` with ``SE = sqrt(p (1 - p) (1/n_ours + 1/n_maboss))`` at
  the pooled ``p`` (an upper bound of the Monte Carlo standard error of a window's mean
  occupancy, which lies in [0, 1]);
* the joint observed state at ``max_time`` (``final_only`` / ``only_last_state``) passes a
  two-sample chi-square homogeneity test at 1% (categories with fewer than 5 expected
  trajectories pooled).

Models whose nodes are all internal (Fumia, Zañudo) are compared with every node observed.
Mutations use cmaboss's default (logic) semantics, and once the instant semantics against
cmaboss ``mutate(..., simple=False)`` (two nodes; three or more make cmaboss hang).
Sample sizes and horizons are chosen so the suite runs in a few minutes on two cores.
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _shared_models import model_file

from herscape.network import Model, Mutation, simulate
from herscape.network._maboss import read_maboss


@dataclass(frozen=True)
class Case:
    """One comparison: a model, overrides and mutations."""

    key: str
    folder: str
    stem: str
    samples: int
    final_samples: int
    max_time: float | None = None
    time_tick: float | None = None
    mutations: tuple[tuple[str, bool], ...] = ()
    instant: bool = False
    all_observed: bool = False
    slow: bool = False


CASES = [
    Case("metastasis", "metastasis_cohen2015", "metastasis", 50_000, 50_000),
    Case("cellfate", "cellfate_calzone2010", "cellfate", 100_000, 100_000),
    Case("braf", "braf_beal2021", "BRAF_Model", 20_000, 20_000),
    Case("zanudo", "zanudo2017", "Zanudo", 15_000, 15_000, time_tick=0.25, all_observed=True),
    Case("flobak", "flobak2015", "Flobak", 8_000, 10_000, max_time=15.0, slow=True),
    Case(
        "fumia",
        "fumia2013",
        "Fumia2013",
        4_000,
        5_000,
        time_tick=0.25,
        all_observed=True,
        slow=True,
    ),  # fmt: skip
    Case("montagud", "montagud2022", "Montagud2022_Prostate_Cancer", 8_000, 8_000, slow=True),
    Case("sizek", "sizek2019", "sizek", 3_000, 3_000, max_time=50.0, slow=True),
    # mutated variants (cmaboss ``mutate(node, state)``: logic semantics)
    Case(
        "metastasis_p53_off_notch_on",
        "metastasis_cohen2015",
        "metastasis",
        20_000,
        20_000,
        mutations=(("p53", False), ("NICD", True)),
    ),  # fmt: skip
    # instant semantics (node fixed from t = 0) against cmaboss ``mutate(simple=False)``
    Case(
        "metastasis_akt2_on_p53_off_instant",
        "metastasis_cohen2015",
        "metastasis",
        20_000,
        20_000,
        mutations=(("AKT2", True), ("p53", False)),
        instant=True,
    ),  # fmt: skip
    Case(
        "braf_braf_on_egfr_off",
        "braf_beal2021",
        "BRAF_Model",
        10_000,
        10_000,
        mutations=(("BRAF", True), ("EGFR", False)),
    ),  # fmt: skip
    Case(
        "cellfate_casp8_off",
        "cellfate_calzone2010",
        "cellfate",
        40_000,
        40_000,
        mutations=(("CASP8", False),),
    ),  # fmt: skip
    Case(
        "montagud_pten_off",
        "montagud2022",
        "Montagud2022_Prostate_Cancer",
        4_000,
        4_000,
        max_time=20.0,
        mutations=(("PTEN", False),),
        slow=True,
    ),  # fmt: skip
]

SEED = 12345


def _params(cases: list[Case]) -> list[object]:
    return [pytest.param(c, id=c.key, marks=[pytest.mark.slow] if c.slow else []) for c in cases]


def _paths(case: Case, tmp_path: Path) -> tuple[Path, Path]:
    folder = model_file(case.folder)
    bnd, cfg = folder / f"{case.stem}.bnd", folder / f"{case.stem}.cfg"
    if case.all_observed:
        text = re.sub(r"(\w+)\.is_internal\s*=\s*[^;]*;", r"\1.is_internal = 0;", cfg.read_text())
        cfg = tmp_path / cfg.name
        cfg.write_text(text)
    return bnd, cfg


def _maboss_module(n_nodes: int):
    for limit, name in ((64, "cmaboss"), (128, "cmaboss_128n"), (256, "cmaboss_256n")):
        if n_nodes <= limit:
            return importlib.import_module(name)
    pytest.skip(f"no cmaboss module for {n_nodes} nodes")
    return None


def _run_maboss(case: Case, bnd: Path, cfg: Path, model: Model, samples: int, final: bool):
    module = _maboss_module(len(model.nodes))
    sim = module.MaBoSSSim(network=str(bnd), config=str(cfg))
    settings = {
        "sample_count": samples,
        "thread_count": 1,
        "use_physrandgen": 0,
        "seed_pseudorandom": SEED,
    }
    if case.max_time is not None:
        settings["max_time"] = case.max_time
    if case.time_tick is not None:
        settings["time_tick"] = case.time_tick
    sim.update_parameters(**settings)
    for node, on in case.mutations:
        # simple=False is pyMaBoSS's near-instant mutation; it hangs with 3+ mutated nodes
        sim.mutate(node, "ON" if on else "OFF", simple=not case.instant)
    return sim.run(only_last_state=final)


def _run_ours(case: Case, model: Model, samples: int, final: bool):
    return simulate(
        model,
        mutations=[
            Mutation(n, on, "instant" if case.instant else "logic") for n, on in case.mutations
        ],
        sample_count=samples,
        max_time=case.max_time,
        time_tick=case.time_tick,
        seed=SEED + 1,
        threads=1,
        final_only=final,
    )


def _load(case: Case, tmp_path: Path) -> tuple[Path, Path, Model]:
    bnd, cfg = _paths(case, tmp_path)
    return bnd, cfg, read_maboss(bnd, cfg)


def _state_key(label: str) -> frozenset[str]:
    return frozenset() if label == "<nil>" else frozenset(label.split(" -- "))


def chi_square_homogeneity(a: dict, b: dict, n_a: int, n_b: int) -> tuple[float, int, float]:
    """Two-sample chi-square statistic, degrees of freedom and p-value (Wilson-Hilferty).

    ``a`` and ``b`` map categories to counts; categories whose expected count is below 5 in
    either sample are pooled into one.
    """
    keys = sorted(set(a) | set(b), key=lambda k: sorted(k))
    rows = []
    pooled = [0.0, 0.0]
    for k in keys:
        ca, cb = a.get(k, 0.0), b.get(k, 0.0)
        total = ca + cb
        if min(total * n_a, total * n_b) / (n_a + n_b) < 5:
            pooled[0] += ca
            pooled[1] += cb
        else:
            rows.append((ca, cb))
    if min(pooled) > 0 or (sum(pooled) > 0 and sum(pooled) * min(n_a, n_b) / (n_a + n_b) >= 5):
        rows.append(tuple(pooled))
    table = np.array(rows, dtype=float)
    if table.shape[0] < 2:
        return 0.0, 0, 1.0
    expected = table.sum(axis=1, keepdims=True) * np.array([[n_a, n_b]]) / (n_a + n_b)
    stat = float(((table - expected) ** 2 / expected).sum())
    df = table.shape[0] - 1
    z = ((stat / df) ** (1 / 3) - (1 - 2 / (9 * df))) / math.sqrt(2 / (9 * df))
    return stat, df, 0.5 * math.erfc(z / math.sqrt(2))


def test_chi_square_helper_accepts_equal_and_rejects_different_samples():
    a = {frozenset({"A"}): 500, frozenset(): 500}
    assert chi_square_homogeneity(a, a, 1000, 1000)[2] > 0.5
    b = {frozenset({"A"}): 600, frozenset(): 400}
    assert chi_square_homogeneity(a, b, 1000, 1000)[2] < 0.01


@pytest.mark.parametrize("case", _params(CASES))
def test_node_probabilities_match_maboss_in_every_window(case: Case, tmp_path: Path):
    bnd, cfg, model = _load(case, tmp_path)
    n = case.samples
    theirs = _run_maboss(case, bnd, cfg, model, n, final=False)
    probs, times, names, _errors = theirs.get_nodes_probtraj()
    ours = _run_ours(case, model, n, final=False).nodes_trajectory
    assert sorted(ours.columns) == sorted(names)
    assert len(ours) == len(times)
    assert ours.index.to_numpy() == pytest.approx(np.asarray(times))
    p_theirs = pd.DataFrame(np.asarray(probs), columns=list(names))[list(ours.columns)]
    p_ours = ours.to_numpy()
    p_ref = p_theirs.to_numpy()
    pooled = np.clip((p_ours + p_ref) / 2, 0.0, 1.0)
    se = np.sqrt(pooled * (1 - pooled) * (2 / n)) + 1e-12
    z = np.abs(p_ours - p_ref) / se
    worst = np.unravel_index(int(np.argmax(z)), z.shape)
    assert z.max() <= 4, (
        f"{case.key}: node {ours.columns[worst[1]]!r} at t={ours.index[worst[0]]}: "
        f"ours {p_ours[worst]:.4f} vs MaBoSS {p_ref[worst]:.4f} (z={z.max():.2f})"
    )


@pytest.mark.parametrize("case", _params(CASES))
def test_final_state_distribution_matches_maboss(case: Case, tmp_path: Path):
    bnd, cfg, model = _load(case, tmp_path)
    n = case.final_samples
    theirs = _run_maboss(case, bnd, cfg, model, n, final=True)
    probs, _times, labels = theirs.get_last_probtraj()
    counts_theirs = {
        _state_key(lab): float(p) * n for lab, p in zip(labels, np.asarray(probs)[0], strict=True)
    }
    ours = _run_ours(case, model, n, final=True).last_state_probabilities
    counts_ours = {_state_key(lab): float(p) * n for lab, p in ours.items()}
    stat, df, p_value = chi_square_homogeneity(counts_ours, counts_theirs, n, n)
    assert p_value > 0.01, f"{case.key}: chi2={stat:.1f}, df={df}, p={p_value:.2g}"


def test_instant_mutation_fixes_the_node_from_the_start(tmp_path: Path):
    case = Case("metastasis", "metastasis_cohen2015", "metastasis", 2000, 2000)
    _bnd, _cfg, model = _load(case, tmp_path)
    r = simulate(model, mutations=[Mutation("Migration", True, "instant")], sample_count=2000,
                 max_time=5, seed=1)  # fmt: skip
    assert r.nodes_trajectory["Migration"].to_numpy() == pytest.approx(1.0)


def test_joint_state_trajectory_matches_maboss(tmp_path: Path):
    case = Case("metastasis", "metastasis_cohen2015", "metastasis", 20_000, 20_000, max_time=30.0)
    bnd, cfg, model = _load(case, tmp_path)
    n = case.samples
    probs, _times, labels, _errors = _run_maboss(case, bnd, cfg, model, n, False).get_probtraj()
    theirs = pd.DataFrame(np.asarray(probs), columns=[_state_key(lab) for lab in labels])
    ours = simulate(model, sample_count=n, max_time=30.0, seed=SEED + 1, threads=2,
                    record_states=True).state_trajectory()  # fmt: skip
    ours.columns = [_state_key(lab) for lab in ours.columns]
    states = sorted(set(ours.columns) | set(theirs.columns), key=sorted)
    p_ours = ours.reindex(columns=states, fill_value=0.0).to_numpy()
    p_ref = theirs.reindex(columns=states, fill_value=0.0).to_numpy()
    assert p_ours.shape == p_ref.shape
    pooled = np.clip((p_ours + p_ref) / 2, 0.0, 1.0)
    z = np.abs(p_ours - p_ref) / (np.sqrt(pooled * (1 - pooled) * (2 / n)) + 1e-12)
    assert z.max() <= 4, f"max z {z.max():.2f}"


@pytest.mark.parametrize("key", ["metastasis", "cellfate"])
def test_fixed_points_match_maboss(key: str, tmp_path: Path):
    case = next(c for c in CASES if c.key == key)
    bnd, cfg, model = _load(case, tmp_path)
    n = case.samples
    table = _run_maboss(case, bnd, cfg, model, n, False).get_fp_table()
    theirs = {_state_key(label): float(p) for p, label in table.values()}
    fp = _run_ours(case, model, n, final=False).fixed_points
    pairs = zip(fp["state"], fp["probability"], strict=True)
    ours = {_state_key(label): float(p) for label, p in pairs}
    for state in set(ours) | set(theirs):
        p, q = ours.get(state, 0.0), theirs.get(state, 0.0)
        pooled = (p + q) / 2
        assert abs(p - q) <= 4 * np.sqrt(pooled * (1 - pooled) * 2 / n) + 1e-12, sorted(state)
