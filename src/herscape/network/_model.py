"""The logical-model representation: expressions, nodes, models, mutations.

A model is a plain, immutable value. Parsers (``_maboss``, ``_bnet``, ``_sbml``) build it,
writers print it, the simulation kernel compiles it into arrays, and fixed-point enumeration
reads its logic. Nothing here does I/O.

Walkthrough::

    >>> a, b = Var("A"), Var("B")
    >>> rule = And((a, Not(b)))
    >>> str(rule)
    'A & !B'
    >>> evaluate_logic(rule, {"A": True, "B": False})
    True
    >>> up = Cond(SelfLogic(), Param("u_A"), Num(0.0))
    >>> str(up)
    '@logic ? $u_A : 0'
    >>> evaluate_rate(up, {"A": False, "B": False}, {"u_A": 2.0}, logic=True)
    2.0

Conventions
-----------
=====================  ==================================================================
Boolean node state     ``True`` = ON = 1, ``False`` = OFF = 0.
Logic expression       built from :class:`Const`, :class:`Var`, :class:`Not`, :class:`And`,
                       :class:`Or`, :class:`Xor`; evaluated by :func:`evaluate_logic`.
Rate expression        any expression; numbers are ``float``, truth is ``!= 0`` and logical
                       operators give ``1.0``/``0.0`` (MaBoSS semantics).
                       :class:`SelfLogic` (``@logic``) is the value of the node's own logic.
                       :class:`Var` inside a rate is the current state (0/1) of that node.
``Node.logic is None`` the file gave no logic: the node moves only as its rates say.
                       Fixed-point enumeration treats it as an input (``X = X``).
Initial state          ``Model.initial[name]`` is P(node ON at t=0); nodes absent from it
                       and from every joint initial state start ON with probability 0.5
                       (MaBoSS default).
Semantics (MaBoSS)     Continuous-time Markov process over Boolean states. A node that is
                       OFF turns ON at rate ``rate_up``; one that is ON turns OFF at rate
                       ``rate_down`` (both evaluated in the current state).
=====================  ==================================================================

Expression nodes
----------------
Each expression class implements ``format()`` (canonical MaBoSS-syntax text, also its
``__str__``), ``evaluate(ctx)`` (a ``float``) and ``children()``. Helpers:
:func:`expr_nodes` (node names referenced), :func:`expr_params` (``$`` parameters referenced),
:func:`uses_self_logic`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from herscape.errors import ModelError

__all__ = [
    "And",
    "Arith",
    "Compare",
    "Cond",
    "Const",
    "EvalContext",
    "Expr",
    "JointInitialState",
    "Model",
    "Mutation",
    "Neg",
    "Node",
    "Not",
    "Num",
    "Or",
    "Param",
    "RateScale",
    "SelfLogic",
    "Settings",
    "Var",
    "Xor",
    "apply_mutations",
    "check_model",
    "default_rate_down",
    "default_rate_up",
    "evaluate_logic",
    "evaluate_rate",
    "expr_nodes",
    "expr_params",
    "format_number",
    "substitute",
    "transform",
    "uses_self_logic",
]

# Printing precedence (higher binds tighter). Used only to decide parentheses when formatting.
_PREC_COND = 1
_PREC_OR = 2
_PREC_XOR = 3
_PREC_AND = 4
_PREC_CMP = 5
_PREC_ADD = 6
_PREC_MUL = 7
_PREC_UNARY = 8
_PREC_ATOM = 9


def format_number(value: float) -> str:
    """Canonical text for a number: integers without a decimal point, others by ``repr``.

    Infinities are written ``1e999`` / ``-1e999`` (which read back as infinities) and NaN as
    ``(0 / 0)``, so the text always parses.

    >>> format_number(1.0), format_number(0.25), format_number(1e100), format_number(-math.inf)
    ('1', '0.25', '1e+100', '-1e999')
    """
    if math.isnan(value):
        return "(0 / 0)"
    if math.isinf(value):
        return "1e999" if value > 0 else "-1e999"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


@dataclass(frozen=True, slots=True)
class EvalContext:
    """What an expression needs to be evaluated.

    Parameters
    ----------
    state
        Node name -> current Boolean state.
    parameters
        Parameter name (without ``$``) -> value.
    logic
        The value of the owning node's logic, used by :class:`SelfLogic` (``@logic``);
        ``None`` where there is none.
    """

    state: Mapping[str, bool]
    parameters: Mapping[str, float] = field(default_factory=dict)
    logic: bool | None = None


class Expr:
    """Base class of expression trees (logic and rate expressions).

    Subclasses are frozen slotted dataclasses; they are compared and hashed by value.
    """

    __slots__ = ()

    def format(self) -> str:
        """Canonical MaBoSS-syntax text of the expression."""
        raise NotImplementedError(type(self).__name__)

    def evaluate(self, ctx: EvalContext) -> float:
        """Numeric value in ``ctx`` (truth values are 1.0 / 0.0)."""
        raise NotImplementedError(type(self).__name__)

    def children(self) -> tuple[Expr, ...]:
        """Direct sub-expressions."""
        return ()

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        """A copy of this node with ``children`` in place of :meth:`children` (same arity)."""
        if children:
            msg = f"{type(self).__name__} has no sub-expressions"
            raise TypeError(msg)
        return self

    def precedence(self) -> int:
        """Printing precedence; higher binds tighter."""
        return _PREC_ATOM

    def __str__(self) -> str:
        return self.format()

    def _wrap(self, child: Expr, min_prec: int) -> str:
        """Format ``child``, parenthesised unless it binds at least as tight as ``min_prec``.

        An :class:`Xor` child is always parenthesised unless ``min_prec`` is the lowest.
        """
        text = child.format()
        prec = child.precedence()
        if prec == _PREC_XOR and min_prec > _PREC_COND:
            return f"({text})"
        return text if prec >= min_prec else f"({text})"


@dataclass(frozen=True, slots=True)
class Const(Expr):
    """A logical constant (``0``/``1``, ``TRUE``/``FALSE`` in files)."""

    value: bool

    def format(self) -> str:
        return "1" if self.value else "0"

    def evaluate(self, ctx: EvalContext) -> float:
        return 1.0 if self.value else 0.0


@dataclass(frozen=True, slots=True)
class Var(Expr):
    """The state of a node (in logic, or inside a rate expression)."""

    name: str

    def format(self) -> str:
        return self.name

    def evaluate(self, ctx: EvalContext) -> float:
        try:
            return 1.0 if ctx.state[self.name] else 0.0
        except KeyError:
            msg = f"node {self.name!r} has no state in the evaluation context"
            raise ModelError(msg, record=self.name) from None


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """Logical negation ``!a``."""

    operand: Expr

    def format(self) -> str:
        return "!" + self._wrap(self.operand, _PREC_UNARY)

    def evaluate(self, ctx: EvalContext) -> float:
        return 0.0 if self.operand.evaluate(ctx) != 0.0 else 1.0

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        (operand,) = children
        return Not(operand)

    def precedence(self) -> int:
        return _PREC_UNARY


@dataclass(frozen=True, slots=True)
class _NAry(Expr):
    """Shared behaviour of the n-ary logical operators (at least two operands)."""

    operands: tuple[Expr, ...]

    _symbol = "?"

    def __post_init__(self) -> None:
        if len(self.operands) < 2:
            msg = f"{type(self).__name__} needs at least 2 operands, got {len(self.operands)}"
            raise ValueError(msg)

    def format(self) -> str:
        # Operands of equal precedence are parenthesised too (only same-class operands
        # could share it, and those the parsers flatten), keeping the text unambiguous.
        prec = self.precedence() + 1
        return f" {self._symbol} ".join(self._wrap(op, prec) for op in self.operands)

    def children(self) -> tuple[Expr, ...]:
        return self.operands

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return type(self)(tuple(children))


@dataclass(frozen=True, slots=True)
class And(_NAry):
    """Logical conjunction ``a & b & ...``."""

    _symbol = "&"

    def evaluate(self, ctx: EvalContext) -> float:
        return 1.0 if all(op.evaluate(ctx) != 0.0 for op in self.operands) else 0.0

    def precedence(self) -> int:
        return _PREC_AND


@dataclass(frozen=True, slots=True)
class Or(_NAry):
    """Logical disjunction ``a | b | ...``."""

    _symbol = "|"

    def evaluate(self, ctx: EvalContext) -> float:
        return 1.0 if any(op.evaluate(ctx) != 0.0 for op in self.operands) else 0.0

    def precedence(self) -> int:
        return _PREC_OR


@dataclass(frozen=True, slots=True)
class Xor(_NAry):
    """Exclusive or ``a ^ b ^ ...`` (true when an odd number of operands are true)."""

    _symbol = "^"

    def format(self) -> str:
        # MaBoSS and bnet tools disagree on where ``^`` binds, so it is always printed with
        # parentheses around compound operands, and is itself wrapped inside other operators.
        return " ^ ".join(self._wrap(op, _PREC_UNARY) for op in self.operands)

    def evaluate(self, ctx: EvalContext) -> float:
        return float(sum(op.evaluate(ctx) != 0.0 for op in self.operands) % 2)

    def precedence(self) -> int:
        return _PREC_XOR


@dataclass(frozen=True, slots=True)
class Num(Expr):
    """A numeric literal in a rate expression."""

    value: float

    def format(self) -> str:
        return format_number(self.value)

    def evaluate(self, ctx: EvalContext) -> float:
        return float(self.value)

    def precedence(self) -> int:
        return _PREC_ATOM if self.value >= 0 else _PREC_UNARY


@dataclass(frozen=True, slots=True)
class Param(Expr):
    """A model parameter ``$name`` (``name`` is stored without the ``$``)."""

    name: str

    def format(self) -> str:
        return "$" + self.name

    def evaluate(self, ctx: EvalContext) -> float:
        try:
            return float(ctx.parameters[self.name])
        except KeyError:
            msg = f"parameter ${self.name} is not defined"
            raise ModelError(msg, field=self.name) from None


@dataclass(frozen=True, slots=True)
class SelfLogic(Expr):
    """``@logic``: the value of the owning node's logic in the current state."""

    def format(self) -> str:
        return "@logic"

    def evaluate(self, ctx: EvalContext) -> float:
        if ctx.logic is None:
            msg = "@logic used where the node has no logic"
            raise ModelError(msg)
        return 1.0 if ctx.logic else 0.0


