"""Strategies in three groups, one rule for "recommended", and the ranking in each group.

Groups (docs/predict.md § Strategies), shown in this order:

``standard``
    Regimens with level-A/B evidence (or, where the knowledge records approvals, an approval for
    this tumour type) that do not answer a mechanism matched in this profile: the options for the
    tumour type and biomarker state. Ranked: recommended first, evidence that fits the setting,
    evidence level, approval here, approved drugs, simulated index, fewer drugs.
``mechanism``
    Regimens that answer a mechanism matched in this profile, through a node it acts on: knowledge
    strategies, and switches across drug classes when the mechanism takes away what the plan's
    class needs. The best-ranked regimen of each mechanism comes first (one answer per
    mechanism), then the rest; each ranked by recommendation, evidence level, simulated index and
    fewer drugs.
``exploratory``
    Model-only candidates (switches within the class, the add-on screen): at most
    :data:`MAX_EXPLORATORY`, only when their index reaches the sensitive threshold and beats the
    plan's by :data:`EXPLORATORY_GAIN`; never recommended.

Recommended (:func:`judge`): evidence of benefit at level A-D that applies in this setting, or a
level-E (inferential) record the model backs (index at or above the sensitive threshold); never a
discontinued drug or a research compound, never negative or mixed evidence, never model-only; a regimen the model puts at
or below the resistant threshold needs level-A/B evidence, and then the disagreement is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from herscape.knowledge import KnowledgeBase, Regimen
from herscape.predict._regimens import ERBB_GENES, drug_family, erbb_drugs, relevance
from herscape.predict._strategies import (
    LEVEL_RANK,
    TAKES_AWAY,
    Candidate,
    ClassEscape,
    Record,
    class_escapes,
)
from herscape.predict._types import MechanismHit, StrategyResult

__all__ = [
    "EXPLORATORY_GAIN",
    "GROUPS",
    "MAX_EXPLORATORY",
    "Situation",
    "approved_here",
    "drug_status",
    "judge",
    "listed",
    "rank",
    "setting_fit",
    "situation",
]

#: Group names, in the order they are shown.
GROUPS = ("standard", "mechanism", "exploratory")
#: An exploratory (model-only) candidate must raise the plan's index by this much: about three
#: standard errors of an index read from the screen's 600 trajectories.
EXPLORATORY_GAIN = 0.10
#: At most this many exploratory candidates are listed.
MAX_EXPLORATORY = 5
#: At most this many model-only switches across classes per mechanism.
MAX_CLASS_SWITCHES = 3

#: Catalogue records that name a backbone without naming a drug.
_GENERIC_BACKBONES = frozenset({"chemotherapy", "taxane"})
_FIT_RANK = {None: 0, "fits": 0, "not stated": 1, "other": 2, "omit": 3}
_STATUS_RANK = {"approved": 0, "class": 0, "investigational": 1, "not_a_drug": 2, "discontinued": 3}


# -- drug status ---------------------------------------------------------------------------------
def drug_status(kb: KnowledgeBase, drug_id: str) -> str:
    """``approved``, ``investigational``, ``discontinued``, ``not_a_drug`` (a research compound)
    or ``class`` (a class record or an unspecified chemotherapy: it stands for its members).

    Reads the knowledge's status records (``kb.drug_status(drug_id).state``) when the knowledge has
    them, else the catalogue: class ``tool_compound`` is not a drug, otherwise its ``approved``
    flag (approved somewhere, or not).
    """
    drug = kb.drugs[drug_id]
    if drug.is_class or drug_id in _GENERIC_BACKBONES:
        return "class"  # stands for its members (any MEK inhibitor, any chemotherapy)
    getter = getattr(kb, "drug_status", None)
    status = getter(drug_id) if callable(getter) else None
    if status is not None:
        return str(status.state)
    if str(drug.drug_class) == "tool_compound":
        return "not_a_drug"
    return "approved" if drug.approved else "investigational"


def approved_here(kb: KnowledgeBase, regimen: Regimen, lineage: Sequence[str]) -> bool:
    """Whether every targeted drug of ``regimen`` has a standing approval for this tumour type or
    an ancestor (False when the knowledge records no approvals)."""
    getter = getattr(kb, "drug_status", None)
    if not callable(getter):
        return False
    targeted = [d for d in regimen.drugs
                if str(kb.drugs[d].drug_class) not in ("chemotherapy", "chemotherapy_regimen")]
    for d in targeted:
        status = getter(d)
        if status is None or not any(status.approvals_for(code) for code in lineage):
            return False
    return bool(targeted)


# -- setting -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Situation:
    """What the profile says about its setting: prior therapies, primary side, HR status."""

    progressed: frozenset[str]  # drug ids the tumour progressed on
    prior: frozenset[str]  # every prior drug id
    stated_prior: bool  # the profile lists prior therapies
    sidedness: str | None
    hormone_receptor: str | None


def situation(profile, kb: KnowledgeBase, holds: Callable[[str], bool]) -> Situation:
    """The profile's setting; ``holds`` tests a marker pattern (``"sidedness=left"``)."""
    progressed: set[str] = set()
    prior: set[str] = set()
    for p in profile.prior_therapies:
        drugs = kb.regimen(p.therapy).drugs
        prior |= drugs
        if p.outcome == "progressed":
            progressed |= drugs

    def marker(name: str, values: tuple[str, ...]) -> str | None:
        found = [v for v in values if _safe_holds(holds, f"{name}={v}")]
        return found[0] if len(found) == 1 else None

    return Situation(frozenset(progressed), frozenset(prior), bool(profile.prior_therapies),
                     marker("sidedness", ("left", "right")),
                     marker("hormone_receptor", ("positive", "negative")))


