"""Exact enumeration of the fixed points (stable states) of a model's logic.

A fixed point is a state ``x`` with ``x[i] == f_i(x)`` for every node ``i``. Rates are ignored:
this is the Boolean network the logic defines (a node without logic is an input, ``f_i = x_i``,
so both of its values appear). Knock-outs replace a node's logic by 0, knock-ins by 1 — the
``"logic"`` mutation semantics.

Two exact methods:

``"brute"``
    Evaluates every rule on all ``2**n`` states, vectorised with NumPy; any logic (also
    arithmetic or ``$`` parameters) is allowed. Practical up to about 20 nodes.
``"asp"``
    Answer-set programming with clingo (one choice atom per node, one rule per sub-formula,
    two constraints per node); scales to the largest shared models. Logic must be Boolean
    (``& | ! ^``, constants, node names).

``"auto"`` picks brute force up to :data:`BRUTE_FORCE_MAX_NODES` nodes, else ASP.

>>> from herscape.network import Model, Node, Var, Not, fixpoints
>>> m = Model(nodes=(Node("A", logic=Not(Var("B"))), Node("B", logic=Not(Var("A")))))
>>> [sorted(k for k, v in fp.items() if v) for fp in fixpoints(m)]
[['B'], ['A']]
>>> [sorted(k for k, v in fp.items() if v) for fp in fixpoints(m, knockout=["A"])]
[['B']]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

import numpy as np

from herscape.errors import ModelError
from herscape.network._model import (
    And,
    Arith,
    Compare,
    Cond,
    Const,
    Expr,
    Model,
    Mutation,
    Neg,
    Not,
    Num,
    Or,
    Param,
    Var,
    Xor,
    apply_mutations,
)

__all__ = ["BRUTE_FORCE_MAX_NODES", "FixpointMethod", "fixpoints", "perturbed_logic"]

#: Largest model ``method="auto"`` enumerates by brute force.
BRUTE_FORCE_MAX_NODES = 16
_CHUNK = 1 << 16

FixpointMethod = Literal["auto", "brute", "asp"]


def perturbed_logic(
    model: Model, *, knockout: Iterable[str] = (), knockin: Iterable[str] = ()
) -> dict[str, Expr]:
    """Each node's logic after knock-outs (``0``) and knock-ins (``1``); inputs map to themselves.

    Raises
    ------
    ModelError
        If a node is unknown or both knocked out and knocked in.
    """
    ko, ki = list(knockout), list(knockin)
    both = sorted(set(ko) & set(ki))
    if both:
        msg = f"node {both[0]!r} is both knocked out and knocked in"
        raise ModelError(msg, source=model.source, record=both[0])
    unknown = sorted(set(ko + ki) - set(model.node_names))
    if unknown:
        msg = f"cannot knock out/in unknown node {unknown[0]!r}; nodes are {list(model.node_names)}"
        raise ModelError(msg, source=model.source, record=unknown[0])
    muts = [Mutation(n, False) for n in ko] + [Mutation(n, True) for n in ki]
    mutated = apply_mutations(model, muts)
    return {n.name: (n.logic if n.logic is not None else Var(n.name)) for n in mutated.nodes}


# ----------------------------------------------------------------------------------------------
# brute force
# ----------------------------------------------------------------------------------------------


_Cols = Mapping[str, np.ndarray]


def _vec(expr: Expr, cols: _Cols, params: Mapping[str, float], size: int) -> np.ndarray:  # noqa: PLR0912 - one case per class
    """Evaluate ``expr`` on many states at once (float64 array, truth = non-zero)."""
    if isinstance(expr, Var):
        return cols[expr.name].astype(np.float64)
    if isinstance(expr, Const):
        return np.full(size, 1.0 if expr.value else 0.0)
    if isinstance(expr, Num):
        return np.full(size, expr.value)
    if isinstance(expr, Param):
        if expr.name not in params:
            msg = f"parameter ${expr.name} is not defined"
            raise ModelError(msg, field=expr.name)
        return np.full(size, float(params[expr.name]))
    if isinstance(expr, Not):
        return (_vec(expr.operand, cols, params, size) == 0).astype(np.float64)
    if isinstance(expr, And | Or | Xor):
        parts = [_vec(op, cols, params, size) != 0 for op in expr.operands]
        if isinstance(expr, And):
            out = np.logical_and.reduce(parts)
        elif isinstance(expr, Or):
            out = np.logical_or.reduce(parts)
        else:
            out = np.logical_xor.reduce(parts)
        return out.astype(np.float64)
    if isinstance(expr, Neg):
        return -_vec(expr.operand, cols, params, size)
    if isinstance(expr, Arith | Compare):
        a = _vec(expr.left, cols, params, size)
        b = _vec(expr.right, cols, params, size)
        ops = {
            "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide,
            "==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
            ">": np.greater, ">=": np.greater_equal,
        }  # fmt: skip
        with np.errstate(divide="ignore", invalid="ignore"):
            return ops[expr.op](a, b).astype(np.float64)
    if isinstance(expr, Cond):
        test = _vec(expr.test, cols, params, size) != 0
        return np.where(
            test, _vec(expr.then, cols, params, size), _vec(expr.else_, cols, params, size)
        )
    msg = f"{expr.format()!r} cannot appear in a node's logic"
    raise ModelError(msg)


def _brute(
    names: Sequence[str], logic: Mapping[str, Expr], params: Mapping[str, float]
) -> Iterator[dict[str, bool]]:
    n = len(names)
    total = 1 << n
    for start in range(0, total, _CHUNK):
        idx = np.arange(start, min(start + _CHUNK, total), dtype=np.int64)
        cols = {name: ((idx >> (n - 1 - i)) & 1).astype(bool) for i, name in enumerate(names)}
        ok = np.ones(idx.size, dtype=bool)
        for name in names:
            ok &= (_vec(logic[name], cols, params, idx.size) != 0) == cols[name]
            if not ok.any():
                break
        for k in np.flatnonzero(ok):
            yield {name: bool(cols[name][k]) for name in names}


# ----------------------------------------------------------------------------------------------
# answer-set programming
# ----------------------------------------------------------------------------------------------


class _AspCompiler:
    """Compile Boolean expressions into ASP rules over atoms ``x(i)`` and auxiliaries ``e(k)``."""

    def __init__(self, index: Mapping[str, int]) -> None:
        self.index = index
        self.rules: list[str] = []
        self.count = 0

    def _aux(self) -> str:
        self.count += 1
        return f"e({self.count})"

    def literal(self, expr: Expr) -> str:
        """A body literal true exactly when ``expr`` is."""
        if isinstance(expr, Var):
            return f"x({self.index[expr.name]})"
        if isinstance(expr, Const):
            return "#true" if expr.value else "#false"
        if isinstance(expr, Not):
            inner = self.literal(expr.operand)
            if inner.startswith("x(") or inner.startswith("e("):
                return f"not {inner}"
            return {"#true": "#false", "#false": "#true"}.get(inner, f"not {inner}")
        if isinstance(expr, And):
            head = self._aux()
            self.rules.append(f"{head} :- {', '.join(self.literal(op) for op in expr.operands)}.")
            return head
        if isinstance(expr, Or):
            head = self._aux()
            self.rules.extend(f"{head} :- {self.literal(op)}." for op in expr.operands)
            return head
        if isinstance(expr, Xor):
            acc = expr.operands[0]
            for op in expr.operands[1:]:
                acc = Or((And((acc, Not(op))), And((Not(acc), op))))
            return self.literal(acc)
        msg = f"ASP fixed points need Boolean logic; {expr.format()!r} is not (use method='brute')"
        raise ModelError(msg)


def _asp(
    names: Sequence[str], logic: Mapping[str, Expr], limit: int | None
) -> Iterator[dict[str, bool]]:
    import clingo

    index = {name: i for i, name in enumerate(names)}
    comp = _AspCompiler(index)
    lines = [f"{{x(0..{len(names) - 1})}}."] if names else []
    for name in names:
        i = index[name]
        lit = comp.literal(logic[name])
        lines.append(f"f({i}) :- {lit}.")
        lines.append(f":- x({i}), not f({i}).")
        lines.append(f":- not x({i}), f({i}).")
    program = "\n".join(comp.rules + lines) + "\n#show x/1.\n"
    ctl = clingo.Control([f"--models={limit or 0}", "--warn=none"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    found: list[dict[str, bool]] = []
    with ctl.solve(yield_=True) as handle:
        for answer in handle:
            on = {sym.arguments[0].number for sym in answer.symbols(shown=True)}
            found.append({name: index[name] in on for name in names})
    # Solver order is deterministic but arbitrary; list states like brute force does.
    found.sort(key=lambda fp: tuple(fp[n] for n in names))
    yield from found


def fixpoints(
    model: Model,
    *,
    knockout: Iterable[str] = (),
    knockin: Iterable[str] = (),
    method: FixpointMethod = "auto",
    limit: int | None = None,
) -> Iterator[dict[str, bool]]:
    """Enumerate the fixed points of ``model``'s logic.

    Parameters
    ----------
    model
        The model.
    knockout, knockin
        Nodes whose logic is replaced by 0 / 1.
    method
        ``"auto"``, ``"brute"`` or ``"asp"`` (see the module docstring).
    limit
        Stop after this many fixed points (``None``: all).

    Yields
    ------
    dict[str, bool]
        Node name -> state, in model order; fixed points in increasing binary order of the
        state vector (first node most significant). With ``method="asp"`` the solver's answers
        are collected and sorted before the first is yielded; with a ``limit`` they are the
        first ``limit`` answers it finds, sorted (brute force yields the ``limit`` smallest).

    Raises
    ------
    ModelError
        On an unknown node, or non-Boolean logic with ``method="asp"``.
    """
    if method not in ("auto", "brute", "asp"):
        msg = f"method must be 'auto', 'brute' or 'asp', got {method!r}"
        raise ValueError(msg)
    if limit is not None and limit < 1:
        msg = f"limit must be a positive integer or None, got {limit!r}"
        raise ValueError(msg)
    logic = perturbed_logic(model, knockout=knockout, knockin=knockin)
    names = model.node_names
    if method == "auto":
        method = "brute" if len(names) <= BRUTE_FORCE_MAX_NODES else "asp"
    source = (
        _brute(names, logic, model.parameters) if method == "brute" else _asp(names, logic, limit)
    )
    for count, fp in enumerate(source, start=1):
        yield fp
        if limit is not None and count >= limit:
            return
