"""Required tests: what must be known before a verdict for a therapy class in a tumour type.

Records live in ``data/required_tests/*.yaml`` (one list of mappings per file) and are checked
against the knowledge base when loaded: every source must be a known source, every drug family
must name at least one catalogue drug, every tumour type must be an OncoTree code.

A record::

    - id: anti-egfr-crc-ras
      tumor_type: COADREAD
      drug_classes: [monoclonal_antibody, antibody_mixture]   # drug classes ...
      target: EGFR                                             # ... hitting this target
      need: required                                           # or recommended
      test: KRAS and NRAS exons 2, 3 and 4
      action: test RAS (KRAS and NRAS exons 2-4) before deciding
      checks:                       # every line must be met; "|" separates alternatives
        - mutation KRAS exons 2,3,4
        - mutation NRAS exons 2,3,4
      answered_by: KRAS exons 2,3,4 | NRAS exons 2,3,4   # a RAS mutation found settles it
      sources: [ref:allegra2016]

A check alternative is ``SCOPE TARGET`` (the profile assessed that scope for that gene or
marker), optionally narrowed to ``exons N,M`` or ``codons N,M``: met when the whole gene was
assessed, or every named exon (``("mutation", "KRAS exon 2")``) or codon
(``("mutation", "KRAS codon 12")``) was, or a mutation was found there (a finding is an answer).
``has PATTERN`` is met when the profile has what the biomarker pattern states (an ERBB2
amplification answers "HER2 status").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, field_validator

from herscape._config import seeds_dir
from herscape.errors import KnowledgeBaseError
from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._pattern import parse_pattern
from herscape.knowledge._schema import DrugClass, SeedRef, SourceId, _Record
from herscape.knowledge._seedcheck import quote_found
from herscape.knowledge._yaml import validated_records
from herscape.profile._features import Mutation, Profile
from herscape.profile._genemodel import exon_of

__all__ = ["MissingTest", "RequiredTest", "load_required_tests", "missing_tests", "required_tests"]

_SCOPES = ("mutation", "copy_number", "fusion", "expression", "splice", "methylation", "marker")
_ALT = re.compile(r"^(?P<scope>[a-z_]+)\s+(?P<target>[A-Za-z0-9_.\-]+)"
                  r"(?:\s+(?P<unit>exons?|codons?)\s+(?P<nums>\d+(?:\s*,\s*\d+)*))?$")


@dataclass(frozen=True, slots=True)
class _Alternative:
    scope: str
    target: str
    unit: str | None = None  # exon | codon
    numbers: tuple[int, ...] = ()
    pattern: str | None = None  # "has PATTERN"


def _parse_check(text: str) -> tuple[_Alternative, ...]:
    """One check line into its alternatives. Raises ``ValueError`` naming the bad part."""
    out = []
    for part in (p.strip() for p in text.split("|")):
        if part.startswith("has "):
            parse_pattern(part[4:])  # raises ValueError on a bad pattern
            out.append(_Alternative("pattern", "", pattern=part[4:].strip()))
            continue
        m = _ALT.match(part)
        if m is None or m["scope"] not in _SCOPES:
            msg = (f"check {part!r}: expected 'SCOPE TARGET [exons|codons N,...]' with SCOPE one of "
                   f"{', '.join(_SCOPES)}, or 'has PATTERN'")
            raise ValueError(msg)
        nums = tuple(int(n) for n in m["nums"].split(",")) if m["nums"] else ()
        unit = m["unit"].rstrip("s") if m["unit"] else None
        out.append(_Alternative(m["scope"], m["target"], unit, nums))
    return tuple(out)


class RequiredTest(_Record):
    """What must (``required``) or should (``recommended``) be known before a verdict."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    tumor_type: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$",
                            description="OncoTree code; applies to it and the types below it")
    drug_classes: list[DrugClass] = Field(min_length=1)
    target: str = Field(description="HGNC symbol the drug must target (EGFR, ERBB2, KRAS)")
    drugs: list[str] = Field(default_factory=list,
                             description="only these drugs of the family (default: all of it)")
    except_drugs: list[str] = Field(default_factory=list,
                                    description="drugs of the family selected on another marker")
    need: str = Field(pattern=r"^(required|recommended)$")
    test: str = Field(min_length=3, description="the test, as a report names it")
    action: str = Field(min_length=5, description="what to do, shown first when it is missing")
    checks: list[str] = Field(min_length=1, description="each must be met; '|' = alternatives")
    answered_by: str | None = Field(default=None, description="a biomarker pattern that, when the "
                                    "profile has it, answers the whole test (a KRAS mutation "
                                    "settles RAS status: NRAS need not be tested)")
    why: str = Field(min_length=10, description="why the test is needed, from the source")
    sources: list[SourceId] = Field(min_length=1)
    where: list[SeedRef] = Field(default_factory=list)

    @field_validator("answered_by")
    @classmethod
    def _pattern_parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse_pattern(value)
        return value

    @field_validator("checks")
    @classmethod
    def _checks_parse(cls, value: list[str]) -> list[str]:
        for text in value:
            _parse_check(text)
        return value

    def applies_to(self, drug, lineage: tuple[str, ...]) -> bool:
        """Whether the record covers ``drug`` (a catalogue Drug) in a tumour of ``lineage``."""
        if self.tumor_type not in lineage:
            return False
        if self.drugs:
            return drug.id in self.drugs
        if drug.id in self.except_drugs:
            return False
        return str(drug.drug_class) in {str(c) for c in self.drug_classes} and self.target in drug.targets


