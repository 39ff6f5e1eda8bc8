"""Virtual patients and cohorts under a schedule: burden, clones, ctDNA, response, progression.

>>> res = simulate_patient(plan, seed=1)                  # doctest: +SKIP
>>> cohort = simulate_cohort(plan, patients=1000, seed=1)  # doctest: +SKIP

Each patient is seeded from ``numpy.random.SeedSequence(seed).spawn(patients)``, so a cohort is
the same on any number of threads. A virtual patient's total burden, lesion count and drug effect
are drawn from the preset's spreads (cohorts; the drug effect's spread is calibrated on trials,
``_calibration.py``) or set to its typical patient (single runs: typical burden and lesions, and
the reference responding lesion's drug effect ``d' - b`` of the preset's rates).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from herscape._config import DEFAULT_SEED
from herscape.errors import UsageError
from herscape.evolve import _kernel
from herscape.evolve._params import load_parameters
from herscape.evolve._plan import EvolvePlan

__all__ = ["RESPONSES", "CohortResult", "PatientResult", "simulate_cohort", "simulate_patient"]

#: Best-response codes of the kernel, in order.
RESPONSES = ("none", "CR", "PR", "SD", "PD")
#: Days between rows of a patient's time course.
RECORD_EVERY = 7.0


@dataclass(frozen=True)
class PatientResult:
    """One virtual patient.

    ``days``: record times; ``cells``: (records, types); ``vaf_expected`` / ``vaf_sampled``:
    (records, markers), the sampled value negative where the assay did not call the mutation
    (``-1 - vaf``), nan between draws; ``diameter_cm``: sum of visible lesion diameters;
    ``phase``: schedule phase index per record.
    """

    burden: float
    lesions: int
    drug_effect: float
    days: np.ndarray
    phase: np.ndarray
    cells: np.ndarray
    vaf_expected: np.ndarray
    vaf_sampled: np.ndarray
    diameter_cm: np.ndarray
    best_response: str
    pfs_days: float | None
    ctdna_detection_day: float | None
    progression_after_detection_day: float | None
    eradicated_day: float | None
    progressions: int
    withdrawal_half_life_days: float | None
    end_day: float


@dataclass(frozen=True)
class CohortResult:
    """Per-patient summaries (arrays, one entry per patient) and the cohort figures."""

    burden: np.ndarray
    lesions: np.ndarray
    best_response: np.ndarray
    pfs_days: np.ndarray
    progressed: np.ndarray
    ctdna_detection_day: np.ndarray
    detection_to_progression_days: np.ndarray
    withdrawal_half_life_days: np.ndarray
    eradicated: np.ndarray
    horizon_days: float

    def summary(self) -> dict[str, float | int | None]:
        """ORR, DCR, median PFS (Kaplan-Meier, censored at the horizon) with its 95 % CI
        (Brookmeyer-Crowley), median lead time of ctDNA over progression and median withdrawal
        half-life of the resistant share of tumour DNA."""
        n = len(self.burden)
        resp = self.best_response
        med, lo, hi = km_median(self.pfs_days, self.progressed)
        lead = self.detection_to_progression_days[np.isfinite(self.detection_to_progression_days)]
        half = self.withdrawal_half_life_days[np.isfinite(self.withdrawal_half_life_days)]
        return {
            "patients": n,
            "orr": float(np.isin(resp, ("CR", "PR")).mean()),
            "dcr": float(np.isin(resp, ("CR", "PR", "SD")).mean()),
            "complete_response": float((resp == "CR").mean()),
            "eradicated": float(self.eradicated.mean()),
            "median_pfs_months": _months(med),
            "median_pfs_ci95_months": [_months(lo), _months(hi)],
            "progressed": int(self.progressed.sum()),
            "ctdna_detected_before_progression": int(lead.size),
            "median_ctdna_lead_months": _months(float(np.median(lead))) if lead.size else None,
            "withdrawal_patients": int(half.size),
            "median_withdrawal_half_life_months": (_months(float(np.median(half)))
                                                   if half.size else None),
        }


def _months(days: float | None) -> float | None:
    if days is None or not math.isfinite(days):
        return None
    return round(days / 30.44, 2)


def km_median(times: np.ndarray, events: np.ndarray) -> tuple[float, float, float]:
    """Kaplan-Meier median with the Brookmeyer-Crowley 95 % interval (Greenwood variance);
    ``inf`` where not reached."""
    order = np.argsort(times, kind="stable")
    t, e = times[order], events[order].astype(bool)
    n = len(t)
    surv, var_sum = 1.0, 0.0
    steps: list[tuple[float, float, float]] = []
    at_risk = n
    i = 0
    while i < n:
        j = i
        deaths = 0
        while j < n and t[j] == t[i]:
            deaths += int(e[j])
            j += 1
        if deaths:
            surv *= 1.0 - deaths / at_risk
            if at_risk > deaths:
                var_sum += deaths / (at_risk * (at_risk - deaths))
            steps.append((float(t[i]), surv, surv * surv * var_sum))
        at_risk -= j - i
        i = j
    med = next((s[0] for s in steps if s[1] <= 0.5), math.inf)
    inside = [s[0] for s in steps if abs(s[1] - 0.5) <= 1.96 * math.sqrt(s[2])]
    lo = min(inside) if inside else med
    after = [s for s in steps if s[1] < 0.5 and abs(s[1] - 0.5) > 1.96 * math.sqrt(s[2])]
    hi = after[0][0] if after else math.inf
    return med, lo, hi


def _draw_patient(plan: EvolvePlan, rng, typical: bool, burden, lesions, drug_effect):
    p = plan.preset
    if burden is None:
        burden = p.typical_burden if typical else math.exp(
            rng.uniform(math.log(p.burden_range[0]), math.log(p.burden_range[1])))
    if lesions is None:
        lesions = p.typical_lesions if typical else int(rng.integers(p.lesion_range[0],
                                                                    p.lesion_range[1] + 1))
    if drug_effect is None:
        # the single-run patient is the reference responding lesion (the preset's d' - b);
        # a cohort draws each patient's effect from the calibrated spread
        drug_effect = (p.death_treated - p.birth) if typical else p.draw_effect(
            float(rng.standard_normal()))
    return float(burden), int(lesions), float(drug_effect)


def _initial(plan: EvolvePlan, burden: float, lesions: int, birth, death, rng) -> np.ndarray:
    fractions = np.array([t.fraction if t.origin != "pre-existing" else 0.0 for t in plan.types])
    pre = np.array([t.origin == "pre-existing" for t in plan.types])
    return _kernel.initial_state(fractions, pre, plan.mu, burden, lesions, birth[0].copy(),
                                 death[0].copy(), rng)


def _run(plan: EvolvePlan, seed_seq, *, typical: bool, burden, lesions, drug_effect, horizon,  # noqa: PLR0913 - one patient, all its knobs
         records: int, record_every: float = RECORD_EVERY):
    rng = np.random.default_rng(seed_seq)
    burden, lesions, drug_effect = _draw_patient(plan, rng, typical, burden, lesions, drug_effect)
    birth, death = plan.rates(drug_effect)
    n = _initial(plan, burden, lesions, birth, death, rng)
    params = load_parameters()
    a = params["assessment"]
    reg, dur, cond, thr, nxt, mark = plan.program
    k, m = len(plan.types), len(plan.markers)
    rec = np.full((records, 3 + k + 2 * m), np.nan)
    ev = np.zeros(_kernel.N_EVENTS)
    dt = float(params["engine"]["max_step_days"])
    _kernel.run_patient(n, birth, death, plan.mu, float(params["engine"]["threshold_cells"]), dt,
                        horizon, reg, dur, cond, thr, nxt, mark, float(a["imaging_every_days"]),
                        float(a["ctdna_every_days"]), record_every, plan.carry, plan.resmark,
                        plan.restype, plan.ctdna.as_array(), float(a["cells_per_cm3"]),
                        float(a["visible_cm"]), rng, rec, ev)
    return burden, lesions, drug_effect, rec, ev


def _opt(v: float) -> float | None:
    return None if v != v else float(v)


def _half_life(ev) -> float:
    t0, t1 = ev[_kernel.EV_OFF_T0], ev[_kernel.EV_OFF_T1]
    l0, l1 = ev[_kernel.EV_OFF_LOGODDS0], ev[_kernel.EV_OFF_LOGODDS1]
    if not (np.isfinite(t0) and np.isfinite(t1) and np.isfinite(l0) and np.isfinite(l1)):
        return math.nan
    if t1 <= t0 or l1 >= l0:
        return math.nan
    return (t1 - t0) * math.log(2.0) / (l0 - l1)


def _check(horizon: float, patients: int | None = None) -> None:
    if not horizon > 0:
        msg = f"horizon must be positive (days); got {horizon!r}"
        raise UsageError(msg, field="horizon", value=horizon)
    if patients is not None and patients < 1:
        msg = f"patients must be at least 1; got {patients!r}"
        raise UsageError(msg, field="patients", value=patients)


def simulate_patient(plan: EvolvePlan, *, seed: int = DEFAULT_SEED, burden: float | None = None,
                     lesions: int | None = None, drug_effect: float | None = None,
                     horizon: float | None = None) -> PatientResult:
    """One virtual patient (the preset's typical patient unless ``burden``/``lesions``/
    ``drug_effect`` (``d' - b`` per day) are given), with its full time course."""
    horizon = float(horizon or load_parameters()["engine"]["horizon_days"])
    _check(horizon)
    seq = np.random.SeedSequence(seed).spawn(1)[0]
    records = int(horizon // RECORD_EVERY) + 2
    burden, lesions, effect, rec, ev = _run(plan, seq, typical=True, burden=burden,
                                            lesions=lesions, drug_effect=drug_effect,
                                            horizon=horizon, records=records)
    rows = int(ev[_kernel.EV_RECORDS])
    rec = rec[:rows]
    k, m = len(plan.types), len(plan.markers)
    return PatientResult(
        burden=burden, lesions=lesions, drug_effect=effect, days=rec[:, 0],
        phase=rec[:, 1].astype(int), cells=rec[:, 2:2 + k], vaf_expected=rec[:, 2 + k:2 + k + m],
        vaf_sampled=rec[:, 2 + k + m:2 + k + 2 * m], diameter_cm=rec[:, 2 + k + 2 * m],
        best_response=RESPONSES[int(ev[_kernel.EV_BEST])], pfs_days=_opt(ev[_kernel.EV_PFS]),
        ctdna_detection_day=_opt(ev[_kernel.EV_CTDNA]),
        progression_after_detection_day=_opt(ev[_kernel.EV_TTP_DETECT]),
        eradicated_day=_opt(ev[_kernel.EV_ERADICATED]),
        progressions=int(ev[_kernel.EV_PROGRESSIONS]),
        withdrawal_half_life_days=_opt(_half_life(ev)), end_day=float(ev[_kernel.EV_END]))


def simulate_cohort(plan: EvolvePlan, *, patients: int, seed: int = DEFAULT_SEED,
                    threads: int | None = None, horizon: float | None = None,
                    progress: Callable[[int, int], None] | None = None) -> CohortResult:
    """``patients`` virtual patients drawn from the preset's spreads (burden, lesions, drug
    effect); the same result for any ``threads``."""
    horizon = float(horizon or load_parameters()["engine"]["horizon_days"])
    _check(horizon, patients)
    seqs = np.random.SeedSequence(seed).spawn(patients)
    out = np.zeros((patients, 3 + _kernel.N_EVENTS))

    def one(i: int) -> None:
        b, les, eff, _, ev = _run(plan, seqs[i], typical=False, burden=None, lesions=None,
                                  drug_effect=None, horizon=horizon, records=1,
                                  record_every=horizon + 1.0)
        out[i, 0], out[i, 1], out[i, 2] = b, les, eff
        out[i, 3:] = ev

    workers = max(1, threads or 1)
    chunk = 256
    done = 0
    with ThreadPoolExecutor(workers) as pool:
        for start in range(0, patients, chunk):
            idx = range(start, min(patients, start + chunk))
            list(pool.map(one, idx))
            done += len(idx)
            if progress is not None:
                progress(done, patients)
    ev = out[:, 3:]
    pfs = ev[:, _kernel.EV_PFS]
    progressed = np.isfinite(pfs)
    end = ev[:, _kernel.EV_END]
    eradicated = np.isfinite(ev[:, _kernel.EV_ERADICATED])
    # no progression: censored at the horizon (also when the tumour was eradicated)
    pfs_t = np.where(progressed, pfs, np.maximum(end, horizon))
    det = ev[:, _kernel.EV_CTDNA]
    lead = np.where(np.isfinite(det) & progressed & (det <= pfs), pfs - det, np.nan)
    half = np.array([_half_life(e) for e in ev])
    best = np.array([RESPONSES[int(c)] for c in ev[:, _kernel.EV_BEST]])
    return CohortResult(out[:, 0], out[:, 1].astype(int), best, pfs_t, progressed, det, lead,
                        half, eradicated, horizon)
