"""What to expect and what to do: verdict, mechanisms, ranked strategies.

>>> from herscape.predict import predict, profile_from_strings   # doctest: +SKIP
"""

from herscape.predict._predict import SCREENS, Engine, predict, simulate_profile
from herscape.predict._types import (
    SCHEMA_VERSION,
    Citation,
    EvidenceItem,
    MechanismHit,
    ModelSummary,
    Prediction,
    StrategyResult,
)

__all__ = [
    "SCHEMA_VERSION",
    "SCREENS",
    "Citation",
    "Engine",
    "EvidenceItem",
    "MechanismHit",
    "ModelSummary",
    "Prediction",
    "StrategyResult",
    "predict",
    "simulate_profile",

]
