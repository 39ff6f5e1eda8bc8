"""Read and write SBML-qual (SBML Level 3 ``qual`` package) Boolean models with python-libsbml.

>>> from herscape.network import Model, Node, Var, Not, format_sbml, parse_sbml
>>> m = Model(nodes=(Node("A", logic=Not(Var("B"))), Node("B", logic=Var("B"))))
>>> parse_sbml(format_sbml(m)).nodes == m.nodes
True

Reading
-------
Each ``qualitativeSpecies`` (``maxLevel`` must be 1) becomes a node named by its id; its
``initialLevel``, if set, its initial state. Each ``transition`` gives the logic of its outputs:
with ``defaultTerm`` level 0, the OR of the function terms of level 1; with default 1, the
negation of the OR of the terms of level 0. MathML may use ``and``, ``or``, ``xor``, ``not``,
``true``/``false`` and comparisons of a species with 0 or 1 (``A == 1`` is ``A``, ``A == 0``
is ``!A``, and so on). A species no transition sets is an input (``logic = NAME``).

Writing
-------
One transition per node whose logic is not itself (``defaultTerm`` 0, one term of level 1);
rates, parameters and settings have no SBML-qual counterpart and are not written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import libsbml

from herscape.errors import ModelError
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
    expr_nodes,
)

__all__ = ["format_sbml", "parse_sbml", "read_sbml", "write_sbml"]

_REL = {
    libsbml.AST_RELATIONAL_EQ: lambda a, b: a == b,
    libsbml.AST_RELATIONAL_NEQ: lambda a, b: a != b,
    libsbml.AST_RELATIONAL_LT: lambda a, b: a < b,
    libsbml.AST_RELATIONAL_LEQ: lambda a, b: a <= b,
    libsbml.AST_RELATIONAL_GT: lambda a, b: a > b,
    libsbml.AST_RELATIONAL_GEQ: lambda a, b: a >= b,
}
_SWAP = {
    libsbml.AST_RELATIONAL_EQ: libsbml.AST_RELATIONAL_EQ,
    libsbml.AST_RELATIONAL_NEQ: libsbml.AST_RELATIONAL_NEQ,
    libsbml.AST_RELATIONAL_LT: libsbml.AST_RELATIONAL_GT,
    libsbml.AST_RELATIONAL_LEQ: libsbml.AST_RELATIONAL_GEQ,
    libsbml.AST_RELATIONAL_GT: libsbml.AST_RELATIONAL_LT,
    libsbml.AST_RELATIONAL_GEQ: libsbml.AST_RELATIONAL_LEQ,
}
_NUMBER_TYPES = (libsbml.AST_INTEGER, libsbml.AST_REAL, libsbml.AST_REAL_E, libsbml.AST_RATIONAL)


class _Reader:
    """Turns libsbml math into :class:`Expr` trees, reporting problems against one file."""

    def __init__(self, species: set[str], source: str | None) -> None:
        self.species = species
        self.source = source
        #: Input id -> thresholdLevel of the transition being read (``<ci>`` may name one).
        self.thresholds: dict[str, int] = {}

    def fail(self, msg: str, element: libsbml.SBase | None = None) -> ModelError:
        line = element.getLine() if element is not None and element.getLine() else None
        col = element.getColumn() if element is not None and element.getColumn() else None
        return ModelError(msg, source=self.source, line=line, column=col)

    def _compare(self, ast: libsbml.ASTNode, where: str) -> Expr:
        if ast.getNumChildren() != 2:
            raise self.fail(f"{where}: a comparison needs two operands")
        a, b = ast.getChild(0), ast.getChild(1)
        op = ast.getType()
        if a.getType() != libsbml.AST_NAME or a.getName() in self.thresholds:
            a, b, op = b, a, _SWAP[op]
        if b.getType() == libsbml.AST_NAME and b.getName() in self.thresholds:
            k = float(self.thresholds[b.getName()])
        elif b.getType() in _NUMBER_TYPES:
            k = b.getValue()
        else:
            k = None
        if a.getType() != libsbml.AST_NAME or k is None:
            raise self.fail(
                f"{where}: only 'species <op> number' comparisons are supported, got {libsbml.formulaToL3String(ast)!r}"
            )
        name = a.getName()
        if name not in self.species:
            raise self.fail(f"{where}: {name!r} is not a qualitativeSpecies")
        t0, t1 = _REL[op](0, k), _REL[op](1, k)
        if t0 == t1:
            return Const(t1)
        return Var(name) if t1 else Not(Var(name))

    def expr(self, ast: libsbml.ASTNode | None, where: str) -> Expr:
        if ast is None:
            raise self.fail(f"{where}: function term without math")
        kind = ast.getType()
        kids = (
            [self.expr(ast.getChild(i), where) for i in range(ast.getNumChildren())]
            if kind not in _REL
            else []
        )
        if kind in _REL:
            return self._compare(ast, where)
        if kind == libsbml.AST_CONSTANT_TRUE:
            return Const(True)
        if kind == libsbml.AST_CONSTANT_FALSE:
            return Const(False)
        if kind == libsbml.AST_NAME and ast.getName() in self.species:
            return Var(ast.getName())
        if kind == libsbml.AST_LOGICAL_NOT and len(kids) == 1:
            return Not(kids[0])
        classes = {
            libsbml.AST_LOGICAL_AND: And,
            libsbml.AST_LOGICAL_OR: Or,
            libsbml.AST_LOGICAL_XOR: Xor,
        }
        if kind in classes and kids:
            return kids[0] if len(kids) == 1 else classes[kind](tuple(kids))
        raise self.fail(f"{where}: unsupported MathML {libsbml.formulaToL3String(ast)!r}")


def _check_document(doc: libsbml.SBMLDocument, source: str | None) -> libsbml.Model:
    errors = [doc.getError(i) for i in range(doc.getNumErrors())]
    fatal = [e for e in errors if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if fatal:
        e = fatal[0]
        raise ModelError(
            f"SBML error: {e.getMessage().strip()}",
            source=source,
            line=e.getLine() or None,
            column=e.getColumn() or None,
        )
    model = doc.getModel()
    if model is None:
        raise ModelError("SBML document has no <model>", source=source)
    if model.getPlugin("qual") is None:
        raise ModelError("SBML model does not use the qual package", source=source)
    return model


def _logic_of(tr: libsbml.Transition, reader: _Reader) -> Expr:
    where = f"transition {tr.getId()!r}"
    terms = tr.getListOfFunctionTerms()
    default = terms.getDefaultTerm()
    default_level = default.getResultLevel() if default is not None else 0
    if default_level not in (0, 1):
        raise reader.fail(f"{where}: default level {default_level} is not Boolean", tr)
    wanted = 1 - default_level
    parts = []
    for i in range(terms.size()):
        term = terms.get(i)
        level = term.getResultLevel()
        if level not in (0, 1):
            raise reader.fail(f"{where}: result level {level} is not Boolean", term)
        if level == wanted:
            parts.append(reader.expr(term.getMath(), where))
    body: Expr = Const(False) if not parts else parts[0] if len(parts) == 1 else Or(tuple(parts))
    return body if default_level == 0 else Not(body)


def parse_sbml(text: str, *, source: str | None = None, name: str = "") -> Model:
    """Build a :class:`Model` from SBML-qual text (see the module docstring).

    Raises
    ------
    ModelError
        On invalid XML/SBML, multi-valued species, or unsupported MathML.
    """
    doc = libsbml.readSBMLFromString(text)
    model = _check_document(doc, source)
    qual = model.getPlugin("qual")
    species = [qual.getQualitativeSpecies(i) for i in range(qual.getNumQualitativeSpecies())]
    ids = [s.getId() for s in species]
    reader = _Reader(set(ids), source)
    for s in species:
        if s.isSetMaxLevel() and s.getMaxLevel() > 1:
            raise reader.fail(
                f"species {s.getId()!r} has maxLevel {s.getMaxLevel()}; only Boolean models are supported",
                s,
            )
    logic: dict[str, Expr] = {}
    for i in range(qual.getNumTransitions()):
        tr = qual.getTransition(i)
        reader.thresholds = {
            inp.getId(): inp.getThresholdLevel()
            for inp in (tr.getInput(j) for j in range(tr.getNumInputs()))
            if inp.isSetId() and inp.isSetThresholdLevel()
        }
        rule = _logic_of(tr, reader)
        for j in range(tr.getNumOutputs()):
            target = tr.getOutput(j).getQualitativeSpecies()
            if target not in reader.species:
                raise reader.fail(
                    f"transition {tr.getId()!r} outputs unknown species {target!r}", tr
                )
            if target in logic:
                raise reader.fail(f"species {target!r} is the output of two transitions", tr)
            logic[target] = rule
    nodes = []
    initial: dict[str, float] = {}
    for s in species:
        sid = s.getId()
        description = s.getName() if s.isSetName() and s.getName() != sid else ""
        nodes.append(Node(name=sid, logic=logic.get(sid, Var(sid)), description=description))
        if s.isSetInitialLevel():
            initial[sid] = 1.0 if s.getInitialLevel() >= 1 else 0.0
    return Model(nodes=tuple(nodes), initial=initial, name=name or model.getId(), source=source)


def read_sbml(path: str | os.PathLike[str]) -> Model:
    """Read an SBML-qual file (see :func:`parse_sbml`); the model is named after the file stem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModelError(f"model file {str(p)!r} does not exist", source=str(p)) from exc
    return parse_sbml(text, source=str(p), name=p.stem)


