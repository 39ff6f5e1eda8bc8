"""The model representation: expressions, evaluation, printing, mutations (issue 4 §1)."""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herscape.errors import ModelError
from herscape.network import (
    And,
    Arith,
    Compare,
    Cond,
    Const,
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
    parse_expression,
)

A, B, C = Var("A"), Var("B"), Var("C")


def _model() -> Model:
    return Model(
        nodes=(
            Node("A", logic=And((B, Not(C))), rate_up=Cond(SelfLogic(), Param("u"), Num(0.0))),
            Node("B", logic=B),
            Node("C", logic=Or((A, B))),
        ),
        parameters={"u": 2.0},
        initial={"A": 0.25},
        joint_initial=(
            JointInitialState(("B", "C"), ((0.5, (True, False)), (0.5, (False, True)))),
        ),
        name="toy",
    )


def test_values_are_frozen_and_compare_by_value():
    m = _model()
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.name = "other"  # type: ignore[misc]
    assert And((A, B)) == And((A, B))
    assert hash(And((A, B))) == hash(And((A, B)))
    assert m == _model()


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (And((A, Not(Or((B, C))))), "A & !(B | C)"),
        (Or((And((A, B)), C)), "A & B | C"),
        (And((Or((A, B)), C)), "(A | B) & C"),
        (Or((A, Xor((B, C)))), "A | (B ^ C)"),
        (Xor((Or((A, B)), C)), "(A | B) ^ C"),
        (Cond(SelfLogic(), Param("u_A"), Num(0.0)), "@logic ? $u_A : 0"),
        (
            Cond(Param("p"), Num(1e100), Cond(SelfLogic(), Num(0.0), Num(1.0))),
            "$p ? 1e+100 : (@logic ? 0 : 1)",
        ),
        (Arith("*", Num(2.0), Arith("+", Param("x"), Num(0.5))), "2 * ($x + 0.5)"),
        (Arith("-", Num(1.0), Arith("-", Param("x"), Num(1.0))), "1 - ($x - 1)"),
        (Compare("<=", Var("A"), Num(3.0)), "A <= 3"),
        (Neg(Param("x")), "-$x"),
        (Const(True), "1"),
    ],
)
def test_canonical_text(expr, text):
    assert str(expr) == text
    assert parse_expression(text, logic=not isinstance(expr, Cond | Arith | Neg | Compare)) == expr


def test_evaluate_logic_truth_table():
    expr = Or((And((A, Not(B))), Xor((B, C))))
    for a, b, c in itertools.product([False, True], repeat=3):
        assert evaluate_logic(expr, {"A": a, "B": b, "C": c}) == ((a and not b) or (b != c))


def test_evaluate_rate_uses_logic_parameters_and_state():
    up = Cond(SelfLogic(), Arith("*", Param("u"), Num(3.0)), Num(0.0))
    assert evaluate_rate(up, {}, {"u": 2.0}, logic=True) == 6.0
    assert evaluate_rate(up, {}, {"u": 2.0}, logic=False) == 0.0
    with_node = Cond(Var("A"), Num(5.0), Num(1.0))
    assert evaluate_rate(with_node, {"A": True}, {}) == 5.0
    assert math.isinf(evaluate_rate(Arith("/", Num(1.0), Num(0.0)), {}, {}))


def test_evaluate_errors_name_the_missing_thing():
    with pytest.raises(ModelError, match=r"parameter \$u"):
        evaluate_rate(Param("u"), {}, {})
    with pytest.raises(ModelError, match="'A' has no state"):
        evaluate_logic(A, {})
    with pytest.raises(ModelError, match="@logic"):
        evaluate_rate(SelfLogic(), {}, {})


def test_nary_needs_two_operands():
    with pytest.raises(ValueError, match="at least 2"):
        And((A,))


def test_model_lookup_and_inputs():
    m = _model()
    assert m.node_names == ("A", "B", "C")
    assert m.index("C") == 2
    assert m.inputs == ("B",)
    with pytest.raises(ModelError, match="no node named 'Z'"):
        m.node("Z")
    assert Settings().max_time == 10.0


def test_mutation_logic_semantics_keeps_rates():
    m = apply_mutations(_model(), [Mutation("A", True)])
    assert m.node("A").logic == Const(True)
    assert m.node("A").rate_up == _model().node("A").rate_up
    assert m.initial == _model().initial


def test_mutation_instant_semantics_fixes_state_and_removes_transitions():
    m = apply_mutations(_model(), [Mutation("A", True, "instant"), Mutation("B", False, "instant")])
    a = m.node("A")
    assert (a.logic, a.rate_up, a.rate_down) == (Const(True), Num(0.0), Num(0.0))
    assert m.initial["A"] == 1.0
    (joint,) = m.joint_initial
    assert dict((s, p) for p, s in joint.states) == {(False, False): 0.5, (False, True): 0.5}


def test_instant_mutation_merges_joint_states():
    m = apply_mutations(_model(), [Mutation("C", False, "instant")])
    (joint,) = m.joint_initial
    assert dict((s, p) for p, s in joint.states) == {(True, False): 0.5, (False, False): 0.5}
    m = apply_mutations(_model(), [Mutation("C", False, "instant"), Mutation("B", True, "instant")])
    assert m.joint_initial[0].states == ((1.0, (True, False)),)


