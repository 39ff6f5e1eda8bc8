"""``predict``: verdict, mechanisms, model response and ranked strategies for one profile.

>>> from herscape.predict import predict, profile_from_strings      # doctest: +SKIP
>>> p = profile_from_strings(["BRAF V600E", "KRAS wild-type"], tumor_type="COADREAD")
>>> predict(p, "cetuximab").verdict                                   # doctest: +SKIP
'resistant'
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache

from herscape import __version__
from herscape._config import DEFAULT_SEED
from herscape.errors import UsageError
from herscape.knowledge import KnowledgeBase, Regimen
from herscape.knowledge._format import format_numbers
from herscape.knowledge._holds import PatternEvaluator
from herscape.knowledge._match import _MARKER_IMPLIES, Matcher
from herscape.knowledge._pattern import (
    All,
    Change,
    Class,
    Codon,
    Exon,
    Marker,
    atoms,
    parse_pattern,
)
from herscape.knowledge._required import missing_tests, required_tests
from herscape.knowledge._store import data_hash, kb_from_store
from herscape.network._curated import ErbbModel, load_erbb_model
from herscape.network._perturb import (
    DrugAction,
    Perturbation,
    drug_actions,
    load_rules,
    perturbation_for,
)
from herscape.network._response import (
    DEFAULT_SAMPLES,
    Response,
    active_path,
    influence_edges,
    model_context,
    model_response,
)
from herscape.predict._action import removes_action
from herscape.predict._cite import citations, numbers_dict
from herscape.predict._groups import EXPLORATORY_GAIN, listed, rank, situation
from herscape.predict._regimens import added_drugs, drug_family, relevance
from herscape.predict._regions import INFERRED, region_of
from herscape.predict._setting import (
    ProfileSetting,
    failure_setting_applies,
    profile_setting,
    setting_match,
)
from herscape.predict._strategies import (
    Candidate,
    assertion_candidates,
    class_switch_candidates,
    knowledge_candidates,
    merge_candidates,
    screen_candidates,
    substitute_candidates,
)
from herscape.predict._types import (
    EvidenceItem,
    MechanismHit,
    MissingTestItem,
    ModelSummary,
    Prediction,
)
from herscape.predict._verdict import (
    MODEL_ONLY,
    NO_MOLECULAR_DATA,
    Verdict,
    decide,
    no_molecular_data,
    outside_model,
    withhold,
)
from herscape.profile import OncoTree, Profile, oncotree

__all__ = ["SCREENS", "Engine", "predict", "simulate_profile"]

#: Screen sizes: none, default (one add-on drug), full (one or two add-on drugs).
SCREENS = ("none", "default", "full")
#: Trajectories per simulation in the in-silico screen (standard error about 0.02).
SCREEN_SAMPLES = 600
_PROGRESSED = {"progressed"}
#: Model readings in which growth stays (partly) on under the plan.
_NO_FULL_RESPONSE = ("resistant", "reduced_sensitivity")

#: First pass over model-only candidates: trajectories (index standard error about 0.1) ...
PREPASS_SAMPLES = 150
#: ... and how far below the listing threshold a candidate may fall and still be simulated in
#: full (three standard errors of the first pass) ...
PREPASS_MARGIN = 0.3
#: ... keeping at most this many (the exploratory group shows five).
PREPASS_KEEP = 8


@dataclass(frozen=True, eq=False)
class Engine:
    """What predictions share: knowledge, matcher, pattern evaluator, model and add-on drugs."""

    kb: KnowledgeBase
    matcher: Matcher
    evaluator: PatternEvaluator
    erbb: ErbbModel
    tree: OncoTree
    kb_hash: str

    @classmethod
    def default(cls) -> Engine:
        """The shipped knowledge and model (built once per process)."""
        return _default_engine()

    def lineage(self, profile: Profile) -> tuple[str, ...]:
        """The profile's OncoTree lineage (its code first, then its ancestors).

        Raises
        ------
        UsageError
            When the profile has no tumour type or an unknown one.
        """
        if not profile.tumor_type:
            msg = "a tumour type is needed (--tumor-type CODE, an OncoTree code such as COADREAD)"
            raise UsageError(msg, field="tumor_type")
        problem = self.tree.problem(profile.tumor_type)
        if problem:
            raise UsageError(problem, field="tumor_type", value=profile.tumor_type)
        return self.tree.lineage(profile.tumor_type)

    def drug_nodes(self, drug_id: str) -> tuple[str, ...]:
        return _drug_action(self, drug_id).nodes

    def drug_action(self, drug_id: str) -> DrugAction:
        """How a catalogue drug acts on the ERBB model (nodes, basis, seed sources)."""
        return _drug_action(self, drug_id)

    def addons(self) -> list[tuple[str, str]]:
        """One representative catalogue drug per model action node: (drug id, node)."""
        return _addons(self)


@lru_cache(maxsize=1)
def _default_engine() -> Engine:
    kb = kb_from_store()
    tree = oncotree()
    return Engine(kb, Matcher(kb, tree=tree), PatternEvaluator(kb), load_erbb_model(), tree,
                  data_hash())


@lru_cache(maxsize=4096)
def _drug_action(engine: Engine, drug_id: str) -> DrugAction:
    (action,) = drug_actions([engine.kb.drugs[drug_id]], erbb=engine.erbb,
                            lookup=engine.kb.drugs.get)
    return action


@lru_cache(maxsize=4)
def _addons(engine: Engine) -> list[tuple[str, str]]:
    kb = engine.kb
    mentions: dict[str, int] = {}
    for rec in (*kb.assertions.values(), *kb.strategies.values()):
        for text in (getattr(rec, "therapy", None), getattr(rec, "regimen", None)):
            if text:
                for d in kb.regimen(text).drugs:
                    mentions[d] = mentions.get(d, 0) + 1
    best: dict[str, tuple] = {}
    for drug in kb.drugs.values():
        nodes = engine.drug_nodes(drug.id)
        if len(nodes) != 1 or drug.is_class or str(drug.drug_class) in {"other", "chemotherapy_regimen"}:
            continue
        key = (not drug.approved, -mentions.get(drug.id, 0), drug.id)
        if nodes[0] not in best or key < best[nodes[0]][0]:
            best[nodes[0]] = (key, drug.id)
    return sorted((drug_id, node) for node, (_, drug_id) in best.items())


def _feature_genes(kb: KnowledgeBase, features) -> set[str]:
    """Genes of matched feature texts (``ERBB2 amplification`` -> ERBB2; markers via their gene)."""
    out = set()
    for text in features:
        if "=" in text:
            marker = kb.find_marker(text.split("=", 1)[0])
            out.add(marker.gene if marker is not None and marker.gene else text)
        else:
            out.add(text.split()[0])
    return out


def _evidence(engine: Engine, matches, planned: Regimen,
              ps: ProfileSetting | None = None) -> list[EvidenceItem]:
    """Assertions that apply to the plan. Benefit evidence matched only through the plan's own
    targets (ERBB2 amplification for trastuzumab) states why the drug is given; like evidence
    matched only through absences, it is not "specific" and yields to evidence about modifiers,
    unless the same alteration defeats the plan or a drug of its class (then it is the contrast:
    panitumumab still binds EGFR S492R, which defeats cetuximab)."""
    kb = engine.kb
    targets = {t for d in planned.drugs for t in kb.drugs[d].targets}
    relevant = []
    for m in matches:
        if m.record_type != "assertion":
            continue
        a = kb.assertions[m.record_id]
        rel = relevance(kb.regimen(a.therapy), planned, kb)
        if rel is not None:
            relevant.append((m, a, rel))
    # Alterations that defeat the plan or a drug of its class: benefit evidence on the same
    # alteration is the contrast (panitumumab still binds EGFR S492R), not why the drug is given.
    # (only a record at least as narrow as the resistance record is a contrast: "EGFR activating
    # -> benefit" does not contest "EGFR T790M -> resistance")
    defeating = {frozenset(m.matched_features): _narrowness(a.biomarker) for m, a, _ in relevant
                 if str(a.effect) == "resistance" and m.matched_features}
    ps = ps or ProfileSetting()
    out = []
    for m, a, rel in relevant:
        specific = bool(m.matched_features) and (
            str(a.effect) != "sensitivity"
            or not _feature_genes(kb, m.matched_features) <= targets
            or _contrast(a.biomarker, defeating.get(frozenset(m.matched_features))))
        applies, reason, set_specific = setting_match(a.setting, str(a.effect), ps,
                                                      generic=not specific)
        out.append(EvidenceItem(
            record_id=a.id, biomarker=a.biomarker, therapy=a.therapy, tumor_type=a.tumor_type,
            effect=str(a.effect), direction=a.direction, level=str(a.level), relevance=rel,
            strength=m.strength,
            specific=specific,
            counted=False,
            matched_features=tuple(m.matched_features), mechanism=a.mechanism, setting=str(a.setting) if a.setting else None,
            numbers=numbers_dict(a.numbers), numbers_text=format_numbers(a.numbers),
            notes=a.notes, sources=citations(a.sources, kb),
            tumor_match=m.tumor_match or "exact", claim=str(a.claim),
            setting_applies=applies, setting_reason=reason, setting_specific=set_specific,
            granularity=max(_narrowness(a.biomarker).values(), default=0),
            removes_action=(removes_action(kb, a.mechanism, planned.drugs)
                            if str(a.effect) in ("resistance", "reduced_benefit")
                            and m.matched_features else None),
            no_added_benefit=_failed_trial(kb, a, rel, set_specific),
        ))
    return _mark_superseded(kb, out)


def _failed_trial(kb: KnowledgeBase, a, rel: str, setting_specific: bool) -> str | None:
    """The comparator of a failed trial of exactly the planned regimen (verdict rule 11): no
    effect, stated against a comparator without targeted drugs of its own (so the regimen's
    targeted drugs were what was tested), in a setting the profile can be in."""
    if (str(a.effect) != "no_effect" or a.direction != "supports" or rel != "exact regimen"
            or not a.comparator or not failure_setting_applies(a.setting, setting_specific)):
        return None
    return a.comparator if added_drugs(kb.regimen(a.therapy), a.comparator, kb) else None


def _contrast(biomarker: str, resisted: dict[str, int] | None) -> bool:
    """Whether benefit evidence on an alteration that defeats the plan's class names it at least
    as narrowly as the resistance evidence does (then it is the contrast, not why the drug is given)."""
    if resisted is None:
        return False
    mine = _narrowness(biomarker)
    return all(mine.get(g, 0) >= r for g, r in resisted.items())


def _regions(kb: KnowledgeBase, profile: Profile, planned: Regimen,
             evidence: list[EvidenceItem]) -> list[EvidenceItem]:
    """Apply the protein regions (``network/models/regions.yaml``): class evidence on an allele in
    a region that spares the planned drug does not apply (EGFR T790M evidence for EGFR TKIs, not
    for osimertinib), nor does a removal of action it spares; an allele in a region that affects
    the plan and that no applicable record names gets the region's effect, marked inferred."""
    drugs = planned.drugs
    by_text = {str(f): f for f in profile.features}
    out = []
    for e in evidence:
        feats = [by_text[t] for t in e.matched_features if t in by_text]
        spared = [r for f in feats for r in region_of(kb, f, drugs) if set(r.spares) & drugs]
        hit = [r for f in feats for r in region_of(kb, f, drugs) if set(r.affects) & drugs]
        if hit and e.effect == "sensitivity" and e.relevance in ("same drug class", "drug class record"):
            # benefit of another drug of the class on an allele that defeats this one (osimertinib
            # on T790M is not evidence for gefitinib)
            r = hit[0]
            names = ", ".join(kb.drugs[d].name for d in sorted(set(r.affects) & drugs))
            e = replace(e, setting_applies=False,
                        setting_reason=f"{r.region} defeats {names} (region {r.id})")
        elif spared and e.effect != "sensitivity":
            r = spared[0]
            names = ", ".join(kb.drugs[d].name for d in sorted(set(r.spares) & drugs))
            if e.relevance in ("same drug class", "drug class record"):
                e = replace(e, setting_applies=False,
                            setting_reason=f"{r.region} spares {names} (region {r.id})")
            elif e.removes_action:
                e = replace(e, removes_action=None)
        out.append(e)
    for f in profile.features:
        # named: a record about this allele, its codon or its exon ("BRAF mutation" does not name it)
        named = any(str(f) in e.matched_features and e.strength == "exact" and e.setting_applies
                    and not e.inferred and _narrowness(e.biomarker).get(f.genes[0] if f.genes else "", 0) >= 2
                    for e in out)
        if named:
            continue
        for r in region_of(kb, f, drugs):
            hit = sorted(set(r.affects) & drugs)
            if not hit:
                continue
            codons = ",".join(str(c) for c in r.codons)
            out.append(EvidenceItem(
                record_id=f"region:{r.id}", biomarker=f"{r.gene} codons {codons}",
                therapy=" + ".join(kb.drugs[d].name for d in hit), tumor_type="TISSUE",
                effect=r.effect, direction="supports", level=r.level, relevance="exact regimen",
                strength="exact", specific=True, counted=False, matched_features=(str(f),),
                notes=f"{r.region}: {INFERRED}", sources=citations(r.sources, kb),
                tumor_match="pan-cancer", removes_action=r.removes_action, inferred=True,
                granularity=2))
    return out