def _safe_holds(holds: Callable[[str], bool], text: str) -> bool:
    try:
        return bool(holds(text))
    except Exception:
        return False


def _share_family(kb: KnowledgeBase, a: Iterable[str], b: Iterable[str]) -> bool:
    a, b = set(a), set(b)
    if a & b:
        return True
    fa = {drug_family(kb.drugs[d]) for d in a if drug_family(kb.drugs[d])[1]}
    return bool(fa & {drug_family(kb.drugs[d]) for d in b})


def _names(kb: KnowledgeBase, ids: Iterable[str]) -> str:
    return ", ".join(sorted(kb.drugs[d].name for d in ids))


def setting_fit(rec: Record, regimen: Regimen, kb: KnowledgeBase, sit: Situation
                ) -> tuple[str | None, str | None]:
    """How the setting of ``rec`` fits the profile: (``fits`` | ``not stated`` | ``other`` |
    ``omit``, why), or (None, None) when the record states no structured setting.

    ``omit``: a rechallenge record for a tumour that has not progressed on that drug class (there
    is nothing to rechallenge). ``other``: the record's setting contradicts the profile's (first-line
    evidence after progression, left-sided evidence for a right-sided primary...). ``not stated``:
    the record needs something the profile does not say (a prior therapy, the primary side).
    """
    s = rec.setting
    found: list[tuple[int, str]] = []
    own = erbb_drugs(regimen, kb) or regimen.drugs
    progressed_same = _share_family(kb, own, sit.progressed)
    if rec.kind == "rechallenge" or (s is not None and s.rechallenge):
        if not progressed_same:
            return "omit", "rechallenge evidence, and the tumour has not progressed on this class"
        found.append((0, "rechallenge after progression on " + _names(kb, sit.progressed)))
    elif s is not None and s.rechallenge is False and progressed_same:
        found.append((2, "evidence from patients not previously treated with this class"))
    if s is not None:
        found += _structured_fit(s, sit, kb)
    if rec.timing == "acquired" and not sit.progressed:
        found.append((1, "answers acquired resistance; no progression stated"))
    if not found:
        return None, None
    worst = max(r for r, _ in found)
    label = {0: "fits", 1: "not stated", 2: "other"}[worst]
    return label, "; ".join(n for r, n in found if r == worst)


