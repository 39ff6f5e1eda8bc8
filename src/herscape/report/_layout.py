"""The network diagram's graph and layout, computed once and drawn by the SVG and PDF writers.

>>> from herscape.report._layout import signed_inputs
>>> from herscape.network import parse_expression
>>> sorted(signed_inputs(parse_expression("(A | B) & !C", logic=True)).items())
[('A', '+'), ('B', '+'), ('C', '-')]

The subgraph is the part of the ERBB model a reader needs: the active path and the
mechanism paths, the altered inputs, the planned regimen's drug nodes and the nodes they act
on, and the shortest chain from each of these to each phenotype readout. Layout is layered
(Sugiyama-style, simplified): feedback edges are found by a depth-first search and set
aside, each node's layer is its longest distance from the inputs, inputs sit just before their
first target and readouts in the last layer; within layers, nodes are ordered by alternating
barycenter sweeps, keeping the ordering with the fewest straight-line crossings. Everything
is sorted by name where order would otherwise be arbitrary, so the same prediction gives the
same picture.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from herscape.network import Expr, Not, Var

__all__ = [
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "edge_geometry",
    "layout_diagram",
    "signed_inputs",
]

#: Horizontal gap between layers, vertical gap between rows, node height, margins (px).
COL_GAP = 52.0
ROW_GAP = 20.0
NODE_H = 36.0
MARGIN = 24.0
#: Approximate width of one character of the 12 px node label.
CHAR_W = 7.4
#: Longest chain (in nodes) drawn from an altered or drug node to a readout or path node.
MAX_CHAIN = 7
#: Node kinds whose outgoing edges are drawn as feedback (right to left) when in a cycle.
FEEDBACK_KINDS = frozenset({"feedback"})
#: Room under the graph for feedback arcs.
ARC_ROOM = 40.0
#: Height of the slot a long edge takes in each layer it crosses.
DUMMY_H = 6.0
#: Room right of the last layer for arcs between nodes of one layer.
SIDE_ROOM = 36.0
#: Vertical relaxation passes.
RELAX = 8
#: Barycenter sweeps (each is one left-to-right and one right-to-left pass).
SWEEPS = 6


@dataclass(slots=True)
class DiagramNode:
    """A node as drawn: name, kind, roles, treated probability and box geometry."""

    name: str
    kind: str
    description: str
    layer: int
    p_treated: float | None
    p_untreated: float | None
    roles: frozenset[str] = frozenset()  # altered, drug, target, path, readout, strategy
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = NODE_H


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    """An influence ``source -> target``: sign ``+``, ``-`` or ``±``; on the active path or not."""

    source: str
    target: str
    sign: str
    on_path: bool
    feedback: bool
    #: Waypoints of a long edge through the layers it crosses: (left x, right x, centre y).
    points: tuple[tuple[float, float, float], ...] = ()


@dataclass(slots=True)
class Diagram:
    """A laid-out subgraph of the model: nodes with boxes, edges, total size."""

    nodes: dict[str, DiagramNode]
    edges: list[DiagramEdge]
    width: float
    height: float
    crossings: int = 0
    notes: list[str] = field(default_factory=list)


def signed_inputs(expr: Expr | None) -> dict[str, str]:
    """The variables of a logic expression and their sign: ``+``, ``-`` (under ``!``) or ``±``.

    A variable under an odd number of negations inhibits; one that occurs both ways (or under
    an operator with no sign, such as XOR or a comparison) is ``±``.
    """
    found: dict[str, set[str]] = {}

    def walk(node: Expr, sign: str) -> None:
        if isinstance(node, Var):
            found.setdefault(node.name, set()).add(sign)
            return
        if isinstance(node, Not):
            walk(node.operand, {"+": "-", "-": "+", "±": "±"}[sign])
            return
        child_sign = sign if type(node).__name__ in {"And", "Or"} else "±"
        for child in node.children():
            walk(child, child_sign)

    if expr is not None:
        walk(expr, "+")
    return {name: (signs.pop() if len(signs) == 1 else "±") for name, signs in found.items()}


def _influences(erbb: Any) -> dict[str, dict[str, str]]:
    """Target -> {source: sign} over the whole model (input nodes have no incoming edges)."""
    out: dict[str, dict[str, str]] = {}
    for cnode in erbb.curated.nodes:
        if cnode.input:
            out[cnode.name] = {}
            continue
        logic = erbb.model.node(cnode.name).logic
        out[cnode.name] = {s: v for s, v in signed_inputs(logic).items() if s != cnode.name}
    return out


def _successors(influences: Mapping[str, Mapping[str, str]]) -> dict[str, list[str]]:
    succ: dict[str, list[str]] = {n: [] for n in influences}
    for target in sorted(influences):
        for source in sorted(influences[target]):
            succ.setdefault(source, []).append(target)
    return succ


def _shortest_path(succ: Mapping[str, list[str]], start: str, goal: str,
                   inputs: frozenset[str]) -> list[str]:
    """Breadth-first shortest chain ``start -> ... -> goal`` not passing through other inputs."""
    prev: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            chain = [node]
            while prev[chain[-1]] is not None:
                chain.append(prev[chain[-1]])  # type: ignore[arg-type]
            return chain[::-1]
        for nxt in succ.get(node, []):
            if nxt not in prev and nxt not in inputs:
                prev[nxt] = node
                queue.append(nxt)
    return []


def altered_nodes(model: Mapping[str, Any], names: Iterable[str]) -> dict[str, float | None]:
    """Nodes the profile's perturbations act on, with the value they are held at if known.

    Each perturbation names the rule pattern that matched; the rule file beside the model
    (``perturbations.yaml``) says which inputs that pattern sets, scales or makes partial.
    Node names in any other field of a perturbation (a future ``set`` or ``nodes`` field)
    are taken too.
    """
    import re

    from herscape.network._perturb import load_rules

    known = set(names)
    by_pattern: dict[str, Any] = {rule.pattern: rule for rule, _ in load_rules()}
    out: dict[str, float | None] = {}
    for pert in model.get("perturbations") or []:
        rule = by_pattern.get(str(pert.get("pattern", "")))
        if rule is not None:
            for node, value in rule.set.items():
                out[node] = float(value)
            for node in [*rule.fraction, *rule.scale_up, *rule.scale_down]:
                out.setdefault(node, None)
        for key, value in sorted(pert.items()):
            if key in {"pattern", "why", "sources"}:
                continue
            for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(value)):
                if token in known:
                    out.setdefault(token, None)
    return {k: out[k] for k in sorted(out) if k in known}


def _select(pred: Mapping[str, Any], erbb: Any, influences: Mapping[str, Mapping[str, str]]
            ) -> tuple[set[str], dict[str, set[str]], dict[str, float | None]]:
    """The nodes to draw and each one's roles."""
    model = pred["model"]
    names = set(influences)
    inputs = frozenset(n.name for n in erbb.curated.nodes if n.input)
    succ = _successors(influences)
    roles: dict[str, set[str]] = {}

    def mark(name: str, role: str) -> None:
        if name in names:
            roles.setdefault(name, set()).add(role)

    altered = altered_nodes(model, names)
    drugs = [d for d in model.get("drug_nodes") or [] if d in names]
    starts = [m.get("path") or [] for m in pred.get("mechanisms") or []]
    for path in [model.get("active_path") or [], *starts]:
        if path and path[0] in inputs and path[0] not in drugs:
            altered.setdefault(path[0], None)  # a path starts at an altered or drug node
    for name in altered:
        mark(name, "altered")
    for name in drugs:
        mark(name, "drug")
        for target in succ.get(name, []):
            mark(target, "target")
    for name in model.get("active_path") or []:
        mark(name, "path")
    for mech in pred.get("mechanisms") or []:
        for name in mech.get("path") or []:
            mark(name, "mechanism")
    readouts = [r for r in erbb.curated.readouts.values() if r in names]
    for name in readouts:
        mark(name, "readout")
    keep = set(roles)
    goals = [*readouts, *(n for n in model.get("active_path") or [] if n not in inputs)]
    for start in sorted(set(altered) | set(drugs)):
        for goal in goals:
            chain = _shortest_path(succ, start, goal, inputs - {start})
            if len(chain) <= MAX_CHAIN:
                keep.update(chain)
    return keep, {k: roles.get(k, set()) for k in keep}, altered


