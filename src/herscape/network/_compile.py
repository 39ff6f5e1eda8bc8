"""Compile a :class:`~herscape.network.Model` into the flat arrays the kernel runs on.

Every node's transition rate is a function of a few Boolean variables (the node itself, the
nodes its logic and rate expressions read) once parameters are substituted, so it is
tabulated: bit ``b`` of the table index is the state of the node's ``b``-th variable, and the
entry is ``rate_down`` when the node is ON and ``rate_up`` when it is OFF (``@logic``
evaluated in that state). Tables are built with NumPy over all ``2**k`` combinations at once.

>>> from herscape.network import Model, Node, Var, Not
>>> cm = compile_model(Model(nodes=(Node("A", logic=Not(Var("B"))), Node("B", logic=Var("A")))))
>>> cm.var_idx.tolist(), cm.tab.tolist()
([0, 1, 0, 1], [1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from herscape.errors import SimulationError
from herscape.network._model import (
    And,
    Arith,
    Compare,
    Cond,
    Const,
    Expr,
    Model,
    Neg,
    Not,
    Num,
    Or,
    Param,
    SelfLogic,
    Var,
    Xor,
    expr_nodes,
)

__all__ = ["MAX_NODE_INPUTS", "CompiledModel", "compile_model"]

MAX_NODE_INPUTS = 22
"""Most variables one node's rate may read (its table has ``2**k`` entries)."""


@dataclass(frozen=True, slots=True, eq=False)
class CompiledModel:
    """A model as flat arrays for :func:`herscape.network._kernel.run_block`.

    Attributes
    ----------
    names
        Node names in model order (node ``i`` is bit ``i`` of the state).
    observed
        Indices of the observed (not internal) nodes, in model order.
    var_ptr, var_idx, tab_ptr, tab
        Per node: the variables its rate reads and the rate table (module docstring).
    dep_ptr, dep_idx, dep_bit
        Per node ``j``: the sorted nodes whose rate reads ``j``, and the bit of their table
        index that ``j`` sets.
    base_state, coin_mask, choice_ptr, choice_cum, choice_state
        Initial distribution: fixed bits, nodes ON with probability 1/2 (MaBoSS's default; one
        random bit each), then other random groups (cumulative weights and bits).
    obs_index, obs_mask
        Occupancy column of each node (``-1`` if internal) and observed bits as words.
    """

    names: tuple[str, ...]
    observed: np.ndarray
    var_ptr: np.ndarray
    var_idx: np.ndarray
    tab_ptr: np.ndarray
    tab: np.ndarray
    dep_ptr: np.ndarray
    dep_idx: np.ndarray
    dep_bit: np.ndarray
    base_state: np.ndarray
    coin_mask: np.ndarray
    choice_ptr: np.ndarray
    choice_cum: np.ndarray
    choice_state: np.ndarray
    obs_index: np.ndarray
    obs_mask: np.ndarray

    @property
    def n_words(self) -> int:
        """Number of 64-bit words per state."""
        return int(self.base_state.shape[0])

    def kernel_args(self) -> tuple[np.ndarray, ...]:
        """The arrays in :func:`~herscape.network._kernel.run_block` order."""
        return (
            self.var_ptr, self.var_idx, self.tab_ptr, self.tab,
            self.dep_ptr, self.dep_idx, self.dep_bit,
            self.base_state, self.coin_mask, self.choice_ptr, self.choice_cum, self.choice_state,
            self.obs_index, self.obs_mask,
        )  # fmt: skip


def _vector_eval(  # noqa: PLR0912 - one case per expression class
    expr: Expr,
    bits: Mapping[str, np.ndarray],
    params: Mapping[str, float],
    logic: np.ndarray | None,
) -> np.ndarray:
    """Evaluate ``expr`` over arrays of states at once (truth is ``!= 0``, result float)."""
    ev = _vector_eval
    size = next(iter(bits.values())).shape[0]
    match expr:
        case Const(value=v):
            return np.full(size, 1.0 if v else 0.0)
        case Num(value=v):
            return np.full(size, float(v))
        case Var(name=n):
            return bits[n]
        case Param(name=n):
            if n not in params:
                msg = f"parameter ${n} is used but not defined"
                raise SimulationError(msg, field=n)
            return np.full(size, float(params[n]))
        case SelfLogic():
            if logic is None:
                msg = "@logic is used in a rate of a node that has no logic"
                raise SimulationError(msg)
            return logic
        case Not(operand=a):
            return (ev(a, bits, params, logic) == 0.0).astype(float)
        case And(operands=ops):
            out = np.ones(size, dtype=bool)
            for op in ops:
                out &= ev(op, bits, params, logic) != 0.0
            return out.astype(float)
        case Or(operands=ops):
            out = np.zeros(size, dtype=bool)
            for op in ops:
                out |= ev(op, bits, params, logic) != 0.0
            return out.astype(float)
        case Xor(operands=ops):
            out = np.zeros(size, dtype=bool)
            for op in ops:
                out ^= ev(op, bits, params, logic) != 0.0
            return out.astype(float)
        case Neg(operand=a):
            return -ev(a, bits, params, logic)
        case Arith(op=op, left=a, right=b):
            x, y = ev(a, bits, params, logic), ev(b, bits, params, logic)
            with np.errstate(divide="ignore", invalid="ignore"):
                return {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}[op](x, y)
        case Compare(op=op, left=a, right=b):
            x, y = ev(a, bits, params, logic), ev(b, bits, params, logic)
            fn = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
                  ">": np.greater, ">=": np.greater_equal}[op]  # fmt: skip
            return fn(x, y).astype(float)
        case Cond(test=c, then=a, else_=b):
            test = ev(c, bits, params, logic) != 0.0
            return np.where(test, ev(a, bits, params, logic), ev(b, bits, params, logic))
    msg = f"cannot simulate expression {type(expr).__name__}: {expr}"
    raise SimulationError(msg)


