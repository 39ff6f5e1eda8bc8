"""Read and write MaBoSS models (``.bnd`` network + ``.cfg`` configuration).

>>> from herscape.network import parse_maboss, format_bnd
>>> m = parse_maboss("Node A { logic = !B; } Node B { logic = B; }", "$u = 2; B.istate = 1;")
>>> m.parameters, m.initial
({'u': 2.0}, {'B': 1.0})
>>> print(format_bnd(m).splitlines()[1])
  logic = !B;

What is read
------------
``.bnd``: ``Node NAME { attr = expr; ... }`` blocks (``Node`` in any case) with ``logic``,
``rate_up``, ``rate_down``, ``description = "..."``, and any other numeric attribute (kept in
``Node.attributes``, e.g. ``max_rate``; ``@name`` in an expression is replaced by the node's
attribute ``name``, as MaBoSS evaluates it, while ``@logic`` stays ``SelfLogic``); the short forms ``NAME : expr;`` and ``NAME, expr``;
comments ``//``, ``/* */`` and line-initial ``#``. A node without logic and without rates
keeps its state (MaBoSS input node); it is read as ``logic = NAME`` with default rates, which
behaves the same.

``.cfg``: ``$param = expr;``, run settings (``time_tick``, ``max_time``, ``sample_count``,
``thread_count``, ``seed_pseudorandom``, ``discrete_time``, ``use_physrandgen``,
``use_glibcrandgen``, ``use_mtrandgen``, ``display_traj``, ``statdist_traj_count``,
``statdist_cluster_threshold``, ``statdist_similarity_cache_max_size``, ``init_pop``),
``NODE.istate``, ``NODE.is_internal``, ``NODE.refstate`` and joint
``[A, B].istate = p[0, 1], q[1, 0];``. Settings a file leaves out take MaBoSS's defaults
(:data:`MABOSS_DEFAULT_SETTINGS`); the writer always writes every setting. Anything else is a :class:`~herscape.errors.ModelError`
naming the file, line and column.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path

from herscape.errors import ModelError
from herscape.network._expr import Alias, Token, TokenStream, tokenize
from herscape.network._model import (
    EvalContext,
    Expr,
    JointInitialState,
    Model,
    Node,
    Settings,
    Var,
    default_rate_down,
    default_rate_up,
    expr_nodes,
    format_number,
    transform,
    uses_self_logic,
)

__all__ = [
    "MABOSS_DEFAULT_SETTINGS",
    "format_bnd",
    "format_cfg",
    "parse_maboss",
    "read_maboss",
    "write_maboss",
]

#: ``.cfg`` run-setting key -> (Settings field, type).
_SETTINGS: dict[str, tuple[str, type]] = {
    "time_tick": ("time_tick", float),
    "max_time": ("max_time", float),
    "sample_count": ("sample_count", int),
    "thread_count": ("thread_count", int),
    "seed_pseudorandom": ("seed", int),
    "discrete_time": ("discrete_time", bool),
    "use_physrandgen": ("use_physrandgen", bool),
    "use_glibcrandgen": ("use_glibcrandgen", bool),
    "use_mtrandgen": ("use_mtrandgen", bool),
    "display_traj": ("display_traj", bool),
    "statdist_traj_count": ("statdist_traj_count", int),
    "statdist_cluster_threshold": ("statdist_cluster_threshold", float),
    "statdist_similarity_cache_max_size": ("statdist_similarity_cache_max_size", int),
    "init_pop": ("init_pop", int),
}


#: The settings MaBoSS (cmaboss 1.0) uses for anything a ``.cfg`` file leaves out; the reader
#: starts from these, not from herscape's :class:`Settings` defaults.
MABOSS_DEFAULT_SETTINGS = Settings(time_tick=0.5, max_time=1000.0, sample_count=10_000)


def _err(msg: str, source: str | None, tok: Token) -> ModelError:
    return ModelError(msg, source=source, line=tok.line, column=tok.column, value=tok.text)


# ----------------------------------------------------------------------------------------------
# .bnd
# ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class _NodeDraft:
    """A node as read, before defaults are filled in."""

    name: str
    token: Token
    logic: Expr | None = None
    rate_up: Expr | None = None
    rate_down: Expr | None = None
    description: str = ""
    attributes: list[tuple[str, Expr]] = dataclasses.field(default_factory=list)
    refs: list[tuple[str, Token]] = dataclasses.field(default_factory=list)


def _expr_with_refs(stream: TokenStream, *, logic: bool, refs: list[tuple[str, Token]]) -> Expr:
    """Parse an expression and remember the name tokens it used (for undeclared-node errors)."""
    start = stream.pos
    expr = stream.expression(logic=logic)
    toks = stream.tokens
    refs.extend(
        (toks[i].text, toks[i])
        for i in range(start, stream.pos)
        if toks[i].kind == "name"
        and not (i > 0 and toks[i - 1].kind == "op" and toks[i - 1].text == "@")
    )
    return expr


def _parse_node_block(stream: TokenStream, draft: _NodeDraft) -> None:
    src = stream.source
    stream.expect_op("{")
    seen: set[str] = set()
    while not stream.at_op("}"):
        key = stream.expect_kind(
            "name", "a node attribute name (logic, rate_up, rate_down, ...) or '}'"
        )
        if key.text in seen:
            raise _err(f"attribute {key.text!r} given twice for node {draft.name!r}", src, key)
        seen.add(key.text)
        stream.expect_op("=")
        if stream.current.kind == "string":
            value = stream.advance()
            if key.text != "description":
                raise _err(f"only 'description' may be a string, not {key.text!r}", src, value)
            draft.description = value.text
        else:
            expr = _expr_with_refs(stream, logic=key.text == "logic", refs=draft.refs)
            if key.text == "logic":
                draft.logic = expr
            elif key.text == "rate_up":
                draft.rate_up = expr
            elif key.text == "rate_down":
                draft.rate_down = expr
            else:
                draft.attributes.append((key.text, expr))
        stream.expect_op(";")
    stream.expect_op("}")


def _parse_bnd_tokens(stream: TokenStream) -> list[_NodeDraft]:
    src = stream.source
    drafts: list[_NodeDraft] = []
    names: dict[str, Token] = {}
    while stream.current.kind != "eof":
        if stream.at_op(";"):
            stream.advance()
            continue
        tok = stream.expect_kind("name", "'Node NAME { ... }' or 'NAME : logic;'")
        if tok.text.upper() == "NODE" and stream.current.kind == "name":
            name_tok = stream.advance()
            draft = _NodeDraft(name_tok.text, name_tok)
            _parse_node_block(stream, draft)
        elif stream.at_op(":", ","):
            sep = stream.advance()
            if tok.text == "targets" and sep.text == "," and stream.current.text == "factors":
                stream.advance()
                continue
            name_tok = tok
            draft = _NodeDraft(tok.text, tok)
            draft.logic = _expr_with_refs(stream, logic=True, refs=draft.refs)
            if stream.at_op(";"):
                stream.advance()
        else:
            raise stream.error("'{' after the node name, or ':' for a short node declaration")
        if draft.name in names:
            prev = names[draft.name]
            raise _err(
                f"node {draft.name!r} declared twice (first at line {prev.line})", src, name_tok
            )
        names[draft.name] = name_tok
        drafts.append(draft)
    return drafts


def _resolve_aliases(
    expr: Expr, attrs: dict[str, Expr], draft: _NodeDraft, source: str | None, seen: frozenset[str]
) -> Expr:
    """Replace each ``@name`` by the expression of the node's attribute ``name``."""

    def fn(e: Expr) -> Expr | None:
        if not isinstance(e, Alias):
            return None
        if e.name not in attrs:
            msg = f"node {draft.name!r} has no attribute {e.name!r} for @{e.name}"
            raise ModelError(msg, source=source, line=e.line, column=e.column, value=e.name)
        if e.name in seen:
            msg = f"attribute @{e.name} of node {draft.name!r} refers to itself"
            raise ModelError(msg, source=source, line=e.line, column=e.column, value=e.name)
        return _resolve_aliases(attrs[e.name], attrs, draft, source, seen | {e.name})

    return transform(expr, fn)


