"""What is known: curated, cited records of resistance and how to get around it.

>>> from herscape.knowledge import load_kb
>>> kb = load_kb()                       # doctest: +SKIP
>>> kb.regimen("Erbitux+BRAFTOVI")       # doctest: +SKIP
Regimen(drugs=frozenset({'cetuximab', 'encorafenib'}))
>>> kb.drug_status("zalutumumab").is_discontinued, kb.release.version   # doctest: +SKIP
(True, '1.0.0')
"""

from herscape.knowledge._format import format_status
from herscape.knowledge._kb import KnowledgeBase, drug_key
from herscape.knowledge._load import RECORD_TYPES, data_dir, data_files, load_kb
from herscape.knowledge._match import Match, Matcher, SampleMatches, TherapySummary, match_profile
from herscape.knowledge._pattern import CLASSES, Pattern, parse_pattern
from herscape.knowledge._regimen import Regimen
from herscape.knowledge._schema import (
    Approval,
    Assertion,
    Drug,
    DrugStatus,
    Level,
    MarkerDef,
    Mechanism,
    Numbers,
    Release,
    SeedRef,
    Source,
    Strategy,
)

__all__ = [
    "CLASSES",
    "RECORD_TYPES",
    "Approval",
    "Assertion",
    "Drug",
    "DrugStatus",
    "KnowledgeBase",
    "Level",
    "MarkerDef",
    "Match",
    "Matcher",
    "Mechanism",
    "Numbers",
    "Pattern",
    "Regimen",
    "Release",
    "SampleMatches",
    "SeedRef",
    "Source",
    "Strategy",
    "TherapySummary",
    "data_dir",
    "data_files",
    "drug_key",
    "format_status",
    "load_kb",
    "match_profile",
    "parse_pattern",
]
