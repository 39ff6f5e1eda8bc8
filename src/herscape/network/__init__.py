"""How a tumour's signalling network behaves: logical models with MaBoSS semantics.

>>> from herscape.network import Model, Node, Var, Not, apply_mutations, Mutation
>>> m = Model(nodes=(Node("A", logic=Not(Var("B"))), Node("B", logic=Var("B"))))
>>> str(apply_mutations(m, [Mutation("B", True)]).node("B").logic)
'1'
"""

from herscape.network._bnet import format_bnet, parse_bnet, read_bnet, write_bnet
from herscape.network._expr import parse_expression
from herscape.network._fixpoints import fixpoints
from herscape.network._io import MODEL_EXTENSIONS, read_model, write_model
from herscape.network._maboss import format_bnd, format_cfg, parse_maboss, read_maboss, write_maboss
from herscape.network._model import (
    And,
    Arith,
    Compare,
    Cond,
    Const,
    EvalContext,
    Expr,
    JointInitialState,
    Model,
    Mutation,
    Neg,
    Node,
    Not,
    Num,
    Or,
    Param,
    RateScale,
    SelfLogic,
    Settings,
    Var,
    Xor,
    apply_mutations,
    check_model,
    evaluate_logic,
    evaluate_rate,
)
from herscape.network._simulate import SimulationResult, simulate

__all__ = [
    "And",
    "Arith",
    "Compare",
    "Cond",
    "Const",
    "EvalContext",
    "Expr",
    "JointInitialState",
    "MODEL_EXTENSIONS",
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
    "SimulationResult",
    "Var",
    "Xor",
    "apply_mutations",
    "check_model",
    "evaluate_logic",
    "evaluate_rate",
    "fixpoints",
    "format_bnd",
    "format_bnet",
    "format_cfg",
    "format_sbml",
    "parse_bnet",
    "parse_expression",
    "parse_maboss",
    "parse_sbml",
    "read_bnet",
    "read_maboss",
    "read_model",
    "read_sbml",
    "simulate",
    "write_bnet",
    "write_maboss",
    "write_model",
    "write_sbml",
]


_SBML = frozenset({"format_sbml", "parse_sbml", "read_sbml", "write_sbml"})


def __getattr__(name: str):
    # SBML support imports python-libsbml (~0.15 s); load it only when asked for.
    if name in _SBML:
        from herscape.network import _sbml

        return getattr(_sbml, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