#: How narrowly a biomarker atom names an alteration (a class < an exon or codon < a change).
_NARROWNESS = ((Change, 3), (Codon, 2), (Exon, 2), (Class, 1))


def _narrowness(pattern: str) -> dict[str, int]:
    """Per gene, how narrowly ``pattern`` names its alterations."""
    out: dict[str, int] = {}
    for atom in atoms(parse_pattern(pattern)):
        rank = next((r for kind, r in _NARROWNESS if isinstance(atom, kind)), 0)
        if rank:
            out[atom.gene] = max(out.get(atom.gene, 0), rank)
    return out


def _mark_superseded(kb: KnowledgeBase, items: list[EvidenceItem]) -> list[EvidenceItem]:
    """Mark records on a broad class of alterations that a narrower, at least as strong
    no-effect record on the same matched alteration contradicts (verdict rule 6)."""
    rank = "ABCDE".index
    no_effect = [(e, _narrowness(e.biomarker)) for e in items
                 if e.effect == "no_effect" and e.direction == "supports" and e.matched_features]
    out = []
    for e in items:
        by = None
        if e.effect != "no_effect" and e.matched_features:
            mine = _narrowness(e.biomarker)
            genes = _feature_genes(kb, e.matched_features)
            for other, theirs in no_effect:
                if (set(e.matched_features) <= set(other.matched_features)
                        and rank(other.level) <= rank(e.level)
                        and all(theirs.get(g, 0) > mine.get(g, 0) for g in genes)):
                    by = other.record_id
                    break
        out.append(replace(e, superseded_by=by) if by else e)
    return out


