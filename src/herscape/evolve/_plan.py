"""From a profile, a schedule and a preset to the simulator's inputs (an :class:`EvolvePlan`).

>>> from herscape.profile import profile_from_strings                     # doctest: +SKIP
>>> p = profile_from_strings(["KRAS wild-type"], tumor_type="COADREAD")  # doctest: +SKIP
>>> plan = build_plan(p, schedule="cetuximab until progression")         # doctest: +SKIP

Clones: the founding clone (the profile's clonal alterations), one subclone per subclonal
mutation (cancer-cell fraction ``2 VAF / purity`` below :data:`CLONAL_CCF`), and one type per
group of resistance targets (knowledge, ``_targets.py``) that the model says resist at least
one regimen of the schedule. Rates: ``data/mapping.yaml`` applied to the ERBB model's
sensitivity index of each clone's genotype under each regimen (cached per genotype and regimen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from herscape._config import DEFAULT_SEED
from herscape.errors import UsageError
from herscape.evolve import _kernel
from herscape.evolve._params import (
    CtdnaParams,
    Mapping,
    Preset,
    choose_preset,
    default_ctdna,
    load_mapping,
    preset,
)
from herscape.evolve._schedule import DAYS_PER_MONTH, Schedule, read_schedule
from herscape.evolve._targets import resistance_targets
from herscape.profile import Mutation, Profile, parse_alteration

__all__ = ["CLONAL_CCF", "CloneType", "EvolvePlan", "build_plan"]

#: A mutation with a cancer-cell fraction at or above this is clonal (in every cell). A stated
#: choice: allele fractions carry sampling noise, so "almost all cells" counts as all.
CLONAL_CCF = 0.8
#: Trajectories per ERBB-model simulation of a clone (standard error of SI about 0.02).
MODEL_SAMPLES = 1000
#: A clone resists a regimen when its drug effect is this much below the founding clone's.
RESISTANCE_MARGIN = 0.05

_COND = {None: _kernel.COND_NONE, "progression": _kernel.COND_PROGRESSION,
         "burden below": _kernel.COND_BURDEN_BELOW, "burden above": _kernel.COND_BURDEN_ABOVE,
         "ctdna detected": _kernel.COND_CTDNA_DETECTED,
         "ctdna cleared": _kernel.COND_CTDNA_CLEARED}


@dataclass(frozen=True)
class CloneType:
    """One cell type: its genotype, where it comes from and how the model sees it.

    ``origin``: ``founding`` (clonal alterations), ``subclone`` (a subclonal mutation of the
    profile) or ``pre-existing`` (resistant cells expected below detection, ``targets`` point
    mutations). ``effect``: regimen -> fraction of the reference drug-induced death.
    ``cost_per_day``: lower birth rate off treatment (``ln 2 / withdrawal half-life``).
    """

    name: str
    genotype: tuple[str, ...]
    origin: str
    fraction: float
    targets: int
    sensitivity: dict[str, float]
    effect: dict[str, float]
    cost_per_day: float = 0.0


@dataclass(frozen=True, eq=False)
class EvolvePlan:
    """Everything a patient simulation needs, built once per (profile, schedule, preset)."""

    sample_id: str
    tumor_type: str
    preset: Preset
    schedule: Schedule
    regimens: tuple[str, ...]
    types: tuple[CloneType, ...]
    markers: tuple[str, ...]
    carry: np.ndarray
    resmark: np.ndarray
    restype: np.ndarray
    effect: np.ndarray
    mu: np.ndarray
    ctdna: CtdnaParams
    program: tuple[np.ndarray, ...]
    notes: tuple[str, ...] = ()
    mapping: Mapping = field(default_factory=load_mapping)

    def rates(self, drug_effect: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Birth and death (regimens x types) per day; ``drug_effect`` is this patient's
        ``d' - b`` of the reference sensitive cells (the preset's by default)."""
        p = self.preset
        x = (p.death_treated - p.death) if drug_effect is None else drug_effect + p.birth - p.death
        # the drug raises death only (Bozic 2013, b' = b): a patient whose drug effect falls at
        # or below -(b - d) gets no drug-induced death, i.e. grows at the untreated rate
        x = max(0.0, x)
        birth = np.full((len(self.regimens), len(self.types)), p.birth)
        # the fitness cost of resistance is paid where the drug is absent: on the drug, resistant
        # cells keep the untreated rates (Bozic 2013); off it, their share of tumour DNA decays
        # with the measured half-life (preset, Parseghian 2019)
        birth[0] -= np.array([t.cost_per_day for t in self.types])
        death = p.death + self.effect * x
        return birth, death


