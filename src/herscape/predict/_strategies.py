"""Candidate strategies (from the knowledge, substitutes, an in-silico screen) and their ranking.

Ranking (DESIGN.md § Verdict and strategies): recommended before not recommended; then
strategies that answer a mechanism acquired under the prior therapy through the exact alteration
found; then those matched through something the tumour has (not only through absences such as
"RAS wild type"); then by kind of evidence (clinical A-C, preclinical D, inferential E, model
only); then regimens of approved drugs before investigational ones; then by evidence level, by
simulated sensitivity index (higher first), by fewer drugs, and by name.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from herscape.knowledge import KnowledgeBase, Regimen
from herscape.knowledge._format import format_numbers
from herscape.predict._cite import citations, numbers_dict
from herscape.predict._regimens import ERBB_GENES, erbb_drugs
from herscape.predict._types import StrategyResult

__all__ = ["Candidate", "knowledge_candidates", "rank", "screen_candidates", "substitute_candidates"]

_LEVEL_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, None: 5}


@dataclass
class Candidate:
    """A strategy before simulation and ranking."""

    regimen: Regimen
    origin: str
    kind: str
    level: str | None = None
    outcome: str | None = None
    rationale: str = ""
    answers: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    numbers: dict = field(default_factory=dict)
    numbers_text: str = ""
    sources: tuple = ()
    acquired_exact: bool = False
    specific: bool = False
    approved: bool = False
    si: float | None = None
    si_se: float | None = None
    model_verdict: str | None = None
    via_nodes: tuple[str, ...] = ()


def knowledge_candidates(matches: Iterable, planned: Regimen, kb: KnowledgeBase,
                         relevant: Callable[[Regimen], str | None],
                         acquired_features: frozenset[str]) -> list[Candidate]:
    """Strategy records matched to the profile whose failed therapy is the planned one."""
    out: dict[tuple, Candidate] = {}
    for m in matches:
        if m.record_type != "strategy":
            continue
        s = kb.strategies[m.record_id]
        if relevant(kb.regimen(s.fails)) is None:
            continue
        regimen = kb.regimen(s.regimen)
        key = (regimen.drugs, s.outcome)
        level_ok = key not in out or _LEVEL_RANK[s.level] < _LEVEL_RANK[out[key].level]
        mech = kb.mechanisms.get(s.mechanism) if s.mechanism else None
        answers = (s.mechanism,) if s.mechanism else ()
        why = f"answers {mech.name}" if mech else f"for {s.biomarker}"
        rationale = f"{why}; {s.setting or s.kind}" + (f" (vs {s.comparator})" if s.comparator else "")
        cand = Candidate(
            regimen=regimen, origin="knowledge", kind=str(s.kind), level=str(s.level),
            outcome=str(s.outcome), rationale=rationale, answers=answers, records=(s.id,),
            numbers=numbers_dict(s.numbers), numbers_text=format_numbers(s.numbers),
            sources=citations(s.sources, kb),
            acquired_exact=bool(acquired_features & set(m.matched_features)),
            specific=bool(m.matched_features) and m.strength == "exact",
        )
        if key in out and not level_ok:
            prev = out[key]
            prev.records = (*prev.records, s.id)
            prev.sources = tuple(dict.fromkeys((*prev.sources, *cand.sources)))
            prev.acquired_exact = prev.acquired_exact or cand.acquired_exact
            prev.specific = prev.specific or cand.specific
            continue
        if key in out:
            cand.records = (*cand.records, *out[key].records)
            cand.acquired_exact = cand.acquired_exact or out[key].acquired_exact
            cand.specific = cand.specific or out[key].specific
        out[key] = cand
    return list(out.values())


#: Drug classes that may substitute for each other (an antibody for an antibody, a kinase
#: inhibitor for a kinase inhibitor).
_CLASS_GROUPS = (
    frozenset({"monoclonal_antibody", "antibody_mixture", "antibody_drug_conjugate",
               "bispecific_antibody"}),
    frozenset({"kinase_inhibitor", "small_molecule"}),
)


def _same_group(a: str, b: str) -> bool:
    return a == b or any(a in g and b in g for g in _CLASS_GROUPS)


def substitute_candidates(planned: Regimen, kb: KnowledgeBase,
                          modelled: Callable[[str], bool]) -> list[Candidate]:
    """Switches: each ERBB-family drug of the plan replaced by another hitting the same target."""
    out = []
    for drug_id in sorted(erbb_drugs(planned, kb)):
        targets = set(kb.drugs[drug_id].targets) & ERBB_GENES
        for other in sorted(kb.drugs.values(), key=lambda d: d.id):
            if other.id in planned.drugs or not (targets & set(other.targets)) or not modelled(other.id):
                continue
            if not _same_group(str(kb.drugs[drug_id].drug_class), str(other.drug_class)):
                continue
            if other.is_class or (str(other.drug_class) in {"other", "tool_compound"}
                                  and not other.approved):
                continue
            regimen = Regimen((planned.drugs - {drug_id}) | {other.id})
            out.append(Candidate(regimen=regimen, origin="substitute", kind="switch",
                                 rationale=f"switch {kb.drugs[drug_id].name} to {other.name} "
                                           f"(also targets {', '.join(sorted(targets & set(other.targets)))})"))
    return out


def screen_candidates(planned: Regimen, addons: Sequence[tuple[str, str]], *, pairs: bool
                      ) -> list[Candidate]:
    """The plan plus one (and, with ``pairs``, two) add-on drugs: ``addons`` = (drug id, node)."""
    out = [Candidate(regimen=planned.with_(d), origin="screen", kind="combination",
                     rationale=f"add {d} (acts on {node})", via_nodes=(node,))
           for d, node in addons if d not in planned.drugs]
    if pairs:
        for (d1, n1), (d2, n2) in itertools.combinations(addons, 2):
            if n1 == n2 or d1 in planned.drugs or d2 in planned.drugs:
                continue
            out.append(Candidate(regimen=planned.with_(d1, d2), origin="screen", kind="combination",
                                 rationale=f"add {d1} and {d2} (act on {n1}, {n2})", via_nodes=(n1, n2)))
    return out


_BUCKET = {"A": 0, "B": 0, "C": 0, "D": 1, "E": 2, None: 3}


def _key(c: Candidate, recommended: bool):
    si = c.si if c.si is not None and c.si == c.si else -1.0
    return (not recommended, not c.acquired_exact, not c.specific, _BUCKET[c.level],
            not c.approved, _LEVEL_RANK[c.level], -round(si, 2), len(c.regimen), str(c.regimen))


#: An add-on found only by the model screen must raise the index by this much over the plan.
MIN_ADDON_GAIN = 0.05


#: Model readings of "no benefit" (the verdict scale v2 splits the former resistant reading in two).
_FAILS = ("resistant", "reduced_sensitivity")


def rank(cands: Sequence[Candidate], kb: KnowledgeBase, *, sensitive_at: float,
         planned: Regimen, plan_si: float | None = None) -> tuple[StrategyResult, ...]:
    """Rank candidates into :class:`StrategyResult` (duplicate regimens merged, best kept).

    ``plan_si`` is the planned regimen's sensitivity index: a screened add-on that does not
    raise it by :data:`MIN_ADDON_GAIN` changes nothing and is not listed.
    """
    best: dict[frozenset[str], Candidate] = {}
    negatives: list[Candidate] = []
    for c in cands:
        c.approved = all(kb.drugs[d].approved for d in c.regimen.drugs)
        if c.regimen == planned:
            continue
        if c.outcome in ("negative", "mixed"):
            negatives.append(c)
            continue
        prev = best.get(c.regimen.drugs)
        if prev is None or _key(c, True) < _key(prev, True):
            if prev is not None and prev.origin == "knowledge" and c.origin != "knowledge":
                continue
            best[c.regimen.drugs] = c
    results: list[tuple[tuple, Candidate, bool, str | None]] = []
    for c in best.values():
        ok_model = c.si is not None and c.si == c.si and c.si >= sensitive_at
        if c.origin != "knowledge" and not ok_model:
            continue  # model-only candidates are listed only when the model predicts benefit
        if c.origin == "screen" and plan_si is not None and plan_si == plan_si \
                and c.si < plan_si + MIN_ADDON_GAIN:
            continue  # the add-on changes nothing the model can see
        reason = None
        if c.origin == "knowledge" and c.level == "E" and c.model_verdict in _FAILS:
            reason = (f"inferential evidence only, and the network model predicts no benefit "
                      f"(SI {c.si:.2f})")
        recommended = reason is None
        results.append((_key(c, recommended), c, recommended, reason))
    for c in negatives:
        reason = (f"{c.outcome} evidence (level {c.level})"
                  + (f": {c.numbers_text}" if c.numbers_text else ""))
        results.append((_key(c, False), c, False, reason))
    results.sort(key=lambda r: r[0])
    out = []
    for i, (_, c, recommended, reason) in enumerate(results, start=1):
        names = tuple(kb.drugs[d].name for d in sorted(c.regimen.drugs))
        out.append(StrategyResult(
            rank=i, regimen=names, recommended=recommended, origin=c.origin, kind=c.kind,
            evidence_level=c.level, outcome=c.outcome,
            sensitivity_index=None if c.si is None or c.si != c.si else round(c.si, 3),
            sensitivity_index_se=None if c.si_se is None or c.si_se != c.si_se else round(c.si_se, 3),
            model_verdict=c.model_verdict, rationale=c.rationale, answers=c.answers,
            via_nodes=c.via_nodes, records=c.records, numbers=c.numbers,
            numbers_text=c.numbers_text, sources=c.sources, reason_not_recommended=reason,
        ))
    return tuple(out)


_ = replace