#: Below this probability under the planned regimen a node counts as off for the screen.
OFF_LEVEL = 0.05


def _can_act(engine: Engine, drug_node: str, treated: dict[str, float]) -> bool:
    """Whether an add-on acting through ``drug_node`` can change the treated state."""
    targets = influence_edges(engine.erbb).get(drug_node, [])
    return any(positive or treated.get(t, 1.0) >= OFF_LEVEL for t, positive in targets)


def _rule_genes(pattern) -> set[str]:
    out = set()
    for atom in atoms(pattern):
        if isinstance(atom, Change | Codon | Exon | Class):
            out.add(atom.gene)
        elif isinstance(atom, Marker):
            out.add(atom.name)
    return out


def _mechanisms(engine: Engine, profile: Profile, matches, evidence: Sequence[EvidenceItem],
                resp: Response | None, planned: Regimen, prior_drugs: frozenset[str]
                ) -> tuple[MechanismHit, ...]:
    kb = engine.kb
    found: dict[str, set[str]] = {}
    feats: dict[str, set[str]] = {}
    for m in matches:
        if m.record_type == "mechanism" and m.strength == "exact":
            found.setdefault(m.record_id, set())
            feats.setdefault(m.record_id, set()).update(m.matched_features)
    for e in evidence:
        if e.counted and e.mechanism and e.effect in ("resistance", "reduced_benefit"):
            found.setdefault(e.mechanism, set()).add(e.record_id)
            feats.setdefault(e.mechanism, set()).update(e.matched_features)
    # what defines the treated population (HER2-low: IHC 2+ with ISH not amplified, for
    # trastuzumab deruxtecan) is not a resistance mechanism of that plan
    population = {f for e in evidence if e.counted and e.effect == "sensitivity" and not e.specific
                  for f in e.matched_features}
    found = {mid: recs for mid, recs in found.items()
             if recs or not population or not feats.get(mid) or not feats[mid] <= population}
    held = [(rule, pat) for rule, pat in load_rules() if engine.evaluator.holds(pat, profile)]
    out = []
    for mid in sorted(found):
        mech = kb.mechanisms.get(mid)
        if mech is None:
            continue
        mech_drugs = {kb.find_drug(t).id for t in mech.therapies if kb.find_drug(t)}
        if mech_drugs and not _shares_family(kb, mech_drugs, planned.drugs):
            continue
        acquired = _shares_family(kb, mech_drugs, prior_drugs)
        timing = str(mech.timing)
        if acquired and timing in ("acquired", "both", "uncertain"):
            label = "acquired"
        elif timing in ("acquired", "uncertain"):
            label = "primary or acquired" if not prior_drugs else "acquired"
        else:
            label = "primary"
        path: tuple[str, ...] = ()
        if resp is not None:
            genes = set(mech.genes) | set(mech.model_nodes)
            own = {str(a) for b in mech.biomarkers for a in atoms(parse_pattern(b))}
            first = {n: v for rule, pat in held if {str(a) for a in atoms(pat)} & own
                     for n, v in rule.set.items()}
            second = {n: v for rule, pat in held if _rule_genes(pat) & genes for n, v in rule.set.items()}
            if first or second:
                path = active_path(engine.erbb, [first, second], resp.treated, resp.drug_nodes)
        out.append(MechanismHit(
            id=mid, name=mech.name, category=str(mech.category), timing=label,
            therapies=tuple(mech.therapies), path=path, evidence=tuple(sorted(found[mid])),
            matched_features=tuple(sorted(feats.get(mid, ()))),
        ))
    return tuple(out)