@dataclass(frozen=True, slots=True)
class Neg(Expr):
    """Arithmetic negation ``-a``."""

    operand: Expr

    def format(self) -> str:
        return "-" + self._wrap(self.operand, _PREC_UNARY)

    def evaluate(self, ctx: EvalContext) -> float:
        return -self.operand.evaluate(ctx)

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        (operand,) = children
        return Neg(operand)

    def precedence(self) -> int:
        return _PREC_UNARY


_ARITH_PREC = {"+": _PREC_ADD, "-": _PREC_ADD, "*": _PREC_MUL, "/": _PREC_MUL}


@dataclass(frozen=True, slots=True)
class Arith(Expr):
    """Binary arithmetic ``left op right`` with ``op`` one of ``+ - * /``.

    Division by zero gives ``inf`` (or ``nan`` for ``0/0``) like C doubles do in MaBoSS.
    """

    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _ARITH_PREC:
            msg = f"Arith op must be one of {sorted(_ARITH_PREC)}, got {self.op!r}"
            raise ValueError(msg)

    def format(self) -> str:
        prec = self.precedence()
        return f"{self._wrap(self.left, prec)} {self.op} {self._wrap(self.right, prec + 1)}"

    def evaluate(self, ctx: EvalContext) -> float:
        a = self.left.evaluate(ctx)
        b = self.right.evaluate(ctx)
        if self.op == "+":
            return a + b
        if self.op == "-":
            return a - b
        if self.op == "*":
            return a * b
        if b == 0.0:
            return math.nan if a == 0.0 else math.copysign(math.inf, a)
        return a / b

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        left, right = children
        return type(self)(self.op, left, right)

    def precedence(self) -> int:
        return _ARITH_PREC[self.op]