def _feedback_edges(keep: set[str], edges: list[tuple[str, str]], kinds: Mapping[str, str]
                    ) -> set[tuple[str, str]]:
    """Edges closing a cycle: those out of feedback-kind nodes, then depth-first back edges."""
    back = {(s, t) for s, t in edges if kinds[s] in FEEDBACK_KINDS}
    succ: dict[str, list[str]] = {n: [] for n in keep}
    indeg = dict.fromkeys(keep, 0)
    for s, t in edges:
        if (s, t) in back:
            continue
        succ[s].append(t)
        indeg[t] += 1
    order = sorted(keep, key=lambda n: (indeg[n] > 0, n))
    state: dict[str, int] = {}  # 1 on stack, 2 done
    for root in order:
        if root in state:
            continue
        stack = [(root, iter(sorted(succ[root])))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(sorted(succ[nxt]))))
    return back


def _layers(keep: set[str], forward: list[tuple[str, str]], readouts: set[str]) -> dict[str, int]:
    """Longest-path layers; sources move right to just before their first target."""
    preds: dict[str, list[str]] = {n: [] for n in keep}
    succ: dict[str, list[str]] = {n: [] for n in keep}
    for s, t in forward:
        preds[t].append(s)
        succ[s].append(t)
    layer: dict[str, int] = {}

    def depth(node: str) -> int:
        stack = [node]
        while stack:
            top = stack[-1]
            todo = [p for p in preds[top] if p not in layer]
            if todo:
                stack.extend(sorted(todo))
                continue
            stack.pop()
            layer[top] = 1 + max((layer[p] for p in preds[top]), default=-1)
        return layer[node]

    for name in sorted(keep):
        depth(name)
    last = max(layer.values(), default=0)
    for name in sorted(readouts & keep):
        if not succ[name] or all(t in readouts for t in succ[name]):
            layer[name] = last
    for name in sorted(keep):
        if not preds[name] and succ[name]:
            layer[name] = max(0, min(layer[t] for t in succ[name]) - 1)
    dense = {v: i for i, v in enumerate(sorted(set(layer.values())))}
    return {n: dense[v] for n, v in layer.items()}