def _inline_aliases(draft: _NodeDraft, source: str | None) -> None:
    """Inline ``@attribute`` references in every expression of a node (MaBoSS aliases)."""
    attrs: dict[str, Expr] = dict(draft.attributes)
    for key, value in (
        ("logic", draft.logic),
        ("rate_up", draft.rate_up),
        ("rate_down", draft.rate_down),
    ):
        if value is not None:
            attrs[key] = value

    def resolve(key: str, value: Expr) -> Expr:
        return _resolve_aliases(value, attrs, draft, source, frozenset({key}))

    if draft.logic is not None:
        draft.logic = resolve("logic", draft.logic)
    if draft.rate_up is not None:
        draft.rate_up = resolve("rate_up", draft.rate_up)
    if draft.rate_down is not None:
        draft.rate_down = resolve("rate_down", draft.rate_down)
    draft.attributes = [(k, resolve(k, v)) for k, v in draft.attributes]


def _finish_node(draft: _NodeDraft, source: str | None) -> Node:
    _inline_aliases(draft, source)
    logic, up, down = draft.logic, draft.rate_up, draft.rate_down
    if logic is None and up is None and down is None:
        logic = Var(draft.name)  # a MaBoSS input node: keeps its state
    up = default_rate_up() if up is None else up
    down = default_rate_down() if down is None else down
    if logic is None and (uses_self_logic(up) or uses_self_logic(down)):
        msg = f"node {draft.name!r} uses @logic in its rates but has no logic"
        raise _err(msg, source, draft.token)
    return Node(
        name=draft.name,
        logic=logic,
        rate_up=up,
        rate_down=down,
        description=draft.description,
        attributes=tuple(draft.attributes),
    )


