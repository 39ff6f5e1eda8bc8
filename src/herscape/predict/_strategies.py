"""Candidate strategies: knowledge records, switches within and across drug classes, and the
in-silico add-on screen. Grouping, the rule for "recommended" and ranking are in
:mod:`herscape.predict._groups`.

A candidate is one regimen with every record behind it: records about the same drugs merge into
one candidate (a regimen appears once, with all its evidence).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from herscape.knowledge import KnowledgeBase, Regimen
from herscape.knowledge._format import format_numbers
from herscape.predict._cite import citations, numbers_dict
from herscape.predict._regimens import ERBB_GENES, erbb_drugs
from herscape.predict._types import MechanismHit

__all__ = [
    "Candidate",
    "ClassEscape",
    "TAKES_AWAY",
    "Record",
    "assertion_candidates",
    "class_escapes",
    "class_switch_candidates",
    "knowledge_candidates",
    "merge_candidates",
    "screen_candidates",
    "substitute_candidates",
]

LEVEL_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, None: 5}


@dataclass
class Record:
    """One knowledge record behind a candidate (a strategy, or a sensitivity assertion)."""

    record_id: str
    level: str
    outcome: str  # positive | negative | mixed
    setting: Any  # knowledge Setting or None
    kind: str
    timing: str | None
    numbers: dict
    numbers_text: str
    sources: tuple
    mechanism: str | None
    specific: bool
    acquired_exact: bool
    biomarker: str
    comparator: str | None = None
    #: set by the grouping step: fits | not stated | other | omit, and why
    fit: str | None = None
    fit_note: str | None = None


@dataclass
class Candidate:
    """A strategy before simulation and ranking."""

    regimen: Regimen
    origin: str  # knowledge | substitute | class_switch | screen
    kind: str
    rationale: str = ""
    records: list[Record] = field(default_factory=list)
    answers: tuple[str, ...] = ()
    via_nodes: tuple[str, ...] = ()
    si: float | None = None
    si_se: float | None = None
    model_verdict: str | None = None
    #: how many knowledge records name its new drug (ranks model-only switches the model cannot
    #: tell apart: lapatinib before dacomitinib for p95HER2)
    mentions: int = 0

    @property
    def model_only(self) -> bool:
        return not self.records

    def merge(self, other: Candidate) -> None:
        """Take ``other``'s records, mechanisms and nodes (same regimen)."""
        seen = {r.record_id for r in self.records}
        self.records += [r for r in other.records if r.record_id not in seen]
        self.answers = tuple(dict.fromkeys((*self.answers, *other.answers)))
        self.via_nodes = tuple(dict.fromkeys((*self.via_nodes, *other.via_nodes)))
        if self.origin != "knowledge" and other.origin == "knowledge":
            self.origin, self.kind = other.origin, other.kind
            self.rationale = other.rationale
        elif other.rationale and other.rationale not in self.rationale:
            self.rationale = f"{self.rationale}; {other.rationale}" if self.rationale else other.rationale


def _add(out: dict[frozenset[str], Candidate], cand: Candidate) -> None:
    prev = out.get(cand.regimen.drugs)
    if prev is None:
        out[cand.regimen.drugs] = cand
    else:
        prev.merge(cand)


