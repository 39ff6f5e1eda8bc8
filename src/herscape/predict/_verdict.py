"""From matched evidence (and the model) to a verdict, a confidence and a basis.

Verdicts: ``sensitive``, ``reduced_sensitivity`` (benefit expected, but less; the markers are
named), ``resistant``, ``uncertain``. Bases: ``clinical evidence``, ``preclinical evidence``,
``model inference``, ``conflicting evidence``, ``required tests missing`` (and, when a mechanism
that removes the drug's action turns a weak record decisive, ``... evidence and model inference``).

The rules (docs/predict.md states them with their reasons):

1. A required test that is missing gives ``uncertain`` (``required tests missing``), unless
   level-A/B clinical evidence already makes the tumour resistant; a missing recommended test
   lowers the confidence and is named.
2. Only evidence that applies to the plan counts: drug-level evidence first, class-level evidence
   (same class, or a record stated for the class) only when there is none.
3. Evidence counts only in its setting (line, rechallenge, primary tumour side, hormone-receptor
   status); prognostic claims never count.
4. Level-A evidence of benefit that defines the treated population (HER2-positive, RAS wild type:
   matched through the drug's target or through absences) is the baseline.
5. The baseline is overturned to ``resistant`` only by specific resistance evidence of level A in
   the tumour type, or of level B when the mechanism removes the drug's action outright (epitope
   mutation, truncation, masking, loss of the target, constitutive downstream driver).
6. Other specific evidence against the baseline (level B on a partial mechanism, C-E, reduced
   benefit, or evidence from another tumour type) gives ``reduced_sensitivity`` naming the markers
   and records; or ``resistant`` when the mechanism removes the drug's action and the model agrees.
7. Without a baseline, the side with the better evidence level wins; benefit evidence that
   outranks resistance or reduced-benefit evidence gives ``reduced_sensitivity``; equal best
   levels on both sides is ``conflicting evidence``, the model breaking the tie.
8. A record on a broad class of alterations yields to a narrower, at least as strong no-effect
   record on the same alteration (listed, ``superseded_by``, not counted).
9. Benefit evidence below level A does not cover alterations it did not consider (``unaddressed``):
   the model's resistant verdict then stands, as model inference.
10. With no evidence, the model's verdict stands as model inference, never presented as clinical
    evidence; the model never overturns level-A/B clinical evidence, and a disagreement is shown.
11. (Checked right after rule 3.) A level-A/B failed trial of exactly the planned regimen (no effect
    against a comparator without targeted drugs of its own, in a setting that applies) means no
    added benefit in this population: it outranks benefit evidence for other regimens of the drug
    and gives ``resistant`` (level A in the tumour type) or ``reduced_sensitivity``; benefit
    evidence on the same regimen at an equal or better level keeps the conflict visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from herscape.predict._regions import INFERRED
from herscape.predict._types import EvidenceItem

__all__ = ["LEVEL_CONFIDENCE", "MODEL_ONLY", "NO_MOLECULAR_DATA", "VERDICTS", "Verdict", "decide",
           "no_molecular_data", "outside_model", "withhold"]

_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}
#: The verdict scale.
VERDICTS = ("sensitive", "reduced_sensitivity", "resistant", "uncertain")
#: Confidence of a verdict decided by evidence of this level (before adjustments).
LEVEL_CONFIDENCE = {"A": 0.9, "B": 0.8, "C": 0.65, "D": 0.55, "E": 0.45}
#: Confidence added when the model agrees with the evidence, removed (x3) when it disagrees.
MODEL_AGREES = 0.05
#: Confidence removed for each missing recommended test.
RECOMMENDED_MISSING = 0.1
#: Confidence removed when the deciding evidence is a region's effect on an unnamed allele.
REGION_INFERRED = 0.15
#: Said of a sample named in a clinical file and in no molecular file.
NO_MOLECULAR_DATA = "no molecular data for this sample"
#: Said of every verdict that rests on the model alone.
MODEL_ONLY = "model inference — no clinical evidence recorded for this situation"
_DIRECTIONAL = ("sensitive", "reduced_sensitivity", "resistant")


@dataclass(frozen=True)
class Verdict:
    verdict: str
    confidence: float
    basis: str
    counted: frozenset[str]
    note: str
    #: reduced_sensitivity: the markers (features) that lower the benefit
    markers: tuple[str, ...] = ()
    #: how the model's own reading compares, when it differs from an evidence-based verdict
    model_note: str | None = None


def _best(items: Sequence[EvidenceItem]) -> str | None:
    return min((e.level for e in items), key=_RANK.__getitem__, default=None)


def _basis(level: str | None) -> str:
    if level is None or level == "E":
        return "model inference"
    return "preclinical evidence" if level == "D" else "clinical evidence"


def _in_tumour_type(e: EvidenceItem) -> bool:
    """Stated for the tumour's own type or a named ancestor (not pan-cancer, not another type)."""
    return e.tumor_match in ("exact", "broader", "unspecified") and e.tumor_type != "TISSUE"


