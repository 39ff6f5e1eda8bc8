"""What happens over time: clones, therapy schedules, ctDNA and virtual cohorts.

>>> from herscape.evolve import bozic_eradication, parse_schedule
>>> round(bozic_eradication(1e9, n12=1), 3)
0.263
>>> str(parse_schedule("cetuximab until progression; off 4 months; cetuximab"))
'cetuximab until progression; off for 4 months; cetuximab'

A multi-type birth-death branching process with mutation at division, exact for small clones and
deterministic with Poisson-timed mutation for large ones (the hybrid scheme of Bozic et al. 2013,
eLife 2:e00747), whose clones come from the profile and from the knowledge's resistance targets,
and whose rates come from the ERBB model's sensitivity index (``data/mapping.yaml``). See
``docs/evolve.md``.

>>> from herscape.profile import profile_from_strings                     # doctest: +SKIP
>>> plan = build_plan(profile_from_strings(["KRAS wild-type"], tumor_type="COADREAD"),
...                   schedule="cetuximab until progression")             # doctest: +SKIP
>>> simulate_patient(plan, seed=1).best_response                         # doctest: +SKIP
"""

from herscape.evolve._ctdna import plasma_genomes, sample_draws
from herscape.evolve._output import SCHEMA_VERSION, evolve_schema, run_to_dict
from herscape.evolve._params import CtdnaParams, Mapping, Preset, load_mapping, preset, presets
from herscape.evolve._plan import CloneType, EvolvePlan, build_plan
from herscape.evolve._plot import patient_svg
from herscape.evolve._profile import with_allele_fractions
from herscape.evolve._scenario import Scenario, ScenarioRuns, bozic_scenario, run_scenarios
from herscape.evolve._schedule import Phase, Schedule, parse_schedule, read_schedule
from herscape.evolve._simulate import CohortResult, PatientResult, simulate_cohort, simulate_patient
from herscape.evolve._targets import Target, resistance_targets
from herscape.evolve._theory import (
    bozic_eradication,
    monotherapy_eradication,
    preexistence_probability,
    shedding_mean,
    withdrawal_half_life,
)

__all__ = [
    "SCHEMA_VERSION",
    "CloneType",
    "CohortResult",
    "CtdnaParams",
    "EvolvePlan",
    "Mapping",
    "PatientResult",
    "Phase",
    "Preset",
    "Scenario",
    "ScenarioRuns",
    "Schedule",
    "Target",
    "bozic_eradication",
    "bozic_scenario",
    "build_plan",
    "evolve_schema",
    "load_mapping",
    "monotherapy_eradication",
    "parse_schedule",
    "patient_svg",
    "plasma_genomes",
    "preexistence_probability",
    "preset",
    "presets",
    "read_schedule",
    "resistance_targets",
    "run_scenarios",
    "run_to_dict",
    "sample_draws",
    "shedding_mean",
    "simulate_cohort",
    "simulate_patient",
    "with_allele_fractions",
    "withdrawal_half_life",
]