def _shares_family(kb: KnowledgeBase, a, b) -> bool:
    """Whether two drug sets share a drug, or an ERBB-family drug class and target set."""
    if set(a) & set(b):
        return True
    fa = {drug_family(kb.drugs[d]) for d in a if drug_family(kb.drugs[d])[1]}
    return bool(fa & {drug_family(kb.drugs[d]) for d in b})


def _model_summary(engine: Engine, planned: Regimen, resp: Response, pert: Perturbation,
                   unmodelled: Sequence[str]) -> ModelSummary:
    si = resp.sensitivity_index
    actions = [engine.drug_action(d) for d in sorted(planned.drugs)]
    return ModelSummary(
        untreated=resp.untreated.as_dict(), treated=resp.treated.as_dict(),
        reference=resp.reference, reference_untreated=resp.reference_untreated.as_dict(),
        reference_treated=resp.reference_treated.as_dict(),
        sensitivity_index=None if si != si else round(si, 3),
        sensitivity_index_se=None if resp.si_se != resp.si_se else round(resp.si_se, 3),
        verdict=resp.verdict, active_path=resp.active_path, drug_nodes=resp.drug_nodes,
        perturbations=tuple({"pattern": p, "why": w, "sources": c} for p, w, c in pert.applied),
        unmodelled_drugs=tuple(unmodelled), unmodelled_driver=resp.unmodelled_driver,
        drug_actions=tuple({"drug": engine.kb.drugs[a.drug].name, "nodes": ", ".join(a.nodes),
                            "basis": a.basis, "sources": a.sources} for a in actions if a.nodes),
        node_probabilities_untreated={k: round(v, 4) for k, v in resp.untreated.nodes.items()},
        node_probabilities_treated={k: round(v, 4) for k, v in resp.treated.nodes.items()},
    )


