"""`herscape simulate --tumor-type --therapy`: the ERBB model alone for one profile and regimen."""

from __future__ import annotations

import json

from herscape.cli import main


def test_profile_mode_json(capsys) -> None:
    rc = main(["simulate", "--tumor-type", "BRCA", "--therapy", "lapatinib", "--alteration",
               "HER2 amplified", "--alteration", "HRAS G12V", "--format", "json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "resistant"
    assert out["active_path"][-1] in ("Proliferation", "Survival")
    assert out["treated"]["growth_se"] <= 0.01 + 1e-9  # readouts' standard error


def test_mek_inhibitor_reverses_ras_resistance(capsys) -> None:
    rc = main(["simulate", "--tumor-type", "BRCA", "--therapy", "lapatinib+U0126", "--alteration",
               "ERBB2 amplification", "--alteration", "HRAS G12V", "--format", "json"])
    assert rc == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "sensitive"


def test_profile_mode_text(capsys) -> None:
    rc = main(["simulate", "--tumor-type", "COADREAD", "--therapy", "cetuximab",
               "--alteration", "KRAS G12D"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "sensitivity index" in text and "resistant" in text and "KRAS_mut" in text


def test_profile_mode_bad_inputs(capsys) -> None:
    assert main(["simulate", "--tumor-type", "COADREAD", "--therapy", "cetuximab",
                 "--alteration", "KRSS G12D"]) == 2
    assert "KRSS" in capsys.readouterr().err
    assert main(["simulate", "--tumor-type", "COADREAD", "--therapy", "nodrugatall"]) == 2
    assert "unknown drug" in capsys.readouterr().err


def test_profile_without_a_model_driver_is_flagged(capsys) -> None:
    """A HER2-low breast tumour without ER status has no driver in the model: simulate says that
    growth from drivers outside the model was assumed; with ER positive it is not needed."""
    rc = main(["simulate", "--tumor-type", "BRCA", "--therapy", "trastuzumab-deruxtecan",
               "--marker", "HER2_IHC=1+", "--format", "json"])
    assert rc == 0
    assert json.loads(capsys.readouterr().out)["unmodelled_driver"] is True
    rc = main(["simulate", "--tumor-type", "BRCA", "--therapy", "trastuzumab-deruxtecan",
               "--marker", "HER2_IHC=1+"])
    assert rc == 0
    assert "drivers outside the model" in " ".join(capsys.readouterr().out.split())
    rc = main(["simulate", "--tumor-type", "BRCA", "--therapy", "trastuzumab-deruxtecan",
               "--marker", "HER2_IHC=1+", "--marker", "ESR1=positive"])
    assert rc == 0
    assert "drivers outside the model" not in " ".join(capsys.readouterr().out.split())


def test_bad_marker_names_the_marker_field(capsys) -> None:
    for command in ("simulate", "predict"):
        assert main([command, "--tumor-type", "BRCA", "--therapy", "trastuzumab",
                     "--marker", "ESR1=maybe"]) == 2
        assert "(field 'marker')" in capsys.readouterr().err


def test_drug_actions_name_their_sources(capsys) -> None:
    """The JSON names, per drug, the nodes it acts through, why, and the seed lines behind it."""
    rc = main(["simulate", "--tumor-type", "BRCA", "--therapy", "tchp", "--alteration",
               "HER2 amplified", "--format", "json"])
    assert rc == 0
    (action,) = json.loads(capsys.readouterr().out)["drug_actions"]
    assert action["nodes"] == "Chemo_drug, TZB_drug, PTZ_drug"
    assert action["basis"].startswith("components")
    assert "seed 002:40" in action["sources"]