@dataclass(frozen=True, slots=True)
class MissingTest:
    """A required or recommended test the profile does not answer."""

    id: str
    test: str
    need: str  # required | recommended
    action: str
    why: str
    missing: tuple[str, ...]  # the check lines not met
    sources: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "test": self.test, "need": self.need, "action": self.action,
                "why": self.why, "missing": list(self.missing), "sources": list(self.sources)}


def _data_dir() -> Path:
    return Path(__file__).resolve().parent / "data" / "required_tests"


def load_required_tests(kb: KnowledgeBase, root: Path | None = None) -> tuple[RequiredTest, ...]:
    """Read and check every required-test record.

    Raises
    ------
    KnowledgeBaseError
        Naming the file, line, record and field of every problem (all collected first).
    """
    root = root or _data_dir()
    problems: list[KnowledgeBaseError] = []
    out: list[RequiredTest] = []
    seen: dict[str, str] = {}
    for path in sorted(root.glob("*.y*ml")):
        for _, rec, bad in validated_records(path, RequiredTest, problems):
            if rec.id in seen:
                bad(f"duplicate required-test id {rec.id!r} (first in {seen[rec.id]})", "id", rec.id)
            seen[rec.id] = path.name
            for key, msg, value in _cross_check(rec, kb):
                bad(msg, key, value)
            out.append(rec)
    if problems:
        msg = f"{len(problems)} problem(s) in the required-test records"
        raise KnowledgeBaseError(msg, problems=list(problems), source=str(root))
    return tuple(out)


def _cross_check(rec: RequiredTest, kb: KnowledgeBase):
    """(field, message, value) of every reference the record makes that does not resolve."""
    for s in rec.sources:
        if s not in kb.sources:
            yield "sources", f"unknown source {s!r}", s
    for key, ids in (("drugs", rec.drugs), ("except_drugs", rec.except_drugs)):
        for d in ids:
            if d not in kb.drugs:
                yield key, f"unknown drug {d!r}", d
    seeds = seeds_dir()
    for w in rec.where:
        if seeds is not None and not quote_found(seeds, w.seed, w.line, w.quote):
            yield "where", f"quote not found near seed {w.seed} line {w.line}: {w.quote!r}", w.quote
    if not any(rec.applies_to(d, (rec.tumor_type,)) for d in kb.drugs.values()):
        yield "target", "no catalogue drug belongs to this family (drug_classes x target)", rec.target


_LOADED: list[tuple[KnowledgeBase, tuple[RequiredTest, ...]]] = []


def _shipped(kb: KnowledgeBase) -> tuple[RequiredTest, ...]:
    """The shipped file, loaded once per knowledge base (a KnowledgeBase is not hashable)."""
    for known, value in _LOADED:
        if known is kb:
            return value
    value = load_required_tests(kb)
    _LOADED.append((kb, value))
    del _LOADED[:-4]
    return value


def required_tests(kb: KnowledgeBase) -> tuple[RequiredTest, ...]:
    """The shipped required-test records (loaded once per knowledge base)."""
    return _shipped(kb)


def _met(alt: _Alternative, profile: Profile, holds: Callable[[str], bool]) -> bool:
    if alt.pattern is not None:
        return holds(alt.pattern)
    if profile.is_assessed(alt.scope, alt.target):
        return True
    if alt.unit is None:
        return False
    for n in alt.numbers:
        if profile.is_assessed(alt.scope, f"{alt.target} {alt.unit} {n}"):
            continue
        if alt.unit == "codon":
            exon = exon_of(alt.target, n)
            if exon is not None and profile.is_assessed(alt.scope, f"{alt.target} exon {exon}"):
                continue
        if alt.scope == "mutation" and _found_at(profile, alt.target, alt.unit, n):
            continue
        return False
    return True


def _found_at(profile: Profile, gene: str, unit: str, n: int) -> bool:
    for f in profile.features:
        if type(f) is Mutation and f.gene == gene:
            if unit == "exon" and f.exon == n:
                return True
            if unit == "codon" and f.codon == n:
                return True
    return False


def missing_tests(kb: KnowledgeBase, profile: Profile, drug_ids, lineage: tuple[str, ...],
                  holds: Callable[[str], bool], *,
                  records: tuple[RequiredTest, ...] | None = None) -> tuple[MissingTest, ...]:
    """The required and recommended tests for the regimen's drugs that ``profile`` does not answer.

    ``holds(pattern)`` tells whether the profile has what a biomarker pattern states.
    Required tests come first, then recommended ones; each at most once.
    """
    records = _shipped(kb) if records is None else records
    out: dict[str, MissingTest] = {}
    for rec in records:
        if rec.id in out or not any(rec.applies_to(kb.drugs[d], lineage) for d in drug_ids):
            continue
        if rec.answered_by and holds(rec.answered_by):
            continue
        unmet = tuple(text for text in rec.checks
                      if not any(_met(a, profile, holds) for a in _parse_check(text)))
        if unmet:
            out[rec.id] = MissingTest(rec.id, rec.test, rec.need, rec.action, rec.why, unmet,
                                      tuple(rec.sources))
    return tuple(sorted(out.values(), key=lambda m: (m.need != "required", m.id)))