def test_rate_scale_multiplies_and_later_mutation_wins():
    m = apply_mutations(
        _model(), [Mutation("A", False), Mutation("A", True)], [RateScale("A", up=4.0, down=0.5)]
    )
    a = m.node("A")
    assert a.logic == Const(True)
    assert evaluate_rate(a.rate_up, {}, {"u": 2.0}, logic=True) == 8.0
    assert evaluate_rate(a.rate_down, {}, {}, logic=False) == 0.5


def test_apply_mutations_rejects_unknown_nodes_and_bad_values():
    with pytest.raises(ModelError, match="unknown node 'Z'"):
        apply_mutations(_model(), [Mutation("Z", True)])
    with pytest.raises(ValueError, match="semantics"):
        Mutation("A", True, "sticky")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="RateScale.up"):
        RateScale("A", up=-1.0)
    assert str(Mutation("EGFR", False, "instant")) == "EGFR=OFF!"


# -- printer/parser round trip on random expressions -------------------------------------------

_names = st.sampled_from(["A", "B", "C", "D"])
_logic = st.recursive(
    st.one_of(_names.map(Var), st.booleans().map(Const)),
    lambda kids: st.one_of(
        kids.map(Not),
        st.lists(kids, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(kids, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
        st.lists(kids, min_size=2, max_size=3).map(lambda xs: Xor(tuple(xs))),
    ),
    max_leaves=8,
)


def _flat(expr):
    """Flatten nested same-class n-ary nodes, as the parser does."""
    if isinstance(expr, And | Or | Xor):
        ops = []
        for op in expr.operands:
            op = _flat(op)
            ops.extend(op.operands if type(op) is type(expr) else (op,))
        return type(expr)(tuple(ops))
    if isinstance(expr, Not):
        return Not(_flat(expr.operand))
    return expr


@settings(max_examples=300, deadline=None)
@given(_logic)
def test_logic_print_then_parse_is_identity(expr):
    flat = _flat(expr)
    assert parse_expression(str(flat), logic=True) == flat


@settings(max_examples=100, deadline=None)
@given(_logic, st.fixed_dictionaries({n: st.booleans() for n in "ABCD"}))
def test_printed_logic_evaluates_the_same(expr, state):
    assert evaluate_logic(parse_expression(str(expr), logic=True), state) == evaluate_logic(
        expr, state
    )


_rate_leaves = st.one_of(
    _names.map(Var),
    st.sampled_from(["u", "d_X", "k1"]).map(Param),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(Num),
    st.just(SelfLogic()),
)


def _rate_compound(kids):
    ops2 = st.tuples(kids, kids)
    return st.one_of(
        kids.map(Not),
        kids.filter(lambda k: not isinstance(k, Num)).map(Neg),
        st.lists(kids, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(kids, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
        st.lists(kids, min_size=2, max_size=3).map(lambda xs: Xor(tuple(xs))),
        st.builds(lambda op, ab: Arith(op, *ab), st.sampled_from("+-*/"), ops2),
        st.builds(
            lambda op, ab: Compare(op, *ab),
            st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
            ops2,
        ),
        st.builds(Cond, kids, kids, kids),
    )


_rates = st.recursive(_rate_leaves, _rate_compound, max_leaves=10)


def _flat_rate(expr):
    """Normalise as the parser does: flatten same-class n-ary nodes."""
    if isinstance(expr, And | Or | Xor):
        ops = []
        for op in expr.operands:
            op = _flat_rate(op)
            ops.extend(op.operands if type(op) is type(expr) else (op,))
        return type(expr)(tuple(ops))
    if isinstance(expr, Not | Neg):
        return type(expr)(_flat_rate(expr.operand))
    if isinstance(expr, Arith | Compare):
        return type(expr)(expr.op, _flat_rate(expr.left), _flat_rate(expr.right))
    if isinstance(expr, Cond):
        return Cond(_flat_rate(expr.test), _flat_rate(expr.then), _flat_rate(expr.else_))
    return expr


@settings(max_examples=400, deadline=None)
@given(_rates)
def test_rate_print_then_parse_is_identity(expr):
    flat = _flat_rate(expr)
    assert parse_expression(str(flat), logic=False) == flat


def test_public_api_is_sorted_and_importable():
    import herscape.network as network

    assert network.__all__ == sorted(network.__all__)
    for name in network.__all__:
        assert getattr(network, name) is not None


def test_check_model_lists_every_problem():
    from herscape.network import check_model

    assert check_model(_model()) == []
    bad = Model(
        nodes=(Node("A", logic=Var("Z"), rate_up=Param("nope")), Node("A", logic=Var("A"))),
        initial={"A": 1.5, "Q": 0.0},
        joint_initial=(JointInitialState(("A", "W"), ((0.5, (True,)),)),),
    )
    problems = check_model(bad)
    for fragment in [
        "'A' is defined twice",
        "unknown node 'Z'",
        "undefined parameter $nope",
        "probability of 'A' is 1.5",
        "unknown node 'Q'",
        "unknown node 'W'",
        "a state of length 1",
    ]:
        assert any(fragment in p for p in problems), fragment


def test_transform_rewrites_top_down():
    from herscape.network._model import transform

    expr = Cond(And((A, B)), Arith("+", Param("u"), Num(1.0)), Neg(Var("C")))
    out = transform(expr, lambda e: Num(9.0) if e == Param("u") else None)
    assert str(out) == "A & B ? 9 + 1 : -C"
    assert transform(expr, lambda e: None) == expr