_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """Comparison ``left op right`` with ``op`` one of ``== != < <= > >=`` (gives 1.0 / 0.0)."""

    op: Literal["==", "!=", "<", "<=", ">", ">="]
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _COMPARE:
            msg = f"Compare op must be one of {sorted(_COMPARE)}, got {self.op!r}"
            raise ValueError(msg)

    def format(self) -> str:
        prec = self.precedence() + 1
        return f"{self._wrap(self.left, prec)} {self.op} {self._wrap(self.right, prec)}"

    def evaluate(self, ctx: EvalContext) -> float:
        return 1.0 if _COMPARE[self.op](self.left.evaluate(ctx), self.right.evaluate(ctx)) else 0.0

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        left, right = children
        return type(self)(self.op, left, right)

    def precedence(self) -> int:
        return _PREC_CMP


@dataclass(frozen=True, slots=True)
class Cond(Expr):
    """Conditional ``test ? then : else_`` (``test`` true when non-zero)."""

    test: Expr
    then: Expr
    else_: Expr

    def format(self) -> str:
        test = self._wrap(self.test, _PREC_OR)
        return f"{test} ? {self._wrap(self.then, _PREC_OR)} : {self._wrap(self.else_, _PREC_OR)}"

    def evaluate(self, ctx: EvalContext) -> float:
        if self.test.evaluate(ctx) != 0.0:
            return self.then.evaluate(ctx)
        return self.else_.evaluate(ctx)

    def children(self) -> tuple[Expr, ...]:
        return (self.test, self.then, self.else_)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        test, then, else_ = children
        return Cond(test, then, else_)

    def precedence(self) -> int:
        return _PREC_COND


