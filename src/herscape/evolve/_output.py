"""JSON (with its schema), TSV and text forms of an evolve run.

The JSON validates against ``evolve/schema/evolve.schema.json`` (:data:`SCHEMA_VERSION`).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

from herscape import __version__
from herscape.evolve._plan import EvolvePlan
from herscape.evolve._simulate import CohortResult, PatientResult

__all__ = ["SCHEMA_VERSION", "cohort_tsv", "evolve_schema", "run_to_dict", "to_text", "to_tsv"]

#: Version of the evolve JSON contract (bumped on incompatible change).
SCHEMA_VERSION = "1.0"


@lru_cache(maxsize=1)
def evolve_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`run_to_dict`'s output."""
    text = files("herscape.evolve").joinpath("schema", "evolve.schema.json").read_text("utf-8")
    return json.loads(text)


def _num(v) -> float | None:
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _round(v, digits: int = 6):
    v = _num(v)
    return None if v is None else float(f"{v:.{digits}g}")


def plan_to_dict(plan: EvolvePlan) -> dict[str, Any]:
    p = plan.preset
    return {
        "preset": {"id": p.id, "title": p.title, "birth": p.birth, "death": p.death,
                   "death_treated": p.death_treated, "mutation_rate": p.u,
                   "withdrawal_half_life_months": p.half_life_months, "sources": p.sources},
        "schedule": str(plan.schedule),
        "regimens": list(plan.regimens),
        "clones": [{
            "name": t.name, "origin": t.origin, "genotype": list(t.genotype),
            "initial_fraction": _round(t.fraction), "targets": t.targets,
            "sensitivity_index": {r: _round(v, 4) for r, v in t.sensitivity.items()},
            "drug_effect": {r: _round(v, 4) for r, v in t.effect.items()},
            "fitness_cost_per_day": _round(t.cost_per_day, 4),
        } for t in plan.types],
        "markers": list(plan.markers),
        "mapping": {"si_resistant": plan.mapping.si_resistant,
                    "si_reference": plan.mapping.si_reference, "si_max": plan.mapping.si_max},
        "ctdna": {k: getattr(plan.ctdna, k) for k in plan.ctdna.__dataclass_fields__},
        "notes": list(plan.notes),
    }


def _patient(plan: EvolvePlan, r: PatientResult) -> dict[str, Any]:
    total = r.cells.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(total[:, None] > 0, r.cells / total[:, None], 0.0)
    return {
        "burden_cells": _round(r.burden), "lesions": r.lesions,
        "drug_effect_per_day": _round(r.drug_effect),
        "best_response": r.best_response,
        "pfs_months": _round(r.pfs_days / 30.44, 4) if r.pfs_days is not None else None,
        "ctdna_detection_months": (_round(r.ctdna_detection_day / 30.44, 4)
                                   if r.ctdna_detection_day is not None else None),
        "eradicated_months": (_round(r.eradicated_day / 30.44, 4)
                              if r.eradicated_day is not None else None),
        "progressions": r.progressions,
        "withdrawal_half_life_months": (_round(r.withdrawal_half_life_days / 30.44, 4)
                                        if r.withdrawal_half_life_days is not None else None),
        "time_course": [{
            "day": _round(r.days[i], 6), "phase": int(r.phase[i]),
            "regimen": plan.regimens[int(plan.program[0][r.phase[i]])] if r.phase[i] >= 0 else "off",
            "cells": _round(total[i]), "sum_diameter_cm": _round(r.diameter_cm[i], 4),
            "clone_cells": {t.name: _round(r.cells[i, j]) for j, t in enumerate(plan.types)},
            "clone_fraction": {t.name: _round(frac[i, j], 4) for j, t in enumerate(plan.types)},
            "vaf_expected": {m: _round(r.vaf_expected[i, k], 4) for k, m in enumerate(plan.markers)},
            "vaf_sampled": {m: (None if not np.isfinite(r.vaf_sampled[i, k]) else
                                {"vaf": _round(abs(r.vaf_sampled[i, k]) - (r.vaf_sampled[i, k] < 0), 4),
                                 "detected": bool(r.vaf_sampled[i, k] >= 0)})
                            for k, m in enumerate(plan.markers)},
        } for i in range(len(r.days))],
    }


