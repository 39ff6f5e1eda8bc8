"""Response of a profile to a regimen in the ERBB model: readouts, sensitivity index, path.

Growth readout (per cell, in [-1, 1]): ``g = P(Proliferation and not Death) - P(Death)`` with
``Death = Apoptosis or ImmuneKill``, read over the last time window. The sensitivity index of a
regimen is the drop in ``g`` it causes in the profile, divided by the drop it causes in the
reference sensitive profile of its therapy class (model file, ``references``)::

    SI = (g_untreated - g_treated) / (g_ref_untreated - g_ref_treated)

so 1 means "as sensitive as the reference", 0 "no effect". The reference is treated with the
regimen's drugs of the reference's own therapy class (and its cytotoxic backbone), not with the
add-ons: an add-on that helps then shows as SI > 1, and one that causes resistance (epoetin with
trastuzumab) as SI < 1. The model verdict compares SI with
the calibrated thresholds in the model file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import json
import math
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from herscape import __version__
from herscape._config import DEFAULT_SEED, cache_dir
from herscape.errors import SimulationError
from herscape.network._curated import ErbbModel, Reference
from herscape.network._model import And, Not, Or, Var, Xor
from herscape.network._model import Mutation as _Mutation
from herscape.network._model import RateScale as _RateScale
from herscape.network._perturb import Perturbation
from herscape.network._simulate import BLOCK_SIZE, last_window

__all__ = [
    "Readouts",
    "Response",
    "growth_of",
    "influence_edges",
    "model_response",
    "readouts",
    "select_context",
    "select_reference",
]

#: Below this drop in the reference's growth the index is undefined (the reference barely responds).
MIN_REFERENCE_DROP = 0.1

#: A node counts as ON for the active path at this probability (oscillating feedback nodes sit
#: near 0.5, so the level is below it).
ON_LEVEL = 0.35

#: A node the drug lowered by this much (probability) counts as switched off on its chain.
SWITCHED_OFF = 0.2

#: Trajectories per simulation: the readouts' standard error is then <= 0.01.
DEFAULT_SAMPLES = 2500


@dataclass(frozen=True)
class Readouts:
    """Phenotype readouts over the last window (probabilities) and the growth index."""

    proliferation: float
    apoptosis: float
    immune_killing: float
    growth: float
    growth_se: float
    nodes: dict[str, float] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, float]:
        return {
            "proliferation": self.proliferation,
            "apoptosis": self.apoptosis,
            "immune_killing": self.immune_killing,
            "growth": self.growth,
            "growth_se": self.growth_se,
        }


@dataclass(frozen=True)
class Response:
    """A profile's response to a regimen, relative to the reference sensitive profile."""

    untreated: Readouts
    treated: Readouts
    reference_untreated: Readouts
    reference_treated: Readouts
    reference: str
    context: str | None
    sensitivity_index: float
    si_se: float
    verdict: str
    active_path: tuple[str, ...]
    drug_nodes: tuple[str, ...]
    #: True when the profile did not grow untreated in the model, so growth from drivers outside
    #: the model was assumed (model file, ``unmodelled_driver``)
    unmodelled_driver: bool = False


def select_context(erbb: ErbbModel, lineage: Sequence[str]) -> dict[str, float]:
    """Input defaults of the first context matching the tumour type or one of its ancestors."""
    return dict(_context(erbb, tuple(lineage))[1])


def _context(erbb: ErbbModel, lineage: tuple[str, ...]) -> tuple[str | None, dict[str, float]]:
    for code in lineage:
        for ctx in erbb.curated.contexts:
            if code in ctx.tumor_types:
                return ctx.id, dict(ctx.inputs)
    return None, {}


def model_context(erbb: ErbbModel, lineage: tuple[str, ...]) -> str | None:
    """The model context (colorectal, breast, melanoma, stomach, lung) of a tumour lineage, or
    None when the model holds none for it."""
    return _context(erbb, lineage)[0]


def select_reference(erbb: ErbbModel, drug_nodes: Iterable[str],
                     context: str | None = None) -> Reference:
    """The reference for a regimen: among those whose nodes the regimen switches on, one of the
    profile's own tumour type if any (a reference per tumour type and therapy class: lapatinib in
    breast cancer against HER2-positive breast cancer, trastuzumab in gastric cancer against
    HER2-positive gastric cancer, erlotinib in lung cancer against EGFR-mutant lung cancer),
    preferring the one that covers most of the regimen's drug nodes; else the first in file order."""
    nodes = set(drug_nodes)
    refs = erbb.curated.references
    hits = [r for r in refs if nodes & set(r.nodes)]
    own = [r for r in hits if context is not None and _context(erbb, (r.tumor_type,))[0] == context]
    if own:  # the profile's own tumour type; the one covering most of the regimen (file order on ties)
        return max(own, key=lambda r: len(nodes & set(r.nodes)))
    if hits:
        return hits[0]
    fallback = [r for r in refs if not r.nodes]
    if not fallback:
        msg = "the model file defines no reference for regimens outside its therapy classes"
        raise SimulationError(msg)
    return fallback[0]


