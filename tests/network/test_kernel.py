"""The compiled kernel and the model compiler, below the simulate() API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from herscape.errors import SimulationError
from herscape.network import And, Cond, Model, Node, Not, Num, Param, SelfLogic, Var, simulate
from herscape.network._compile import MAX_NODE_INPUTS, compile_model
from herscape.network._kernel import group_size, seed_stream


def test_trajectory_streams_differ_and_repeat():
    a, b, c = (np.zeros(4, dtype=np.uint64) for _ in range(3))
    seed_stream(np.uint64(7), np.uint64(0), a)
    seed_stream(np.uint64(7), np.uint64(1), b)
    seed_stream(np.uint64(7), np.uint64(0), c)
    assert not np.array_equal(a, b)
    assert np.array_equal(a, c)


def test_rate_tables_follow_the_module_convention():
    # A: logic !B, rate_up = @logic ? $u : 0, default rate_down; variables (A, B)
    a = Node("A", logic=Not(Var("B")), rate_up=Cond(SelfLogic(), Param("u"), Num(0.0)))
    cm = compile_model(Model(nodes=(a, Node("B", logic=Var("B"))), parameters={"u": 3.0}))
    assert cm.var_idx[cm.var_ptr[0] : cm.var_ptr[1]].tolist() == [0, 1]
    # index = A + 2 B: A off & B off -> up 3; A on & B off -> down 0; A off & B on -> 0;
    # A on & B on -> down 1
    assert cm.tab[cm.tab_ptr[0] : cm.tab_ptr[1]].tolist() == [3.0, 0.0, 0.0, 1.0]
    # B is read by A (bit 1) and by itself (bit 0)
    deps = cm.dep_idx[cm.dep_ptr[1] : cm.dep_ptr[2]].tolist()
    bits = cm.dep_bit[cm.dep_ptr[1] : cm.dep_ptr[2]].tolist()
    assert list(zip(deps, bits, strict=True)) == [(0, 2), (1, 1)]


def test_group_size_grows_like_a_square_root():
    assert group_size(1) == 4
    assert group_size(400) == 20


def test_too_many_inputs_are_refused():
    inputs = [Var(f"X{i}") for i in range(MAX_NODE_INPUTS)]
    nodes = (Node("Y", logic=And(tuple(inputs))), *(Node(f"X{i}") for i in range(MAX_NODE_INPUTS)))
    with pytest.raises(SimulationError, match="reads 23 nodes"):
        compile_model(Model(nodes=nodes))


def test_segment_buffers_grow_by_rerunning_blocks():
    # a fast flip-flop makes far more state changes than the first buffer holds
    node = Node("A", logic=Not(Var("A")), rate_up=Num(20.0), rate_down=Num(20.0))
    m = Model(nodes=(node, Node("B", logic=Var("B"))), initial={"A": 0.0})
    r = simulate(m, sample_count=300, max_time=5.0, time_tick=0.5, seed=1, record_states=True)
    traj = r.state_trajectory()
    assert traj.sum(axis=1).to_numpy() == pytest.approx(np.ones(10))
    on = traj[[c for c in traj.columns if "A" in c.split(" -- ")]].sum(axis=1)
    pd.testing.assert_series_equal(on, r.nodes_trajectory["A"], check_names=False)
    again = simulate(m, sample_count=300, max_time=5.0, time_tick=0.5, seed=1)
    pd.testing.assert_frame_equal(r.nodes_trajectory, again.nodes_trajectory)