def _parse_bnd(text: str, source: str | None) -> list[Node]:
    stream = TokenStream(tokenize(text, source=source), source=source)
    drafts = _parse_bnd_tokens(stream)
    declared = {d.name for d in drafts}
    for draft in drafts:
        for name, tok in draft.refs:
            if name not in declared:
                msg = f"node {draft.name!r} refers to {name!r}, which is not declared as a node"
                raise _err(msg, source, tok)
    return [_finish_node(d, source) for d in drafts]


# ----------------------------------------------------------------------------------------------
# .cfg
# ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class _CfgState:
    """What a ``.cfg`` file sets, accumulated statement by statement."""

    nodes: dict[str, Node]
    parameters: dict[str, float] = dataclasses.field(default_factory=dict)
    settings: dict[str, object] = dataclasses.field(default_factory=dict)
    initial: dict[str, float] = dataclasses.field(default_factory=dict)
    joint: list[JointInitialState] = dataclasses.field(default_factory=list)


def _value(stream: TokenStream, state: _CfgState, *, primary: bool = False) -> float:
    """Parse and evaluate a constant expression (parameters allowed, nodes not)."""
    tok = stream.current
    if tok.kind == "name" and tok.text.upper() in ("TRUE", "FALSE"):
        stream.advance()  # MaBoSS configuration files accept TRUE/FALSE (any case) as 1/0
        return 1.0 if tok.text.upper() == "TRUE" else 0.0
    expr = stream._primary(False) if primary else stream.expression(logic=False)
    if expr_nodes(expr):
        raise _err(
            f"a constant was expected, but {sorted(expr_nodes(expr))[0]!r} is a name",
            stream.source,
            tok,
        )
    try:
        value = expr.evaluate(EvalContext(state={}, parameters=state.parameters))
    except ModelError as exc:
        raise _err(f"{exc.message} (used before it is set)", stream.source, tok) from exc
    if not math.isfinite(value):  # 1e309 reads as inf: no setting or parameter is infinite
        raise _err(f"the value starting {tok.text!r} is not a finite number", stream.source, tok)
    return value


def _node_ref(stream: TokenStream, state: _CfgState) -> Token:
    tok = stream.expect_kind("name", "a node name")
    if tok.text not in state.nodes:
        raise _err(f"unknown node {tok.text!r} (not declared in the .bnd file)", stream.source, tok)
    return tok