def _split_long_edges(layer: dict[str, int], forward: list[tuple[str, str]]
                      ) -> tuple[list[tuple[str, str]], dict[tuple[str, str], list[str]]]:
    """Unit edges after inserting one dummy node per crossed layer into each long edge.

    ``layer`` gains the dummies (named ``~source~target~k``, which sort after node names).
    """
    unit: list[tuple[str, str]] = []
    chains: dict[tuple[str, str], list[str]] = {}
    for s, t in forward:
        chain = [s]
        for k, lay in enumerate(range(layer[s] + 1, layer[t])):
            dummy = f"~{s}~{t}~{k}"
            layer[dummy] = lay
            chain.append(dummy)
        chain.append(t)
        chains[(s, t)] = chain[1:-1]
        unit.extend(zip(chain, chain[1:], strict=False))
    return unit, chains


def _crossings(order: Mapping[int, list[str]], unit: list[tuple[str, str]],
               layer: Mapping[str, int]) -> int:
    """Crossings between unit edges of adjacent layers (inversions of their end rows)."""
    row = {n: i for names in order.values() for i, n in enumerate(names)}
    by_layer: dict[int, list[tuple[int, int]]] = {}
    for s, t in unit:
        by_layer.setdefault(layer[s], []).append((row[s], row[t]))
    count = 0
    for pairs in by_layer.values():
        for i, (a1, a2) in enumerate(pairs):
            for b1, b2 in pairs[i + 1:]:
                if (a1 - b1) * (a2 - b2) < 0:
                    count += 1
    return count


