"""Read and write ``.bnet`` Boolean networks (one ``target, factors`` line per node).

>>> from herscape.network import parse_bnet, format_bnet
>>> m = parse_bnet("targets, factors\\nv_A, !v_B & v_C\\nv_B, v_A\\n")
>>> m.node_names                 # the biodivine ``v_`` prefix is removed; C is a free input
('A', 'B', 'C')
>>> print(format_bnet(m), end="")
targets, factors
A, !B & C
B, A
C, C

Format
------
An optional ``targets, factors`` header; then ``NAME, EXPR`` lines with ``&``, ``|``, ``!``,
``^`` (read only), parentheses and the constants ``0``/``1``/``true``/``false``; ``#``
comments. A name used in a rule but never a target is a free input and is added (after the
targets, in order of first use) with the rule ``NAME, NAME``. Nodes get MaBoSS default rates
and no initial state (random), since ``.bnet`` has neither.

Names from the biodivine-boolean-models collection carry a ``v_`` prefix; by default the
prefix is removed when *every* node has it and the stripped names stay distinct.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from herscape.errors import ModelError
from herscape.network._expr import parse_expression
from herscape.network._model import (
    And,
    Const,
    Expr,
    Model,
    Node,
    Not,
    Or,
    Var,
    Xor,
    substitute,
)

__all__ = ["format_bnet", "parse_bnet", "read_bnet", "write_bnet"]

_BNET_OPS = (Var, Const, Not, And, Or, Xor)
_BNET_NAME = re.compile(r"[A-Za-z0-9_]+")


def _split_line(raw: str) -> tuple[str, int] | None:
    """Strip a comment; return (text, column offset of text) or None for a blank line."""
    text = raw.split("#", 1)[0].rstrip()
    stripped = text.lstrip()
    if not stripped:
        return None
    return stripped, len(text) - len(stripped)


def _strip_prefix(names: list[str], strip: bool | None) -> dict[str, str]:
    if strip is False:
        return {n: n for n in names}
    all_prefixed = bool(names) and all(n.startswith("v_") and len(n) > 2 for n in names)
    stripped = {n: n[2:] for n in names}
    distinct = len(set(stripped.values())) == len(names)
    if strip is True and not (all_prefixed and distinct):
        msg = "strip_v_prefix=True but not every name starts with 'v_' (or stripping makes duplicates)"
        raise ModelError(msg)
    return stripped if all_prefixed and distinct else {n: n for n in names}


def parse_bnet(
    text: str, *, source: str | None = None, name: str = "", strip_v_prefix: bool | None = None
) -> Model:
    """Build a :class:`Model` from ``.bnet`` text.

    Parameters
    ----------
    text
        The file content.
    source
        File name for error messages.
    name
        Model name.
    strip_v_prefix
        ``None`` (default): remove a ``v_`` prefix if every name has it; ``True``: require and
        remove it; ``False``: keep names as written.

    Raises
    ------
    ModelError
        With file, line and column, on a syntax error or a node defined twice.
    """
    rules: dict[str, Expr] = {}
    lines: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        split = _split_line(raw)
        if split is None:
            continue
        body, offset = split
        target, sep, factors = body.partition(",")
        target = target.strip()
        if not sep:
            msg = "expected 'target, factors' (a comma after the node name)"
            raise ModelError(msg, source=source, line=lineno, column=offset + 1, value=body)
        if target.lower() == "targets" and factors.strip().lower() == "factors":
            continue
        if not target.replace("_", "a").isalnum():
            msg = f"expected a node name (letters, digits, _), found {target!r}"
            raise ModelError(msg, source=source, line=lineno, column=offset + 1, value=target)
        if target in rules:
            msg = f"node {target!r} is defined twice"
            raise ModelError(msg, source=source, line=lineno, column=offset + 1, value=target)
        col = offset + len(body) - len(factors) + 1
        rules[target] = parse_expression(
            factors, logic=True, source=source, dialect="bnet", line=lineno, column=col
        )
        lines[target] = lineno
    for target, rule in rules.items():
        bad = [e for e in _walk_types(rule) if not isinstance(e, _BNET_OPS)]
        if bad:
            msg = f"rule of {target!r} uses {type(bad[0]).__name__}, which .bnet does not allow"
            raise ModelError(msg, source=source, line=lines.get(target), record=target)
    order = list(rules)
    for rule in list(rules.values()):
        for var in _vars_in_order(rule):
            if var not in rules:
                rules[var] = Var(var)
                order.append(var)
    rename = _strip_prefix(order, strip_v_prefix)
    mapping = {old: Var(new) for old, new in rename.items()}
    nodes = tuple(Node(name=rename[n], logic=substitute(rules[n], mapping)) for n in order)
    return Model(nodes=nodes, name=name, source=source)


def _walk_types(expr: Expr) -> list[Expr]:
    out = [expr]
    for child in expr.children():
        out.extend(_walk_types(child))
    return out


def _vars_in_order(expr: Expr) -> list[str]:
    """Node names in order of first appearance (left to right)."""
    seen: dict[str, None] = {}
    for e in _walk_types(expr):
        if isinstance(e, Var):
            seen.setdefault(e.name, None)
    return list(seen)


def read_bnet(path: str | os.PathLike[str], *, strip_v_prefix: bool | None = None) -> Model:
    """Read a ``.bnet`` file (see :func:`parse_bnet`); the model is named after the file stem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        msg = f"model file {str(p)!r} does not exist"
        raise ModelError(msg, source=str(p)) from exc
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        msg = f"model file {str(p)!r} is not UTF-8 text ({exc.reason})"
        raise ModelError(msg, source=str(p), line=line) from exc
    except OSError as exc:
        msg = f"cannot read model file {str(p)!r}: {exc.strerror}"
        raise ModelError(msg, source=str(p)) from exc
    return parse_bnet(text, source=str(p), name=p.stem, strip_v_prefix=strip_v_prefix)


