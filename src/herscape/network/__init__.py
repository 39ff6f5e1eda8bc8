"""How a tumour's signalling network behaves: logical models with MaBoSS semantics.

>>> from herscape.network import Model, Node, Var, Not, apply_mutations, Mutation
>>> m = Model(nodes=(Node("A", logic=Not(Var("B"))), Node("B", logic=Var("B"))))
>>> str(apply_mutations(m, [Mutation("B", True)]).node("B").logic)
'1'
"""

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
    "evaluate_logic",
    "evaluate_rate",
    "simulate",
]