def growth_of(states, names_of_death: tuple[str, str], prolif: str) -> tuple[float, float, float]:
    """Growth index, its variance per trajectory, and P(death) from joint state probabilities."""
    p_grow = p_death = 0.0
    for label, p in states.items():
        on = set(label.split(" -- ")) if label != "<nil>" else set()
        if on & set(names_of_death):
            p_death += p
        elif prolif in on:
            p_grow += p
    g = p_grow - p_death
    var = p_grow + p_death - g * g  # per-cell value is +1, -1 or 0
    return g, max(var, 0.0), p_death


def readouts(
    erbb: ErbbModel,
    inputs: dict[str, float],
    scale_up: dict[str, float] | None = None,
    scale_down: dict[str, float] | None = None,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    threads: int | None = None,
) -> Readouts:
    """Simulate the model with inputs held (probability ON) and rates scaled; read the phenotypes."""
    model = erbb.model
    unknown = sorted(set(inputs) - erbb.inputs)
    if unknown:
        msg = f"not input nodes of the ERBB model: {', '.join(unknown)}"
        raise SimulationError(msg)
    initial = dict(model.initial)
    initial.update({k: float(v) for k, v in inputs.items()})
    model = _with_initial(model, initial)
    scales = [_RateScale(n, up=k) for n, k in (scale_up or {}).items()]
    scales += [_RateScale(n, down=k) for n, k in (scale_down or {}).items()]
    names = erbb.curated.readouts
    # a cell dies (apoptosis or immune killing) or, if not, proliferates (see growth_of)
    nodes, (p_death, p_grow) = last_window(
        model, scales=scales, sample_count=samples, seed=seed, threads=threads,
        any_on=((names["apoptosis"], names["immune_killing"]), (names["proliferation"],)))
    g = p_grow - p_death
    var = max(p_grow + p_death - g * g, 0.0)  # per-cell value is +1, -1 or 0
    return Readouts(
        proliferation=nodes.get(names["proliferation"], 0.0),
        apoptosis=nodes.get(names["apoptosis"], 0.0),
        immune_killing=nodes.get(names["immune_killing"], 0.0),
        growth=g,
        growth_se=math.sqrt(var / samples),
        nodes=nodes,
    )


def _with_initial(model, initial):
    return dataclasses.replace(model, initial=initial)


_ = _Mutation  # mutations are expressed as held inputs; kept importable for callers


@lru_cache(maxsize=256)
def _cached_readouts(
    erbb: ErbbModel, inputs: tuple, up: tuple, down: tuple, samples: int, seed: int
) -> Readouts:
    return readouts(erbb, dict(inputs), dict(up), dict(down), samples=samples, seed=seed)


#: Reference readouts (the sensitive reference profiles, untreated and treated) depend only on
#: the model, the engine and the sampling settings, never on the query: they are kept on disk
#: between processes (``cache_dir()``), keyed by a hash of the model file and the engine's code.
_REFERENCE_STORE: dict[str, dict[str, Any]] = {}
_STORE_LOCK = threading.Lock()
_ENGINE_FILES = ("_kernel.py", "_simulate.py", "_compile.py", "_response.py", "_model.py")


@lru_cache(maxsize=4)
def _store_path(erbb: ErbbModel) -> Path:
    h = hashlib.sha256(erbb.path.read_bytes())
    here = Path(__file__).resolve().parent
    for name in _ENGINE_FILES:
        h.update((here / name).read_bytes())
    h.update(__version__.encode())
    return cache_dir() / f"erbb-references-{h.hexdigest()[:16]}.json"


def _reference_readouts(erbb: ErbbModel, inputs: tuple, samples: int, seed: int) -> Readouts:
    """:func:`_cached_readouts` for a reference profile, kept on disk between processes."""
    path = _store_path(erbb)
    with _STORE_LOCK:
        store = _REFERENCE_STORE.get(str(path))
        if store is None:
            try:
                store = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                store = {}  # no store yet, or an unreadable one: recompute and rewrite
            _REFERENCE_STORE[str(path)] = store
    key = json.dumps([list(map(list, inputs)), samples, seed])
    hit = store.get(key)
    if hit is not None:
        return Readouts(**hit)
    out = _cached_readouts(erbb, inputs, (), (), samples, seed)
    with _STORE_LOCK:  # candidates are simulated on several threads
        store[key] = dataclasses.asdict(out)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(json.dumps(store, sort_keys=True), encoding="utf-8")
            tmp.replace(path)  # atomic: a reader sees the old store or the new one, never half
        except OSError:
            tmp.unlink(missing_ok=True)  # a read-only cache only costs the recomputation
    return out