def _structured_fit(s, sit: Situation, kb: KnowledgeBase) -> list[tuple[int, str]]:
    """Line, prior therapy, primary side and hormone-receptor status against the profile."""
    found = []
    if s.line is not None:
        found.append(_line_fit(s.line.value, sit, kb))
    if s.prior:
        wanted = {d.id for d in (kb.find_drug(p) for p in s.prior) if d is not None}
        if not sit.stated_prior:
            found.append((1, f"evidence after {', '.join(s.prior)}; no prior therapy stated"))
        elif wanted and _share_family(kb, wanted, sit.prior):
            found.append((0, f"after {', '.join(s.prior)}"))
        else:
            found.append((2, f"evidence after {', '.join(s.prior)}; the tumour had "
                             f"{_names(kb, sit.prior)}"))
    for name, wanted_value, have in (("sidedness", s.sidedness, sit.sidedness),
                                     ("hormone_receptor", s.hormone_receptor, sit.hormone_receptor)):
        if wanted_value is None:
            continue
        label = f"{name.replace('_', ' ')} {wanted_value}"
        if have is None:
            found.append((1, f"evidence for {label}; not stated in the profile"))
        else:
            found.append((0, label) if have == wanted_value else
                         (2, f"evidence for {label}; the profile says {have}"))
    return found


def _line_fit(line: str, sit: Situation, kb: KnowledgeBase) -> tuple[int, str]:
    if line == "first":
        if sit.progressed:
            return 2, f"first-line evidence; the tumour progressed on {_names(kb, sit.progressed)}"
        return (1, "first-line evidence; prior therapy not stated") if not sit.stated_prior \
            else (0, "first line")
    if line in ("second", "second_or_later", "later"):
        text = {"second": "second-line", "second_or_later": "second-or-later-line",
                "later": "later-line"}[line]
        if sit.progressed:
            return 0, f"{text}, after progression"
        return 1, f"{text} evidence; no progression stated"
    return 1, f"{line.replace('_', ' ')} evidence"


# -- the rule for "recommended" -------------------------------------------------------------------
def _finite(x: float | None) -> bool:
    return x is not None and x == x


def judge(c: Candidate, deciding: Record | None, *, statuses: dict[str, str],
          contra: Sequence[str], sensitive_at: float, resistant_at: float,
          population: str | None = None) -> tuple[bool, str | None, str | None]:
    """(recommended, reason not recommended, model disagreement) for one candidate.

    ``population``: why the evidence's population does not include this tumour (set when the
    evidence was matched only through absences and the tumour carries level-A/B resistance to
    the plan's drug class, which the candidate keeps)."""
    disc = sorted(d for d, s in statuses.items() if s == "discontinued")
    if disc:
        return False, f"discontinued: {', '.join(disc)}", None
    tools = sorted(d for d, s in statuses.items() if s == "not_a_drug")
    if tools:
        return False, (f"research compound, not a drug: {', '.join(tools)} (evidence for its "
                       "target, not a regimen to give)"), None
    if deciding is None:
        if contra:
            return False, "resistance evidence: " + "; ".join(contra), None
        return False, "model only: no recorded evidence for this regimen", None
    if deciding.outcome != "positive":
        text = f"{deciding.outcome} evidence (level {deciding.level})"
        return False, text + (f": {deciding.numbers_text}" if deciding.numbers_text else ""), None
    if deciding.fit == "other":
        return False, f"evidence from another setting: {deciding.fit_note}", None
    if contra:
        return False, "resistance evidence: " + "; ".join(contra), None
    if population:
        return False, population, None
    low = _finite(c.si) and c.si <= resistant_at
    if deciding.level in ("A", "B"):
        note = (f"the network model predicts no benefit (index {c.si:.2f} at or below the resistant "
                f"threshold {resistant_at:.2f}); level-{deciding.level} evidence stands") if low else None
        return True, None, note
    if deciding.level == "E":
        if _finite(c.si) and c.si >= sensitive_at:
            return True, None, None
        si = f"{c.si:.2f}" if _finite(c.si) else "not simulated"
        return False, (f"inferential evidence only, and the network model does not back it "
                       f"(index {si}, sensitive threshold {sensitive_at:.2f})"), None
    if low:
        return False, (f"level-{deciding.level} evidence only, and the network model predicts no "
                       f"benefit (index {c.si:.2f} at or below {resistant_at:.2f})"), None
    return True, None, None


def _deciding(records: Sequence[Record]) -> Record | None:
    """The record that speaks for the regimen: best setting fit, then best level; on a tie,
    negative or mixed evidence decides (a failed trial is not outweighed by an equal success)."""
    if not records:
        return None
    return min(records, key=lambda r: (_FIT_RANK[r.fit], LEVEL_RANK[r.level],
                                       r.outcome == "positive", r.record_id))