def _genotype_si(engine, profile: Profile, features, regimen: str, cache: dict) -> float:
    from herscape.predict import simulate_profile

    key = (tuple(sorted(str(f) for f in features)), profile.tumor_type, regimen)
    if key not in cache:
        sub = replace(profile, features=tuple(features))
        summary = simulate_profile(sub, regimen, engine=engine, samples=MODEL_SAMPLES,
                                   seed=DEFAULT_SEED)
        si = summary.sensitivity_index
        cache[key] = float("nan") if si is None else float(si)
    return cache[key]


_SI_CACHE: dict = {}


def _ccf(f, purity: float) -> float | None:
    af = getattr(f, "allele_fraction", None)
    if af is None:
        return None
    return min(1.0, 2.0 * af / purity)


def _regimen_key(kb, text: str) -> str:
    return "+".join(sorted(kb.regimen(text).drugs))


def _program(schedule: Schedule, regimens: tuple[str, ...], kb) -> tuple[np.ndarray, ...]:
    n = len(schedule.phases)
    reg = np.zeros(n, dtype=np.int64)
    dur = np.full(n, np.inf)
    cond = np.zeros(n, dtype=np.int64)
    thr = np.zeros(n)
    nxt = np.arange(1, n + 1, dtype=np.int64)
    nxt[-1] = schedule.repeat_from if schedule.repeat_from is not None else -1
    for i, ph in enumerate(schedule.phases):
        reg[i] = 0 if ph.off else regimens.index(_regimen_key(kb, ph.drugs.replace(" ", "")))
        if ph.days is not None:
            dur[i] = ph.days
        cond[i] = _COND[ph.until]
        thr[i] = ph.threshold or 0.0
    mark = reg.copy()
    for i in range(n):  # a drug-free phase watches the resistance of the drugs around it
        if reg[i] == 0:
            before = [reg[j] for j in range(i - 1, -1, -1) if reg[j]]
            after = [reg[j] for j in range(i + 1, n) if reg[j]]
            mark[i] = (before or after or [0])[0]
    return reg, dur, cond, thr, nxt, mark


def _clones_of(profile: Profile, purity: float):
    clonal, sub = [], []
    for f in profile.features:
        ccf = _ccf(f, purity)
        if ccf is not None and ccf < CLONAL_CCF:
            sub.append((f, ccf))
        else:
            clonal.append(f)
    total = sum(c for _, c in sub)
    if total > 1.0:  # subclones are taken as disjoint: scale them to fit
        sub = [(f, c / total) for f, c in sub]
    return clonal, sub


