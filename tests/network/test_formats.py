"""Reading MaBoSS, .bnet and SBML-qual files (issue 4 §2): every shared model, and rejects."""

from __future__ import annotations

import pytest
from _shared_models import model_file, shared_files

from herscape.errors import ModelError
from herscape.network import (
    And,
    Cond,
    Const,
    Num,
    Param,
    SelfLogic,
    Var,
    parse_bnet,
    parse_maboss,
    parse_sbml,
    read_bnet,
    read_maboss,
    read_model,
    read_sbml,
)

# Node counts of the shared models (README table; exact counts from the files).
MABOSS_NODES = {
    "braf_beal2021/BRAF_Model.bnd": 37,
    "cellfate_calzone2010/cellfate.bnd": 31,
    "flobak2015/Flobak.bnd": 83,
    "fumia2013/Fumia2013.bnd": 98,
    "metastasis_cohen2015/metastasis.bnd": 32,
    "montagud2022/Montagud2022_Prostate_Cancer.bnd": 133,
    "sizek2019/sizek.bnd": 87,
    "zanudo2017/Zanudo.bnd": 73,
}


@pytest.mark.parametrize("rel", shared_files("*/*.bnd"))
def test_every_shared_maboss_model_loads(rel):
    path = model_file(rel)
    model = read_maboss(path)
    assert model.name == path.stem
    assert len(model.nodes) == MABOSS_NODES[rel]
    assert len(set(model.node_names)) == len(model.nodes)
    assert read_model(path) == model


def test_metastasis_details():
    m = read_maboss(model_file("metastasis_cohen2015", "metastasis.bnd"))
    node = m.node("Migration")
    assert node.rate_up == Cond(SelfLogic(), Param("u_Migration"), Num(0.0))
    assert m.parameters["u_Migration"] == 1.0
    assert m.initial["ECMicroenv"] == 0.5
    assert m.initial["Metastasis"] == 0.0
    assert m.settings.max_time == 100.0
    assert m.settings.time_tick == 0.5
    assert sum(n.internal for n in m.nodes) == 27


def test_cfg_true_false_and_physrandgen_are_read():
    m = read_maboss(model_file("fumia2013", "Fumia2013.bnd"))
    assert all(n.internal for n in m.nodes)  # X.is_internal = TRUE
    m = read_maboss(model_file("sizek2019", "sizek.bnd"))
    assert m.settings.use_physrandgen is True


def test_cellfate_nodes_without_logic_keep_their_rates():
    m = read_maboss(model_file("cellfate_calzone2010", "cellfate.bnd"))
    no_logic = [n for n in m.nodes if n.logic is None]
    assert no_logic, "cellfate has nodes defined by rates only"
    assert all(n.rate_up is not None for n in no_logic)


@pytest.mark.parametrize("rel", shared_files("*/*.bnet"))
def test_every_shared_bnet_loads(rel):
    model = read_bnet(model_file(rel))
    assert model.nodes
    assert not any(n.startswith("v_") for n in model.node_names)


def test_bnet_v_prefix_and_free_inputs(sahin_model):
    assert len(sahin_model.nodes) == 20
    assert sahin_model.node_names[-1] == "EGF"
    assert sahin_model.node("EGF").logic == Var("EGF")
    assert sahin_model.node("ERBB1_2").logic == And((Var("ERBB1"), Var("ERBB2")))
    kept = read_bnet(
        model_file("sahin2009_erbb_g1s", "bbm096_sahin2009.bnet"), strip_v_prefix=False
    )
    assert kept.node_names[0] == "v_AKT1"


def test_bnet_mixed_prefixes_are_kept():
    m = parse_bnet("v_A, B\nB, v_A\n")
    assert m.node_names == ("v_A", "B")
    with pytest.raises(ModelError, match="strip_v_prefix=True"):
        parse_bnet("v_A, B\nB, v_A\n", strip_v_prefix=True)


def test_bnet_constants_comments_and_digit_names():
    m = parse_bnet("# comment\ntargets, factors\n4EBP1, !mTOR | false # trailing\nmTOR, true\n")
    assert m.node("4EBP1").logic.format() == "!mTOR | 0"
    assert m.node("mTOR").logic == Const(True)


def test_zanudo_sbml_loads():
    m = read_sbml(model_file("zanudo2017", "BreastCancerModel_ZanudoEtAl2020.sbml"))
    assert len(m.nodes) == 100
    assert {"Neratinib", "Alpelisib"} <= set(m.inputs)
    assert m.node("IGF1R_T").logic.format() == "!IGF1R_T & IGF1R_T_2 | IGF1R_T"