@dataclass
class _Row:
    cand: Candidate
    deciding: Record | None
    group: str
    recommended: bool
    reason: str | None
    disagrees: str | None
    statuses: dict[str, str]
    here: bool

    def key(self) -> tuple:
        c, d = self.cand, self.deciding
        # indices closer than 0.05 (about two standard errors of a 600-trajectory screen) are a
        # tie, so simplicity decides: encorafenib + cetuximab before the BEACON triplet
        si = -round(c.si * 20) / 20 if _finite(c.si) else 1.0
        level = LEVEL_RANK[d.level if d else None]
        positive = d is not None and d.outcome == "positive"
        status = max((_STATUS_RANK.get(s, 1) for s in self.statuses.values()), default=0)
        if self.group == "standard":
            return (not self.recommended, not positive, _FIT_RANK[d.fit if d else None], level,
                    not self.here, status, si, len(c.regimen), str(c.regimen))
        if self.group == "mechanism":
            acquired = any(r.acquired_exact for r in c.records)
            # rank by the evidence that speaks to this tumour's alteration when there is some
            # (Sym004 for S492R: level D on the mutation, level B only for unselected patients)
            specific = [r for r in c.records if r.specific and r.outcome == "positive"]
            if specific:
                level = min(LEVEL_RANK[r.level] for r in specific)
            # among model-only switches, approved drugs first (the model cannot tell them apart)
            return (not self.recommended, not positive, c.model_only, not acquired, level,
                    (not self.here, status, -c.mentions) if c.model_only else (0, 0, 0), si,
                    status, len(c.regimen), str(c.regimen))
        return (si, len(c.regimen), str(c.regimen))


def rank(cands: Sequence[Candidate], kb: KnowledgeBase, *, planned: Regimen,  # noqa: PLR0913 - the situation of one query
         hits: Sequence[MechanismHit], sit: Situation, lineage: Sequence[str],
         resistance: Sequence[tuple[str, str, str, bool]], sensitive_at: float,
         resistant_at: float, plan_si: float | None,
         nodes: Callable[[str], tuple[str, ...]]) -> tuple[StrategyResult, ...]:
    """Group, judge and rank merged candidates into :class:`StrategyResult` values.

    ``resistance``: the profile's level-A/B resistance evidence as (therapy, record id, text,
    specific) for :func:`_contra`.
    """
    rows: list[_Row] = []
    names = {h.id: h.name for h in hits}
    against_plan = [text for therapy, _, text, _ in resistance
                    if relevance(kb.regimen(therapy), planned, kb) is not None]
    for c in cands:
        if c.regimen == planned:
            continue
        for r in c.records:
            r.fit, r.fit_note = setting_fit(r, c.regimen, kb, sit)
        c.records = [r for r in c.records if r.fit != "omit"]
        if c.origin == "knowledge" and not c.records:
            continue  # every record was for a setting that cannot apply (a rechallenge)
        deciding = _deciding(c.records)
        here = approved_here(kb, c.regimen, lineage)
        group = _group(c, deciding, here)
        if group is None:
            continue
        statuses = {kb.drugs[d].name: drug_status(kb, d) for d in sorted(c.regimen.drugs)}
        contra = _contra(c, kb, resistance)
        rec, reason, disagrees = judge(c, deciding, statuses=statuses, contra=contra,
                                       sensitive_at=sensitive_at, resistant_at=resistant_at,
                                       population=_population(c, deciding, kb, planned, against_plan))
        rows.append(_Row(c, deciding, group, rec, reason, disagrees, statuses, here))
    rows = _prune(rows, plan_si, sensitive_at, resistant_at)
    ordered: list[_Row] = []
    for group in GROUPS:
        members = sorted((r for r in rows if r.group == group), key=_Row.key)
        if group == "mechanism":
            members = _one_per_mechanism_first(members)
        if group == "exploratory":
            members = members[:MAX_EXPLORATORY]
        ordered += members
    escapes = {e.mechanism: e for e in class_escapes()}
    defeating = [(h, escapes[h.id]) for h in hits if h.id in escapes]
    return tuple(replace(_result(i, r, kb, planned, names, nodes),
                         cautions=_cautions(r.cand, kb, planned, defeating))
                 for i, r in enumerate(ordered, start=1))


