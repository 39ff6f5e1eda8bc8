"""Presets against the trials they are calibrated on (issue 14 follow-up): each preset's
calibration cohort (its profile, first-line schedule, 1000 patients, seed 7) meets every target
(ORR, median PFS or 12-month PFS rate, from the knowledge records named in the preset file)
within the stated tolerance."""

from __future__ import annotations

from dataclasses import replace

import pytest

from herscape.evolve import preset, presets
from herscape.evolve._calibration import (
    calibration_cohort,
    calibration_figures,
    calibration_plan,
    check_targets,
)
from herscape.evolve._params import _spread
from herscape.predict import Engine

CALIBRATED = [p.id for p in presets() if p.calibration]


def test_every_preset_is_calibrated_on_knowledge_records():
    assert sorted(CALIBRATED) == ["breast_her2", "colorectal_anti_egfr", "colorectal_her2"]
    kb = Engine.default().kb
    known = set(kb.assertions)
    for pid in CALIBRATED:
        p = preset(pid)
        assert p.effect_distribution == "normal"
        for name, target in p.calibration["targets"].items():
            assert target["record"] in known, (pid, name)
            assert target["source"].strip() and float(target["tolerance"]) > 0


@pytest.mark.parametrize("preset_id", CALIBRATED)
def test_preset_cohort_meets_its_trial_targets(preset_id):
    p = preset(preset_id)
    checks = check_targets(p, calibration_figures(calibration_cohort(p)))
    assert checks
    for c in checks:
        assert c.ok, f"{preset_id} {c.name}: fitted {c.fitted}, target {c.target} +/- {c.tolerance}"


def test_no_drug_effect_progresses_at_the_first_scan_like_best_supportive_care():
    """Not fitted: with no drug-induced death (untreated net growth 0.01/day, Bozic 2013) the
    median PFS is the first 8-weekly scan, 1.84 months; CO.17's best-supportive-care arm had
    1.9 months (record A-T-co17-kras-wt-cetuximab)."""
    p = preset("colorectal_anti_egfr")
    untreated = replace(p, effect_median=-0.5, effect_p10=-0.6, effect_p90=-0.4)
    plan = replace(calibration_plan(p), preset=untreated)
    figs = calibration_figures(calibration_cohort(untreated, plan, patients=100))
    assert figs["orr"] == 0.0
    # everyone progresses at the first scan, so the step median (not the joined curve) is the
    # figure to set beside a trial median read on the same 8-weekly grid
    assert figs["median_pfs_scan_months"] == pytest.approx(1.9, abs=0.1)


def test_spread_must_be_symmetric_when_normal():
    with pytest.raises(ValueError, match="symmetric"):
        _spread({"distribution": "normal", "median": 0.0, "p10": -0.01, "p90": 0.03}, "x.yaml")
    with pytest.raises(ValueError, match="distribution"):
        _spread({"distribution": "gamma", "median": 0.03, "p10": 0.01, "p90": 0.07}, "x.yaml")