def build_plan(profile: Profile, *, schedule: str | None = None, preset_id: str | None = None,  # noqa: PLR0912, PLR0915 - one assembly, step by step
               purity: float | None = None, ctdna: CtdnaParams | None = None,
               engine=None) -> EvolvePlan:
    """Assemble clones, rates, markers and the schedule program for one profile.

    Parameters
    ----------
    profile
        The tumour (features with allele fractions where known; OncoTree tumour type).
    schedule
        Schedule text or file (default: the preset's).
    preset_id
        A preset id (default: chosen from the tumour type and the schedule's drugs).
    purity
        Tumour cell fraction of the sequenced sample (allele fractions are divided by it);
        ``None`` takes allele fractions as they are (purity 1).
    ctdna
        ctDNA and assay parameters (default ``data/parameters.yaml``).
    """
    from herscape.predict import Engine

    engine = engine or Engine.default()
    kb = engine.kb
    lineage = engine.lineage(profile)
    if purity is not None and not 0.0 < purity <= 1.0:
        msg = f"purity must be in (0, 1]; got {purity!r}"
        raise UsageError(msg, field="purity", value=purity)
    if preset_id is None and schedule is None:
        msg = "give a schedule (--schedule) or a preset (--preset) to take its schedule from"
        raise UsageError(msg, field="schedule")
    sched = read_schedule(schedule, check_drugs=kb.regimen) if schedule is not None else None
    drugs = {d for ph in (sched.phases if sched else ()) if not ph.off
             for d in kb.regimen(ph.drugs.replace(" ", "")).drugs}
    chosen = preset(preset_id) if preset_id else choose_preset(lineage, drugs)
    if sched is None:
        sched = read_schedule(chosen.schedule, check_drugs=kb.regimen)
    regimens = ("off", *dict.fromkeys(_regimen_key(kb, ph.drugs.replace(" ", ""))
                                      for ph in sched.phases if not ph.off))
    mapping = load_mapping()
    notes: list[str] = []
    clonal, subclonal = _clones_of(profile, purity or 1.0)

    def effects(features) -> tuple[dict[str, float], dict[str, float]]:
        si = {r: _genotype_si(engine, profile, features, r, _SI_CACHE) for r in regimens[1:]}
        return si, {r: mapping.effect(v) for r, v in si.items()}

    founder_si, founder_eff = effects(clonal)
    sub_total = sum(c for _, c in subclonal)
    types = [CloneType("founding clone", tuple(str(f) for f in clonal), "founding",
                       1.0 - sub_total, 0, founder_si, founder_eff)]
    half = chosen.half_life_months
    founder_genes = {g for f in clonal for g in f.genes}

    def cost(genes) -> float:
        months = [half[g] for g in genes if g in half and g not in founder_genes]
        return math.log(2.0) / (min(months) * DAYS_PER_MONTH) if months else 0.0

    for f, ccf in subclonal:
        si, eff = effects([*clonal, f])
        types.append(CloneType(f"{f} (subclone)", (*types[0].genotype, str(f)), "subclone", ccf, 0,
                               si, eff, cost(f.genes)))
    have = {str(f) for f in profile.features}
    target_lineage = chosen.target_tumor_types or lineage
    targets = resistance_targets(kb, drugs or set(chosen.drugs), target_lineage)
    groups: dict[tuple, list] = {}
    for t in targets:
        feats = parse_alteration(t.alteration).features
        if not feats or str(feats[0]) in have:
            continue
        si, eff = effects([*clonal, *feats])
        resists = any(eff[r] < founder_eff[r] - RESISTANCE_MARGIN for r in regimens[1:])
        if not resists:
            continue
        key = (t.gene, tuple(round(eff[r], 2) for r in regimens[1:]))
        groups.setdefault(key, []).append((t, si, eff))
    for (gene, _), members in sorted(groups.items()):
        label = ", ".join(m[0].alteration.removeprefix(gene + " ") for m in members[:4])
        more = f" +{len(members) - 4}" if len(members) > 4 else ""
        si = {r: float(np.nanmean([m[1][r] for m in members])) for r in regimens[1:]}
        eff = {r: float(np.mean([m[2][r] for m in members])) for r in regimens[1:]}
        types.append(CloneType(f"{gene} {label}{more} (pre-existing)",
                               (*types[0].genotype, f"{gene} resistance"), "pre-existing", 0.0,
                               len(members), si, eff, cost([gene])))
    if not any(t.origin == "pre-existing" for t in types):
        notes.append("no point-mutation resistance target of these drugs in the knowledge "
                     "resists in the model: no pre-existing resistant clones are simulated")
    k = len(types)
    effect = np.zeros((len(regimens), k))
    for j, t in enumerate(types):
        for i, r in enumerate(regimens[1:], start=1):
            effect[i, j] = t.effect[r]
    mu = np.zeros((k, k))
    for j, t in enumerate(types):
        if t.origin == "pre-existing":
            for i, parent in enumerate(types):
                if parent.origin != "pre-existing":
                    mu[i, j] = chosen.u * t.targets
    markers: list[str] = []
    carry_rows: list[np.ndarray] = []
    for f in clonal:
        if isinstance(f, Mutation):
            markers.append(str(f))
            carry_rows.append(np.full(k, 0.5))
    for j, t in enumerate(types):
        if t.origin == "subclone":
            markers.append(t.genotype[-1])
        elif t.origin == "pre-existing":
            markers.append(t.name.removesuffix(" (pre-existing)"))
        else:
            continue
        row = np.zeros(k)
        row[j] = 0.5
        carry_rows.append(row)
    carry = np.array(carry_rows) if carry_rows else np.zeros((0, k))
    restype = np.zeros((len(regimens), k), dtype=np.bool_)
    for i in range(1, len(regimens)):
        restype[i] = effect[i] < effect[i, 0] - RESISTANCE_MARGIN
    resmark = np.zeros((len(regimens), len(markers)), dtype=np.bool_)
    for m in range(len(markers)):
        for i in range(len(regimens)):
            carriers = carry[m] > 0
            resmark[i, m] = bool(restype[i][carriers].all()) and not carriers.all()
    return EvolvePlan(profile.sample_id, profile.tumor_type, chosen, sched, regimens,
                      tuple(types), tuple(markers), carry, resmark, restype, effect, mu,
                      ctdna or default_ctdna(), _program(sched, regimens, kb), tuple(notes),
                      mapping)