def _cautions(c: Candidate, kb: KnowledgeBase, planned: Regimen,
              defeating: Sequence[tuple[MechanismHit, ClassEscape]]) -> tuple[str, ...]:
    """Drugs of the regimen that a matched mechanism defeats the way it defeats the plan (same
    class, same ERBB target), when the regimen does not itself answer that mechanism."""
    out = []
    for hit, esc in defeating:
        if hit.id in c.answers:
            continue
        plan_targets = {t for d in erbb_drugs(planned, kb) for t in kb.drugs[d].targets
                        if str(kb.drugs[d].drug_class) in esc.defeats}
        hit_drugs = [kb.drugs[d].name for d in sorted(erbb_drugs(c.regimen, kb))
                     if str(kb.drugs[d].drug_class) in esc.defeats
                     and plan_targets & set(kb.drugs[d].targets)]
        if hit_drugs:
            out.append(f"{hit.name} {TAKES_AWAY.get(esc.takes_away, esc.takes_away)} "
                       f"{', '.join(hit_drugs)} needs, as for the plan")
    return tuple(out)


def listed(c: Candidate, kb: KnowledgeBase, lineage: Sequence[str]) -> bool:
    """Whether a candidate can be listed at all (so is worth simulating): model-only ones are
    judged on their index later; records must answer a matched mechanism or be level A/B."""
    return (c.model_only or bool(c.answers) or any(r.level in ("A", "B") for r in c.records)
            or approved_here(kb, c.regimen, lineage))


def _group(c: Candidate, deciding: Record | None, here: bool) -> str | None:
    if c.model_only:
        return "mechanism" if c.origin == "class_switch" else "exploratory"
    if c.answers:
        return "mechanism"
    if deciding is not None and (deciding.level in ("A", "B") or here):
        return "standard"
    return None  # weaker evidence about a mechanism this tumour does not show: noise here


def _contra(c: Candidate, kb: KnowledgeBase, resistance: Sequence[tuple[str, str, str, bool]]
            ) -> list[str]:
    """Level-A/B resistance evidence matched in this profile that applies to the candidate's
    regimen: drug-level always, class-level (panitumumab evidence for cetuximab) only when no
    record of benefit stands behind the candidate itself (S492R defeats cetuximab, yet
    panitumumab, of the same class, still binds it)."""
    backed = any(r.outcome == "positive" for r in c.records)
    out = []
    for therapy, record_id, text, _specific in resistance:
        rel = relevance(kb.regimen(therapy), c.regimen, kb)
        if rel is None or (rel == "same drug class" and backed):
            continue
        out.append(f"{text} ({record_id})")
    return out


def _erbb_targets(kb: KnowledgeBase, regimen: Regimen) -> set[str]:
    return {t for d in erbb_drugs(regimen, kb) for t in kb.drugs[d].targets if t in ERBB_GENES}


def _population(c: Candidate, deciding: Record | None, kb: KnowledgeBase, planned: Regimen,
                against_plan: Sequence[str]) -> str | None:
    """Evidence from a population selected only by absences ("KRAS wild type") does not cover a
    tumour with level-A/B resistance to the plan's class, when the regimen keeps that class:
    erlotinib + cetuximab (KRAS wild-type mCRC) is not an option for BRAF V600E."""
    if deciding is None or deciding.specific or not against_plan or c.answers:
        return None  # a record for a mechanism this tumour shows was aimed at it (Sym004, S492R)
    if not _erbb_targets(kb, c.regimen) & _erbb_targets(kb, planned):
        return None
    return (f"the evidence is from an unselected population ({deciding.biomarker}); this tumour "
            f"has {against_plan[0]}")


def _prune(rows: list[_Row], plan_si: float | None, sensitive_at: float,
           resistant_at: float) -> list[_Row]:
    """Drop model-only candidates that would be noise: exploratory ones below the sensitive
    threshold or that do not beat the plan by :data:`EXPLORATORY_GAIN`, those that resistance
    evidence contradicts, and switches across classes the model says fail (at most
    :data:`MAX_CLASS_SWITCHES` per mechanism)."""
    out = []
    per_mech: dict[str, int] = {}
    for r in sorted(rows, key=lambda r: (GROUPS.index(r.group), r.key())):
        c = r.cand
        if not c.model_only:
            out.append(r)
            continue
        if not _finite(c.si) or (r.reason or "").startswith(("resistance evidence", "discontinued")):
            continue
        if r.group == "exploratory":
            if c.si < sensitive_at or (_finite(plan_si) and c.si < plan_si + EXPLORATORY_GAIN):
                continue
            r.reason = "model only: exploratory, for research; no recorded evidence"
        else:
            if c.si <= resistant_at or any(per_mech.get(m, 0) >= MAX_CLASS_SWITCHES for m in c.answers):
                continue
            for m in c.answers:
                per_mech[m] = per_mech.get(m, 0) + 1
        out.append(r)
    return out


