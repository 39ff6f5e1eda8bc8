"""Shipped parameters: the SI-to-rate mapping, ctDNA/imaging defaults and the presets.

>>> sorted(p.id for p in presets())
['breast_her2', 'colorectal_anti_egfr', 'colorectal_her2']
>>> load_mapping().si_resistant
0.79

Every number lives in ``evolve/data/*.yaml`` beside its source; nothing here invents one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from herscape.errors import UsageError

__all__ = ["CtdnaParams", "Mapping", "Preset", "choose_preset", "default_ctdna", "load_mapping",
           "load_parameters",
           "preset", "presets"]


def _data(*parts: str) -> str:
    return files("herscape.evolve").joinpath("data", *parts).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Mapping:
    """SI -> death-rate mapping (``data/mapping.yaml``)."""

    si_resistant: float
    si_reference: float
    si_max: float

    def effect(self, si: float) -> float:
        """Fraction of the reference drug-induced death a genotype with index ``si`` suffers."""
        if si != si or si <= self.si_resistant:  # nan: the model cannot say -> no assumed effect
            return 0.0
        if si < self.si_reference:
            return (si - self.si_resistant) / (self.si_reference - self.si_resistant)
        return min(si, self.si_max)


@lru_cache(maxsize=1)
def load_mapping() -> Mapping:
    raw = yaml.safe_load(_data("mapping.yaml"))
    return Mapping(float(raw["si_resistant"]), float(raw["si_reference"]), float(raw["si_max"]))


@dataclass(frozen=True)
class CtdnaParams:
    """ctDNA shedding, clearance and assay (defaults: ``data/parameters.yaml``, Avanzini 2020)."""

    shed_per_death: float = 1.4e-4
    shed_per_division: float = 0.0
    half_life_min: float = 30.0
    plasma_ml: float = 2750.0
    draw_ml: float = 8.25
    normal_ge_per_ml: float = 1500.0
    min_mutant_molecules: int = 2
    detection_limit_vaf: float = 0.001

    @property
    def clearance_per_day(self) -> float:
        """eps = ln 2 / half-life, per day."""
        return math.log(2.0) / (self.half_life_min / 1440.0)

    def as_array(self):
        import numpy as np

        return np.array([self.shed_per_death, self.shed_per_division, self.clearance_per_day,
                         self.plasma_ml, self.draw_ml, self.normal_ge_per_ml,
                         float(self.min_mutant_molecules), self.detection_limit_vaf])


@lru_cache(maxsize=1)
def load_parameters() -> dict[str, Any]:
    """``data/parameters.yaml`` as a nested dict of values (sources stripped)."""
    raw = yaml.safe_load(_data("parameters.yaml"))
    return {sec: {k: v["value"] for k, v in body.items() if isinstance(v, dict) and "value" in v}
            for sec, body in raw.items() if isinstance(body, dict)}


def default_ctdna() -> CtdnaParams:
    c = load_parameters()["ctdna"]
    return CtdnaParams(c["shed_per_death"], c["shed_per_division"], c["half_life_min"],
                       c["plasma_ml"], c["draw_ml"], c["normal_ge_per_ml"],
                       int(c["min_mutant_molecules"]), c["detection_limit_vaf"])


#: The standard normal's 90th percentile.
_Z90 = 1.2815515655446004
_DISTRIBUTIONS = ("lognormal", "normal")


@dataclass(frozen=True)
class Preset:
    """A calibrated setting: tumour types, drugs, rates, spreads, default schedule, sources."""

    id: str
    title: str
    tumor_types: tuple[str, ...]
    drugs: tuple[str, ...]
    schedule: str
    birth: float
    death: float
    death_treated: float
    effect_median: float
    effect_p10: float
    effect_p90: float
    effect_distribution: str
    u: float
    half_life_months: dict[str, float]
    burden_range: tuple[float, float]
    lesion_range: tuple[int, int]
    typical_burden: float
    typical_lesions: int
    target_tumor_types: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)

    def draw_effect(self, z: float) -> float:
        """A patient's drug effect ``d' - b`` (per day) for a standard normal draw ``z``:
        log-normal or normal through the preset's median and 10th/90th percentiles."""
        if self.effect_distribution == "lognormal":
            sigma = (math.log(self.effect_p90) - math.log(self.effect_p10)) / (2 * _Z90)
            return self.effect_median * math.exp(sigma * z)
        return self.effect_median + (self.effect_p90 - self.effect_p10) / (2 * _Z90) * z