def _forget_initial(state: _CfgState, names: Iterable[str]) -> None:
    """Drop earlier initial states of ``names`` (a later istate replaces an earlier one)."""
    names = set(names)
    for n in names:
        state.initial.pop(n, None)
    kept = []
    for j in state.joint:
        if names & set(j.nodes):
            rest = [n for n in j.nodes if n not in names]
            if rest:
                msg = f"istate for {sorted(names)} splits the joint initial state over {list(j.nodes)}"
                raise ModelError(msg)
            continue
        kept.append(j)
    state.joint = kept


def _cfg_node_attr(stream: TokenStream, state: _CfgState, node_tok: Token) -> None:
    src = stream.source
    stream.expect_op(".")
    attr = stream.expect_kind("name", "istate, is_internal or refstate")
    stream.expect_op("=")
    value_tok = stream.current
    value = _value(stream, state)
    name = node_tok.text
    key = attr.text.lower()
    if key == "istate":
        if 0.0 < value < 1.0:
            msg = (
                f"{name}.istate = {format_number(value)} is ambiguous (MaBoSS reads any non-zero "
                f"value as ON); write {name}.istate = 1; or, for a probability, "
                f"[{name}].istate = {format_number(1 - value)}[0], {format_number(value)}[1];"
            )
            raise _err(msg, src, value_tok)
        _forget_initial(state, [name])
        if value >= 0:
            state.initial[name] = 1.0 if value != 0 else 0.0
    elif key == "is_internal":
        state.nodes[name] = dataclasses.replace(state.nodes[name], internal=value != 0)
    elif key == "refstate":
        ref = None if value < 0 else int(value != 0)
        state.nodes[name] = dataclasses.replace(state.nodes[name], refstate=ref)
    else:
        raise _err(
            f"unknown node attribute {attr.text!r}; expected istate, is_internal or refstate",
            src,
            attr,
        )


def _cfg_joint_istate(stream: TokenStream, state: _CfgState) -> None:
    src = stream.source
    stream.expect_op("[")
    names = [_node_ref(stream, state).text]
    while stream.at_op(","):
        stream.advance()
        names.append(_node_ref(stream, state).text)
    stream.expect_op("]")
    stream.expect_op(".")
    attr = stream.expect_kind("name", "istate")
    if attr.text.lower() != "istate":
        raise _err(f"only istate can be set on a node list, not {attr.text!r}", src, attr)
    stream.expect_op("=")
    entries: list[tuple[float, tuple[bool, ...]]] = []
    while True:
        prob = _value(stream, state, primary=True)
        stream.expect_op("[")
        bits: list[bool] = []
        while True:
            bit_tok = stream.current
            bit = _value(stream, state, primary=True)
            if bit not in (0.0, 1.0):
                raise _err(f"a node state must be 0 or 1, got {format_number(bit)}", src, bit_tok)
            bits.append(bit == 1.0)
            if not stream.at_op(","):
                break
            stream.advance()
        close = stream.expect_op("]")
        if len(bits) != len(names):
            raise _err(f"{len(bits)} states given for {len(names)} nodes {names}", src, close)
        entries.append((prob, tuple(bits)))
        if not stream.at_op(","):
            break
        stream.advance()
    _forget_initial(state, names)
    if len(names) == 1:
        on = sum(p for p, s in entries if s[0])
        total = sum(p for p, _ in entries)
        if total <= 0:
            raise _err(f"istate probabilities of {names[0]!r} sum to {total}", src, attr)
        state.initial[names[0]] = on if math.isclose(total, 1.0, abs_tol=1e-12) else on / total
    else:
        state.joint.append(JointInitialState(tuple(names), tuple(entries)))


def _cfg_setting(stream: TokenStream, state: _CfgState, key: Token) -> None:
    stream.expect_op("=")
    value = _value(stream, state)
    if key.text not in _SETTINGS:
        msg = f"unknown setting {key.text!r}; known settings are {sorted(_SETTINGS)}"
        raise _err(msg, stream.source, key)
    field_name, kind = _SETTINGS[key.text]
    state.settings[field_name] = kind(value) if kind is not bool else value != 0