#: Relevance tiers: drug-level evidence ranks above evidence for another drug of the class, which
#: ranks above evidence stated for a class record.
#: Highest confidence of a verdict that rests only on evidence for other drugs of the class.
CLASS_ONLY = 0.6
_TIER = {"exact regimen": 0, "same targeted drugs": 0, "same drug class": 1, "drug class record": 2}


def _usable(evidence: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    """Rules 2, 3 and 8: what may count. A no-effect record counts only when it is specific to the
    profile's setting (no benefit on a right-sided primary): it then lowers the benefit like
    reduced-benefit evidence. Class evidence ranks below drug-level evidence on the same question:
    population evidence is taken from the best tier that has any, and evidence about a marker from
    the best tier that speaks about that marker (EGFR-TKI class evidence on T790M still counts
    against gefitinib's own population evidence; panitumumab evidence on KRAS G12D does not
    count for cetuximab when cetuximab's own does)."""
    usable = [e for e in evidence
              if e.direction == "supports" and e.strength == "exact"
              and (e.effect != "no_effect" or e.setting_specific)
              and e.superseded_by is None and e.claim != "prognostic" and e.setting_applies]

    def key(e: EvidenceItem):
        return frozenset(_what(e)) if _modifies(e) else "population"

    best: dict = {}
    for e in usable:
        best[key(e)] = min(best.get(key(e), 9), _TIER.get(e.relevance, 0))
    return [e for e in usable if _TIER.get(e.relevance, 0) == best[key(e)]]


def _modifies(e: EvidenceItem) -> bool:
    """Evidence about something this tumour has (or about its setting): not why the drug is given."""
    return e.specific or (e.setting_specific and e.effect != "sensitivity")


def _effect(e: EvidenceItem) -> str:
    return "reduced_benefit" if e.effect == "no_effect" else e.effect


def _what(e: EvidenceItem) -> tuple[str, ...]:
    if e.specific and e.matched_features:
        return e.matched_features
    if e.setting_specific and e.setting_reason:
        return tuple(e.setting_reason.split(", "))
    return e.matched_features or (e.biomarker,)


def _markers(items: Sequence[EvidenceItem], population: Sequence[EvidenceItem] = ()) -> tuple[str, ...]:
    """The markers that lower the benefit, without those that define the population (the ERBB2
    amplification of an "ER-positive and HER2-positive" record)."""
    given = {f for e in population for f in e.matched_features}
    found = [f for e in items for f in _what(e) if f not in given]
    return tuple(dict.fromkeys(found or [f for e in items for f in _what(e)]))


def _named(items: Sequence[EvidenceItem]) -> str:
    return "; ".join(f"{', '.join(_what(e))} (level {e.level}, {e.record_id})" for e in items[:3])


def _finish(v: Verdict, model_verdict: str | None, level: str | None) -> Verdict:
    """Adjust the confidence for the model's agreement and say where it disagrees (rule 10)."""
    conf = v.confidence
    note = None
    if v.basis in ("model inference", "conflicting evidence") or model_verdict not in _DIRECTIONAL:
        return v
    if model_verdict == v.verdict:
        conf += MODEL_AGREES
    else:
        opposite = {v.verdict, model_verdict} == {"sensitive", "resistant"}
        conf -= 3 * MODEL_AGREES if opposite else MODEL_AGREES
        what = "overturn" if level in ("A", "B") else "decide against"
        note = (f"the network model reads {model_verdict.replace('_', ' ')}; a model does not "
                f"{what} level {level} evidence")
    return replace(v, confidence=max(0.05, min(conf, 0.99)), model_note=note)


def _contested(e: EvidenceItem, contrast: Sequence[EvidenceItem]) -> bool:
    """Benefit evidence for this drug on the same alteration, at least as strong and naming it at
    least as narrowly, contests a modifier (panitumumab still binds EGFR S492R): the modifier does
    not count. "BRAF mutation -> benefit" does not contest a BRAF class II codon."""
    return any(set(_what(e)) <= set(c.matched_features) and _RANK[c.level] <= _RANK[e.level]
               and c.granularity >= e.granularity for c in contrast)


def _with_baseline(baseline, tier, model_verdict) -> Verdict:
    """Rules 5-6: an indicated therapy (level-A population evidence) and what modifies it."""
    specific = [e for e in tier if _modifies(e)]
    # the population evidence in this tumour type contests a modifier naming only markers that
    # define that population (HER2 IHC 2+ is HER2-low for trastuzumab deruxtecan in breast cancer,
    # whatever a pan-tumour cohort says of IHC 2+ against IHC 3+)
    contrast = ([e for e in specific if e.effect == "sensitivity"]
                + [b for b in baseline if _in_tumour_type(b) and b.matched_features])
    res = [e for e in specific if e.effect == "resistance" and not _contested(e, contrast)]
    red = [e for e in specific if _effect(e) == "reduced_benefit" and not _contested(e, contrast)]
    base_ids = {e.record_id for e in baseline}
    strong_a = [e for e in res if e.level == "A" and _in_tumour_type(e)]
    if strong_a:
        return Verdict("resistant", LEVEL_CONFIDENCE["A"], "clinical evidence",
                       frozenset(e.record_id for e in strong_a),
                       f"level A resistance evidence overturns the population evidence: {_named(strong_a)}")
    strong_b = [e for e in res if e.level == "B" and _in_tumour_type(e)]
    removing = [e for e in strong_b if e.removes_action]
    if removing:
        how = removing[0].removes_action
        return Verdict("resistant", LEVEL_CONFIDENCE["B"], "clinical evidence",
                       frozenset(e.record_id for e in removing),
                       f"level B resistance evidence in this tumour type, on a mechanism that removes "
                       f"the drug's action ({how}), overturns the population evidence: {_named(removing)}")
    weak = strong_b + [e for e in res if e not in strong_b] + red
    if weak:
        abolish = [e for e in res + red if e.removes_action and e not in strong_b]
        if abolish and model_verdict == "resistant":
            lvl = _best(abolish) or "E"
            return Verdict("resistant", LEVEL_CONFIDENCE[lvl], f"{_basis(lvl)} and model inference",
                           frozenset(e.record_id for e in abolish),
                           f"the mechanism removes the drug's action ({abolish[0].removes_action}) "
                           f"and the network model finds no response: {_named(abolish)}")
        weak.sort(key=lambda e: (_RANK[e.level], e.record_id))
        conf = LEVEL_CONFIDENCE["A"] - (0.2 if _best(weak) in ("A", "B") else 0.15)
        return Verdict("reduced_sensitivity", conf, "clinical evidence",
                       frozenset(base_ids | {e.record_id for e in weak}),
                       f"benefit expected from level A evidence for this population, but reduced by "
                       f"{_named(weak)}", markers=_markers(weak, baseline))
    return Verdict("sensitive", LEVEL_CONFIDENCE["A"], "clinical evidence",
                   frozenset(base_ids | {e.record_id for e in contrast}),
                   "level A evidence of benefit for this population, no specific evidence against it")


def _without_baseline(tier, model_verdict, unaddressed) -> Verdict:
    """Rules 7 and 9: the better evidence level wins."""
    specific = [e for e in tier if _modifies(e) or (e.setting_specific and e.effect == "sensitivity")]
    pool = specific or tier
    sens = [e for e in pool if e.effect == "sensitivity"]
    contrast = [e for e in sens if e.specific]
    res = [e for e in pool if e.effect == "resistance" and not _contested(e, contrast)]
    red = [e for e in pool if _effect(e) == "reduced_benefit" and not _contested(e, contrast)]
    pool = [e for e in pool if e in sens or e in res or e in red]
    counted = frozenset(e.record_id for e in pool)
    best_s, best_r = _best(sens), _best(res + red)
    if res and not sens:
        return Verdict("resistant", LEVEL_CONFIDENCE[best_r], _basis(best_r), counted,
                       f"resistance evidence, none for benefit: {_named(res)}")
    if sens and not res and not red:
        if unaddressed and model_verdict in ("resistant", "reduced_sensitivity") and best_s != "A":
            return Verdict(model_verdict, 0.45, "model inference", counted,
                           f"level {best_s} evidence for benefit did not consider "
                           f"{', '.join(unaddressed)}, which keeps growth on in the network model",
                           markers=tuple(unaddressed) if model_verdict != "resistant" else ())
        return Verdict("sensitive", LEVEL_CONFIDENCE[best_s], _basis(best_s), counted,
                       "evidence for benefit, none for resistance")
    if sens:
        against = sorted(res + red, key=lambda e: (_RANK[e.level], e.record_id))
        if _RANK[best_s] < _RANK[best_r]:
            return Verdict("reduced_sensitivity", LEVEL_CONFIDENCE[best_s] - 0.15, _basis(best_s),
                           counted, f"level {best_s} evidence for benefit outranks level {best_r} "
                                    f"evidence against it: {_named(against)}",
                           markers=_markers(against))
        if _RANK[best_r] < _RANK[best_s] and res:
            return Verdict("resistant", LEVEL_CONFIDENCE[best_r] - 0.1, _basis(best_r), counted,
                           f"level {best_r} resistance evidence outranks level {best_s} evidence for "
                           f"benefit: {_named(res)}")
        if _RANK[best_r] < _RANK[best_s]:
            return Verdict("reduced_sensitivity", LEVEL_CONFIDENCE[best_r] - 0.15, _basis(best_r),
                           counted, f"level {best_r} reduced-benefit evidence: {_named(red)}",
                           markers=_markers(red))
        if res and not any(e.specific for e in sens) and all(e.specific for e in res):
            # equal levels: evidence about what this tumour has outranks population evidence
            # (a rechallenge cohort selected as RAS wild type did not consider EGFR S492R)
            return Verdict("resistant", LEVEL_CONFIDENCE[best_r] - 0.1, _basis(best_r), counted,
                           f"level {best_r} resistance evidence on {', '.join(_markers(res))} "
                           f"outranks level {best_s} population evidence for benefit")
        verdict = model_verdict if model_verdict in _DIRECTIONAL else "uncertain"
        return Verdict(verdict, 0.45 if verdict != "uncertain" else 0.3, "conflicting evidence",
                       counted, f"level {best_r} evidence on both sides; "
                       + (f"the network model reads {verdict.replace('_', ' ')}"
                          if verdict != "uncertain" else "the network model does not decide"))
    # reduced-benefit evidence only: benefit is expected, less
    return Verdict("reduced_sensitivity", LEVEL_CONFIDENCE[best_r] - 0.2, _basis(best_r), counted,
                   f"only reduced-benefit evidence applies: {_named(red)}", markers=_markers(red))


def _failed_trials(evidence: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    """Rule 11: level-A/B failed trials of exactly the planned regimen that apply."""
    return sorted((e for e in evidence if e.no_added_benefit and e.level in ("A", "B")
                   and e.direction == "supports" and e.strength == "exact" and e.setting_applies
                   and e.superseded_by is None and e.claim != "prognostic"),
                  key=lambda e: (_RANK[e.level], not _in_tumour_type(e), e.record_id))


def _trial(e: EvidenceItem) -> str:
    names = [c.trial for c in e.sources if c.trial]
    return f"{names[0]} ({e.record_id})" if names else e.record_id


def _after_failure(failed: list[EvidenceItem], evidence: Sequence[EvidenceItem],
                   model_verdict: str | None) -> Verdict:
    """Rule 11: no added benefit over the comparator in this population, unless benefit evidence
    on the same regimen, at least as strong, contests it."""
    first = failed[0]
    level = first.level
    what = (f"{_trial(first)} found no added benefit over {first.no_added_benefit} "
            f"(level {level})")
    rivals = [e for e in evidence if e.effect == "sensitivity" and e.relevance == "exact regimen"
              and e.direction == "supports" and e.strength == "exact" and e.setting_applies
              and e.superseded_by is None and e.claim != "prognostic"
              and _RANK[e.level] <= _RANK[level]
              # a failure in the profile's own subgroup (right-sided primary) outranks benefit in
              # the whole population (rule 3); only benefit as specific contests it
              and (e.setting_specific or not first.setting_specific)]
    counted = frozenset(e.record_id for e in failed)
    if rivals:
        verdict = model_verdict if model_verdict in _DIRECTIONAL else "uncertain"
        return Verdict(verdict, 0.45 if verdict != "uncertain" else 0.3, "conflicting evidence",
                       counted | {e.record_id for e in rivals},
                       f"{what}, while level {_best(rivals)} evidence on the same regimen shows benefit: "
                       f"{_named(rivals)}; "
                       + (f"the network model reads {verdict.replace('_', ' ')}"
                          if verdict != "uncertain" else "the network model does not decide"))
    if level == "A" and _in_tumour_type(first):
        return Verdict("resistant", LEVEL_CONFIDENCE["A"], "clinical evidence", counted,
                       f"no benefit: {what}, which outranks evidence for other regimens of the drug")
    # the subgroup the profile states (sidedness=right) is what lowers the benefit
    subgroup = [r for e in failed if e.setting_specific and e.setting_reason
                for r in e.setting_reason.split(", ") if "=" in r]
    return Verdict("reduced_sensitivity", LEVEL_CONFIDENCE[level] - 0.2, "clinical evidence", counted,
                   f"{what}{'' if _in_tumour_type(first) else ' in another tumour type'}",
                   markers=tuple(dict.fromkeys(subgroup)))


def decide(evidence: Sequence[EvidenceItem], model_verdict: str | None,
           unaddressed: Sequence[str] = ()) -> Verdict:
    """The verdict for the query from its evidence and the model's own verdict (rules 2-10).

    ``unaddressed`` names the profile's alterations outside the evidence for benefit that make the
    model's verdict resistant (rule 9). Required tests are applied afterwards (:func:`withhold`).
    """
    tier = _usable(evidence)
    if not tier and not _failed_trials(evidence):
        no_effect = any(e.effect == "no_effect" and e.direction == "supports" for e in evidence)
        if model_verdict in _DIRECTIONAL:
            why = ("the evidence says the alteration does not change the response"
                   if no_effect else "no recorded evidence applies")
            return Verdict(model_verdict, 0.4 if model_verdict != "reduced_sensitivity" else 0.35,
                           "model inference", frozenset(), f"{why}; the network model decides")
        return Verdict("uncertain", 0.2, "model inference", frozenset(),
                       "no recorded evidence applies and the network model is undecided")
    baseline = [e for e in tier if e.effect == "sensitivity" and not e.specific and e.level == "A"]
    # a setting-specific population record outranks a general one (rule 3)
    baseline = [e for e in baseline if e.setting_specific] or baseline
    failed = _failed_trials(evidence)
    if failed:
        v = _after_failure(failed, evidence, model_verdict)
        level = _best([e for e in evidence if e.record_id in v.counted])
    elif baseline:
        v = _with_baseline(baseline, tier, model_verdict)
        level = "A" if v.verdict != "resistant" else _best([e for e in tier if e.record_id in v.counted])
    else:
        v = _without_baseline(tier, model_verdict, unaddressed)
        level = _best([e for e in tier if e.record_id in v.counted])
    v = _finish(v, model_verdict, level)
    deciding = [e for e in tier if e.record_id in v.counted]
    if deciding and all(_TIER.get(e.relevance, 0) > 0 for e in deciding):
        # benefit of one drug does not transfer whole to another of its class (afatinib failed in
        # HER2-positive breast cancer where neratinib and pyrotinib succeeded): less sure, said so
        v = replace(v, confidence=min(v.confidence, CLASS_ONLY),
                    note=f"{v.note}; the evidence is for other drugs of the class, none for this one")
    inferred = [e for e in tier if e.inferred and e.record_id in v.counted]
    if inferred:  # an allele no record names: the region's effect, said so, less sure
        v = replace(v, confidence=max(0.05, v.confidence - REGION_INFERRED),
                    note=f"{v.note}; {', '.join(_what(inferred[0]))}: {INFERRED}")
    return v


def withhold(v: Verdict, missing, deciding_level: str | None) -> Verdict:
    """Rule 1: a missing required test withholds the verdict; a missing recommended one lowers
    the confidence. ``missing`` holds :class:`~herscape.knowledge._required.MissingTest` values;
    ``deciding_level`` is the best level among the records that decided ``v``."""
    required = [m for m in missing if m.need == "required"]
    recommended = [m for m in missing if m.need == "recommended"]
    settled = (v.verdict == "resistant" and v.basis == "clinical evidence"
               and deciding_level in ("A", "B"))
    if required and not settled:
        names = ", ".join(m.test for m in required)
        so_far = (f"on what was tested, the {v.basis} reads {v.verdict.replace('_', ' ')}"
                  if v.verdict != "uncertain" else "nothing decides on what was tested")
        return Verdict("uncertain", 0.2, "required tests missing", frozenset(),
                       f"not tested: {names}; {so_far}, which is not enough to decide",
                       model_note=v.model_note)
    if recommended and v.verdict in ("sensitive", "reduced_sensitivity"):
        names = ", ".join(m.test for m in recommended)
        return replace(v, confidence=max(0.05, v.confidence - RECOMMENDED_MISSING * len(recommended)),
                       note=f"{v.note}; recommended test not done: {names}")
    return v


def no_molecular_data(v: Verdict) -> Verdict:
    """Rule 1 at its limit: a sample named in a clinical file only was never tested for anything,
    so nothing decides (not even a tumour type's population evidence, which presumes a tested
    biomarker state or an unselected trial the board would still test for)."""
    return Verdict("uncertain", 0.2, "required tests missing", frozenset(),
                   f"{NO_MOLECULAR_DATA} (named in a clinical file only)", model_note=v.model_note)


def outside_model(v: Verdict, tumor_type: str) -> Verdict:
    """A model-only reading for a tumour type the network model has no context for (leukaemia,
    glioma...): the model's wiring is that of the carcinomas it was built from, so its reading is
    shown, not used."""
    return replace(v, verdict="uncertain", confidence=0.2, counted=frozenset(),
                   note=(f"no recorded evidence applies, and the network model has no context for "
                         f"{tumor_type}: its reading ({v.verdict.replace('_', ' ')}) is not a verdict"))
