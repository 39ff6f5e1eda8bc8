"""The ERBB model exported as MaBoSS and run in cmaboss gives the readouts herscape's engine gives."""

from __future__ import annotations

import dataclasses
import importlib
import math
from pathlib import Path

import pytest

from herscape.network import simulate
from herscape.network._curated import load_erbb_model
from herscape.network._maboss import write_maboss

SAMPLES = 4000
READOUTS = ("Proliferation", "Apoptosis", "ImmuneKill", "ERK", "AKT", "ADCC")
PROFILES = {
    "kras_mutant_crc_cetuximab": {"KRAS_mut": 1, "CTX_drug": 1},
    "her2_breast_trastuzumab": {"AREG": 0, "EREG": 0, "ERBB2_high": 1, "TZB_drug": 1},
    "braf_crc_vemurafenib": {"BRAF_V600E": 1, "BRAFi_drug": 1},
}


def _cmaboss(n_nodes: int):
    name = next(m for limit, m in ((64, "cmaboss"), (128, "cmaboss_128n"), (256, "cmaboss_256n"),
                                   (512, "cmaboss_512n")) if n_nodes <= limit)
    try:
        return importlib.import_module(name)
    except ImportError:
        pytest.skip(f"{name} is not installed (cmaboss is a test dependency)")


@pytest.mark.slow
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_exported_model_matches_cmaboss(profile: str, tmp_path: Path) -> None:
    erbb = load_erbb_model()
    model = dataclasses.replace(erbb.model, initial={**erbb.model.initial, **PROFILES[profile]})
    bnd, cfg = tmp_path / "erbb.bnd", tmp_path / "erbb.cfg"
    write_maboss(model, bnd, cfg)
    module = _cmaboss(len(model.nodes))
    sim = module.MaBoSSSim(network=str(bnd), config=str(cfg))
    sim.update_parameters(sample_count=SAMPLES, thread_count=1, use_physrandgen=0,
                          seed_pseudorandom=11)
    probs, _times, names, _errors = sim.run(only_last_state=False).get_nodes_probtraj()
    theirs = dict(zip(names, probs[-1], strict=True))  # last time window, as ours
    ours = simulate(model, sample_count=SAMPLES, seed=12, threads=1).last_node_probabilities
    for node in READOUTS:
        p = min(max(float(theirs.get(node, 0.0)), 0.0), 1.0)
        q = min(max(float(ours.get(node, 0.0)), 0.0), 1.0)
        se = math.sqrt((p * (1 - p) + q * (1 - q)) / SAMPLES) + 1e-3
        assert abs(p - q) <= 4 * se, f"{profile} {node}: cmaboss {p:.3f} vs herscape {q:.3f}"
