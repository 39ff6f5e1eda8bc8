"""Whether a biomarker pattern holds for a profile, in plain two-valued logic.

The knowledge matcher (:mod:`herscape.knowledge._match`) uses three-valued logic to tell
"wild type" from "not tested". Model perturbation rules need a plain yes/no (an input is set only
for what the tumour is known to have), so here an untested atom is simply false. Atoms are
tested with the matcher's own atom classes, so both agree on what "KRAS exon 2", "PTEN loss"
or "AREG=low" means.
"""

from __future__ import annotations

from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._match import _EXACT, make_atom
from herscape.knowledge._pattern import All, Any_, Anything, Class, Not, Pattern

__all__ = ["PatternEvaluator"]


class PatternEvaluator:
    """Evaluate patterns against profiles (two-valued; atoms compiled once and cached)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._atoms: dict[Pattern, object] = {}

    def _atom(self, p: Pattern):
        atom = self._atoms.get(p)
        if atom is None:
            atom = make_atom(p, self.kb)
            self._atoms[p] = atom
        return atom

    def holds(self, pattern: Pattern, profile) -> bool:
        """True when the profile's features satisfy ``pattern`` (an absent atom is false)."""
        if isinstance(pattern, Not):
            return not self.holds(pattern.operand, profile)
        if isinstance(pattern, All):
            return all(self.holds(p, profile) for p in pattern.operands)
        if isinstance(pattern, Any_):
            return any(self.holds(p, profile) for p in pattern.operands)
        if isinstance(pattern, Anything):
            return True
        if isinstance(pattern, Class) and pattern.name == "wild-type":
            return not self.holds(Class(pattern.gene, "mutation"), profile)
        atom = self._atom(pattern)
        return any(atom.test(f) == _EXACT for f in profile.features)
