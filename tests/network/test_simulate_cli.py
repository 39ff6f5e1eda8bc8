"""``herscape simulate``: formats, options, errors."""

from __future__ import annotations

import json

import pytest
from _shared_models import model_file

from herscape.cli import main
from herscape.cli._simulate import parse_mutation, parse_scale
from herscape.errors import UsageError
from herscape.network import Mutation, RateScale


def _metastasis() -> list[str]:
    bnd = model_file("metastasis_cohen2015", "metastasis.bnd")
    return [str(bnd), str(bnd.with_suffix(".cfg"))]


def test_json_has_the_documented_keys(capsys):
    code = main(["simulate", *_metastasis(), "--samples", "300", "--seed", "4", "--threads",
                 "2", "--max-time", "10", "--format", "json"])  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert {"last_node_probabilities", "last_state_probabilities", "trajectory",
            "fixed_points", "settings"} <= out.keys()  # fmt: skip
    assert set(out["last_node_probabilities"]) == {
        "Metastasis", "Migration", "Invasion", "Apoptosis", "CellCycleArrest"
    }  # fmt: skip
    assert sum(out["last_state_probabilities"].values()) == pytest.approx(1.0)
    assert len(out["trajectory"]["time"]) == 20
    assert out["settings"]["sample_count"] == 300
    assert out["settings"]["seed"] == 4


def test_same_seed_same_json_whatever_the_threads(capsys):
    args = ["simulate", *_metastasis(), "--samples", "2000", "--seed", "9", "--max-time", "5",
            "--format", "json"]  # fmt: skip
    main([*args, "--threads", "1"])
    one = json.loads(capsys.readouterr().out)
    main([*args, "--threads", "2"])
    two = json.loads(capsys.readouterr().out)
    one["settings"].pop("threads")
    two["settings"].pop("threads")
    assert one == two


def test_mutations_and_scales_reach_the_simulation(capsys):
    code = main(["simulate", *_metastasis(), "--samples", "200", "--max-time", "20",
                 "--mutate", "Migration=ON!", "--scale", "p53=2", "--format", "json"])  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["last_node_probabilities"]["Migration"] == pytest.approx(1.0)
    assert out["settings"]["mutations"] == ["Migration=ON!"]


def test_tsv_and_text_formats(capsys):
    assert main(["simulate", *_metastasis(), "--samples", "100", "--max-time", "2",
                 "--format", "tsv"]) == 0  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[0] == "time"
    assert len(lines) == 5
    assert main(["simulate", *_metastasis(), "--samples", "100", "--max-time", "2"]) == 0
    assert "node probabilities" in capsys.readouterr().out


def test_bnet_models_run():
    bnet = model_file("sahin2009_erbb_g1s", "bbm096_sahin2009.bnet")
    assert main(["simulate", str(bnet), "--samples", "100", "--max-time", "5",
                 "--format", "json"]) == 0  # fmt: skip


def test_bad_arguments_exit_with_code_2(capsys):
    assert main(["simulate"]) == 2
    assert "needs MODEL" in capsys.readouterr().err
    assert main(["simulate", *_metastasis(), "--mutate", "p53=maybe"]) == 2
    assert "--mutate takes NODE=ON" in capsys.readouterr().err
    assert main(["simulate", *_metastasis(), "--mutate", "nope=ON"]) == 2


def test_option_parsers():
    assert parse_mutation("A=ON") == Mutation("A", True)
    assert parse_mutation("A=off!") == Mutation("A", False, "instant")
    assert parse_scale("A=2:0.5") == RateScale("A", 2.0, 0.5)
    with pytest.raises(UsageError, match="--scale takes NODE=K"):
        parse_scale("A=-1")