def test_joint_istate_and_single_istate_forms():
    m = parse_maboss(
        "Node A { logic = B; } Node B { logic = A; } Node C { logic = C; }",
        "$p = 0.25;\n[A, B].istate = 0.5[0, 1], 0.5[1, 0];\n[C].istate = (1 - $p)[0], $p[1];\n",
    )
    (joint,) = m.joint_initial
    assert joint.nodes == ("A", "B")
    assert joint.states == ((0.5, (False, True)), (0.5, (True, False)))
    assert m.initial == {"C": 0.25}


def test_maboss_short_forms_comments_and_keywords():
    bnd = """
    # line comment
    /* block
       comment */
    A : B AND NOT C;
    B, A OR B
    Node C { logic = A && (B || C); rate_up = @logic ? 2 * $k : 0; description = "a \\"C\\" node"; max_rate = 5; }
    """
    m = parse_maboss(bnd, "$k = 1.5; // setting\nsample_count = 10;")
    assert m.node("A").logic.format() == "B & !C"
    assert m.node("B").logic.format() == "A | B"
    c = m.node("C")
    assert c.description == 'a "C" node'
    assert c.attributes == (("max_rate", Num(5.0)),)
    assert m.settings.sample_count == 10


REJECTS = [
    # (bnd, cfg, file, line, column, message)
    ("Node A { logic = B &; }\nNode B { logic = B; }", "", "m.bnd", 1, 21, "expected a node name"),
    ("Node A { logic = B; }", "", "m.bnd", 1, 18, "'B', which is not declared"),
    ("Node A { logic = A; }\nNode A { logic = A; }", "", "m.bnd", 2, 6, "declared twice"),
    ("Node A { logic = A; logic = !A; }", "", "m.bnd", 1, 21, "given twice"),
    ("Node A { logic = A }", "", "m.bnd", 1, 20, "expected ';'"),
    ("Node A { logic = A % 2; }", "", "m.bnd", 1, 20, "unexpected character '%'"),
    ("Node A { logic = f(A); }", "", "m.bnd", 1, 18, "function calls"),
    ("Node A { logic = A; rate_up = @foo; }", "", "m.bnd", 1, 32, "no attribute 'foo' for @foo"),
    ("Node A { rate_up = @logic ? 1 : 0; }", "", "m.bnd", 1, 6, "has no logic"),
    ("Node A { logic = A; }", "max_tme = 3;", "m.cfg", 1, 1, "unknown setting 'max_tme'"),
    ("Node A { logic = A; }", "B.istate = 1;", "m.cfg", 1, 1, "unknown node 'B'"),
    ("Node A { logic = A; }", "A.colour = 1;", "m.cfg", 1, 3, "unknown node attribute 'colour'"),
    ("Node A { logic = A; }", "A.istate = 0.3;", "m.cfg", 1, 12, "ambiguous"),
    ("Node A { logic = A; }", "[A].istate = 0.5[0], 0.5[2];", "m.cfg", 1, 26, "must be 0 or 1"),
    (
        "Node A { logic = A; }",
        "[A].istate = 1[0, 1];",
        "m.cfg",
        1,
        20,
        "2 states given for 1 nodes",
    ),
    ("Node A { logic = A; }", "$x = $y + 1;", "m.cfg", 1, 6, "used before it is set"),
    ("Node A { logic = A; }", "time_tick = 1", "m.cfg", 1, 14, "expected ';'"),
    ("Node A { logic = A; rate_up = $u; }", "", "m.cfg", None, None, "$u, which no .cfg file sets"),
]


@pytest.mark.parametrize(("bnd", "cfg", "where", "line", "column", "message"), REJECTS)
def test_maboss_rejects_with_position(bnd, cfg, where, line, column, message):
    with pytest.raises(ModelError) as info:
        parse_maboss(bnd, cfg, bnd_source="m.bnd", cfg_source="m.cfg")
    exc = info.value
    assert message in exc.message
    assert exc.source == where
    assert (exc.line, exc.column) == (line, column)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("A, B &\nB, A\n", 1, 7, "expected a node name"),
        ("A, B\nA, B\n", 2, 1, "defined twice"),
        ("A B\n", 1, 1, "a comma after the node name"),
        ("A, B ? 1 : 0\n", 1, 1, "which .bnet does not allow"),
        ("A-1, B\n", 1, 1, "expected a node name"),
    ],
)
def test_bnet_rejects_with_position(text, line, column, message):
    with pytest.raises(ModelError) as info:
        parse_bnet(text, source="m.bnet")
    assert message in info.value.message
    assert info.value.source == "m.bnet"
    if "does not allow" not in message:
        assert (info.value.line, info.value.column) == (line, column)


