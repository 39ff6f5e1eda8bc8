"""Single-lesion scenarios of the theory: grow to a size, then treat (Bozic 2013 set-ups).

>>> sc = bozic_scenario(size=2e4, n1=50, n2=0, n12=0, u=5e-7, therapy="drug1")  # doctest: +SKIP
>>> run_scenarios(sc, runs=100, seed=1).eradicated.mean()                      # doctest: +SKIP

A :class:`Scenario` names its cell types, the birth and death rates of each type under each
regimen (row 0 is untreated), the mutation matrix and the treatment phases. Runs are
independent and seeded one by one from ``numpy.random.SeedSequence(seed).spawn(runs)``, so the
result does not depend on the number of threads.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from herscape._config import DEFAULT_SEED
from herscape.evolve import _kernel

__all__ = ["Scenario", "ScenarioRuns", "bozic_scenario", "run_scenarios"]

#: Default size at which a clone is simulated deterministically (cells).
DEFAULT_THRESHOLD = 1e4
#: Step (days) = this / the fastest net growth rate, at most one day: the jumps of small clones
#: are exact whatever the step, but sizes are checked (grown to M, progression) at step ends,
#: so a step grows a clone by at most ~1 %.
STEP_GROWTH = 0.01


def auto_dt(birth: np.ndarray, death: np.ndarray) -> float:
    """The step for these rates: ``min(1 day, 0.01 / max |b - d|)``."""
    fastest = float(np.max(np.abs(birth - death)))
    return min(1.0, STEP_GROWTH / fastest) if fastest > 0 else 1.0


@dataclass(frozen=True)
class Scenario:
    """One lesion: types, rates per regimen, mutations, growth size and treatment phases.

    ``birth``/``death``: (regimens, types) per day, regimen 0 untreated. ``mu[i, j]``:
    probability that a division of type ``i`` makes a type-``j`` daughter. ``phases``: tuples
    ``(regimen, stop_above_cells, fail_at_cells, max_days)``.
    """

    types: tuple[str, ...]
    birth: np.ndarray
    death: np.ndarray
    mu: np.ndarray
    grow_to: float
    phases: tuple[tuple[int, float, float, float], ...]
    relabel: tuple[int, ...] | None = None
    watch: tuple[str, ...] = ()
    watch_fraction: float = 1e-3
    threshold: float = DEFAULT_THRESHOLD
    dt: float | None = None
    start: tuple[float, ...] | None = field(default=None)


@dataclass(frozen=True)
class ScenarioRuns:
    """Outcome of many runs: eradicated (bool), treatment days, watch day, final sizes."""

    types: tuple[str, ...]
    eradicated: np.ndarray
    days: np.ndarray
    watch_day: np.ndarray
    phases_done: np.ndarray
    sizes: np.ndarray

    def size_of(self, name: str) -> np.ndarray:
        return self.sizes[:, self.types.index(name)]


def _one(sc: Scenario, seed_seq, out: np.ndarray) -> None:
    rng = np.random.default_rng(seed_seq)
    k = len(sc.types)
    n0 = np.zeros(k)
    if sc.start is None:
        n0[0] = 1.0
    else:
        n0[:] = sc.start
    relabel = np.array(sc.relabel if sc.relabel is not None else range(k), dtype=np.int64)
    ph = np.array(sc.phases, dtype=np.float64).reshape(-1, 4)
    watch = np.array([t in sc.watch for t in sc.types])
    dt = sc.dt if sc.dt is not None else auto_dt(sc.birth, sc.death)
    _kernel.run_scenario(n0, sc.birth, sc.death, sc.mu, sc.threshold, dt, sc.grow_to, relabel,
                         ph[:, 0].astype(np.int64), ph[:, 1].copy(), ph[:, 2].copy(),
                         ph[:, 3].copy(), watch, sc.watch_fraction, rng, out)


def run_scenarios(scenario: Scenario, *, runs: int, seed: int = DEFAULT_SEED,
                  threads: int | None = None) -> ScenarioRuns:
    """Run ``scenario`` ``runs`` times (each seeded from ``SeedSequence(seed).spawn``)."""
    k = len(scenario.types)
    out = np.zeros((runs, 4 + k))
    seqs = np.random.SeedSequence(seed).spawn(runs)
    workers = threads or 1
    if workers <= 1:
        for i in range(runs):
            _one(scenario, seqs[i], out[i])
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda i: _one(scenario, seqs[i], out[i]), range(runs)))
    return ScenarioRuns(scenario.types, out[:, 0] > 0.5, out[:, 1], out[:, 2],
                        out[:, 3].astype(int), out[:, 4:])


def bozic_scenario(*, size: float, therapy: str, b: float = 0.14, d: float = 0.13,  # noqa: PLR0913 - the paper's parameters
                   d_treated: float = 0.17, u: float = 1e-9, n1: int = 50, n2: int = 50,
                   n12: int = 0, cost: float = 0.0, fail_at: float = 1e4,
                   threshold: float = DEFAULT_THRESHOLD, dt: float | None = None) -> Scenario:
    """Bozic 2013's lesion: types ``S`` (sensitive), ``R1``, ``R2`` (resistant to drug 1 or 2),
    ``R12`` (both, two mutational steps) and ``X12`` (both, one cross-resistance mutation);
    ``X12pre`` marks cross-resistant cells present at the start of treatment.

    ``therapy``: ``drug1`` (monotherapy), ``dual`` (simultaneous) or ``sequential`` (drug 1
    until the lesion is back at ``size``, then drug 2 until it is back again). ``cost``: each resistance mutation
    multiplies the untreated net growth rate by ``1 - cost`` through a lower birth rate (Bozic
    2013 Table 2). Treatment fails once cells growing under it reach ``fail_at``.
    """
    types = ("S", "R1", "R2", "R12", "X12", "X12pre")
    r = b - d
    muts = {"S": 0, "R1": 1, "R2": 1, "R12": 2, "X12": 1, "X12pre": 1}
    birth_u = np.array([d + r * (1.0 - cost) ** muts[t] if muts[t] else b for t in types])
    resists = {"S": set(), "R1": {1}, "R2": {2}, "R12": {1, 2}, "X12": {1, 2}, "X12pre": {1, 2}}
    regimens = [set(), {1}, {2}, {1, 2}]
    birth = np.tile(birth_u, (len(regimens), 1))
    death = np.zeros_like(birth)
    for ri, drugs in enumerate(regimens):
        for ti, t in enumerate(types):
            death[ri, ti] = d_treated if drugs - resists[t] else d
    k = len(types)
    mu = np.zeros((k, k))
    ix = types.index
    mu[ix("S"), ix("R1")] = u * n1
    mu[ix("S"), ix("R2")] = u * n2
    mu[ix("S"), ix("X12")] = u * n12
    mu[ix("R1"), ix("R12")] = u * (n2 + n12)
    mu[ix("R2"), ix("R12")] = u * (n1 + n12)
    relabel = tuple(ix("X12pre") if t == "X12" else i for i, t in enumerate(types))
    inf = math.inf
    if therapy == "drug1":
        phases = ((1, inf, fail_at, inf),)
    elif therapy == "dual":
        phases = ((3, inf, fail_at, inf),)
    elif therapy == "sequential":
        phases = ((1, size, inf, inf), (2, size, inf, inf))
    else:
        msg = f"therapy must be drug1, dual or sequential; got {therapy!r}"
        raise ValueError(msg)
    return Scenario(types, birth, death, mu, size, phases, relabel=relabel,
                    watch=("R1", "R12", "X12", "X12pre"), threshold=threshold, dt=dt)