def _pair(erbb: ErbbModel, untreated: tuple, treated: tuple, up: tuple, down: tuple,
          samples: int, seed: int) -> tuple[Readouts, Readouts]:
    """Untreated and treated readouts. Runs of more than one block (2048 trajectories, then the
    rest: uneven) go side by side so both cores stay busy; one-block runs (the strategy screen,
    which runs candidates side by side itself) go one after the other."""
    if samples <= BLOCK_SIZE:
        return (_cached_readouts(erbb, untreated, up, down, samples, seed),
                _cached_readouts(erbb, treated, up, down, samples, seed))
    with ThreadPoolExecutor(max_workers=2) as pool:
        a = pool.submit(_cached_readouts, erbb, untreated, up, down, samples, seed)
        b = pool.submit(_cached_readouts, erbb, treated, up, down, samples, seed)
        return a.result(), b.result()


def _key(d: dict[str, float]) -> tuple:
    return tuple(sorted(d.items()))


def _signed_inputs(expr, sign: bool = True) -> Iterable[tuple[str, bool]]:
    if isinstance(expr, Var):
        yield expr.name, sign
    elif isinstance(expr, Not):
        yield from _signed_inputs(expr.operand, not sign)
    elif isinstance(expr, And | Or | Xor):
        for op in expr.operands:
            yield from _signed_inputs(op, sign)


@lru_cache(maxsize=4)
def influence_edges(erbb: ErbbModel) -> dict[str, list[tuple[str, bool]]]:
    """Signed influence edges: source -> [(target, positive?)]."""
    out: dict[str, list[tuple[str, bool]]] = {}
    inputs = erbb.inputs
    for node in erbb.model.nodes:
        if node.name in inputs or node.logic is None:
            continue
        for src, positive in _signed_inputs(node.logic):
            if src != node.name:
                out.setdefault(src, []).append((node.name, positive))
    return out


def active_path(erbb: ErbbModel, starts: Sequence[dict[str, float]], treated: Readouts,
                drug_nodes: Iterable[str], *, untreated: Readouts | None = None,
                responding: bool | None = None) -> tuple[str, ...]:
    """The chain from an altered or drug-targeted node to a phenotype readout.

    A signed search over the rules' influence edges: each step must agree with the treated
    state (a node reached with positive net sign is ON, with negative sign OFF). Activating
    edges cost 1 and inhibiting edges 3, so chains read as signalling cascades where they can.
    When the tumour keeps proliferating or surviving, the chain starts at an altered input (tiers
    of ``starts`` are tried in order: typically the profile's own alterations, then the rest) and
    ends at Proliferation (or, when only apoptosis is at stake, Survival); otherwise it starts at a
    drug node and ends at the readout the drug switched off, Proliferation preferred.

    ``responding`` (the model verdict is sensitive) picks the direction when given; otherwise the
    treated readouts decide. Along a drug's chain, a node counts as switched off when the drug
    lowered it by at least :data:`SWITCHED_OFF` from ``untreated`` (partial blockade, such as
    trastuzumab's, counts), and only such nodes may be passed OFF.
    """
    edges = influence_edges(erbb)
    names = erbb.curated.readouts
    on = {n for n, p in treated.nodes.items() if p >= ON_LEVEL}
    prolif = names["proliferation"]
    growing = treated.proliferation >= 0.5 or treated.nodes.get("Survival", 0.0) >= 0.5
    if responding is not None:
        growing = not responding
    lowered = None
    if not growing and untreated is not None:
        lowered = {n for n, p in treated.nodes.items()
                   if untreated.nodes.get(n, 0.0) - p >= SWITCHED_OFF}
        on -= lowered
    # Proliferation first: it is the readout a reader asks about, Survival the fallback when
    # only apoptosis is at stake (proliferation already off, or on whatever the drug does).
    goal_order = [{prolif}, {"Survival"}]
    if growing and treated.proliferation < 0.5:
        goal_order.reverse()
    tiers = [{n: v >= 0.5 for n, v in tier.items()} for tier in starts] if growing \
        else [dict.fromkeys(drug_nodes, True)]
    for goals in goal_order:
        for seeds in tiers:
            path = _signed_search(edges, seeds, on, goals, want_on=growing, lowered=lowered)
            if path:
                return path
    return ()


