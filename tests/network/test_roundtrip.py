"""Read -> write -> read gives the same model, in every format; cmaboss loads what we write."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util

import numpy as np
import pytest
from _shared_models import model_file, shared_files

from herscape.network import (
    Const,
    JointInitialState,
    Model,
    Mutation,
    Node,
    Not,
    Var,
    Xor,
    apply_mutations,
    fixpoints,
    format_bnd,
    format_bnet,
    format_cfg,
    format_sbml,
    parse_bnet,
    parse_maboss,
    parse_sbml,
    read_maboss,
    read_model,
    write_maboss,
    write_model,
)

HAS_CMABOSS = importlib.util.find_spec("cmaboss") is not None
needs_cmaboss = pytest.mark.skipif(
    not HAS_CMABOSS, reason="cmaboss (the MaBoSS reference) is not installed"
)


def _logic_only(model: Model) -> tuple:
    return tuple((n.name, n.logic if n.logic is not None else Var(n.name)) for n in model.nodes)


def _maboss_again(model: Model) -> Model:
    return parse_maboss(format_bnd(model), format_cfg(model), name=model.name)


def _same(a: Model, b: Model) -> bool:
    return (a.nodes, a.parameters, a.initial, a.joint_initial, a.settings) == (
        b.nodes,
        b.parameters,
        b.initial,
        b.joint_initial,
        b.settings,
    )


@pytest.mark.parametrize("rel", shared_files("*/*.bnd"))
def test_maboss_roundtrip_every_shared_model(rel):
    model = read_maboss(model_file(rel))
    again = _maboss_again(model)
    assert _same(model, again)
    assert format_bnd(again) == format_bnd(model)


@pytest.mark.parametrize("rel", shared_files("*/*.bnet"))
def test_bnet_roundtrip_every_shared_model(rel):
    model = read_model(model_file(rel))
    assert parse_bnet(format_bnet(model)).nodes == model.nodes


@pytest.mark.parametrize("rel", [*shared_files("*/*.bnet"), *shared_files("zanudo2017/*.sbml")])
def test_sbml_roundtrip_keeps_logic(rel):
    model = read_model(model_file(rel))
    again = parse_sbml(format_sbml(model))
    assert again.node_names == model.node_names
    assert _logic_only(again) == _logic_only(model)


@pytest.mark.parametrize("rel", shared_files("*/*.bnet"))
def test_bnet_through_maboss_keeps_logic_and_fixpoints(rel):
    model = read_model(model_file(rel))
    again = _maboss_again(model)
    assert _logic_only(again) == _logic_only(model)
    assert list(fixpoints(again, limit=50)) == list(fixpoints(model, limit=50))


def test_maboss_logic_through_bnet_and_sbml():
    model = read_maboss(model_file("metastasis_cohen2015", "metastasis.bnd"))
    via_bnet = parse_bnet(format_bnet(model))
    via_sbml = parse_sbml(format_sbml(model))
    assert _logic_only(via_bnet) == _logic_only(model)
    assert _logic_only(via_sbml) == _logic_only(model)


def test_hand_built_model_roundtrips_everything():
    model = Model(
        nodes=(
            Node("A", logic=Xor((Var("B"), Not(Var("C")))), description='say "hi"'),
            Node("B", logic=Const(True), internal=True, refstate=1),
            Node("C", logic=Var("C")),
        ),
        parameters={"k": 0.1, "big": 1e100},
        initial={"A": 0.3, "B": 1.0},
        joint_initial=(JointInitialState(("C",), ((0.25, (False,)), (0.75, (True,)))),),
        name="hand",
    )
    # a single-node "joint" state is read back as a per-node probability
    expected = dataclasses.replace(model, initial={"A": 0.3, "B": 1.0, "C": 0.75}, joint_initial=())
    again = _maboss_again(model)
    assert again.nodes == model.nodes
    assert again.parameters == model.parameters
    assert again.initial == pytest.approx(expected.initial)
    bnet = parse_bnet(format_bnet(model))
    assert all(
        list(fixpoints(bnet)) == list(fixpoints(m)) for m in (model, again)
    )  # Xor is expanded in .bnet, same function


def test_write_model_picks_format_from_extension(tmp_path):
    model = read_maboss(model_file("cellfate_calzone2010", "cellfate.bnd"))
    written = write_model(model, tmp_path / "cf.bnd")
    assert [p.name for p in written] == ["cf.bnd", "cf.cfg"]
    assert _same(read_model(tmp_path / "cf.bnd"), model)
    (bnet,) = write_model(model, tmp_path / "cf.bnet")
    assert _logic_only(read_model(bnet)) == _logic_only(model)
    (xml,) = write_model(model, tmp_path / "cf.xml")
    assert _logic_only(read_model(xml)) == _logic_only(model)


# -- cmaboss loads and runs what we write --------------------------------------------------------


def _cmaboss_module(n_nodes: int):
    for limit, name in ((64, "cmaboss"), (128, "cmaboss_128n"), (256, "cmaboss_256n")):
        if n_nodes <= limit:
            return importlib.import_module(name)
    raise AssertionError(n_nodes)


@needs_cmaboss
@pytest.mark.parametrize("rel", shared_files("*/*.bnd"))
def test_cmaboss_loads_written_maboss(rel, tmp_path):
    model = read_maboss(model_file(rel))
    bnd, cfg = write_maboss(model, tmp_path / "w.bnd")
    sim = _cmaboss_module(len(model.nodes)).MaBoSSSim(network=str(bnd), config=str(cfg))
    assert set(sim.network.keys()) == set(model.node_names)


@needs_cmaboss
@pytest.mark.parametrize("rel", shared_files("*/*.bnet"))
def test_cmaboss_loads_written_bnet_models(rel, tmp_path):
    model = read_model(model_file(rel))
    bnd, cfg = write_maboss(model, tmp_path / "w.bnd")
    sim = _cmaboss_module(len(model.nodes)).MaBoSSSim(network=str(bnd), config=str(cfg))
    assert len(sim.network.keys()) == len(model.nodes)


@needs_cmaboss
@pytest.mark.parametrize(
    "rel", ["cellfate_calzone2010/cellfate.bnd", "braf_beal2021/BRAF_Model.bnd"]
)
def test_cmaboss_gives_identical_results_on_written_files(rel, tmp_path):
    """Same seed, same istate forms: the written files must simulate bit-for-bit the same."""
    import cmaboss

    path = model_file(rel)
    model = read_maboss(path)
    fast = dict(use_physrandgen=False, sample_count=300, seed=7, thread_count=1, max_time=10.0)
    bnd, cfg = write_maboss(
        dataclasses.replace(model, settings=dataclasses.replace(model.settings, **fast)),
        tmp_path / "w.bnd",
    )
    original = cmaboss.MaBoSSSim(network=str(path), config=str(path.with_suffix(".cfg")))
    original.update_parameters(
        use_physrandgen=0, sample_count=300, seed_pseudorandom=7, thread_count=1, max_time=10
    )
    ours = cmaboss.MaBoSSSim(network=str(bnd), config=str(cfg))
    a = original.run().get_last_nodes_probtraj()
    b = ours.run().get_last_nodes_probtraj()
    assert a[2] == b[2]
    np.testing.assert_array_equal(a[0], b[0])


@needs_cmaboss
def test_cmaboss_logic_mutation_matches_ours(tmp_path):
    """cmaboss mutate(node, 'OFF') and our 'logic' Mutation write the same dynamics."""
    import cmaboss

    path = model_file("cellfate_calzone2010", "cellfate.bnd")
    model = read_maboss(path)
    fast = dict(use_physrandgen=False, sample_count=300, seed=3, thread_count=1, max_time=10.0)
    model = dataclasses.replace(model, settings=dataclasses.replace(model.settings, **fast))
    node = next(n.name for n in model.nodes if n.logic is not None and n.name != "TNF")
    bnd, cfg = write_maboss(apply_mutations(model, [Mutation(node, False)]), tmp_path / "mut.bnd")
    base_bnd, base_cfg = write_maboss(model, tmp_path / "base.bnd")
    theirs = cmaboss.MaBoSSSim(network=str(base_bnd), config=str(base_cfg))
    theirs.mutate(node, "OFF")
    ours = cmaboss.MaBoSSSim(network=str(bnd), config=str(cfg))
    a = theirs.run().get_last_nodes_probtraj()
    b = ours.run().get_last_nodes_probtraj()
    np.testing.assert_allclose(a[0], b[0], atol=0.15)