def _walk(expr: Expr) -> Iterator[Expr]:
    """Yield ``expr`` and all its sub-expressions, depth first."""
    stack = [expr]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.children()))


def expr_nodes(expr: Expr) -> frozenset[str]:
    """Names of the nodes an expression reads (its :class:`Var` leaves)."""
    return frozenset(e.name for e in _walk(expr) if isinstance(e, Var))


def expr_params(expr: Expr) -> frozenset[str]:
    """Names (without ``$``) of the parameters an expression reads."""
    return frozenset(e.name for e in _walk(expr) if isinstance(e, Param))


def uses_self_logic(expr: Expr) -> bool:
    """Whether an expression contains ``@logic``."""
    return any(isinstance(e, SelfLogic) for e in _walk(expr))


def transform(expr: Expr, fn: Callable[[Expr], Expr | None]) -> Expr:
    """Rewrite a tree top-down: where ``fn`` returns an expression it replaces the sub-tree.

    ``fn`` returning ``None`` means "keep this node and look inside it". Returns a new tree;
    ``expr`` is unchanged.

    >>> str(transform(And((Var("A"), Var("B"))), lambda e: Const(True) if e == Var("B") else None))
    'A & 1'
    """
    replaced = fn(expr)
    if replaced is not None:
        return replaced
    kids = expr.children()
    if not kids:
        return expr
    return expr.with_children(tuple(transform(k, fn) for k in kids))


def substitute(expr: Expr, mapping: Mapping[str, Expr]) -> Expr:
    """Replace :class:`Var` leaves named in ``mapping`` by the given expressions.

    Returns a new tree; ``expr`` is unchanged.
    """
    return transform(expr, lambda e: mapping.get(e.name) if isinstance(e, Var) else None)


def evaluate_logic(expr: Expr, state: Mapping[str, bool]) -> bool:
    """Truth value of a logic expression in a Boolean state.

    Parameters
    ----------
    expr
        A logic expression (rate-only leaves such as :class:`Param` raise ``ModelError``).
    state
        Node name -> Boolean state; must cover every node ``expr`` reads.

    Returns
    -------
    bool
        ``True`` when the expression is non-zero.

    Examples
    --------
    >>> evaluate_logic(Xor((Var("A"), Var("B"))), {"A": True, "B": True})
    False
    """
    return expr.evaluate(EvalContext(state=state)) != 0.0


def evaluate_rate(
    expr: Expr,
    state: Mapping[str, bool],
    parameters: Mapping[str, float],
    *,
    logic: bool | None = None,
) -> float:
    """Numeric value of a rate expression.

    Parameters
    ----------
    expr
        The rate expression.
    state
        Node name -> Boolean state (for node references inside the rate).
    parameters
        Parameter values, names without ``$``.
    logic
        Value of the owning node's logic, for ``@logic``.
    """
    return expr.evaluate(EvalContext(state=state, parameters=parameters, logic=logic))