def _signed_search(edges, seeds: dict[str, bool], on: set[str], goals: set[str], *,
                   want_on: bool, lowered: set[str] | None = None) -> tuple[str, ...]:
    """Cheapest sign-consistent chain from a seed to a goal; with ``lowered``, a node reached OFF
    must be one the drug switched off (not one that was off anyway)."""
    heap = [(0, i, s, sign, (s,)) for i, (s, sign) in enumerate(seeds.items())]
    heapq.heapify(heap)
    done: set[tuple[str, bool]] = set()
    counter = len(heap)
    while heap:
        cost, _, node, sign, path = heapq.heappop(heap)
        if (node, sign) in done:
            continue
        done.add((node, sign))
        if node in goals and sign == want_on and len(path) > 1:
            return path
        for nxt, positive in edges.get(node, []):
            nsign = sign if positive else not sign
            if (nxt in on) != nsign or (nxt, nsign) in done:
                continue
            if lowered is not None and not nsign and nxt not in lowered:
                continue
            counter += 1
            heapq.heappush(heap, (cost + (1 if positive else 3), counter, nxt, nsign, (*path, nxt)))
    return ()


def model_response(
    erbb: ErbbModel,
    perturbation: Perturbation,
    drug_nodes: Sequence[str],
    *,
    lineage: Sequence[str],
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Response:
    """Simulate a profile untreated and under a regimen, and normalise by the reference.

    Parameters
    ----------
    erbb
        The curated model.
    perturbation
        The profile's inputs and rate scalings (:func:`perturbation_for`).
    drug_nodes
        Action nodes of the regimen's drugs (:func:`drug_actions`).
    lineage
        The tumour type's OncoTree code followed by its ancestors (selects the context).
    samples, seed
        Trajectories per simulation and the random seed.
    """
    ctx_id, ctx_inputs = _context(erbb, tuple(lineage))
    drugs = {n: 1.0 for n in drug_nodes}
    base = {**ctx_inputs, **perturbation.inputs}
    up, down = perturbation.scale_up, perturbation.scale_down
    untreated, treated = _pair(erbb, _key(base), _key({**base, **drugs}), _key(up), _key(down),
                               samples, seed)
    driver = erbb.curated.unmodelled_driver
    assumed = driver is not None and untreated.growth <= 0
    if assumed:
        # A tumour that is treated grows; what drives it here is outside the model.
        base[driver] = 1.0
        untreated, treated = _pair(erbb, _key(base), _key({**base, **drugs}), _key(up),
                                   _key(down), samples, seed)
    ref = select_reference(erbb, drug_nodes, ctx_id)
    _, ref_ctx = _context(erbb, (ref.tumor_type,))
    ref_base = {**ref_ctx, **ref.inputs}
    ref_u = _reference_readouts(erbb, _key(ref_base), samples, seed)
    ref_drugs = {n: 1.0 for n in drug_nodes
                 if n in ref.nodes or n in erbb.curated.backbone_nodes} if ref.nodes else drugs
    ref_t = _reference_readouts(erbb, _key({**ref_base, **(ref_drugs or drugs)}), samples, seed)
    ref_drop = ref_u.growth - ref_t.growth
    drop = untreated.growth - treated.growth
    if ref_drop < MIN_REFERENCE_DROP:
        si, se = float("nan"), float("nan")
        verdict = "uncertain"
    else:
        si = drop / ref_drop
        num_var = untreated.growth_se**2 + treated.growth_se**2
        den_var = ref_u.growth_se**2 + ref_t.growth_se**2
        se = (
            abs(si) * math.sqrt(num_var / max(drop * drop, 1e-12) + den_var / (ref_drop * ref_drop))
            if drop != 0
            else math.sqrt(num_var) / ref_drop
        )
        th = erbb.curated.thresholds
        verdict = "uncertain"
        if th is not None:
            verdict = (
                "sensitive"
                if si >= th.sensitive
                else "resistant"
                if si <= th.resistant
                else "reduced_sensitivity"
                if th.reduced is not None and si <= th.reduced
                else "uncertain"
            )
    own = {n: v for n, v in perturbation.inputs.items() if ref.inputs.get(n) != v}
    shared = {n: v for n, v in perturbation.inputs.items() if n not in own}
    context = {n: v for n, v in ctx_inputs.items() if v > 0}
    path = active_path(erbb, [own, shared, context], treated, drug_nodes, untreated=untreated,
                       responding=verdict == "sensitive")
    return Response(
        untreated, treated, ref_u, ref_t, ref.id, ctx_id, si, se, verdict, path, tuple(drug_nodes),
        unmodelled_driver=assumed,
    )