def _node_table(model: Model, i: int, variables: list[int]) -> np.ndarray:
    """Rate table of node ``i`` over the states of ``variables`` (see module docstring)."""
    node = model.nodes[i]
    k = len(variables)
    index = np.arange(1 << k, dtype=np.int64)
    bits = {model.nodes[v].name: ((index >> b) & 1).astype(float) for b, v in enumerate(variables)}
    params = model.parameters
    logic = None
    if node.logic is not None:
        logic = (_vector_eval(node.logic, bits, params, None) != 0.0).astype(float)
    up = _vector_eval(node.rate_up, bits, params, logic)
    down = _vector_eval(node.rate_down, bits, params, logic)
    table = np.where(bits[node.name] != 0.0, down, up).astype(np.float64)
    bad = ~np.isfinite(table) | (table < 0)
    if bad.any():
        where = int(np.flatnonzero(bad)[0])
        state = {model.nodes[v].name: bool((where >> b) & 1) for b, v in enumerate(variables)}
        msg = (
            f"node {node.name!r} has rate {table[where]!r} (rates must be finite and >= 0) "
            f"in state {state}"
        )
        raise SimulationError(msg, record=node.name, value=float(table[where]))
    return table


#: Rate tables of recent models, keyed by the identity of their node objects and their
#: parameters: runs that differ only in initial states (a regimen's held inputs) share the
#: nodes and reuse the tables. Each entry keeps its nodes alive, so their ids stay unique.
_RATE_CACHE: dict[tuple, tuple[tuple, tuple[np.ndarray, ...]]] = {}
_RATE_CACHE_MAX = 32


def _rate_tables(model: Model) -> tuple[np.ndarray, ...]:
    """Variables, tables and dependents of every node (the arrays are shared: read-only)."""
    key = (tuple(map(id, model.nodes)), tuple(sorted(model.parameters.items())))
    hit = _RATE_CACHE.get(key)
    if hit is not None:
        return hit[1]
    tables = _build_rate_tables(model)
    if len(_RATE_CACHE) >= _RATE_CACHE_MAX:
        _RATE_CACHE.clear()
    _RATE_CACHE[key] = (tuple(model.nodes), tables)
    return tables


def _build_rate_tables(model: Model) -> tuple[np.ndarray, ...]:
    position = {name: i for i, name in enumerate(model.node_names)}
    var_lists: list[list[int]] = []
    for i, node in enumerate(model.nodes):
        names = expr_nodes(node.rate_up) | expr_nodes(node.rate_down)
        if node.logic is not None:
            names |= expr_nodes(node.logic)
        unknown = sorted(names - position.keys())
        if unknown:
            msg = f"node {node.name!r} reads unknown node(s) {unknown}"
            raise SimulationError(msg, record=node.name, value=unknown)
        variables = sorted({i} | {position[n] for n in names})
        if len(variables) > MAX_NODE_INPUTS:
            msg = (
                f"node {node.name!r} reads {len(variables)} nodes; the engine supports at "
                f"most {MAX_NODE_INPUTS} per node"
            )
            raise SimulationError(msg, record=node.name, value=len(variables))
        var_lists.append(variables)
    tables = [_node_table(model, i, v) for i, v in enumerate(var_lists)]
    var_ptr = np.cumsum([0] + [len(v) for v in var_lists]).astype(np.int64)
    var_idx = np.array([x for v in var_lists for x in v], dtype=np.int64)
    tab_ptr = np.cumsum([0] + [t.shape[0] for t in tables]).astype(np.int64)
    tab = np.concatenate(tables) if tables else np.zeros(0)
    readers: list[list[tuple[int, int]]] = [[] for _ in model.nodes]
    for i, variables in enumerate(var_lists):
        for position, v in enumerate(variables):
            readers[v].append((i, 1 << position))
    for r in readers:
        r.sort()
    dep_ptr = np.cumsum([0] + [len(r) for r in readers]).astype(np.int64)
    dep_idx = np.array([d for r in readers for d, _ in r], dtype=np.int64)
    dep_bit = np.array([b for r in readers for _, b in r], dtype=np.int64)
    return var_ptr, var_idx, tab_ptr, tab, dep_ptr, dep_idx, dep_bit