def knowledge_candidates(matches: Iterable, planned: Regimen, kb: KnowledgeBase,
                         relevant: Callable[[Regimen], str | None],
                         acquired_features: frozenset[str],
                         hits: Sequence[MechanismHit] = (),
                         lineage: Sequence[str] = (),
                         contradicted: Callable[[str], bool] = lambda _: False) -> list[Candidate]:
    """Strategy records matched to the profile whose failed therapy is the planned one, one
    candidate per regimen. A record answers a mechanism only when that mechanism is matched in
    this profile (``hits``): HSP90 inhibitors recorded against HSP90-driven HER2 stability do not
    answer p95HER2 just because both tumours are ERBB2-amplified. A record for a matched
    mechanism is used even when the tumour shows the mechanism through another of its
    biomarkers (dinaciclib, recorded for CDK12-high tumours, answers CDK12 amplification), for
    the tumour types in ``lineage``), unless the record's own biomarker is ``contradicted`` by
    the tumour (sotorasib + panitumumab, recorded for KRAS G12C, never answers KRAS G12D)."""
    hit_ids = {h.id for h in hits}
    out: dict[frozenset[str], Candidate] = {}
    matched = [(m, kb.strategies[m.record_id]) for m in matches if m.record_type == "strategy"
               and not (m.strength != "exact" and contradicted(kb.strategies[m.record_id].biomarker or ""))]
    seen = {s.id for _, s in matched}
    through_mechanism = [
        (_MechanismMatch(), s) for s in sorted(kb.strategies.values(), key=lambda s: s.id)
        if s.mechanism in hit_ids and s.id not in seen and s.tumor_type in lineage
        and not (s.biomarker and contradicted(s.biomarker))]
    for m, s in (*matched, *through_mechanism):
        if relevant(kb.regimen(s.fails)) is None:
            continue
        regimen = kb.regimen(s.regimen)
        specific = (bool(m.matched_features) and m.strength == "exact") or getattr(m, "via_mechanism", False)
        answers = (s.mechanism,) if s.mechanism in hit_ids else ()
        mech = kb.mechanisms.get(s.mechanism) if s.mechanism else None
        why = f"answers {mech.name}" if mech and answers else f"for {s.biomarker}"
        rec = Record(
            record_id=s.id, level=str(s.level), outcome=str(s.outcome), setting=s.setting,
            kind=str(s.kind), timing=str(s.timing) if s.timing else None,
            numbers=numbers_dict(s.numbers), numbers_text=format_numbers(s.numbers),
            sources=citations(s.sources, kb), mechanism=s.mechanism, specific=specific,
            acquired_exact=bool(acquired_features & set(m.matched_features)),
            biomarker=s.biomarker or "", comparator=s.comparator,
        )
        _add(out, Candidate(regimen=regimen, origin="knowledge", kind=str(s.kind),
                            rationale=why, records=[rec], answers=answers))
    return list(out.values())


@dataclass(frozen=True)
class _MechanismMatch:
    """A strategy record reached through its matched mechanism rather than its own biomarker."""

    matched_features: tuple[str, ...] = ()
    strength: str = "mechanism"
    via_mechanism: bool = True


def assertion_candidates(matches: Iterable, planned: Regimen, kb: KnowledgeBase,
                         hits: Sequence[MechanismHit] = ()) -> list[Candidate]:
    """Other regimens with level-A/B evidence of benefit for something this tumour has (ERBB2
    amplification -> trastuzumab deruxtecan): the standard options for the tumour type and
    biomarker state. Evidence matched only through absences ("RAS wild type") is not used."""
    hit_ids = {h.id for h in hits}
    out: dict[frozenset[str], Candidate] = {}
    for m in matches:
        if m.record_type != "assertion" or m.strength != "exact" or not m.matched_features:
            continue
        a = kb.assertions[m.record_id]
        if (str(a.effect) != "sensitivity" or a.direction != "supports" or str(a.level) not in "AB"
                or str(a.claim) != "predictive"):
            continue
        regimen = kb.regimen(a.therapy)
        if regimen == planned:
            continue
        answers = (a.mechanism,) if a.mechanism in hit_ids else ()
        rec = Record(
            record_id=a.id, level=str(a.level), outcome="positive", setting=a.setting,
            kind="switch", timing=str(a.timing) if a.timing else None,
            numbers=numbers_dict(a.numbers), numbers_text=format_numbers(a.numbers),
            sources=citations(a.sources, kb), mechanism=a.mechanism, specific=True,
            acquired_exact=False, biomarker=a.biomarker, comparator=a.comparator,
        )
        kind = "combination" if planned.drugs < regimen.drugs else "switch"
        _add(out, Candidate(regimen=regimen, origin="knowledge", kind=kind,
                            rationale=f"benefit with {a.biomarker}", records=[rec],
                            answers=answers))
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


def _usable(drug) -> bool:
    """A catalogue agent a board could give (not a class record, not an unapproved tool)."""
    return not drug.is_class and not (str(drug.drug_class) in {"other", "tool_compound"}
                                      and not drug.approved)


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
            if not _usable(other):
                continue
            regimen = Regimen((planned.drugs - {drug_id}) | {other.id})
            out.append(Candidate(regimen=regimen, origin="substitute", kind="switch",
                                 rationale=f"switch {kb.drugs[drug_id].name} to {other.name} "
                                           f"(also targets {', '.join(sorted(targets & set(other.targets)))})"))
    return out