def _spread(raw: dict[str, Any], where: str) -> str:
    dist = raw.get("distribution", "lognormal")
    med, p10, p90 = float(raw["median"]), float(raw["p10"]), float(raw["p90"])
    if dist not in _DISTRIBUTIONS or not p10 < med < p90:
        msg = (f"{where}: drug_effect_spread needs distribution in {_DISTRIBUTIONS} and "
               f"p10 < median < p90; got {dist!r}, {p10}, {med}, {p90}")
        raise ValueError(msg)
    if dist == "normal" and abs((med - p10) - (p90 - med)) > 1e-4:
        msg = f"{where}: a normal drug_effect_spread is symmetric (median - p10 = p90 - median)"
        raise ValueError(msg)
    if dist == "lognormal" and p10 <= 0:
        msg = f"{where}: a log-normal drug_effect_spread needs p10 > 0"
        raise ValueError(msg)
    return dist


def _preset(raw: dict[str, Any]) -> Preset:
    r, spread, res, pts = raw["rates"], raw["drug_effect_spread"], raw["resistance"], raw["patients"]
    return Preset(
        id=raw["id"], title=raw["title"], tumor_types=tuple(raw["tumor_types"]),
        drugs=tuple(raw["drugs"]), schedule=raw["schedule"], birth=float(r["birth"]),
        death=float(r["death"]), death_treated=float(r["death_treated"]),
        effect_median=float(spread["median"]), effect_p10=float(spread["p10"]),
        effect_p90=float(spread["p90"]),
        effect_distribution=_spread(spread, f"evolve/data/presets/{raw['id']}.yaml"), u=float(raw["mutation_rate"]["per_target"]),
        half_life_months={k: float(v) for k, v in (res.get("withdrawal_half_life_months") or {}).items()},
        burden_range=(float(pts["burden"][0]), float(pts["burden"][1])),
        lesion_range=(int(pts["lesions"][0]), int(pts["lesions"][1])),
        typical_burden=float(pts["typical"]["burden"]), typical_lesions=int(pts["typical"]["lesions"]),
        target_tumor_types=tuple(res.get("target_tumor_types") or ()),
        sources={"rates": r["source"], "drug_effect_spread": spread["source"],
                 "mutation_rate": raw["mutation_rate"]["source"], "resistance": res["source"],
                 "patients": pts["source"]},
        calibration=raw.get("calibration") or {},
    )


@lru_cache(maxsize=1)
def presets() -> tuple[Preset, ...]:
    names = sorted(p.name for p in files("herscape.evolve").joinpath("data", "presets").iterdir()
                   if p.name.endswith(".yaml"))
    return tuple(_preset(yaml.safe_load(_data("presets", n))) for n in names)


def preset(preset_id: str) -> Preset:
    """The preset with this id (``UsageError`` naming the known ones otherwise)."""
    for p in presets():
        if p.id == preset_id:
            return p
    known = ", ".join(p.id for p in presets())
    msg = f"unknown preset {preset_id!r}; known: {known}"
    raise UsageError(msg, field="preset", value=preset_id)


def choose_preset(lineage: tuple[str, ...], drugs: set[str]) -> Preset:
    """The preset for a tumour type (its OncoTree lineage) and the schedule's drugs: the first
    whose tumour types meet the lineage and whose drugs include all of the schedule's HER-family
    drugs (``UsageError`` when none fits: pass ``--preset``)."""
    for p in presets():
        if set(p.tumor_types) & set(lineage) and drugs & set(p.drugs):
            return p
    msg = (f"no preset for tumour type {lineage[0]!r} with drugs {', '.join(sorted(drugs))}; "
           f"known: {', '.join(p.id for p in presets())} (choose one with --preset)")
    raise UsageError(msg, field="preset", value=lineage[0])