def _simulate_candidates(engine: Engine, cands: list[Candidate], pert: Perturbation,
                         lineage: tuple[str, ...], *, samples: int, seed: int,
                         progress: Callable[[int, int], None] | None) -> None:
    """Simulate every candidate; candidates with the same action nodes share one simulation, and
    distinct ones run side by side on the CPU's cores (the kernel releases the GIL; each result
    depends only on its own seed, so the thread count never changes an answer)."""
    by_nodes: dict[tuple[str, ...], list[Candidate]] = {}
    for c in cands:
        nodes = tuple(sorted({n for d in c.regimen.drugs for n in engine.drug_nodes(d)}))
        by_nodes.setdefault(nodes, []).append(c)
    jobs = [n for n in by_nodes if n]

    def run(nodes: tuple[str, ...]) -> Response:
        return model_response(engine.erbb, pert, list(nodes), lineage=lineage, samples=samples,
                              seed=seed)

    done = 0
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for nodes, r in zip(jobs, pool.map(run, jobs), strict=True):
            for c in by_nodes[nodes]:
                c.si, c.si_se, c.model_verdict = r.sensitivity_index, r.si_se, r.verdict
            done += len(by_nodes[nodes])
            if progress is not None:
                progress(done, len(cands))
    if progress is not None and done < len(cands):
        progress(len(cands), len(cands))


def _resistance(kb: KnowledgeBase, matches) -> list[tuple[str, str, str, bool]]:
    """The profile's level-A/B resistance evidence: (therapy, record id, text, specific)."""
    out = []
    for m in matches:
        if m.record_type != "assertion" or m.strength != "exact" or not m.matched_features:
            continue
        a = kb.assertions[m.record_id]
        if (str(a.effect) == "resistance" and a.direction == "supports" and str(a.level) in "AB"
                and str(a.claim) == "predictive"):
            out.append((a.therapy, a.id, f"{a.biomarker} → resistance to {a.therapy} "
                                         f"(level {a.level})", True))
    return out


def _contradicted(text: str, profile: Profile, evaluator: PatternEvaluator) -> bool:
    """The pattern requires an allele or codon (``KRAS G12C``) of a gene the tumour was tested
    for, and the tumour lacks it: a record stated for that allele does not apply."""
    if not text:
        return False
    pattern = parse_pattern(text)
    for part in pattern.operands if isinstance(pattern, All) else (pattern,):
        if (isinstance(part, Change | Codon) and profile.is_assessed("mutation", part.gene)
                and not evaluator.holds(part, profile)):
            return True
    return False