def default_rate_up() -> Expr:
    """MaBoSS default ``rate_up``: ``@logic ? 1 : 0``."""
    return Cond(SelfLogic(), Num(1.0), Num(0.0))


def default_rate_down() -> Expr:
    """MaBoSS default ``rate_down``: ``@logic ? 0 : 1``."""
    return Cond(SelfLogic(), Num(0.0), Num(1.0))


@dataclass(frozen=True, slots=True)
class Node:
    """One Boolean node of a model.

    Parameters
    ----------
    name
        Identifier (letters, digits, ``_``; not starting with a digit).
    logic
        Logical rule, or ``None`` when the file gives none.
    rate_up, rate_down
        Rate expressions for OFF -> ON and ON -> OFF.
    internal
        MaBoSS ``is_internal``: simulated but not reported (not *observed*).
    description, kind, sources
        Metadata for curated models (kind: ligand, receptor, kinase, drug, phenotype, ...).
    refstate
        MaBoSS ``refstate`` (0 or 1), or ``None`` when unset (``-1`` in files).
    attributes
        Other node attributes from a MaBoSS file (name -> expression), in file order.
    """

    name: str
    logic: Expr | None = None
    rate_up: Expr = field(default_factory=default_rate_up)
    rate_down: Expr = field(default_factory=default_rate_down)
    internal: bool = False
    description: str = ""
    kind: str = ""
    sources: tuple[str, ...] = ()
    refstate: int | None = None
    attributes: tuple[tuple[str, Expr], ...] = ()

    @property
    def observed(self) -> bool:
        """The opposite of :attr:`internal`."""
        return not self.internal


@dataclass(frozen=True, slots=True)
class JointInitialState:
    """A joint initial distribution over several nodes (MaBoSS ``[A, B].istate = ...``).

    Parameters
    ----------
    nodes
        The node names, in the order of the state tuples.
    states
        ``(probability, states)`` pairs; ``states[i]`` is the state of ``nodes[i]``.
        Probabilities are weights (MaBoSS normalises them); they need not sum to 1.
    """

    nodes: tuple[str, ...]
    states: tuple[tuple[float, tuple[bool, ...]], ...]


@dataclass(frozen=True, slots=True)
class Settings:
    """Simulation settings (MaBoSS ``.cfg`` run parameters).

    Defaults are herscape's (short runs for a model built in code). MaBoSS's own defaults
    differ (``time_tick=0.5``, ``max_time=1000``, ``sample_count=10000``); the MaBoSS reader
    uses those for settings a ``.cfg`` file leaves out. Settings the herscape engine does not
    use (``use_physrandgen``, ``display_traj``, ``statdist_*``, ``init_pop``) are kept so files
    round-trip; the engine always uses a seeded pseudo-random generator.

    Parameters
    ----------
    max_time
        Simulated time at which trajectories stop.
    time_tick
        Width of the time windows probabilities are reported over.
    sample_count
        Number of trajectories.
    thread_count
        Threads (results never depend on it).
    seed
        ``seed_pseudorandom``.
    discrete_time
        MaBoSS discrete-time mode (each step takes exactly ``time_tick``).
    """

    max_time: float = 10.0
    time_tick: float = 0.1
    sample_count: int = 1_000_000
    thread_count: int = 1
    seed: int = 0
    discrete_time: bool = False
    use_physrandgen: bool = False
    use_glibcrandgen: bool = False
    use_mtrandgen: bool = False
    display_traj: bool = False
    statdist_traj_count: int = 0
    statdist_cluster_threshold: float = 1.0
    statdist_similarity_cache_max_size: int = 20_000
    init_pop: int = 1