def _one_per_mechanism_first(rows: list[_Row]) -> list[_Row]:
    """The best regimen with recorded evidence for each mechanism first (in rank order), then
    the rest: a board sees one answer per mechanism before second choices."""
    lead: list[_Row] = []
    covered: set[str] = set()
    for r in rows:
        new = set(r.cand.answers) - covered
        if new and r.cand.records and r.deciding is not None and r.deciding.outcome == "positive":
            lead.append(r)
            covered |= set(r.cand.answers)
    return lead + [r for r in rows if r not in lead]


def _rationale(c: Candidate, d: Record | None, via: Sequence[str], names: dict[str, str],
               kb: KnowledgeBase) -> str:
    """Why the regimen is listed, in one clause: the mechanism and node it answers, or the
    biomarker its evidence was stated for, or what the model screen tried."""
    if c.answers:
        what = "; ".join(names.get(m, kb.mechanisms[m].name if m in kb.mechanisms else m)
                         for m in c.answers)
        if via:
            head = f"answers {what} through {', '.join(via)}"
        else:  # no drug of the regimen has an action in the model: name the mechanism's nodes
            mech_nodes = sorted({n for m in c.answers if m in kb.mechanisms
                                 for n in kb.mechanisms[m].model_nodes})
            head = (f"answers {what} (acting outside the network model; the mechanism acts on "
                    f"{', '.join(mech_nodes) or 'no modelled node'})")
        return head if d is not None else f"{head}: {c.rationale}"
    if d is not None:
        verb = "benefit" if d.outcome == "positive" else f"{d.outcome} evidence"
        return f"{verb} with {d.biomarker}" if d.biomarker else verb
    return c.rationale


def _result(i: int, r: _Row, kb: KnowledgeBase, planned: Regimen, names: dict[str, str],
            nodes: Callable[[str], tuple[str, ...]]) -> StrategyResult:
    c, d = r.cand, r.deciding
    added = sorted(c.regimen.drugs - planned.drugs)
    via = c.via_nodes or tuple(dict.fromkeys(n for x in added for n in nodes(x)))
    rationale = _rationale(c, d, via, names, kb)
    if d is not None and d.setting:
        rationale += f"; {d.setting}"
    if d is not None and d.comparator:
        rationale += f" (vs {d.comparator})"
    sources = tuple(dict.fromkeys(s for rec in ([d] if d else []) + c.records for s in rec.sources))
    return StrategyResult(
        rank=i, regimen=tuple(kb.drugs[x].name for x in sorted(c.regimen.drugs)),
        recommended=r.recommended, origin=c.origin, kind=c.kind,
        evidence_level=d.level if d else None, outcome=d.outcome if d else None,
        sensitivity_index=round(c.si, 3) if _finite(c.si) else None,
        sensitivity_index_se=round(c.si_se, 3) if _finite(c.si_se) else None,
        model_verdict=c.model_verdict, rationale=rationale, answers=c.answers, via_nodes=via,
        records=tuple(rec.record_id for rec in c.records),
        numbers=d.numbers if d else {}, numbers_text=d.numbers_text if d else "",
        sources=sources, reason_not_recommended=r.reason, group=r.group,
        mechanism_names=tuple(names.get(m, kb.mechanisms[m].name if m in kb.mechanisms else m)
                              for m in c.answers),
        evidence=tuple({"record_id": rec.record_id, "level": rec.level, "outcome": rec.outcome,
                        "biomarker": rec.biomarker,
                        "setting": str(rec.setting) if rec.setting else None,
                        "setting_fit": rec.fit, "numbers_text": rec.numbers_text}
                       for rec in c.records),
        drug_status=tuple({"drug": k, "status": v} for k, v in r.statuses.items()),
        setting_fit=d.fit if d else None, setting_note=d.fit_note if d else None,
        model_disagrees=r.disagrees, model_only=c.model_only,
    )
