"""Schedules as the simulator runs them: holidays, adaptive stop/restart, switch on ctDNA."""

from __future__ import annotations

import numpy as np

from herscape.evolve import CtdnaParams, build_plan, simulate_patient, with_allele_fractions
from herscape.profile import profile_from_strings


def _plan(schedule: str, ctdna: CtdnaParams | None = None, subclone: bool = False):
    alts = ["APC R1450*", "KRAS G12D"] if subclone else ["APC R1450*"]
    profile = profile_from_strings(alts, tumor_type="COADREAD")
    if subclone:
        profile = with_allele_fractions(profile, {"KRAS G12D": 0.05})
    return build_plan(profile, schedule=schedule, ctdna=ctdna)


def test_fixed_holidays_alternate():
    plan = _plan("cetuximab for 2 months; off 1 month; repeat")
    res = simulate_patient(plan, seed=1, burden=1e10, lesions=2, horizon=365)
    phases = res.phase
    changes = np.flatnonzero(np.diff(phases)) + 1
    assert len(changes) >= 6  # on/off about every 1-2 months for a year
    assert set(phases.tolist()) == {0, 1}
    on_days = res.days[changes[0]]
    assert 56 <= on_days <= 70


def test_adaptive_stops_and_restarts_on_burden():
    plan = _plan("cetuximab until burden below 50%; off until burden above 100%; repeat")
    res = simulate_patient(plan, seed=2, burden=1e10, lesions=1, horizon=730)
    switches = np.flatnonzero(np.diff(res.phase))
    assert len(switches) >= 3
    total = res.cells.sum(axis=1)
    # treatment stops only once the burden has halved
    first_off = switches[0] + 1
    assert total[first_off] <= 0.55 * total[0]


def test_switch_on_ctdna_detection():
    """A sensitive assay sees the growing KRAS subclone and the schedule switches drugs."""
    assay = CtdnaParams(shed_per_death=1e-2, detection_limit_vaf=1e-3, min_mutant_molecules=2)
    plan = _plan("cetuximab until ctdna detected; panitumumab + encorafenib", assay, True)
    res = simulate_patient(plan, seed=3, burden=1e10, lesions=1, horizon=365)
    assert res.ctdna_detection_day is not None
    assert (res.phase == 1).any()
    switch_day = res.days[np.argmax(res.phase == 1)]
    assert switch_day >= res.ctdna_detection_day


def test_conditions_met_at_once_do_not_hang():
    plan = _plan("cetuximab until burden below 200%; off until burden above 1%; repeat")
    res = simulate_patient(plan, seed=4, burden=1e9, lesions=1, horizon=60)
    assert res.end_day >= 59