def _strategies(engine: Engine, profile: Profile, matches, planned: Regimen,  # noqa: PLR0913 - one query's parts
                mechanisms: Sequence[MechanismHit], resp: Response | None, pert: Perturbation,
                lineage: tuple[str, ...], *, prior_drugs: frozenset[str], screen: str, seed: int,
                progress: Callable[[int, int], None] | None):
    """Candidates from the knowledge, switches and the screen; simulated, grouped, ranked."""
    kb = engine.kb
    acquired_features = frozenset(str(f) for f in profile.features) if prior_drugs else frozenset()
    modelled = lambda d: bool(engine.drug_nodes(d))  # noqa: E731 - a one-line predicate
    cands = knowledge_candidates(matches, planned, kb, lambda r: relevance(r, planned, kb),
                                 acquired_features, mechanisms, lineage,
                                 lambda text: _contradicted(text, profile, engine.evaluator))
    cands += assertion_candidates(matches, planned, kb, mechanisms)
    cands += class_switch_candidates(planned, kb, mechanisms, modelled, engine.drug_nodes)
    if screen != "none":
        cands += substitute_candidates(planned, kb, modelled)
        addons = engine.addons()
        if resp is not None:  # an inhibitor of nodes already off under the plan cannot help
            addons = [(d, n) for d, n in addons if _can_act(engine, n, resp.treated.nodes)]
        cands += screen_candidates(planned, addons, pairs=screen == "full")
    cands = [c for c in merge_candidates(cands) if listed(c, kb, lineage)]
    th = engine.erbb.curated.thresholds
    sensitive_at = th.sensitive if th else 0.7
    plan_si = resp.sensitivity_index if resp else None
    # Model-only add-ons and switches within the class are listed only when they reach the
    # sensitive threshold and beat the plan: a short first pass finds the few that might.
    screened = [c for c in cands if c.model_only and c.origin in ("screen", "substitute")]
    full = [c for c in cands if not (c.model_only and c.origin in ("screen", "substitute"))]
    if screened:
        _simulate_candidates(engine, screened, pert, lineage, samples=PREPASS_SAMPLES, seed=seed,
                             progress=None)
        need = sensitive_at if plan_si is None or plan_si != plan_si \
            else max(sensitive_at, plan_si + EXPLORATORY_GAIN)
        hopeful = sorted((c for c in screened if c.si is not None and c.si == c.si
                          and c.si >= need - PREPASS_MARGIN),
                         key=lambda c: (-c.si, len(c.regimen), str(c.regimen)))[:PREPASS_KEEP]
        for c in screened:
            c.si = c.si_se = c.model_verdict = None
        full += hopeful
    _simulate_candidates(engine, full, pert, lineage, samples=SCREEN_SAMPLES, seed=seed,
                         progress=progress)
    sit = situation(profile, kb, lambda text: engine.evaluator.holds(parse_pattern(text), profile))
    return rank(cands, kb, planned=planned, hits=mechanisms, sit=sit, lineage=lineage,
                resistance=_resistance(kb, matches), sensitive_at=sensitive_at,
                resistant_at=th.resistant if th else 0.3, plan_si=plan_si,
                nodes=engine.drug_nodes)


def _verdict_line(v: Verdict, names: str, missing=()) -> str:
    """One line saying the verdict and what it rests on (never dressed as evidence when it is the
    model alone)."""
    word = v.verdict.replace("_", " ")
    if v.basis == "required tests missing" and v.note.startswith(NO_MOLECULAR_DATA):
        return f"Uncertain for {names}: {NO_MOLECULAR_DATA}"
    if v.basis == "required tests missing":
        actions = "; ".join(m.action for m in missing if m.need == "required")
        return f"Uncertain for {names}: required tests missing — {actions}"
    if v.basis == "model inference":
        to = "for" if v.verdict == "uncertain" else "to"
        return f"{word.capitalize()} {to} {names}: {MODEL_ONLY}"
    line = f"{word.capitalize()} to {names} ({v.basis})"
    if v.verdict == "reduced_sensitivity" and v.markers:
        line += f": benefit expected, reduced by {', '.join(v.markers)}"
    return line


def _summary(verdict: Verdict, line: str, evidence, mechanisms, strategies) -> str:
    deciding = [e for e in evidence if e.counted]
    why = ""
    if mechanisms:
        why = " Mechanism: " + "; ".join(f"{m.name} ({m.timing})" for m in mechanisms[:3]) + "."
    elif deciding:
        why = " Evidence: " + "; ".join(f"{e.biomarker} → {e.effect} (level {e.level})" for e in deciding[:2]) + "."
    best = ""
    if verdict.verdict != "sensitive":
        for group, label in (("standard", "Best standard option"),
                             ("mechanism", "Best mechanism-directed option")):
            top = next((s for s in strategies if s.group == group and s.recommended), None)
            if top is None:
                continue
            lvl = f"level {top.evidence_level}" if top.evidence_level else "model only"
            si = f", SI {top.sensitivity_index:.2f}" if top.sensitivity_index is not None else ""
            what = f" for {'; '.join(top.mechanism_names)}" if top.mechanism_names else ""
            best += f" {label}: {' + '.join(top.regimen)}{what} ({lvl}{si})."
    model = f" Note: {verdict.model_note}." if verdict.model_note else ""
    return (f"{line} (confidence {verdict.confidence:.2f}): {verdict.note}.{why}{model}{best}")


def used_by_setting(kb: KnowledgeBase) -> set[str]:
    """Markers that state a setting some record names (primary side, hormone-receptor status)."""
    used: set[str] = set()
    for rec in (*kb.assertions.values(), *kb.strategies.values()):
        st = getattr(rec, "setting", None)
        if st is not None and not isinstance(st, str):
            if st.sidedness:
                used.add("sidedness")
            if st.hormone_receptor:
                used.update({"hormone_receptor", "ESR1", "PGR"})
    return used