def _parse_cfg(text: str, source: str | None, state: _CfgState) -> None:
    stream = TokenStream(tokenize(text, source=source), source=source)
    while stream.current.kind != "eof":
        tok = stream.current
        if stream.at_op(";"):
            stream.advance()
            continue
        if tok.kind == "param":
            stream.advance()
            stream.expect_op("=")
            state.parameters[tok.text] = _value(stream, state)
        elif stream.at_op("["):
            _cfg_joint_istate(stream, state)
        elif tok.kind == "name" and stream.peek().kind == "op" and stream.peek().text == ".":
            _node_ref(stream, state)
            _cfg_node_attr(stream, state, tok)
        elif tok.kind == "name":
            stream.advance()
            _cfg_setting(stream, state, tok)
        else:
            raise stream.error(
                "'$parameter = ...;', 'setting = ...;', 'NODE.attr = ...;' or '[NODES].istate = ...;'"
            )
        stream.expect_op(";")


def _check_parameters(
    nodes: Iterable[Node], parameters: dict[str, float], source: str | None
) -> None:
    from herscape.network._model import expr_params

    for node in nodes:
        exprs = [node.rate_up, node.rate_down, *(e for _, e in node.attributes)]
        if node.logic is not None:
            exprs.append(node.logic)
        for expr in exprs:
            missing = sorted(expr_params(expr) - parameters.keys())
            if missing:
                msg = f"node {node.name!r} uses ${missing[0]}, which no .cfg file sets"
                raise ModelError(msg, source=source, record=node.name, field=missing[0])