def test_sbml_rejects_garbage_and_multivalued():
    with pytest.raises(ModelError, match="SBML"):
        parse_sbml("<not sbml", source="m.sbml")
    text = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"
      xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" qual:required="true">
  <model id="m"><listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>
    <qual:listOfQualitativeSpecies>
      <qual:qualitativeSpecies qual:id="A" qual:compartment="c" qual:constant="false" qual:maxLevel="2"/>
    </qual:listOfQualitativeSpecies>
  </model>
</sbml>"""
    with pytest.raises(ModelError, match="maxLevel 2"):
        parse_sbml(text, source="m.sbml")


def test_read_model_rejects_unknown_extension(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("A, A\n")
    with pytest.raises(ModelError, match="extension must be one of"):
        read_model(path)
    with pytest.raises(ModelError, match="does not exist"):
        read_model(tmp_path / "missing.bnet")


def test_writers_reject_names_the_format_cannot_hold():
    from herscape.network import format_bnd, format_bnet, format_cfg, format_sbml

    digit_first = parse_bnet("4EBP1, mTOR\nmTOR, mTOR\n")
    assert format_bnet(digit_first).splitlines()[1] == "4EBP1, mTOR"
    for writer in (format_bnd, format_cfg, format_sbml):
        with pytest.raises(ModelError, match="'4EBP1'"):
            writer(digit_first)
    keyword = parse_bnet("v_AND, v_OR\nv_OR, v_AND\n")
    with pytest.raises(ModelError, match="not AND/OR/XOR/NOT/NODE"):
        format_bnd(keyword)


GINSIM_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"
      xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" qual:required="true">
  <model id="ginsim"><listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>
    <qual:listOfQualitativeSpecies>
      <qual:qualitativeSpecies qual:id="A" qual:compartment="c" qual:constant="false" qual:maxLevel="1" qual:initialLevel="1"/>
      <qual:qualitativeSpecies qual:id="B" qual:name="gene B" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>
    </qual:listOfQualitativeSpecies>
    <qual:listOfTransitions>
      <qual:transition qual:id="tr_A">
        <qual:listOfInputs>
          <qual:input qual:id="tr_A_in_B" qual:qualitativeSpecies="B" qual:thresholdLevel="1" qual:transitionEffect="none"/>
        </qual:listOfInputs>
        <qual:listOfOutputs>
          <qual:output qual:qualitativeSpecies="A" qual:transitionEffect="assignmentLevel"/>
        </qual:listOfOutputs>
        <qual:listOfFunctionTerms>
          <qual:defaultTerm qual:resultLevel="1"/>
          <qual:functionTerm qual:resultLevel="0">
            <math xmlns="http://www.w3.org/1998/Math/MathML">
              <apply><geq/><ci> B </ci><ci> tr_A_in_B </ci></apply>
            </math>
          </qual:functionTerm>
        </qual:listOfFunctionTerms>
      </qual:transition>
    </qual:listOfTransitions>
  </model>
</sbml>"""


def test_sbml_thresholds_default_one_and_names():
    m = parse_sbml(GINSIM_STYLE, source="g.sbml")
    assert m.node_names == ("A", "B")
    assert m.node("A").logic.format() == "!B"  # default 1, term "B >= threshold 1" gives 0
    assert m.node("B").logic == Var("B")
    assert m.node("B").description == "gene B"
    assert m.initial == {"A": 1.0}


def test_cfg_without_settings_gets_maboss_defaults():
    from herscape.network._maboss import MABOSS_DEFAULT_SETTINGS

    m = parse_maboss("Node A { logic = A; }", "A.istate = 1;")
    assert m.settings == MABOSS_DEFAULT_SETTINGS
    assert (m.settings.time_tick, m.settings.max_time, m.settings.sample_count) == (
        0.5,
        1000.0,
        10000,
    )


def test_maboss_aliases_are_inlined_and_empty_blocks_are_inputs():
    m = parse_maboss(
        "Node A { logic = !A; k = 2 * $u; rate_up = @logic ? @k : 0; rate_down = @k; }\nNode B { }",
        "$u = 3;",
    )
    a = m.node("A")
    assert a.rate_up.format() == "@logic ? 2 * $u : 0"
    assert a.rate_down.format() == "2 * $u"
    assert m.node("B").logic == Var("B")
    with pytest.raises(ModelError, match="refers to itself"):
        parse_maboss("Node A { logic = A; x = @y; y = @x; }")
