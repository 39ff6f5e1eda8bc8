"""simulate(): analytic cases, reproducibility, thread invariance, outputs, errors."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from herscape.errors import ModelError, SimulationError
from herscape.network import (
    Arith,
    Cond,
    Const,
    JointInitialState,
    Model,
    Mutation,
    Node,
    Not,
    Num,
    Param,
    RateScale,
    SelfLogic,
    Var,
    simulate,
)


def _flip_flop(up: float = 2.0, down: float = 0.5) -> Model:
    """One node A with logic !A: OFF turns ON at ``up``, ON turns OFF at ``down``."""
    node = Node(
        "A",
        logic=Not(Var("A")),
        rate_up=Cond(SelfLogic(), Param("u"), Num(0.0)),
        rate_down=Cond(SelfLogic(), Num(0.0), Param("d")),
    )
    return Model(nodes=(node,), parameters={"u": up, "d": down}, initial={"A": 0.0})


def _window_mean_on(up: float, down: float, start: float, tick: float) -> float:
    """Exact mean of P(A ON) over [start, start + tick) for the flip-flop started OFF."""
    s = up + down
    integral = tick - (math.exp(-s * start) - math.exp(-s * (start + tick))) / s
    return up / s * integral / tick


def test_flip_flop_matches_the_master_equation():
    n = 40_000
    # a partial last window (3.1 is not a multiple of 0.25) is dropped, as MaBoSS does
    r = simulate(_flip_flop(), sample_count=n, max_time=3.1, time_tick=0.25, seed=5)
    assert list(r.nodes_trajectory.index) == pytest.approx([0.25 * k for k in range(12)])
    for t, p in r.nodes_trajectory["A"].items():
        exact = _window_mean_on(2.0, 0.5, t, 0.25)
        assert abs(p - exact) <= 4 * math.sqrt(exact * (1 - exact) / n) + 1e-9
    assert r.last_node_probabilities["A"] == r.nodes_trajectory["A"].iloc[-1]
    assert r.fixed_points.empty


def test_same_seed_same_result_other_seed_other_result():
    m = _flip_flop()
    a = simulate(m, sample_count=3000, max_time=2, time_tick=0.5, seed=1)
    b = simulate(m, sample_count=3000, max_time=2, time_tick=0.5, seed=1)
    c = simulate(m, sample_count=3000, max_time=2, time_tick=0.5, seed=2)
    pd.testing.assert_frame_equal(a.nodes_trajectory, b.nodes_trajectory)
    assert not a.nodes_trajectory.equals(c.nodes_trajectory)


def _cascade() -> Model:
    """A small cascade with an internal node, a fixed-point structure and an OR rule."""
    return Model(
        nodes=(
            Node("In", logic=Var("In")),
            Node("X", logic=Var("In"), internal=True),
            Node("Y", logic=Var("X")),
            Node("Z", logic=Not(Var("Y"))),
        ),
        initial={"In": 0.5, "X": 0.0, "Y": 0.0, "Z": 0.0},
    )


@pytest.mark.parametrize("final_only", [False, True])
def test_results_do_not_depend_on_thread_count(final_only):
    m = _cascade()
    runs = [
        simulate(m, sample_count=5000, max_time=4, time_tick=0.5, seed=9, threads=t,
                 final_only=final_only)
        for t in (1, 2, 3)
    ]  # fmt: skip
    for other in runs[1:]:
        pd.testing.assert_frame_equal(runs[0].nodes_trajectory, other.nodes_trajectory)
        pd.testing.assert_series_equal(
            runs[0].last_state_probabilities, other.last_state_probabilities
        )
        pd.testing.assert_frame_equal(runs[0].fixed_points, other.fixed_points)


def test_internal_nodes_are_simulated_but_not_reported():
    r = simulate(_cascade(), sample_count=2000, max_time=4, time_tick=0.5, seed=2)
    assert list(r.nodes_trajectory.columns) == ["In", "Y", "Z"]
    assert "X" not in " ".join(r.last_state_probabilities.index)
    assert "X" in r.fixed_points.columns


def test_state_probabilities_are_consistent_with_node_probabilities():
    r = simulate(
        _cascade(), sample_count=4000, max_time=6, time_tick=0.5, seed=3, record_states=True
    )
    states = r.last_state_probabilities
    assert states.sum() == pytest.approx(1.0)
    for node in ("In", "Y", "Z"):
        mass = sum(p for label, p in states.items() if node in label.split(" -- "))
        assert mass == pytest.approx(r.last_node_probabilities[node])
    traj = r.state_trajectory()
    assert traj.sum(axis=1).to_numpy() == pytest.approx(np.ones(len(traj)))
    assert traj.iloc[-1][states.index].to_numpy() == pytest.approx(states.to_numpy())


def test_fixed_points_are_reported_with_probabilities():
    # A = A (input, half start ON), B follows A: fixed points A=B=0 and A=B=1.
    m = Model(nodes=(Node("A", logic=Var("A")), Node("B", logic=Var("A"))), initial={"B": 0.0})
    r = simulate(m, sample_count=4000, max_time=30, time_tick=1, seed=4)
    fp = r.fixed_points.set_index("state")
    assert set(fp.index) == {"<nil>", "A -- B"}
    assert fp["probability"].sum() == pytest.approx(1.0)
    assert abs(fp.loc["A -- B", "probability"] - 0.5) < 4 * math.sqrt(0.25 / 4000)
    assert fp.loc["A -- B", "B"] == 1


def test_final_only_gives_the_distribution_at_max_time():
    n = 20_000
    r = simulate(_flip_flop(), sample_count=n, max_time=1.0, time_tick=0.5, seed=6,
                 final_only=True)  # fmt: skip
    exact = 2.0 / 2.5 * (1 - math.exp(-2.5))
    assert abs(r.last_node_probabilities["A"] - exact) < 4 * math.sqrt(exact * (1 - exact) / n)
    assert r.nodes_trajectory.empty
    assert r.last_state_probabilities.sum() == pytest.approx(1.0)
    with pytest.raises(SimulationError, match="record_states=True"):
        r.state_trajectory()


def test_more_than_64_nodes_use_several_words():
    nodes = tuple(Node(f"N{i}", logic=Const(True)) for i in range(130))
    m = Model(nodes=nodes, initial={f"N{i}": 0.0 for i in range(130)})
    r = simulate(m, sample_count=2000, max_time=1.0, time_tick=1.0, seed=7, final_only=True)
    exact = 1 - math.exp(-1.0)
    p = r.last_node_probabilities.to_numpy()
    assert np.abs(p - exact).max() < 5 * math.sqrt(exact * (1 - exact) / 2000)


def test_joint_initial_states_are_drawn_jointly():
    m = Model(
        nodes=(Node("A", logic=Var("A")), Node("B", logic=Var("B"))),
        joint_initial=(
            JointInitialState(("A", "B"), ((1.0, (True, False)), (3.0, (False, True)))),
        ),
    )
    r = simulate(m, sample_count=4000, max_time=1, time_tick=1, seed=8, final_only=True)
    assert set(r.last_state_probabilities.index) == {"A", "B"}
    assert abs(r.last_state_probabilities["B"] - 0.75) < 4 * math.sqrt(0.75 * 0.25 / 4000)


def test_rates_may_read_node_states():
    # A turns ON at rate 3 while B is ON, never otherwise; B stays ON.
    m = Model(
        nodes=(
            Node("A", logic=Const(True), rate_up=Cond(Var("B"), Num(3.0), Num(0.0))),
            Node("B", logic=Var("B")),
        ),
        initial={"A": 0.0, "B": 1.0},
    )
    n = 10_000
    r = simulate(m, sample_count=n, max_time=0.5, time_tick=0.5, seed=1, final_only=True)
    exact = 1 - math.exp(-1.5)
    assert abs(r.last_node_probabilities["A"] - exact) < 4 * math.sqrt(exact * (1 - exact) / n)


def test_logic_and_instant_mutations_differ_in_their_transient():
    m = Model(nodes=(Node("A", logic=Const(False)), Node("B", logic=Var("A"))),
              initial={"A": 0.0, "B": 0.0})  # fmt: skip
    logic = simulate(m, mutations=[Mutation("A", True)], sample_count=4000, max_time=2,
                     time_tick=0.5, seed=1)  # fmt: skip
    instant = simulate(m, mutations=[Mutation("A", True, "instant")], sample_count=4000,
                       max_time=2, time_tick=0.5, seed=1)  # fmt: skip
    assert instant.nodes_trajectory["A"].to_numpy() == pytest.approx(1.0)
    assert logic.nodes_trajectory["A"].iloc[0] < 0.5
    assert logic.settings["mutations"] == ["A=ON"]


def test_scales_multiply_rates():
    m = _flip_flop(up=1.0, down=0.0)
    n = 10_000
    r = simulate(m, scales=[RateScale("A", up=3.0)], sample_count=n, max_time=0.5,
                 time_tick=0.5, seed=2, final_only=True)  # fmt: skip
    exact = 1 - math.exp(-1.5)
    assert abs(r.last_node_probabilities["A"] - exact) < 4 * math.sqrt(exact * (1 - exact) / n)


def test_bad_inputs_raise_with_context():
    m = _flip_flop()
    with pytest.raises(SimulationError, match="sample_count must be a positive integer"):
        simulate(m, sample_count=0)
    with pytest.raises(SimulationError, match="time_tick"):
        simulate(m, time_tick=-1.0)
    with pytest.raises(ModelError, match="unknown node 'Q'"):
        simulate(m, mutations=[Mutation("Q", True)])
    neg = Model(nodes=(Node("A", logic=Var("A"), rate_up=Arith("-", Num(0.0), Num(1.0))),))
    with pytest.raises(SimulationError, match="rates must be finite and >= 0"):
        simulate(neg, sample_count=10)
    undefined = Model(nodes=(Node("A", logic=Var("A"), rate_up=Param("nope")),))
    with pytest.raises(SimulationError, match=r"parameter \$nope"):
        simulate(undefined, sample_count=10)


def test_model_settings_are_the_defaults():
    from dataclasses import replace

    from herscape.network import Settings

    m = replace(
        _flip_flop(), settings=Settings(max_time=2.0, time_tick=0.5, sample_count=100, seed=3)
    )
    r = simulate(m)
    assert r.settings["sample_count"] == 100
    assert r.settings["seed"] == 3
    assert len(r.nodes_trajectory) == 4


def test_reused_rate_tables_follow_parameters_and_nodes():
    """Runs that differ only in initial states reuse the rate tables; a change of parameter or
    of node rules builds new ones, so results never come from a stale table."""
    from herscape.network._compile import compile_model

    m = Model(nodes=(Node("A", logic=Var("B"), rate_up=Param("$k")), Node("B", logic=Var("B"))),
              parameters={"$k": 1.0}, initial={"A": 0.0, "B": 1.0})
    first = compile_model(m)
    again = compile_model(replace(m, initial={"A": 1.0, "B": 1.0}))
    assert again.tab is first.tab
    faster = compile_model(replace(m, parameters={"$k": 3.0}))
    assert faster.tab is not first.tab and faster.tab.max() == 3.0
    rewired = compile_model(replace(m, nodes=(Node("A", logic=Not(Var("B"))), m.nodes[1])))
    assert not np.array_equal(rewired.tab, first.tab)
