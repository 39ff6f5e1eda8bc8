"""Fit each evolve preset's per-patient drug-effect spread to its trial targets.

    .venv/bin/python benchmarks/evolve_calibrate.py [--preset ID] [--write] [--threads 2]

The free parameters are the median and the spread of a patient's drug effect ``d' - b`` (per
day, normal; a patient whose effect is below ``-(b - d)`` gets no drug-induced death and grows at
the untreated rate). Every other parameter stays as the preset states it (Bozic 2013 rates,
mutation rate, burden and lesions, withdrawal half-lives, imaging every 8 weeks).

The search is a deterministic grid (median x standard deviation) on the preset's calibration
cohort (its profile, first-line schedule, patients and seed, ``calibration`` in the preset file).
Every grid point reuses the same seed, so the patients' burdens, lesions and normal draws are the
same at every point (common random numbers) and the objective changes only through the spread.
The objective is the sum over targets of ((fitted - target) / tolerance)^2; ties go to the first
grid point (smallest median, then smallest spread). ``--write`` stores the fitted median and
10th/90th percentiles in the preset file (``drug_effect_spread``), keeping its comments.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import numpy as np

from herscape.evolve import preset, presets
from herscape.evolve._calibration import (
    calibration_cohort,
    calibration_figures,
    calibration_plan,
    check_targets,
)

Z90 = 1.2815515655446004
#: Coarse grid (per day), then a fine grid around the best point: the median in steps of
#: 0.0005 (median PFS moves about 1.5 months per 0.0005/day where the median patient barely
#: grows), the SD in steps of 0.001, four and two steps either side.
MEDIANS = np.round(np.arange(-0.0100, 0.0301, 0.0025), 4)
SDS = np.round(np.arange(0.0025, 0.0301, 0.0025), 4)
FINE_MEDIANS = np.round(np.arange(-0.002, 0.00201, 0.0005), 4)
FINE_SDS = np.round(np.arange(-0.002, 0.00201, 0.001), 4)


def _spread(p, median: float, sd: float):
    return replace(p, effect_distribution="normal", effect_median=float(median),
                   effect_p10=round(float(median - Z90 * sd), 5),
                   effect_p90=round(float(median + Z90 * sd), 5))


def _objective(p, figures) -> float:
    total = 0.0
    for c in check_targets(p, figures):
        if c.fitted is None:  # median not reached within the follow-up
            return float("inf")
        total += ((c.fitted - c.target) / c.tolerance) ** 2
    return total


def fit(preset_id: str, threads: int) -> tuple[float, float, dict, float]:
    base = preset(preset_id)
    plan = calibration_plan(base)
    best = (float("inf"), 0.0, 0.0, {})

    def search(medians, sds) -> None:
        nonlocal best
        for med in medians:
            for sd in sds:
                p = _spread(base, med, sd)
                figs = calibration_figures(calibration_cohort(p, replace(plan, preset=p),
                                                              threads=threads))
                obj = _objective(p, figs)
                if obj < best[0]:
                    best = (obj, float(med), float(sd), figs)

    search(MEDIANS, SDS)
    search(np.round(best[1] + FINE_MEDIANS, 4),
           [x for x in np.round(best[2] + FINE_SDS, 4) if x > 0])
    return best[1], best[2], best[3], best[0]


def _write(preset_id: str, median: float, sd: float) -> Path:
    path = Path(str(files("herscape.evolve").joinpath("data", "presets", f"{preset_id}.yaml")))
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^drug_effect_spread:\n(?:  .*\n)+", text, flags=re.MULTILINE)
    if block is None:
        msg = f"{path}: no drug_effect_spread block"
        raise SystemExit(msg)
    p10, p90 = round(median - Z90 * sd, 5), round(median + Z90 * sd, 5)
    src = re.search(r"^  source:.*(?:\n    .*)*", block.group(0), flags=re.MULTILINE)
    new = (f"drug_effect_spread:\n  distribution: normal\n  median: {median}\n  p10: {p10}\n"
           f"  p90: {p90}\n  sd: {sd}\n" + (src.group(0) + "\n" if src else ""))
    path.write_text(text.replace(block.group(0), new), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", action="append", help="preset id (default: every preset)")
    ap.add_argument("--write", action="store_true", help="store the fit in the preset file")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    ids = args.preset or [p.id for p in presets() if p.calibration]
    for pid in ids:
        med, sd, figs, obj = fit(pid, args.threads)
        p = _spread(preset(pid), med, sd)
        print(f"{pid}: drug effect d'-b ~ normal(median {med:+.4f}/day, sd {sd:.4f}) "
              f"[p10 {p.effect_p10:+.4f}, p90 {p.effect_p90:+.4f}], objective {obj:.3f}")
        for c in check_targets(p, figs):
            shown = "not reached" if c.fitted is None else f"{c.fitted:.3f}"
            print(f"  {c.name:20s} target {c.target:.3f} +/- {c.tolerance:.2f}  fitted {shown}  "
                  f"{'ok' if c.ok else 'OUT'}  ({c.record})")
        others = {k: v for k, v in figs.items() if k not in p.calibration["targets"]}
        print("  also: " + ", ".join(f"{k} {v:.3f}" if v is not None else f"{k} not reached"
                                     for k, v in others.items()))
        if args.write:
            print(f"  wrote {_write(pid, med, sd)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