def _unused_markers(engine: Engine, profile: Profile) -> tuple[str, ...]:
    """Markers the profile states that no knowledge record, record setting or model rule uses:
    reported as accepted but not used, never silently dropped."""
    used = _used_marker_ids(engine)
    out = []
    for f in profile.features:
        marker = getattr(f, "marker", None)
        if marker is not None and marker not in used:
            out.append(str(f))
    return tuple(out)


@lru_cache(maxsize=4)
def _used_marker_ids(engine: Engine) -> frozenset[str]:
    kb = engine.kb
    texts = [a.biomarker for a in kb.assertions.values()]
    texts += [s.biomarker for s in kb.strategies.values() if s.biomarker]
    texts += [b for m in kb.mechanisms.values() for b in m.biomarkers]
    used: set[str] = set()
    for text in texts:
        for atom in atoms(parse_pattern(text)):
            if isinstance(atom, Marker):
                found = kb.find_marker(atom.name)
                used.add(found.id if found is not None else atom.name)
    for _, pat in load_rules():
        for atom in atoms(pat):
            if isinstance(atom, Marker):
                found = kb.find_marker(atom.name)
                used.add(found.id if found is not None else atom.name)
    # markers that make a gene-level class (HER2 IHC 3+ -> ERBB2 overexpression), that answer a
    # required test (HER2 status) or that state the setting are used too
    used.update(m for m, _, _ in _MARKER_IMPLIES)
    used.update(alt.split()[1] for rec in required_tests(kb) for check in rec.checks
                for alt in (a.strip() for a in check.split("|")) if alt.startswith("marker "))
    used |= used_by_setting(kb)
    return frozenset(used)


def _model_part(engine: Engine, profile: Profile, planned: Regimen, lineage: tuple[str, ...], *,
                samples: int, seed: int) -> tuple[Perturbation, list[str], list[str], Response | None]:
    pert = _perturbation(engine, profile)
    nodes = sorted({n for d in planned.drugs for n in engine.drug_nodes(d)})
    unmodelled = sorted(engine.kb.drugs[d].name for d in planned.drugs if not engine.drug_nodes(d))
    resp = model_response(engine.erbb, pert, nodes, lineage=lineage, samples=samples, seed=seed) \
        if nodes else None
    return pert, nodes, unmodelled, resp


def _perturbation(engine: Engine, profile: Profile) -> Perturbation:
    return perturbation_for(lambda p: engine.evaluator.holds(p, profile))


def _unaddressed(engine: Engine, profile: Profile, matched: set[str], pert: Perturbation,
                 nodes: list[str], lineage: tuple[str, ...], *, samples: int,
                 seed: int) -> tuple[str, ...]:
    """The profile's alterations outside ``matched`` (the features the evidence for benefit
    matched) that make the model's verdict resistant: without them the model does not say so."""
    extra = [f for f in profile.features if str(f) not in matched]
    if not matched or not extra:
        return ()
    core = replace(profile, features=tuple(f for f in profile.features if str(f) in matched))
    core_pert = _perturbation(engine, core)
    if core_pert.applied == pert.applied:
        return ()
    resp = model_response(engine.erbb, core_pert, nodes, lineage=lineage, samples=samples, seed=seed)
    if resp.verdict in _NO_FULL_RESPONSE:
        return ()
    return tuple(str(f) for f in extra
                 if _perturbation(engine, replace(core, features=(*core.features, f))).applied
                 != core_pert.applied)


def simulate_profile(profile: Profile, therapy: str, *, engine: Engine | None = None,
                     seed: int = DEFAULT_SEED, samples: int = DEFAULT_SAMPLES) -> ModelSummary:
    """The ERBB model's answer alone: readouts untreated and treated, sensitivity index, verdict
    and active path (``herscape simulate --therapy``).

    Raises
    ------
    UsageError
        Unknown drug or tumour type, or a regimen none of whose drugs act on the model.
    """
    engine = engine or Engine.default()
    planned = engine.kb.regimen(therapy)
    lineage = engine.lineage(profile)
    pert, _, unmodelled, resp = _model_part(engine, profile, planned, lineage, samples=samples, seed=seed)
    if resp is None:
        msg = (f"no drug of {therapy!r} acts on the ERBB model ({', '.join(unmodelled)}); "
               "see src/herscape/network/models/drug_actions.yaml")
        raise UsageError(msg, field="therapy", value=therapy)
    return _model_summary(engine, planned, resp, pert, unmodelled)