def _order(layer: Mapping[str, int], unit: list[tuple[str, str]]) -> dict[int, list[str]]:
    """Rows within each layer by barycenter sweeps; the ordering with fewest crossings wins."""
    n_layers = max(layer.values(), default=0) + 1
    order = {i: sorted(n for n in layer if layer[n] == i) for i in range(n_layers)}
    nbrs_left: dict[str, list[str]] = {n: [] for n in layer}
    nbrs_right: dict[str, list[str]] = {n: [] for n in layer}
    for s, t in unit:
        nbrs_left[t].append(s)
        nbrs_right[s].append(t)

    def sweep(layers: Iterable[int], nbrs: Mapping[str, list[str]]) -> None:
        for i in layers:
            pos = {}
            for names in order.values():
                mid = (len(names) - 1) / 2
                pos.update({n: j - mid for j, n in enumerate(names)})
            keyed = []
            for idx, n in enumerate(order[i]):
                ys = [pos[m] for m in nbrs[n]]
                keyed.append((sum(ys) / len(ys) if ys else pos[n], idx, n))
            order[i] = [n for _, _, n in sorted(keyed)]

    best = {k: list(v) for k, v in order.items()}
    best_x = _crossings(order, unit, layer)
    for _ in range(SWEEPS):
        sweep(range(1, n_layers), nbrs_left)
        sweep(range(n_layers - 2, -1, -1), nbrs_right)
        x = _crossings(order, unit, layer)
        if x < best_x:
            best, best_x = {k: list(v) for k, v in order.items()}, x
    return best


def _place_rows(order: Mapping[int, list[str]], unit: list[tuple[str, str]],
                height: Mapping[str, float]) -> dict[str, float]:
    """Vertical centres: each node pulled towards its neighbours, rows kept apart and in order."""
    nbrs: dict[str, list[str]] = {n: [] for names in order.values() for n in names}
    for s, t in unit:
        nbrs[s].append(t)
        nbrs[t].append(s)
    y: dict[str, float] = {}
    for names in order.values():
        top = 0.0
        for n in names:
            y[n] = top + height[n] / 2
            top += height[n] + ROW_GAP
    for _ in range(RELAX):
        for lay in sorted(order):
            names = order[lay]
            want = [sum(y[m] for m in nbrs[n]) / len(nbrs[n]) if nbrs[n] else y[n] for n in names]
            placed = _pack(names, want, height)
            y.update(placed)
    low = min(y[n] - height[n] / 2 for n in y)
    return {n: round(v - low, 1) for n, v in y.items()}


def _pack(names: list[str], want: list[float], height: Mapping[str, float]) -> dict[str, float]:
    """Centres as close to ``want`` as the order and the row gap allow (push down, then up)."""
    ys = list(want)
    for i in range(1, len(names)):
        gap = (height[names[i - 1]] + height[names[i]]) / 2 + ROW_GAP
        ys[i] = max(ys[i], ys[i - 1] + gap)
    shift = sum(w - y for w, y in zip(want, ys, strict=True)) / len(ys) if ys else 0.0
    ys = [y + min(shift, 0.0) for y in ys]
    for i in range(len(names) - 2, -1, -1):
        gap = (height[names[i + 1]] + height[names[i]]) / 2 + ROW_GAP
        ys[i] = min(ys[i], ys[i + 1] - gap)
    return dict(zip(names, ys, strict=True))


def _node_probability(name: str, model: Mapping[str, Any], key: str,
                      altered: Mapping[str, float | None], default: float, is_input: bool
                      ) -> float | None:
    probs = model.get(key) or {}
    if name in probs:
        return float(probs[name])
    if not is_input:
        return None
    if name in (model.get("drug_nodes") or []):
        return 1.0 if key.endswith("treated") and not key.endswith("untreated") else 0.0
    if altered.get(name) is not None:
        return altered[name]
    return default