def run_to_dict(plan: EvolvePlan, *, seed: int, patient: PatientResult | None = None,
                cohort: CohortResult | None = None) -> dict[str, Any]:
    """The JSON form of one run (a patient's time course and/or a cohort's figures)."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION, "herscape_version": __version__,
        "sample_id": plan.sample_id, "tumor_type": plan.tumor_type, "seed": seed,
        "plan": plan_to_dict(plan), "patient": None, "cohort": None,
    }
    if patient is not None:
        out["patient"] = _patient(plan, patient)
    if cohort is not None:
        s = cohort.summary()
        out["cohort"] = {**s, "horizon_months": _round(cohort.horizon_days / 30.44, 4),
                         "best_response_counts": {k: int((cohort.best_response == k).sum())
                                                  for k in ("CR", "PR", "SD", "PD", "none")}}
    return out


def cohort_tsv(cohort: CohortResult) -> str:
    """One row per virtual patient (times in months; empty where the event did not happen)."""
    head = ["patient", "burden_cells", "lesions", "best_response", "pfs_months", "progressed",
            "ctdna_detection_months", "ctdna_lead_months", "withdrawal_half_life_months",
            "eradicated"]
    rows = ["\t".join(head)]

    def m(v) -> str:
        v = _num(v)
        return "" if v is None else f"{v / 30.44:.4g}"

    for i in range(len(cohort.burden)):
        rows.append("\t".join([
            str(i + 1), f"{cohort.burden[i]:.4g}", str(int(cohort.lesions[i])),
            str(cohort.best_response[i]), m(cohort.pfs_days[i]), str(bool(cohort.progressed[i])),
            m(cohort.ctdna_detection_day[i]), m(cohort.detection_to_progression_days[i]),
            m(cohort.withdrawal_half_life_days[i]), str(bool(cohort.eradicated[i]))]))
    return "\n".join(rows) + "\n"


def to_tsv(doc: dict[str, Any]) -> str:
    """A patient's time course (one row per record) or, without one, the cohort figures."""
    pat = doc.get("patient")
    if pat:
        clones = [c["name"] for c in doc["plan"]["clones"]]
        markers = doc["plan"]["markers"]
        head = ["day", "phase", "regimen", "cells", "sum_diameter_cm",
                *[f"cells:{c}" for c in clones], *[f"vaf:{m}" for m in markers],
                *[f"draw_vaf:{m}" for m in markers]]
        rows = ["\t".join(head)]
        for row in pat["time_course"]:
            draws = [("" if row["vaf_sampled"][m] is None else
                      f"{row['vaf_sampled'][m]['vaf']}{'' if row['vaf_sampled'][m]['detected'] else ' (not called)'}")
                     for m in markers]
            vals = [row["day"], row["phase"], row["regimen"], row["cells"], row["sum_diameter_cm"],
                    *[row["clone_cells"][c] for c in clones],
                    *[row["vaf_expected"][m] for m in markers], *draws]
            rows.append("\t".join("" if v is None else str(v) for v in vals))
        return "\n".join(rows) + "\n"
    coh = doc["cohort"] or {}
    rows = ["metric\tvalue"]
    for k, v in coh.items():
        rows.append(f"{k}\t{json.dumps(v) if isinstance(v, list | dict) else v}")
    return "\n".join(rows) + "\n"


def to_text(doc: dict[str, Any]) -> str:
    """A short human summary."""
    plan = doc["plan"]
    lines = [f"{doc['sample_id']} ({doc['tumor_type']}), preset {plan['preset']['id']}",
             f"schedule: {plan['schedule']}", "clones:"]
    for c in plan["clones"]:
        eff = ", ".join(f"{r} SI {plan_si} -> effect {c['drug_effect'][r]}"
                        for r, plan_si in c["sensitivity_index"].items())
        lines.append(f"  {c['name']} [{c['origin']}, targets {c['targets']}]: {eff}")
    for n in plan["notes"]:
        lines.append(f"note: {n}")
    pat = doc.get("patient")
    if pat:
        pfs = (f"{pat['pfs_months']} months" if pat["pfs_months"] is not None
               else "not reached")
        det = (f"at {pat['ctdna_detection_months']} months"
               if pat["ctdna_detection_months"] is not None else "never")
        lines.append(f"patient: {pat['burden_cells']:.3g} cells in {pat['lesions']} lesions; "
                     f"best response {pat['best_response']}; PFS {pfs}; resistance detected in "
                     f"ctDNA {det}")
    coh = doc.get("cohort")
    if coh:
        pfs = coh["median_pfs_months"]
        lo, hi = coh["median_pfs_ci95_months"]
        lines.append(
            f"cohort of {coh['patients']}: ORR {coh['orr']:.1%}, DCR {coh['dcr']:.1%}, median PFS "
            f"{pfs if pfs is not None else 'not reached'} months (95% CI {lo}-{hi}); "
            f"ctDNA lead time {coh['median_ctdna_lead_months']} months; withdrawal half-life "
            f"{coh['median_withdrawal_half_life_months']} months "
            f"(horizon {coh['horizon_months']} months)")
    return "\n".join(lines) + "\n"