def _math(expr: Expr, node: str) -> libsbml.ASTNode:
    if isinstance(expr, Var):
        ast = libsbml.ASTNode(libsbml.AST_RELATIONAL_EQ)
        ci = libsbml.ASTNode(libsbml.AST_NAME)
        ci.setName(expr.name)
        cn = libsbml.ASTNode(libsbml.AST_INTEGER)
        cn.setValue(1)
        ast.addChild(ci)
        ast.addChild(cn)
        return ast
    if isinstance(expr, Const):
        return libsbml.ASTNode(
            libsbml.AST_CONSTANT_TRUE if expr.value else libsbml.AST_CONSTANT_FALSE
        )
    kinds = {
        Not: libsbml.AST_LOGICAL_NOT,
        And: libsbml.AST_LOGICAL_AND,
        Or: libsbml.AST_LOGICAL_OR,
        Xor: libsbml.AST_LOGICAL_XOR,
    }
    if type(expr) in kinds:
        ast = libsbml.ASTNode(kinds[type(expr)])
        for child in expr.children():
            ast.addChild(_math(child, node))
        return ast
    raise ModelError(
        f"logic of node {node!r} ({expr.format()}) cannot be written as SBML-qual: it is not purely Boolean",
        record=node,
    )


def _sid(text: str) -> str:
    sid = re.sub(r"[^A-Za-z0-9_]", "_", text) or "model"
    return sid if not sid[0].isdigit() else "_" + sid


