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
from herscape.knowledge._match import Matcher
from herscape.knowledge._pattern import Change, Class, Codon, Exon, Marker, atoms, parse_pattern
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
    model_response,
)
from herscape.predict._cite import citations, numbers_dict
from herscape.predict._groups import EXPLORATORY_GAIN, listed, rank, situation
from herscape.predict._regimens import drug_family, relevance
from herscape.predict._strategies import (
    Candidate,
    assertion_candidates,
    class_switch_candidates,
    knowledge_candidates,
    merge_candidates,
    screen_candidates,
    substitute_candidates,
)
from herscape.predict._types import EvidenceItem, MechanismHit, ModelSummary, Prediction
from herscape.predict._verdict import decide
from herscape.profile import OncoTree, Profile, oncotree

__all__ = ["SCREENS", "Engine", "predict", "simulate_profile"]

#: Screen sizes: none, default (one add-on drug), full (one or two add-on drugs).
SCREENS = ("none", "default", "full")
#: Trajectories per simulation in the in-silico screen (standard error about 0.02).
SCREEN_SAMPLES = 600
_PROGRESSED = {"progressed"}
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


def _lineage(engine: Engine, profile: Profile) -> tuple[str, ...]:
    if not profile.tumor_type:
        msg = "a tumour type is needed (--tumor-type CODE, an OncoTree code such as COADREAD)"
        raise UsageError(msg, field="tumor_type")
    problem = engine.tree.problem(profile.tumor_type)
    if problem:
        raise UsageError(problem, field="tumor_type", value=profile.tumor_type)
    return engine.tree.lineage(profile.tumor_type)


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


def _evidence(engine: Engine, matches, planned: Regimen) -> list[EvidenceItem]:
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
    defeating = {frozenset(m.matched_features) for m, a, _ in relevant
                 if str(a.effect) == "resistance" and m.matched_features}
    out = []
    for m, a, rel in relevant:
        out.append(EvidenceItem(
            record_id=a.id, biomarker=a.biomarker, therapy=a.therapy, tumor_type=a.tumor_type,
            effect=str(a.effect), direction=a.direction, level=str(a.level), relevance=rel,
            strength=m.strength,
            specific=bool(m.matched_features) and (
                str(a.effect) != "sensitivity"
                or not _feature_genes(kb, m.matched_features) <= targets
                or frozenset(m.matched_features) in defeating),
            counted=False,
            matched_features=tuple(m.matched_features), mechanism=a.mechanism, setting=str(a.setting) if a.setting else None,
            numbers=numbers_dict(a.numbers), numbers_text=format_numbers(a.numbers),
            notes=a.notes, sources=citations(a.sources, kb),
        ))
    return _mark_superseded(kb, out)


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
        if acquired and timing in ("acquired", "both"):
            label = "acquired"
        elif timing == "acquired":
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


def _strategies(engine: Engine, profile: Profile, matches, planned: Regimen,  # noqa: PLR0913 - one query's parts
                mechanisms: Sequence[MechanismHit], resp: Response | None, pert: Perturbation,
                lineage: tuple[str, ...], *, prior_drugs: frozenset[str], screen: str, seed: int,
                progress: Callable[[int, int], None] | None):
    """Candidates from the knowledge, switches and the screen; simulated, grouped, ranked."""
    kb = engine.kb
    acquired_features = frozenset(str(f) for f in profile.features) if prior_drugs else frozenset()
    modelled = lambda d: bool(engine.drug_nodes(d))  # noqa: E731 - a one-line predicate
    cands = knowledge_candidates(matches, planned, kb, lambda r: relevance(r, planned, kb),
                                 acquired_features, mechanisms, lineage)
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


def _summary(verdict, regimen_names: str, evidence, mechanisms, strategies) -> str:
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
    return (f"{verdict.verdict.capitalize()} to {regimen_names} ({verdict.basis}, confidence "
            f"{verdict.confidence:.2f}): {verdict.note}.{why}{best}")


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
    if resp.verdict == "resistant":
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
    lineage = _lineage(engine, profile)
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
    lineage = _lineage(engine, profile)
    prior_drugs: set[str] = set()
    for prior in profile.prior_therapies:
        if prior.outcome in _PROGRESSED:
            prior_drugs |= kb.regimen(prior.therapy).drugs
    sm = engine.matcher.match(profile)
    evidence = _evidence(engine, sm.matches, planned)
    pert, nodes, unmodelled, resp = _model_part(engine, profile, planned, lineage,
                                                samples=samples, seed=seed)
    verdict = decide(evidence, resp.verdict if resp else None)
    if resp is not None and resp.verdict == "resistant" and verdict.verdict == "sensitive":
        matched = {f for e in evidence if e.record_id in verdict.counted
                   and e.effect == "sensitivity" for f in e.matched_features}
        unaddressed = _unaddressed(engine, profile, matched, pert, nodes, lineage,
                                   samples=samples, seed=seed)
        if unaddressed:
            verdict = decide(evidence, resp.verdict, unaddressed)
    evidence = sorted(
        (replace(e, counted=e.record_id in verdict.counted) for e in evidence),
        key=lambda e: (not e.counted, e.level, e.record_id),
    )
    mechanisms = _mechanisms(engine, profile, sm.matches, evidence, resp, planned, frozenset(prior_drugs))
    strategies = _strategies(engine, profile, sm.matches, planned, mechanisms, resp, pert,
                             lineage, prior_drugs=frozenset(prior_drugs), screen=screen,
                             seed=seed, progress=progress)
    names = " + ".join(kb.drugs[d].name for d in sorted(planned.drugs))
    model_hash = hashlib.sha256(engine.erbb.path.read_bytes()).hexdigest()[:12]
    return Prediction(
        query={
            "sample_id": profile.sample_id, "tumor_type": profile.tumor_type, "therapy": therapy,
            "regimen": sorted(kb.drugs[d].name for d in planned.drugs),
            "features": [str(f) for f in profile.features],
            "prior_therapies": [str(t) for t in profile.prior_therapies],
        },
        verdict=verdict.verdict, confidence=verdict.confidence, basis=verdict.basis,
        summary=_summary(verdict, names, evidence, mechanisms, strategies),
        evidence=tuple(evidence), mechanisms=mechanisms,
        model=_model_summary(engine, planned, resp, pert, unmodelled) if resp else None,
        strategies=strategies,
        unrecognized=tuple(u.to_dict() for u in profile.unrecognized),
        provenance={
            "herscape_version": __version__, "kb_hash": engine.kb_hash,
            "model": f"{engine.erbb.curated.name} {engine.erbb.curated.version} ({model_hash})",
            "seed": seed, "samples": samples, "screen": screen, "screen_samples": SCREEN_SAMPLES,
        },
    )
