"""What happens over time: clones, therapy schedules, ctDNA and virtual cohorts.

>>> from herscape.evolve import bozic_eradication
>>> round(bozic_eradication(1e9, n12=1), 3)
0.263

A multi-type birth-death branching process with mutation at division, exact for small clones and
deterministic with Poisson-timed mutation for large ones (the hybrid scheme of Bozic et al. 2013,
eLife 2:e00747). See ``docs/evolve.md``.
"""

from herscape.evolve._scenario import Scenario, ScenarioRuns, bozic_scenario, run_scenarios
from herscape.evolve._theory import (
    bozic_eradication,
    monotherapy_eradication,
    preexistence_probability,
    shedding_mean,
    withdrawal_half_life,
)

__all__ = [
    "Scenario",
    "ScenarioRuns",
    "bozic_eradication",
    "bozic_scenario",
    "monotherapy_eradication",
    "preexistence_probability",
    "run_scenarios",
    "shedding_mean",
    "withdrawal_half_life",
]
