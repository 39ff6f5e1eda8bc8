"""A preset's calibration cohort and its clinical figures against the preset's trial targets.

>>> figs = calibration_figures(calibration_cohort(preset("colorectal_anti_egfr")))  # doctest: +SKIP
>>> check_targets(preset("colorectal_anti_egfr"), figs)                           # doctest: +SKIP

The targets (ORR, median PFS or a PFS rate at a landmark, each with its knowledge record, source
and tolerance) and the cohort that is compared with them (reference profile, first-line schedule,
patients, seed, follow-up) live in the preset's ``calibration`` section. The free parameters are
the preset's ``drug_effect_spread``, fitted by ``benchmarks/evolve_calibrate.py``; nothing here
sets an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from herscape.evolve._params import Preset
from herscape.evolve._plan import EvolvePlan, build_plan
from herscape.evolve._schedule import DAYS_PER_MONTH
from herscape.evolve._simulate import CohortResult, km_median, simulate_cohort
from herscape.profile import profile_from_strings

__all__ = ["TargetCheck", "calibration_cohort", "calibration_figures", "calibration_plan",
           "check_targets", "interpolated_median", "km_rate"]


@dataclass(frozen=True)
class TargetCheck:
    """One calibration target: the trial figure, the cohort's figure and the tolerance."""

    name: str
    target: float
    fitted: float | None
    tolerance: float
    record: str

    @property
    def ok(self) -> bool:
        return self.fitted is not None and abs(self.fitted - self.target) <= self.tolerance


def calibration_plan(p: Preset) -> EvolvePlan:
    """The plan of the preset's calibration cohort (reference profile and first-line schedule)."""
    cal = p.calibration
    profile = profile_from_strings(list(cal["profile"]["alterations"]),
                                   tumor_type=cal["profile"]["tumor_type"])
    return build_plan(profile, schedule=cal["schedule"], preset_id=p.id)


def calibration_cohort(p: Preset, plan: EvolvePlan | None = None, *, patients: int | None = None,
                       threads: int | None = None) -> CohortResult:
    """The preset's calibration cohort (``plan`` may carry a trial spread of the drug effect)."""
    cal = p.calibration
    plan = plan or calibration_plan(p)
    if plan.preset is not p:
        plan = replace(plan, preset=p)
    return simulate_cohort(plan, patients=patients or int(cal["patients"]), seed=int(cal["seed"]),
                           threads=threads, horizon=float(cal["months"]) * DAYS_PER_MONTH)


def km_rate(times: np.ndarray, events: np.ndarray, day: float) -> float:
    """Kaplan-Meier probability of no event by ``day``."""
    surv = 1.0
    for t in np.unique(times[events.astype(bool) & (times <= day)]):
        at_risk = int((times >= t).sum())
        deaths = int(((times == t) & events.astype(bool)).sum())
        surv *= 1.0 - deaths / at_risk
    return surv


def interpolated_median(times: np.ndarray, events: np.ndarray) -> float:
    """Day at which the Kaplan-Meier curve, joined linearly between its event times (from 1 at
    day 0), crosses 0.5; ``inf`` if it does not. Progression is seen only at scans, so the
    step median jumps a whole imaging interval when the share progressed at one scan passes
    half; the joined curve moves continuously with the parameters, which the fit needs."""
    ev = events.astype(bool)
    t_prev, s_prev = 0.0, 1.0
    for t in np.unique(times[ev]):
        s = km_rate(times, events, float(t))
        if s <= 0.5:
            return t_prev + (float(t) - t_prev) * (s_prev - 0.5) / (s_prev - s)
        t_prev, s_prev = float(t), s
    return float("inf")


def calibration_figures(cohort: CohortResult) -> dict[str, float | None]:
    """ORR, median PFS (months, the curve joined between scans, ``None`` if not reached), the
    step median as reported by the cohort summary, and the 6- and 12-month PFS rates."""
    med = interpolated_median(cohort.pfs_days, cohort.progressed)
    step = km_median(cohort.pfs_days, cohort.progressed)[0]
    return {
        "orr": float(np.isin(cohort.best_response, ("CR", "PR")).mean()),
        "median_pfs_months": None if not np.isfinite(med) else med / DAYS_PER_MONTH,
        "median_pfs_scan_months": None if not np.isfinite(step) else step / DAYS_PER_MONTH,
        "pfs_rate_6_months": km_rate(cohort.pfs_days, cohort.progressed, 6 * DAYS_PER_MONTH),
        "pfs_rate_12_months": km_rate(cohort.pfs_days, cohort.progressed, 12 * DAYS_PER_MONTH),
    }


def check_targets(p: Preset, figures: dict[str, float | None]) -> list[TargetCheck]:
    """Each of the preset's targets beside the cohort's figure."""
    return [TargetCheck(name, float(t["value"]), figures.get(name), float(t["tolerance"]),
                        str(t["record"]))
            for name, t in p.calibration["targets"].items()]