def predict(profile: Profile, therapy: str, *, engine: Engine | None = None, screen: str = "default",
            seed: int = DEFAULT_SEED, samples: int = DEFAULT_SAMPLES,
            progress: Callable[[int, int], None] | None = None) -> Prediction:
    """Will this tumour resist ``therapy``, why, and what to do instead.

    Parameters
    ----------
    profile
        The tumour (features, OncoTree tumour type, prior therapies with outcome).
    therapy
        The planned regimen: drug names joined by ``+`` (any synonym or code name).
    engine
        Shared knowledge and model (default: the shipped ones, built once per process).
    screen
        ``none``, ``default`` (plan + one add-on drug) or ``full`` (plus pairs).
    seed, samples
        Random seed and trajectories per simulation of the planned regimen.
    progress
        Called as ``progress(done, total)`` while candidate strategies are simulated.

    Raises
    ------
    UsageError
        Unknown drug (with the closest names), missing or unknown tumour type, unknown screen.
    """
    if screen not in SCREENS:
        msg = f"screen must be one of {', '.join(SCREENS)}; got {screen!r}"
        raise UsageError(msg, field="screen", value=screen)
    engine = engine or Engine.default()
    kb = engine.kb
    planned = kb.regimen(therapy)
    lineage = engine.lineage(profile)
    prior_drugs: set[str] = set()
    for prior in profile.prior_therapies:
        if prior.outcome in _PROGRESSED:
            prior_drugs |= kb.regimen(prior.therapy).drugs
    sm = engine.matcher.match(profile)
    ps = profile_setting(profile, planned, kb)
    evidence = _regions(kb, profile, planned, _evidence(engine, sm.matches, planned, ps))
    pert, nodes, unmodelled, resp = _model_part(engine, profile, planned, lineage,
                                                samples=samples, seed=seed)
    verdict = decide(evidence, resp.verdict if resp else None)
    if resp is not None and resp.verdict in _NO_FULL_RESPONSE and verdict.verdict == "sensitive":
        matched = {f for e in evidence if e.record_id in verdict.counted
                   and e.effect == "sensitivity" for f in e.matched_features}
        unaddressed = _unaddressed(engine, profile, matched, pert, nodes, lineage,
                                   samples=samples, seed=seed)
        if unaddressed:
            verdict = decide(evidence, resp.verdict, unaddressed)
    if (verdict.basis == "model inference" and verdict.verdict != "uncertain" and profile.tumor_type
            and model_context(engine.erbb, lineage) is None):
        verdict = outside_model(verdict, profile.tumor_type)
    missing = missing_tests(kb, profile, planned.drugs, lineage,
                            lambda text: engine.evaluator.holds(parse_pattern(text), profile))
    deciding = min((e.level for e in evidence if e.record_id in verdict.counted), default=None)
    verdict = withhold(verdict, missing, deciding)
    if not profile.molecular_data:
        verdict = no_molecular_data(verdict)
    evidence = sorted(
        (replace(e, counted=e.record_id in verdict.counted) for e in evidence),
        key=lambda e: (not e.counted, e.level, e.record_id),
    )
    mechanisms = _mechanisms(engine, profile, sm.matches, evidence, resp, planned, frozenset(prior_drugs))
    strategies = _strategies(engine, profile, sm.matches, planned, mechanisms, resp, pert,
                             lineage, prior_drugs=frozenset(prior_drugs), screen=screen,
                             seed=seed, progress=progress)
    names = " + ".join(kb.drugs[d].name for d in sorted(planned.drugs))
    line = _verdict_line(verdict, names, missing)
    model_hash = hashlib.sha256(engine.erbb.path.read_bytes()).hexdigest()[:12]
    return Prediction(
        query={
            "sample_id": profile.sample_id, "tumor_type": profile.tumor_type, "therapy": therapy,
            "regimen": sorted(kb.drugs[d].name for d in planned.drugs),
            "features": [str(f) for f in profile.features],
            "prior_therapies": [str(t) for t in profile.prior_therapies],
        },
        verdict=verdict.verdict, confidence=verdict.confidence, basis=verdict.basis,
        summary=_summary(verdict, line, evidence, mechanisms, strategies),
        evidence=tuple(evidence), mechanisms=mechanisms,
        model=_model_summary(engine, planned, resp, pert, unmodelled) if resp else None,
        strategies=strategies,
        unrecognized=tuple(u.to_dict() for u in profile.unrecognized),
        provenance={
            "herscape_version": __version__, "kb_hash": engine.kb_hash,
            "model": f"{engine.erbb.curated.name} {engine.erbb.curated.version} ({model_hash})",
            "seed": seed, "samples": samples, "screen": screen, "screen_samples": SCREEN_SAMPLES,
        },
        knowledge_release=({"version": kb.release.version, "date": kb.release.date}
                           if kb.release is not None else None),
        missing_tests=tuple(MissingTestItem(m.id, m.test, m.need, m.action, m.why, m.missing,
                                            citations(m.sources, kb)) for m in missing),
        setting=ps.to_dict(), reduced_by=verdict.markers, verdict_line=line,
        model_note=verdict.model_note, unused_markers=_unused_markers(engine, profile),
    )