def _set_bit(words: np.ndarray, i: int) -> None:
    words[i >> 6] |= np.uint64(1) << np.uint64(i & 63)


def _joint_groups(model: Model, n_words: int) -> list[list[tuple[float, np.ndarray]]]:
    """(weight, bits) choices of each joint initial state."""
    position = {name: i for i, name in enumerate(model.node_names)}
    groups = []
    for joint in model.joint_initial:
        unknown = [n for n in joint.nodes if n not in position]
        if unknown:
            msg = f"joint initial state names unknown node(s) {unknown}"
            raise SimulationError(msg, value=unknown)
        choices = []
        for weight, states in joint.states:
            words = np.zeros(n_words, dtype=np.uint64)
            for name, on in zip(joint.nodes, states, strict=True):
                if on:
                    _set_bit(words, position[name])
            choices.append((float(weight), words))
        groups.append(choices)
    return groups


def _initial_arrays(model: Model, n_words: int) -> tuple[np.ndarray, ...]:
    """Fixed bits and random groups of the initial distribution."""
    base = np.zeros(n_words, dtype=np.uint64)
    coins = np.zeros(n_words, dtype=np.uint64)
    groups = _joint_groups(model, n_words)
    in_joint = {name for joint in model.joint_initial for name in joint.nodes}
    for i, name in enumerate(model.node_names):
        if name in in_joint:
            continue
        p = float(model.initial.get(name, 0.5))
        if not 0.0 <= p <= 1.0:
            msg = f"initial probability of {name!r} must be in [0, 1], got {p!r}"
            raise SimulationError(msg, record=name, value=p)
        if p == 1.0:
            _set_bit(base, i)
        elif p == 0.5:
            _set_bit(coins, i)
        elif p > 0.0:
            on = np.zeros(n_words, dtype=np.uint64)
            _set_bit(on, i)
            groups.append([(1.0 - p, np.zeros(n_words, dtype=np.uint64)), (p, on)])
    choice_ptr = np.cumsum([0] + [len(g) for g in groups]).astype(np.int64)
    cum: list[float] = []
    states: list[np.ndarray] = []
    for g in groups:
        weights = np.array([w for w, _ in g], dtype=np.float64)
        if (weights < 0).any() or weights.sum() <= 0:
            msg = f"initial state weights must be >= 0 with a positive sum, got {weights.tolist()}"
            raise SimulationError(msg, value=weights.tolist())
        cum.extend(np.cumsum(weights / weights.sum()).tolist())
        states.extend(s for _, s in g)
    choice_state = np.array(states, dtype=np.uint64).reshape(len(states), n_words)
    return base, coins, choice_ptr, np.array(cum, dtype=np.float64), choice_state


def compile_model(model: Model) -> CompiledModel:
    """Tabulate a model's rates and initial distribution for the kernel.

    Parameters
    ----------
    model
        The model, with any mutations and rate scales already applied.

    Returns
    -------
    CompiledModel
        The arrays the kernel reads.

    Raises
    ------
    SimulationError
        If a rate is negative or not finite, a parameter is undefined, or a node reads more
        than :data:`MAX_NODE_INPUTS` nodes.
    """
    n = len(model.nodes)
    if n == 0:
        msg = "cannot simulate a model without nodes"
        raise SimulationError(msg)
    n_words = (n + 63) // 64
    var_ptr, var_idx, tab_ptr, tab, dep_ptr, dep_idx, dep_bit = _rate_tables(model)
    base, coins, choice_ptr, choice_cum, choice_state = _initial_arrays(model, n_words)
    observed = np.array([i for i, node in enumerate(model.nodes) if node.observed], dtype=np.int64)
    obs_index = np.full(n, -1, dtype=np.int64)
    obs_index[observed] = np.arange(observed.shape[0])
    obs_mask = np.zeros(n_words, dtype=np.uint64)
    for i in observed:
        _set_bit(obs_mask, int(i))
    return CompiledModel(
        names=model.node_names,
        observed=observed,
        var_ptr=var_ptr,
        var_idx=var_idx,
        tab_ptr=tab_ptr,
        tab=tab,
        dep_ptr=dep_ptr,
        dep_idx=dep_idx,
        dep_bit=dep_bit,
        base_state=base,
        coin_mask=coins,
        choice_ptr=choice_ptr,
        choice_cum=choice_cum,
        choice_state=choice_state,
        obs_index=obs_index,
        obs_mask=obs_mask,
    )