def parse_maboss(
    bnd_text: str,
    cfg_text: str | Iterable[str] = "",
    *,
    bnd_source: str | None = None,
    cfg_source: str | Iterable[str | None] | None = None,
    name: str = "",
) -> Model:
    """Build a :class:`Model` from MaBoSS ``.bnd`` and ``.cfg`` texts.

    Parameters
    ----------
    bnd_text
        The network text.
    cfg_text
        One configuration text, or several applied in order (later ones override).
    bnd_source, cfg_source
        File names for error messages (one per configuration text).
    name
        Model name.

    Returns
    -------
    Model
        Nodes in file order; ``source`` is ``bnd_source``.

    Raises
    ------
    ModelError
        On a syntax error, an undeclared node or parameter, or an unknown setting.
    """
    nodes = _parse_bnd(bnd_text, bnd_source)
    cfg_texts = [cfg_text] if isinstance(cfg_text, str) else list(cfg_text)
    if cfg_source is None or isinstance(cfg_source, str):
        cfg_sources: list[str | None] = [cfg_source] * len(cfg_texts)
    else:
        cfg_sources = list(cfg_source)
    state = _CfgState(nodes={n.name: n for n in nodes})
    for text, src in zip(cfg_texts, cfg_sources, strict=True):
        _parse_cfg(text, src, state)
    _check_parameters(
        state.nodes.values(), state.parameters, cfg_sources[-1] if cfg_sources else bnd_source
    )
    return Model(
        nodes=tuple(state.nodes[n.name] for n in nodes),
        parameters=state.parameters,
        initial=state.initial,
        joint_initial=tuple(state.joint),
        settings=dataclasses.replace(MABOSS_DEFAULT_SETTINGS, **state.settings),  # type: ignore[arg-type]
        name=name,
        source=bnd_source,
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        msg = f"model file {str(path)!r} does not exist"
        raise ModelError(msg, source=str(path)) from exc
    except UnicodeDecodeError as exc:
        msg = f"model file {str(path)!r} is not UTF-8 text"
        raise ModelError(msg, source=str(path)) from exc


def read_maboss(
    bnd: str | os.PathLike[str],
    cfg: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
) -> Model:
    """Read a MaBoSS model from files.

    Parameters
    ----------
    bnd
        The ``.bnd`` file.
    cfg
        The ``.cfg`` file(s); by default the ``.cfg`` with the same stem beside ``bnd`` if it
        exists (otherwise MaBoSS defaults, which need no ``$`` parameters).

    Returns
    -------
    Model
        Named after the ``.bnd`` file stem.
    """
    bnd_path = Path(bnd)
    if cfg is None:
        beside = bnd_path.with_suffix(".cfg")
        cfg_paths = [beside] if beside.exists() else []
    elif isinstance(cfg, str | os.PathLike):
        cfg_paths = [Path(cfg)]
    else:
        cfg_paths = [Path(c) for c in cfg]
    return parse_maboss(
        _read_text(bnd_path),
        [_read_text(p) for p in cfg_paths],
        bnd_source=str(bnd_path),
        cfg_source=[str(p) for p in cfg_paths],
        name=bnd_path.stem,
    )


# ----------------------------------------------------------------------------------------------
# writing
# ----------------------------------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_MABOSS_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_MABOSS_RESERVED = {"AND", "OR", "XOR", "NOT", "NODE"}


def _check_maboss_names(model: Model) -> None:
    """Raise ``ModelError`` for node or parameter names MaBoSS cannot read."""
    names = [("node", n) for n in model.node_names] + [("parameter", p) for p in model.parameters]
    names += [("attribute", k) for node in model.nodes for k, _ in node.attributes]
    for what, name in names:
        if not _MABOSS_NAME.fullmatch(name) or name.upper() in _MABOSS_RESERVED:
            msg = (
                f"{what} name {name!r} cannot be written in MaBoSS format (names are letters, "
                "digits and _, not starting with a digit, and not AND/OR/XOR/NOT/NODE)"
            )
            raise ModelError(msg, source=model.source, record=name)


def format_bnd(model: Model) -> str:
    """The ``.bnd`` text of ``model`` (logic, rates, description, other attributes).

    ``kind`` and ``sources`` have no MaBoSS counterpart and are not written.

    Raises
    ------
    ModelError
        If a node, parameter or attribute name is not a MaBoSS identifier.
    """
    _check_maboss_names(model)
    lines: list[str] = []
    for node in model.nodes:
        lines.append(f"Node {node.name} {{")
        if node.logic is not None:
            lines.append(f"  logic = {node.logic.format()};")
        lines.append(f"  rate_up = {node.rate_up.format()};")
        lines.append(f"  rate_down = {node.rate_down.format()};")
        lines.extend(f"  {key} = {expr.format()};" for key, expr in node.attributes)
        if node.description:
            lines.append(f"  description = {_quote(node.description)};")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def _format_prob(p: float) -> str:
    return format_number(p)


def format_cfg(model: Model) -> str:
    """The ``.cfg`` text of ``model``: parameters, settings, node flags and initial states."""
    _check_maboss_names(model)
    lines = [f"${name} = {format_number(value)};" for name, value in model.parameters.items()]
    if lines:
        lines.append("")
    s = model.settings
    for key, (field_name, kind) in _SETTINGS.items():
        value = getattr(s, field_name)
        text = str(int(value)) if kind is bool else format_number(float(value))
        lines.append(f"{key} = {text};")
    lines.append("")
    for node in model.nodes:
        lines.append(f"{node.name}.is_internal = {int(node.internal)};")
        if node.refstate is not None:
            lines.append(f"{node.name}.refstate = {node.refstate};")
    lines.append("")
    for name, p in model.initial.items():
        if p in (0.0, 1.0):
            lines.append(f"{name}.istate = {int(p)};")
        else:
            lines.append(f"[{name}].istate = {_format_prob(1.0 - p)}[0], {_format_prob(p)}[1];")
    for joint in model.joint_initial:
        entries = ", ".join(
            f"{_format_prob(prob)}[{', '.join(str(int(b)) for b in states)}]"
            for prob, states in joint.states
        )
        lines.append(f"[{', '.join(joint.nodes)}].istate = {entries};")
    return "\n".join(lines) + "\n"


def write_maboss(
    model: Model, bnd: str | os.PathLike[str], cfg: str | os.PathLike[str] | None = None
) -> tuple[Path, Path]:
    """Write ``model`` as a ``.bnd`` file and a ``.cfg`` file that MaBoSS (cmaboss) loads.

    Parameters
    ----------
    model
        The model.
    bnd
        The ``.bnd`` path.
    cfg
        The ``.cfg`` path; by default beside ``bnd`` with the same stem.

    Returns
    -------
    tuple[Path, Path]
        The two paths written.
    """
    bnd_path = Path(bnd)
    cfg_path = Path(cfg) if cfg is not None else bnd_path.with_suffix(".cfg")
    bnd_path.write_text(format_bnd(model), encoding="utf-8")
    cfg_path.write_text(format_cfg(model), encoding="utf-8")
    return bnd_path, cfg_path
