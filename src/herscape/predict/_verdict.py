"""From matched evidence (and the model) to a verdict, a confidence and a basis.

Rules, in order:

1. Only evidence that applies to the planned regimen counts (:func:`relevance`); drug-level
   evidence (same regimen or same targeted drugs) is used when there is any, class-level
   evidence (e.g. panitumumab evidence for cetuximab) only when there is none.
2. Evidence matched through something the tumour has (an alteration or marker) outranks evidence
   matched only through absences ("RAS wild type"): the generic kind decides only when no
   specific evidence applies.
3. Reduced-benefit evidence sides with resistance when resistance evidence exists too; alone
   it only lowers the confidence of a "sensitive" verdict.
4. The side with the better evidence level wins; equal best levels on both sides is a conflict,
   shown as such; the model then breaks the tie if it agrees with one side.
5. With no evidence, the model's verdict stands, as model inference, with limited confidence.
6. A record on a broad class of alterations ("PIK3CA mutation") yields to a narrower record on
   the same alteration ("PIK3CA exon 9") that states no effect and is at least as strong: it is
   listed, marked ``superseded_by``, and not counted.
7. Evidence for benefit below level A does not cover alterations it did not consider: when the
   model finds the tumour resistant because of alterations outside that evidence (``unaddressed``:
   without them the model agrees with the evidence), the model's verdict stands, as model
   inference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from herscape.predict._types import EvidenceItem

__all__ = ["LEVEL_CONFIDENCE", "Verdict", "decide"]

_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}
#: Confidence of a verdict decided by evidence of this level (before adjustments).
LEVEL_CONFIDENCE = {"A": 0.9, "B": 0.8, "C": 0.65, "D": 0.55, "E": 0.45}
#: Confidence added when the model agrees with the evidence, removed (x3) when it disagrees.
MODEL_AGREES = 0.05
_RESIST = ("resistance",)
_SENS = ("sensitivity",)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    confidence: float
    basis: str
    counted: frozenset[str]
    note: str


def _best(items: Sequence[EvidenceItem]) -> str | None:
    return min((e.level for e in items), key=_RANK.__getitem__, default=None)


def _basis(level: str | None) -> str:
    if level is None or level == "E":
        return "model inference"
    return "preclinical evidence" if level == "D" else "clinical evidence"


def _pool(evidence: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    usable = [e for e in evidence
              if e.direction == "supports" and e.effect != "no_effect" and e.strength == "exact"
              and e.superseded_by is None]
    drug_level = [e for e in usable if e.relevance != "same drug class"]
    tier = drug_level or usable
    specific = [e for e in tier if e.specific]
    return specific or tier


def decide(evidence: Sequence[EvidenceItem], model_verdict: str | None,
           unaddressed: Sequence[str] = ()) -> Verdict:
    """The verdict for the query from its evidence and the model's own verdict.

    ``unaddressed`` names the profile's alterations outside the evidence for benefit that make the
    model's verdict resistant (rule 7).
    """
    pool = _pool(evidence)
    res = [e for e in pool if e.effect in _RESIST]
    reduced = [e for e in pool if e.effect == "reduced_benefit"]
    sens = [e for e in pool if e.effect in _SENS]
    counted = frozenset(e.record_id for e in pool)

    def finish(verdict: str, level: str | None, note: str, penalty: float = 0.0) -> Verdict:
        conf = LEVEL_CONFIDENCE.get(level or "E", 0.45) - penalty
        if model_verdict == verdict:
            conf += MODEL_AGREES
        elif model_verdict in ("sensitive", "resistant") and verdict in ("sensitive", "resistant"):
            conf -= 3 * MODEL_AGREES
        return Verdict(verdict, max(0.05, min(conf, 0.99)), _basis(level), counted, note)

    if not pool:
        no_effect = any(e.effect == "no_effect" and e.direction == "supports" for e in evidence)
        if model_verdict in ("sensitive", "resistant"):
            note = ("the evidence says the alteration does not change the response; the network "
                    "model decides" if no_effect else
                    "no recorded evidence applies; the network model decides")
            return Verdict(model_verdict, 0.4, "model inference", counted, note)
        return Verdict("uncertain", 0.2, "model inference", counted,
                       "no recorded evidence applies and the model is undecided")
    best_r, best_s, best_rb = _best(res), _best(sens), _best(reduced)
    if res and not sens:
        return finish("resistant", _best(res + reduced), "resistance evidence, none for benefit")
    if sens and not res:
        if unaddressed and model_verdict == "resistant" and best_s != "A":
            return Verdict("resistant", 0.45, "model inference", counted,
                           f"level {best_s} evidence for benefit did not consider "
                           f"{', '.join(unaddressed)}, which keeps growth on in the network model")
        if reduced:
            return finish("sensitive", best_s, "benefit expected, but reduced by some markers", 0.15)
        return finish("sensitive", best_s, "evidence for benefit, none for resistance")
    if res and sens:
        best_r = _best(res + reduced)
        if _RANK[best_r] < _RANK[best_s]:
            return finish("resistant", best_r, f"level {best_r} resistance evidence outranks level "
                                               f"{best_s} evidence for benefit", 0.1)
        if _RANK[best_s] < _RANK[best_r]:
            return finish("sensitive", best_s, f"level {best_s} evidence for benefit outranks level "
                                               f"{best_r} resistance evidence", 0.1)
        verdict = model_verdict if model_verdict in ("sensitive", "resistant") else "uncertain"
        conf = 0.45 if verdict != "uncertain" else 0.3
        return Verdict(verdict, conf, "conflicting evidence", counted,
                       f"level {best_r} evidence on both sides; "
                       + ("the model sides with " + verdict if verdict != "uncertain" else "the model does not decide"))
    # only reduced-benefit evidence
    verdict = model_verdict if model_verdict in ("sensitive", "resistant") else "uncertain"
    return Verdict(verdict, LEVEL_CONFIDENCE[best_rb] - 0.3, _basis(best_rb), counted,
                   "only reduced-benefit evidence applies")