def format_sbml(model: Model) -> str:
    """The SBML-qual text of ``model``'s logic and 0/1 initial states."""
    ns = libsbml.SBMLNamespaces(3, 1, "qual", 1)
    doc = libsbml.SBMLDocument(ns)
    doc.setPackageRequired("qual", True)
    sm = doc.createModel()
    sm.setId(_sid(model.name or "model"))
    comp = sm.createCompartment()
    comp.setId("comp1")
    comp.setConstant(True)
    qual = sm.getPlugin("qual")
    for name in model.node_names:
        if not libsbml.SyntaxChecker.isValidSBMLSId(name):
            msg = f"node name {name!r} is not a valid SBML id (letters, digits and _, not starting with a digit)"
            raise ModelError(msg, source=model.source, record=name)
    for node in model.nodes:
        qs = qual.createQualitativeSpecies()
        qs.setId(node.name)
        qs.setCompartment("comp1")
        qs.setConstant(False)
        qs.setMaxLevel(1)
        if node.description:
            qs.setName(node.description)
        p = model.initial.get(node.name)
        if p in (0.0, 1.0):
            qs.setInitialLevel(int(p))
    order = {n: i for i, n in enumerate(model.node_names)}
    for node in model.nodes:
        if node.logic is None or node.logic == Var(node.name):
            continue
        tr = qual.createTransition()
        tr.setId(f"tr_{node.name}")
        for k, src in enumerate(sorted(expr_nodes(node.logic), key=order.__getitem__)):
            inp = tr.createInput()
            inp.setId(f"tr_{node.name}_in_{k}")
            inp.setQualitativeSpecies(src)
            inp.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE)
        out = tr.createOutput()
        out.setId(f"tr_{node.name}_out")
        out.setQualitativeSpecies(node.name)
        out.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        tr.createDefaultTerm().setResultLevel(0)
        term = tr.createFunctionTerm()
        term.setResultLevel(1)
        term.setMath(_math(node.logic, node.name))
    return libsbml.writeSBMLToString(doc)


def write_sbml(model: Model, path: str | os.PathLike[str]) -> Path:
    """Write ``model`` as SBML-qual (see :func:`format_sbml`); returns the path."""
    p = Path(path)
    p.write_text(format_sbml(model), encoding="utf-8")
    return p