def _to_bnet_expr(expr: Expr, node: str) -> Expr:
    """Rewrite ``expr`` with only ``& | !`` and constants (``a ^ b`` expands to ``a & !b | !a & b``)."""
    if isinstance(expr, Var | Const):
        return expr
    if isinstance(expr, Not):
        return Not(_to_bnet_expr(expr.operand, node))
    if isinstance(expr, And | Or):
        return type(expr)(tuple(_to_bnet_expr(op, node) for op in expr.operands))
    if isinstance(expr, Xor):
        acc = _to_bnet_expr(expr.operands[0], node)
        for op in expr.operands[1:]:
            b = _to_bnet_expr(op, node)
            acc = Or((And((acc, Not(b))), And((Not(acc), b))))
        return acc
    msg = f"logic of node {node!r} ({expr.format()}) cannot be written as .bnet: it is not purely Boolean"
    raise ModelError(msg, record=node)


def format_bnet(model: Model) -> str:
    """The ``.bnet`` text of ``model``'s logic (rates, initial states and settings are lost).

    A node without logic is written as ``NAME, NAME`` (an input that keeps its value).
    """
    for name in model.node_names:
        if not _BNET_NAME.fullmatch(name) or name.lower() in ("true", "false") or name.isdigit():
            msg = f"node name {name!r} cannot be written in .bnet (letters, digits and _ only)"
            raise ModelError(msg, source=model.source, record=name)
    lines = ["targets, factors"]
    for node in model.nodes:
        logic = node.logic if node.logic is not None else Var(node.name)
        lines.append(f"{node.name}, {_to_bnet_expr(logic, node.name).format()}")
    return "\n".join(lines) + "\n"


def write_bnet(model: Model, path: str | os.PathLike[str]) -> Path:
    """Write ``model`` as ``.bnet`` (see :func:`format_bnet`); returns the path."""
    p = Path(path)
    p.write_text(format_bnet(model), encoding="utf-8")
    return p