def layout_diagram(pred: Mapping[str, Any], erbb: Any) -> Diagram | None:
    """Select and lay out the diagram's subgraph; ``None`` when the prediction has no model part.

    Parameters
    ----------
    pred
        The prediction as its JSON dict.
    erbb
        The curated model (:func:`herscape.network._curated.load_erbb_model`).
    """
    model = pred.get("model")
    if not model:
        return None
    influences = _influences(erbb)
    keep, roles, altered = _select(pred, erbb, influences)
    if not keep:
        return None
    path = [n for n in model.get("active_path") or [] if n in keep]
    path_edges = set(zip(path, path[1:], strict=False))
    raw = sorted((s, t) for t in keep for s in influences[t] if s in keep)
    meta = {n.name: n for n in erbb.curated.nodes}
    back = _feedback_edges(keep, raw, {n: meta[n].kind for n in keep})
    forward = [e for e in raw if e not in back]
    readouts = set(erbb.curated.readouts.values())
    layer = _layers(keep, forward, readouts)
    unit, chains = _split_long_edges(layer, [(s, t) for s, t in forward if layer[s] < layer[t]])
    order = _order(layer, unit)
    nodes: dict[str, DiagramNode] = {}
    for name in sorted(keep):
        c = meta[name]
        nodes[name] = DiagramNode(
            name=name, kind=c.kind, description=c.description, layer=layer[name],
            p_treated=_node_probability(name, model, "node_probabilities_treated", altered,
                                        c.default, c.input),
            p_untreated=_node_probability(name, model, "node_probabilities_untreated", altered,
                                          c.default, c.input),
            roles=frozenset(roles[name]),
        )
    height = {n: (NODE_H if n in nodes else DUMMY_H) for n in layer}
    centre = _place_rows(order, unit, height)
    x = MARGIN
    col: dict[int, tuple[float, float]] = {}
    for lay in sorted(order):
        real = [n for n in order[lay] if n in nodes]
        width = max((max(CHAR_W * len(n) + 18, 64.0) for n in real), default=16.0)
        col[lay] = (x, width)
        for n in real:
            nodes[n].w = width
            nodes[n].x = x
            nodes[n].y = MARGIN + centre[n] - NODE_H / 2
        x += width + COL_GAP
    edges = []
    for s, t in raw:
        points = tuple(
            (col[layer[d]][0], col[layer[d]][0] + col[layer[d]][1], MARGIN + centre[d])
            for d in chains.get((s, t), [])
        )
        edges.append(DiagramEdge(s, t, influences[t][s], (s, t) in path_edges,
                                 (s, t) in back or layer[s] >= layer[t], points))
    height_px = 2 * MARGIN + max(centre[n] + height[n] / 2 for n in centre)
    return Diagram(nodes=nodes, edges=edges, width=x - COL_GAP + MARGIN + SIDE_ROOM,
                   height=height_px, crossings=_crossings(order, unit, layer))


Point = tuple[float, float]


def edge_geometry(edge: DiagramEdge, nodes: Mapping[str, DiagramNode], floor: float
                  ) -> tuple[Point, list[tuple[Point, ...]]]:
    """Start point and segments (``(p,)`` a line to p, ``(c1, c2, p)`` a cubic curve) of an edge.

    Forward edges run left to right through their waypoints as horizontal-tangent curves;
    edges within one layer arc out to the right; feedback edges arc under the graph
    (``floor`` is the graph's bottom).
    """
    s, t = nodes[edge.source], nodes[edge.target]
    if t.layer > s.layer and not edge.feedback:
        pts = [(s.x + s.w, s.y + s.h / 2)]
        for left, right, y in edge.points:
            pts += [(left, y), (right, y)]
        pts.append((t.x - 2, t.y + t.h / 2))
        segs: list[tuple[Point, ...]] = []
        for i, ((x1, y1), (x2, y2)) in enumerate(zip(pts, pts[1:], strict=False)):
            if i % 2 == 1:  # straight through a layer the edge crosses
                segs.append(((x2, y2),))
            else:
                dx = max(12.0, (x2 - x1) / 2)
                segs.append(((x1 + dx, y1), (x2 - dx, y2), (x2, y2)))
        return pts[0], segs
    if t.layer == s.layer:
        x1, y1 = s.x + s.w, s.y + s.h / 2
        x2, y2 = t.x + t.w + 2, t.y + t.h / 2
        bulge = max(x1, x2) + 28
        return (x1, y1), [((bulge, y1), (bulge, y2), (x2, y2))]
    x1, y1 = s.x + s.w / 2, s.y + s.h
    x2, y2 = t.x + t.w / 2, t.y + t.h + 2
    low = floor + ARC_ROOM - 6
    return (x1, y1), [((x1, low), (x2, low), (x2, y2))]