@dataclass(frozen=True, slots=True)
class Model:
    """A logical model with MaBoSS semantics.

    Parameters
    ----------
    nodes
        The nodes, in file order.
    parameters
        ``$`` parameters (name without ``$``) -> value, in file order.
    initial
        Node name -> probability the node starts ON (single-node initial states).
    joint_initial
        Joint initial states over several nodes.
    settings
        Simulation settings.
    name
        A short name (usually the file stem).
    source
        The path the model was read from, if any.
    """

    nodes: tuple[Node, ...]
    parameters: dict[str, float] = field(default_factory=dict)
    initial: dict[str, float] = field(default_factory=dict)
    joint_initial: tuple[JointInitialState, ...] = ()
    settings: Settings = field(default_factory=Settings)
    name: str = ""
    source: str | None = None

    @property
    def node_names(self) -> tuple[str, ...]:
        """Node names in model order."""
        return tuple(n.name for n in self.nodes)

    def node(self, name: str) -> Node:
        """The node called ``name``; ``ModelError`` if there is none."""
        for n in self.nodes:
            if n.name == name:
                return n
        msg = f"no node named {name!r} in model {self.name!r}"
        raise ModelError(msg, source=self.source, record=name)

    def index(self, name: str) -> int:
        """Position of node ``name`` in :attr:`nodes`."""
        for i, n in enumerate(self.nodes):
            if n.name == name:
                return i
        msg = f"no node named {name!r} in model {self.name!r}"
        raise ModelError(msg, source=self.source, record=name)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose logic is themselves, a constant, or absent (inputs/free nodes)."""
        return tuple(
            n.name
            for n in self.nodes
            if n.logic is None or n.logic == Var(n.name) or isinstance(n.logic, Const)
        )

    def with_nodes(self, nodes: Iterable[Node]) -> Model:
        """A copy with ``nodes`` replacing the node list."""
        return replace(self, nodes=tuple(nodes))

    def initial_probability(self, name: str) -> float | None:
        """P(``name`` starts ON) from single-node initial states; ``None`` if only joint/unset."""
        return self.initial.get(name)


def _check_initial(model: Model, names: set[str]) -> Iterator[str]:
    for name, p in model.initial.items():
        if name not in names:
            yield f"initial state given for unknown node {name!r}"
        if not 0.0 <= p <= 1.0:
            yield f"initial probability of {name!r} is {p!r}, not in [0, 1]"
    for joint in model.joint_initial:
        for name in joint.nodes:
            if name not in names:
                yield f"joint initial state names unknown node {name!r}"
        for prob, states in joint.states:
            if len(states) != len(joint.nodes):
                yield f"joint initial state over {list(joint.nodes)} has a state of length {len(states)}"
            if not prob >= 0.0:
                yield f"joint initial state over {list(joint.nodes)} has weight {prob!r} < 0"


def check_model(model: Model) -> list[str]:
    """Problems that make ``model`` inconsistent, as messages (empty when it is sound).

    Checks: node names unique; every node referenced by a logic or rate expression exists;
    every ``$`` parameter used is defined; initial probabilities lie in [0, 1] and name
    existing nodes; joint initial states have states of the right length. Nothing is raised:
    callers decide (readers raise :class:`~herscape.errors.ModelError` themselves).

    Examples
    --------
    >>> check_model(Model(nodes=(Node("A", logic=Var("B")),)))
    ["node 'A' refers to unknown node 'B'"]
    """
    problems: list[str] = []
    names: set[str] = set()
    for node in model.nodes:
        if node.name in names:
            problems.append(f"node {node.name!r} is defined twice")
        names.add(node.name)
    for node in model.nodes:
        exprs = [node.rate_up, node.rate_down, *(e for _, e in node.attributes)]
        if node.logic is not None:
            exprs.append(node.logic)
        used_nodes: set[str] = set()
        used_params: set[str] = set()
        for expr in exprs:
            used_nodes |= expr_nodes(expr)
            used_params |= expr_params(expr)
        problems.extend(
            f"node {node.name!r} refers to unknown node {n!r}" for n in sorted(used_nodes - names)
        )
        problems.extend(
            f"node {node.name!r} uses undefined parameter ${p}"
            for p in sorted(used_params - model.parameters.keys())
        )
    problems.extend(_check_initial(model, names))
    return problems


MutationSemantics = Literal["logic", "instant"]


@dataclass(frozen=True, slots=True)
class Mutation:
    """Force a node ON or OFF.

    Parameters
    ----------
    node
        The node name.
    state
        ``True`` forces ON, ``False`` OFF.
    semantics
        ``"logic"`` (cmaboss ``mutate`` default): the logic becomes the constant and the node
        still moves at its own up/down rate (a transient remains). ``"instant"``
        (pyMaBoSS-like, as the limit of infinite rates): the node starts in the forced state
        and both rates become 0, so it never leaves it.
    """

    node: str
    state: bool
    semantics: MutationSemantics = "logic"

    def __post_init__(self) -> None:
        if self.semantics not in ("logic", "instant"):
            msg = f"semantics must be 'logic' or 'instant', got {self.semantics!r}"
            raise ValueError(msg)

    def format(self) -> str:
        """Canonical text, e.g. ``EGFR=ON`` or ``EGFR=OFF!`` (``!`` marks instant)."""
        return f"{self.node}={'ON' if self.state else 'OFF'}{'!' if self.semantics == 'instant' else ''}"

    __str__ = format


@dataclass(frozen=True, slots=True)
class RateScale:
    """Multiply a node's up rate by ``up`` and its down rate by ``down``.

    Amplification or overexpression is ``up > 1``; low expression ``up < 1``.
    """

    node: str
    up: float = 1.0
    down: float = 1.0

    def __post_init__(self) -> None:
        for label, value in (("up", self.up), ("down", self.down)):
            if not (math.isfinite(value) and value >= 0):
                msg = f"RateScale.{label} must be a finite number >= 0, got {value!r}"
                raise ValueError(msg)


def _fix_joint(joint: JointInitialState, fixed: Mapping[str, bool]) -> JointInitialState:
    """Set forced nodes inside a joint initial state, merging states that become equal."""
    merged: dict[tuple[bool, ...], float] = {}
    for prob, states in joint.states:
        new = tuple(fixed.get(n, s) for n, s in zip(joint.nodes, states, strict=True))
        merged[new] = merged.get(new, 0.0) + prob
    return JointInitialState(joint.nodes, tuple((p, s) for s, p in merged.items()))


def _mutate_node(node: Node, mutation: Mutation) -> Node:
    const = Const(mutation.state)
    if mutation.semantics == "logic":
        return replace(node, logic=const)
    return replace(node, logic=const, rate_up=Num(0.0), rate_down=Num(0.0))


def _scale_node(node: Node, scale: RateScale) -> Node:
    up = node.rate_up if scale.up == 1.0 else Arith("*", Num(scale.up), node.rate_up)
    down = node.rate_down if scale.down == 1.0 else Arith("*", Num(scale.down), node.rate_down)
    return replace(node, rate_up=up, rate_down=down)


def apply_mutations(
    model: Model,
    mutations: Sequence[Mutation] = (),
    scales: Sequence[RateScale] = (),
) -> Model:
    """A copy of ``model`` with nodes forced ON/OFF and rates scaled.

    Mutations are applied first, then rate scales (a scale on an instantly fixed node has no
    effect: its rates are 0). For ``"instant"`` mutations the node's initial probability is
    set to 1 or 0 and joint initial states are updated to the forced value.

    Parameters
    ----------
    model
        The model (unchanged).
    mutations
        Nodes to force; a later mutation of the same node wins.
    scales
        Rate multipliers; several on one node multiply.

    Returns
    -------
    Model
        The perturbed model.

    Raises
    ------
    ModelError
        If a mutation or scale names a node the model does not have.

    Examples
    --------
    >>> m = Model(nodes=(Node("A", logic=Var("B")), Node("B", logic=Var("B"))))
    >>> str(apply_mutations(m, [Mutation("A", False)]).node("A").logic)
    '0'
    """
    names = set(model.node_names)
    for item in (*mutations, *scales):
        if item.node not in names:
            msg = (
                f"{type(item).__name__} names unknown node {item.node!r}; nodes are {sorted(names)}"
            )
            raise ModelError(msg, source=model.source, record=item.node)
    last: dict[str, Mutation] = {m.node: m for m in mutations}
    nodes: list[Node] = []
    for node in model.nodes:
        if node.name in last:
            node = _mutate_node(node, last[node.name])
        for scale in scales:
            if scale.node == node.name:
                node = _scale_node(node, scale)
        nodes.append(node)
    fixed = {n: m.state for n, m in last.items() if m.semantics == "instant"}
    initial = dict(model.initial)
    for n, s in fixed.items():
        initial[n] = 1.0 if s else 0.0
    joint = tuple(
        _fix_joint(j, fixed) if fixed.keys() & set(j.nodes) else j for j in model.joint_initial
    )
    return replace(model, nodes=tuple(nodes), initial=initial, joint_initial=joint)