@dataclass(frozen=True)
class ClassEscape:
    """A mechanism that takes away what a drug class needs (``predict/data/class_escape.yaml``)."""

    mechanism: str
    takes_away: str
    defeats: frozenset[str]
    switch_to: tuple[str, ...]
    sources: tuple[dict, ...]


@lru_cache(maxsize=1)
def class_escapes() -> tuple[ClassEscape, ...]:
    """The shipped table of mechanisms that defeat a drug class."""
    text = resources.files("herscape.predict").joinpath("data/class_escape.yaml").read_text("utf-8")
    return tuple(ClassEscape(e["mechanism"], e["takes_away"], frozenset(e["defeats"]),
                             tuple(e["switch_to"]), tuple(e["sources"]))
                 for e in yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


#: How each kind of class escape reads in a sentence ("p95HER2 removes the ectodomain ...").
TAKES_AWAY = {"epitope_loss": "loses the epitope", "masking": "masks the epitope",
               "truncation": "removes the ectodomain", "kinase_domain": "changes the kinase domain"}


def class_switch_candidates(planned: Regimen, kb: KnowledgeBase, hits: Sequence[MechanismHit],
                            modelled: Callable[[str], bool],
                            nodes: Callable[[str], tuple[str, ...]]) -> list[Candidate]:
    """Switches across classes when a matched mechanism defeats the planned drug's class: each
    defeated drug replaced by a drug of a class that keeps acting on the same ERBB target."""
    escapes = {e.mechanism: e for e in class_escapes()}
    mentions = _mentions(kb)
    out: list[Candidate] = []
    for hit in hits:
        esc = escapes.get(hit.id)
        if esc is None:
            continue
        for drug_id in sorted(erbb_drugs(planned, kb)):
            drug = kb.drugs[drug_id]
            if str(drug.drug_class) not in esc.defeats:
                continue
            targets = set(drug.targets) & ERBB_GENES
            for other in sorted(kb.drugs.values(), key=lambda d: d.id):
                # ERBB-family agents only: a multi-kinase inhibitor that also hits EGFR
                # (vandetanib) is not a way around a lost epitope
                if (str(other.drug_class) not in esc.switch_to or not targets & set(other.targets)
                        or not set(other.targets) <= ERBB_GENES
                        or other.id in planned.drugs or not modelled(other.id) or not _usable(other)):
                    continue
                regimen = Regimen((planned.drugs - {drug_id}) | {other.id})
                out.append(Candidate(
                    regimen=regimen, origin="class_switch", kind="switch", answers=(hit.id,),
                    via_nodes=nodes(other.id), mentions=mentions.get(other.id, 0),
                    rationale=(f"{hit.name} {TAKES_AWAY.get(esc.takes_away, esc.takes_away)} "
                               f"{drug.name} needs; {other.name} ({str(other.drug_class).replace('_', ' ')}) "
                               f"acts on {', '.join(sorted(targets & set(other.targets)))} another way"),
                ))
    return out


#: Per knowledge base (by identity; the entry keeps it alive so the id stays unique).
_MENTIONS: dict[int, tuple[KnowledgeBase, dict[str, int]]] = {}


def _mentions(kb: KnowledgeBase) -> dict[str, int]:
    """How many assertions and strategies name each drug."""
    hit = _MENTIONS.get(id(kb))
    if hit is not None:
        return hit[1]
    out: dict[str, int] = {}
    for rec in (*kb.assertions.values(), *kb.strategies.values()):
        for text in (getattr(rec, "therapy", None), getattr(rec, "regimen", None)):
            if text:
                for d in kb.regimen(text).drugs:
                    out[d] = out.get(d, 0) + 1
    if len(_MENTIONS) > 4:
        _MENTIONS.clear()
    _MENTIONS[id(kb)] = (kb, out)
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


def merge_candidates(cands: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per regimen, with every record behind it."""
    out: dict[frozenset[str], Candidate] = {}
    for c in cands:
        _add(out, c)
    return list(out.values())
