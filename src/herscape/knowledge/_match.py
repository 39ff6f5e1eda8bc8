"""Match profiles against the knowledge: which assertions, strategies and mechanisms apply.

>>> from herscape.knowledge import load_kb, Matcher          # doctest: +SKIP
>>> from herscape.profile import profile_from_strings         # doctest: +SKIP
>>> result = Matcher(load_kb()).match(profile_from_strings(["KRAS G12D"], tumor_type="COAD"))  # doctest: +SKIP
>>> result.by_therapy["cetuximab"].highest_resistance        # doctest: +SKIP
'A'

Semantics
---------
Each biomarker pattern is compiled once into a tree of atoms. An atom is true, weakly true or
not true of a profile:

* ``GENE CHANGE`` is true of that exact change; another allele at the same codon makes it
  *weakly* true (reported as ``same_codon_other_allele``). A codon-only change (``KRAS G12``)
  is true of any change at that codon.
* ``GENE codon(s) N`` and ``GENE exon(s) N`` are true of any protein-changing mutation there
  (exons from ``profile/data/exons.tsv``).
* Classes: ``mutation`` (any protein-changing mutation), ``activating`` (the rules of
  ``profile/data/activating.tsv``: hotspots, known alleles, exon 19 deletions, exon 20
  insertions, kinase fusions), ``truncating`` (nonsense, frameshift, splice site, start lost),
  ``amplification`` (GISTIC 2, or ``HER2_FISH=amplified``), ``gain`` (1 or 2), ``deletion``
  (deep, -2), ``loss`` (a copy loss or deep deletion, a truncating mutation, or low/negative
  expression), ``overexpression`` (expression high/positive, or ``HER2_IHC=3+`` for ERBB2;
  amplification is a different assay and does not count),
  ``low-expression``, ``fusion``, ``methylation``, ``delta16`` (ERBB2 exon 16 skipping);
  ``GENE wild-type`` is ``!(GENE mutation)``.
* ``any`` is true of every profile (evidence from a population selected on no biomarker); it
  matches through none of the profile's features.
* ``NAME=VALUE`` is true of a marker statement with that value; ``high`` and ``positive``
  count as the same, and so do ``low`` and ``negative``; numbers are read through the marker's
  thresholds when the profile is built.

Not assessed
------------
Logic is three-valued (Kleene). An atom that is not true is *false* only when the profile
assessed it: the gene's scope (mutation, copy number, expression, fusion, ...) was looked at,
for that gene or for all genes (an exome/genome assay assesses mutations in all genes, a gene
panel or ``--tested`` its genes; a MAF or VCF only the genes it has rows for; a CNA matrix
the genes it lists; ``KRAS wild-type`` assesses KRAS mutations; any feature assesses its own
gene and scope; see "What was tested" in ``docs/profiles.md``). Exon- and codon-level
assessments do not make a whole gene known, except where the evidence's own definition of a
gene-level wild type is those exons (``data/wild_type_regions.yaml``: ``RAS wild-type`` = KRAS
and NRAS exons 2-4 answers ``!(KRAS mutation) & !(NRAS mutation)``; KRAS exon 2 alone does not). Otherwise it is *unknown*. ``!unknown`` is unknown, so ``!(KRAS mutation)``
holds only when KRAS was sequenced. A record matches when its pattern is true; a record whose
pattern is unknown while at least one of its atoms is true is listed as *undetermined*, naming
what was not assessed. For ``loss`` (several scopes) one assessed scope suffices for false.

Tumour types
------------
A record applies when its OncoTree code is the sample's, an ancestor of it (``broader``;
``TISSUE`` is ``pan-cancer``), or a descendant of it (``narrower``: the sample's type is less
specific than the evidence); unrelated types do not apply. Without a sample type everything
applies (``unspecified``). Matches rank by tumour relation (exact, then broader by distance,
narrower, pan-cancer, unspecified), then evidence level, then match strength.

Speed
-----
Atoms are indexed by gene and marker, so a feature costs one dictionary look-up plus a test
of each atom of its gene. Patterns are evaluated only for records one of whose atoms is true,
and for records with a negation; pattern results are cached by the profile's true atoms,
relevant assessments and tumour type, which most samples of a cohort share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from herscape.errors import UsageError
from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._pattern import (
    All,
    Any_,
    Anything,
    Change,
    Class,
    Codon,
    Exon,
    Marker,
    Not,
    Pattern,
)
from herscape.knowledge._pattern import parse_pattern as _parse_pattern
from herscape.knowledge._schema import Assertion, Strategy
from herscape.profile._features import (
    CopyNumber,
    Expression,
    Feature,
    Fusion,
    MarkerFeature,
    Methylation,
    Mutation,
    Profile,
    Splice,
)
from herscape.profile._genemodel import activating_reason, is_activating_fusion
from herscape.profile._oncotree import OncoTree, oncotree
from herscape.profile._protein import NON_SILENT, TRUNCATING, CodonOnly, parse_protein_change

__all__ = ["Match", "Matcher", "SampleMatches", "TherapySummary", "match_profile"]

_EXACT, _WEAK = 2, 1
_SINGLE_SCOPE = frozenset({Mutation, CopyNumber, Fusion, Splice, Methylation})
_RESISTANCE_EFFECTS = frozenset({"resistance", "reduced_benefit"})
_SAME_VALUE = {"high": "positive", "positive": "high", "low": "negative", "negative": "low"}


def _mutated(f: Mutation) -> bool:
    return f.consequence in NON_SILENT or f.consequence == "unspecified"


# --------------------------------------------------------------------------------------------
# compiled atoms: each knows its index keys, the scopes that make it decidable, and its test


class _Atom:
    __slots__ = ("index", "keys", "scopes", "text")

    def __init__(self, text: str, keys: tuple[tuple[str, str], ...],
                 scopes: tuple[tuple[str, str], ...]) -> None:
        self.text = text
        self.keys = keys
        self.scopes = scopes
        self.index = -1

    def test(self, f: Feature) -> int:  # 0 no, 1 weak, 2 yes
        raise NotImplementedError


class _ChangeAtom(_Atom):
    __slots__ = ("change", "gene", "target")

    def __init__(self, gene: str, change: str) -> None:
        super().__init__(f"{gene} {change}", (("g", gene),), (("mutation", gene),))
        self.gene = gene
        self.change = parse_protein_change(change)
        self.target = str(self.change)

    def test(self, f: Feature) -> int:
        if type(f) is not Mutation or f.gene != self.gene or f.change is None or not _mutated(f):
            return 0
        if str(f.change) == self.target and f.change.ref:
            return _EXACT
        if f.change.position != self.change.position:
            return 0
        if isinstance(self.change, CodonOnly):
            return _EXACT
        return _WEAK


class _CodonAtom(_Atom):
    __slots__ = ("codons", "gene")

    def __init__(self, gene: str, codons: tuple[int, ...], text: str) -> None:
        super().__init__(text, (("g", gene),), (("mutation", gene),))
        self.gene = gene
        self.codons = frozenset(codons)

    def test(self, f: Feature) -> int:
        if type(f) is not Mutation or f.gene != self.gene or f.change is None or not _mutated(f):
            return 0
        first, last = f.change.position, max(f.change.end, f.change.position)
        return _EXACT if any(c in self.codons for c in range(first, last + 1)) else 0


class _ExonAtom(_Atom):
    __slots__ = ("exons", "gene")

    def __init__(self, gene: str, exons: tuple[int, ...], text: str) -> None:
        super().__init__(text, (("g", gene),), (("mutation", gene),))
        self.gene = gene
        self.exons = frozenset(exons)

    def test(self, f: Feature) -> int:
        if type(f) is not Mutation or f.gene != self.gene or not _mutated(f):
            return 0
        return _EXACT if f.exon in self.exons else 0


def _text_key(f: Feature) -> Any:
    """A hashable stand-in for ``str(f)``: what the text depends on, without formatting it."""
    if type(f) is Mutation:
        return (f.gene, f.change, f.exon, f.consequence)
    return f


def _mutation_class(name: str, f: Mutation) -> bool:
    if name == "mutation":
        return _mutated(f)
    if name in {"truncating", "loss"}:
        return f.consequence in TRUNCATING
    if name == "activating":
        return activating_reason(f.gene, f.change, f.exon, f.consequence) is not None
    return False


def _class_test(name: str, gene: str, f: Feature) -> bool:
    if isinstance(f, Mutation):
        return _mutation_class(name, f)
    if isinstance(f, CopyNumber):
        return f.status in _COPY_CLASSES.get(name, ())
    if isinstance(f, Fusion):
        return name == "fusion" or (name == "activating" and is_activating_fusion(gene))
    if isinstance(f, Splice):
        return name == "delta16" and f.skipped_exon == 16
    if isinstance(f, Methylation):
        return name == "methylation"
    if isinstance(f, Expression):
        if name == "overexpression":
            return f.value in {"high", "positive"}
        if name in {"low-expression", "loss"}:
            return f.value in {"low", "negative"}
        return False
    if isinstance(f, MarkerFeature):
        return (f.marker, f.value, name) in _MARKER_IMPLIES
    return False


_COPY_CLASSES = {
    "amplification": ("amplification",),
    # an amplified gene is overexpressed (HER2-positive = IHC 3+ or ISH-amplified, ASCO/CAP)
    "overexpression": ("amplification",),
    "gain": ("gain", "amplification"),
    "deletion": ("deep_deletion",),
    "loss": ("loss", "deep_deletion"),
}
#: Marker statements that imply a gene-level class (marker, value, class).
_MARKER_IMPLIES = frozenset({
    ("HER2_IHC", "3+", "overexpression"),
    # HER2-positive (ASCO/CAP category): IHC 3+ or ISH-amplified; low/ultralow/0 imply nothing
    ("HER2_status", "positive", "overexpression"),
    ("HER2_FISH", "amplified", "amplification"),
    ("HER2_FISH", "amplified", "gain"),
    ("EGFR_GCN", "high", "gain"),
})
_CLASS_SCOPES = {
    "mutation": ("mutation",), "activating": ("mutation",), "truncating": ("mutation",),
    "amplification": ("copy_number",), "gain": ("copy_number",), "deletion": ("copy_number",),
    "loss": ("mutation", "copy_number", "expression"), "overexpression": ("expression", "copy_number"),
    "low-expression": ("expression",), "fusion": ("fusion",), "methylation": ("methylation",),
    "delta16": ("splice",),
}


class _ClassAtom(_Atom):
    __slots__ = ("gene", "name")

    def __init__(self, gene: str, name: str) -> None:
        scopes = tuple((s, gene) for s in _CLASS_SCOPES[name])
        super().__init__(f"{gene} {name}", (("g", gene),), scopes)
        self.gene = gene
        self.name = name

    def test(self, f: Feature) -> int:
        if self.gene not in f.genes:
            return 0
        return _EXACT if _class_test(self.name, self.gene, f) else 0


class _MarkerAtom(_Atom):
    __slots__ = ("gene", "marker", "values")

    def __init__(self, kb: KnowledgeBase, name: str, value: str) -> None:
        marker = kb.find_marker(name)
        marker_id = marker.id if marker is not None else name
        self.gene = marker.gene if marker is not None and str(marker.kind) == "expression" else None
        self.marker = marker_id
        v = value.lower()
        self.values = frozenset({v, _SAME_VALUE.get(v, v)})
        if self.gene is not None:
            keys = (("g", self.gene), ("m", marker_id))
            scopes = (("marker", marker_id), ("expression", self.gene))
        else:
            keys, scopes = (("m", marker_id),), (("marker", marker_id),)
        super().__init__(f"{marker_id}={value}", keys, scopes)

    def test(self, f: Feature) -> int:
        if not isinstance(f, MarkerFeature):
            return 0
        same = f.marker == self.marker or (self.gene is not None and isinstance(f, Expression)
                                            and f.gene == self.gene)
        return _EXACT if same and f.value.lower() in self.values else 0


def make_atom(p: Pattern, kb: KnowledgeBase) -> _Atom:
    """The compiled test for one pattern atom (change, codon, exon, class or marker)."""
    if isinstance(p, Change):
        return _ChangeAtom(p.gene, p.change)
    if isinstance(p, Codon):
        return _CodonAtom(p.gene, p.codons, str(p))
    if isinstance(p, Exon):
        return _ExonAtom(p.gene, p.exons, str(p))
    if isinstance(p, Class):
        return _ClassAtom(p.gene, p.name)
    if isinstance(p, Marker):
        return _MarkerAtom(kb, p.name, p.value)
    msg = f"unknown pattern atom {p!r}"
    raise TypeError(msg)


# --------------------------------------------------------------------------------------------
# compiled pattern trees, evaluated in three-valued logic (True, False, None = unknown)


@dataclass(frozen=True, slots=True)
class _Leaf:
    atom: int


@dataclass(frozen=True, slots=True)
class _Always:
    """``any``: true of every profile (a population selected on no biomarker)."""


@dataclass(frozen=True, slots=True)
class _NotNode:
    operand: Any


@dataclass(frozen=True, slots=True)
class _AllNode:
    operands: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _AnyNode:
    operands: tuple[Any, ...]


def _evaluate(node: Any, value: Any) -> bool | None:
    t = type(node)
    if t is _Leaf:
        return value(node.atom)
    if t is _Always:
        return True
    if t is _NotNode:
        v = _evaluate(node.operand, value)
        return None if v is None else not v
    if t is _AllNode:
        out: bool | None = True
        for op in node.operands:
            v = _evaluate(op, value)
            if v is False:
                return False
            if v is None:
                out = None
        return out
    out = False
    for op in node.operands:
        v = _evaluate(op, value)
        if v is True:
            return True
        if v is None:
            out = None
    return out


def _has_not(node: Any) -> bool:
    """Whether the record must be evaluated even when none of its atoms is true (a negation,
    or ``any``)."""
    if type(node) in (_NotNode, _Always):
        return True
    if type(node) in (_AllNode, _AnyNode):
        return any(_has_not(op) for op in node.operands)
    return False


def _positive_atoms(node: Any, negated: bool = False) -> set[int]:
    if type(node) is _Always:
        return set()
    if type(node) is _Leaf:
        return set() if negated else {node.atom}
    if type(node) is _NotNode:
        return _positive_atoms(node.operand, not negated)
    return set().union(*(_positive_atoms(op, negated) for op in node.operands))


def _all_atoms(node: Any) -> set[int]:
    if type(node) is _Always:
        return set()
    if type(node) is _Leaf:
        return {node.atom}
    if type(node) is _NotNode:
        return _all_atoms(node.operand)
    return set().union(*(_all_atoms(op) for op in node.operands))


# --------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True, slots=True)
class Match:
    """One knowledge record that applies to a sample, and why."""

    record_id: str
    record_type: str  # assertion | strategy | mechanism
    biomarker: str
    therapy: str | None
    tumor_type: str
    tumor_match: str
    strength: str  # exact | same_codon_other_allele
    matched_features: tuple[str, ...]
    matched_atoms: tuple[str, ...]
    level: str | None = None
    effect: str | None = None
    direction: str | None = None
    regimen: str | None = None
    outcome: str | None = None
    mechanism: str | None = None
    claim: str | None = None  # assertions: predictive | prognostic (never counted as prediction)

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id, "record_type": self.record_type,
            "biomarker": self.biomarker, "therapy": self.therapy, "tumor_type": self.tumor_type,
            "tumor_match": self.tumor_match, "strength": self.strength,
            "matched_features": list(self.matched_features),
            "matched_atoms": list(self.matched_atoms), "level": self.level,
            "effect": self.effect, "direction": self.direction, "regimen": self.regimen,
            "outcome": self.outcome, "mechanism": self.mechanism, "claim": self.claim,
        }


@dataclass(frozen=True, slots=True)
class TherapySummary:
    """What the matches say about one therapy (regimen): the highest level of each side."""

    therapy: str
    highest_resistance: str | None
    highest_sensitivity: str | None
    resistance: tuple[str, ...]
    sensitivity: tuple[str, ...]
    other: tuple[str, ...]
    strategies: tuple[str, ...]
    weaker: tuple[str, ...] = ()

    @property
    def conflicting(self) -> bool:
        """Both resistance and sensitivity evidence matched."""
        return bool(self.resistance and self.sensitivity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "highest_resistance_level": self.highest_resistance,
            "highest_sensitivity_level": self.highest_sensitivity,
            "conflicting": self.conflicting, "resistance": list(self.resistance),
            "sensitivity": list(self.sensitivity), "other": list(self.other),
            "strategies": list(self.strategies), "weaker": list(self.weaker),
        }


@dataclass(frozen=True, slots=True)
class SampleMatches:
    """Everything that matched one sample."""

    sample_id: str
    tumor_type: str | None
    matches: tuple[Match, ...]
    undetermined: tuple[tuple[str, tuple[str, ...]], ...]
    by_therapy: Mapping[str, TherapySummary] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "matches": [m.to_dict() for m in self.matches],
            "undetermined": [{"record_id": r, "not_assessed": list(a)} for r, a in self.undetermined],
            "by_therapy": {k: v.to_dict() for k, v in self.by_therapy.items()},
        }


# --------------------------------------------------------------------------------------------
# the matcher


@dataclass(frozen=True, slots=True)
class _Compiled:
    record_id: str
    record_type: str
    biomarker: str
    tumor_type: str
    tree: Any
    atoms: frozenset[int]
    positive: frozenset[int]
    has_not: bool
    record: Any
    therapy: str | None
    static: dict[str, Any]



@lru_cache(maxsize=1)
def _wild_type_regions() -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``data/wild_type_regions.yaml``: the exons a gene-level wild type in the evidence stands
    for (KRAS and NRAS exons 2-4)."""
    path = Path(__file__).resolve().parent / "data" / "wild_type_regions.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple((r["gene"], tuple(int(e) for e in r["exons"])) for r in rows)


def _evidence_wide(assessed: frozenset[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """Gene-level mutation assessments implied, for matching evidence, by the exons the
    evidence's own wild-type definition covers (``RAS wild type`` answers ``!(KRAS mutation)``)."""
    return frozenset(("mutation", gene) for gene, exons in _wild_type_regions()
                     if all(("mutation", f"{gene} exon {e}") in assessed for e in exons))

class Matcher:
    """Compiled knowledge, ready to match many profiles fast.

    Parameters
    ----------
    kb
        The knowledge base.
    tree
        OncoTree to relate tumour types (default: the shipped one).
    """

    def __init__(self, kb: KnowledgeBase, *, tree: OncoTree | None = None) -> None:
        self.kb = kb
        self.tree = tree or oncotree()
        self._atoms: dict[str, _Atom] = {}
        self._records: list[_Compiled] = []
        self._index: dict[tuple[str, str], list[_Atom]] = {}
        self._gene_index: dict[str, tuple[_Atom, ...]] = {}
        self._ranked: dict[Any, tuple[tuple[int, str, str], ...]] = {}
        self._assessed_base: dict[frozenset[tuple[str, str]],
                                  tuple[frozenset[tuple[str, str]], frozenset[str], bool]] = {}
        self._matches: dict[Any, Match] = {}
        self._summaries: dict[Any, MappingProxyType[str, TherapySummary]] = {}
        self._result_cache: dict[Any, tuple[tuple[Match, ...], tuple[tuple[str, tuple[str, ...]], ...],
                                            MappingProxyType[str, TherapySummary]]] = {}
        self._by_atom: dict[int, list[int]] = {}
        self._negated: list[int] = []
        self._cache: dict[Any, tuple[tuple[tuple[int, str], ...],
                                     tuple[tuple[int, tuple[str, ...]], ...]]] = {}
        self._relation_cache: dict[tuple[str, str | None], tuple[str | None, int]] = {}
        self._therapy_keys: dict[str, str] = {}
        self._compile()

    # compile --------------------------------------------------------------------------
    def _atom(self, p: Pattern) -> int:
        key = f"{type(p).__name__}:{p}"
        atom = self._atoms.get(key)
        if atom is None:
            atom = make_atom(p, self.kb)
            atom.index = len(self._atoms)
            self._atoms[key] = atom
            for k in atom.keys:
                self._index.setdefault(k, []).append(atom)
        return atom.index

    def _tree(self, p: Pattern) -> Any:
        if isinstance(p, Not):
            return _NotNode(self._tree(p.operand))
        if isinstance(p, All):
            return _AllNode(tuple(self._tree(o) for o in p.operands))
        if isinstance(p, Any_):
            return _AnyNode(tuple(self._tree(o) for o in p.operands))
        if isinstance(p, Class) and p.name == "wild-type":
            return _NotNode(self._tree(Class(p.gene, "mutation")))
        if isinstance(p, Anything):
            return _Always()
        return _Leaf(self._atom(p))

    def _therapy_key(self, text: str) -> str:
        key = self._therapy_keys.get(text)
        if key is None:
            try:
                key = str(self.kb.regimen(text))
            except UsageError:  # a KB without drug records (tests): keep the text
                key = "+".join(sorted(p.strip().lower() for p in text.split("+")))
            self._therapy_keys[text] = key
        return key

    def _add(self, record_id: str, record_type: str, biomarker: str, tumor_type: str,
             record: Any, therapy: str | None) -> None:
        tree = self._tree(_parse_pattern(biomarker))
        level = getattr(record, "level", None)
        regimen = getattr(record, "regimen", None)
        static = {
            "level": str(level) if level is not None else None,
            "effect": str(record.effect) if isinstance(record, Assertion) else None,
            "direction": record.direction if isinstance(record, Assertion) else None,
            "regimen": self._therapy_key(regimen) if isinstance(regimen, str) else None,
            "outcome": str(record.outcome) if isinstance(record, Strategy) else None,
            "mechanism": None if record_type == "mechanism" else getattr(record, "mechanism", None),
            "claim": str(record.claim) if isinstance(record, Assertion) else None,
        }
        self._records.append(_Compiled(
            record_id, record_type, biomarker, tumor_type, tree, frozenset(_all_atoms(tree)),
            frozenset(_positive_atoms(tree)), _has_not(tree), record,
            self._therapy_key(therapy) if therapy else None, static))

    def _compile(self) -> None:
        kb = self.kb
        for a in kb.assertions.values():
            self._add(a.id, "assertion", a.biomarker, a.tumor_type, a, a.therapy)
        for s in kb.strategies.values():
            biomarker = s.biomarker
            if biomarker is None and s.mechanism in kb.mechanisms:
                patterns = kb.mechanisms[s.mechanism].biomarkers
                biomarker = " | ".join(f"({b})" for b in patterns) if patterns else None
            if biomarker:
                self._add(s.id, "strategy", biomarker, s.tumor_type, s, s.fails)
        for m in kb.mechanisms.values():
            if m.biomarkers:
                self._add(m.id, "mechanism", " | ".join(f"({b})" for b in m.biomarkers),
                          "TISSUE", m, None)
        for i, rec in enumerate(self._records):
            for a in rec.atoms:
                self._by_atom.setdefault(a, []).append(i)
            if rec.has_not:
                self._negated.append(i)
        self._relevant = frozenset(s for atom in self._atoms.values() for s in atom.scopes)
        self._gene_index = {k[1]: tuple(v) for k, v in self._index.items() if k[0] == "g"}
        self._atom_list = sorted(self._atoms.values(), key=lambda a: a.index)

    @property
    def n_records(self) -> int:
        """Number of compiled records (assertions, strategies, mechanisms with patterns)."""
        return len(self._records)

    # match ----------------------------------------------------------------------------
    def _relation(self, evidence: str, sample: str | None) -> tuple[str | None, int]:
        key = (evidence, sample)
        found = self._relation_cache.get(key)
        if found is None:
            found = (self.tree.relation(evidence, sample), self.tree.distance(evidence, sample))
            self._relation_cache[key] = found
        return found

    def atom_hits(self, profile: Profile) -> dict[int, list[tuple[Feature, int]]]:
        """Which compiled atoms each feature satisfies: atom index -> [(feature, strength)]."""
        return self._scan(profile)[0]

    def _decide(self, truth: dict[int, int], assessed: frozenset[tuple[str, str]],
                tumor: str | None) -> tuple[tuple[tuple[int, str], ...],
                                            tuple[tuple[int, tuple[str, ...]], ...]]:
        atoms = self._atom_list

        def known(i: int) -> bool:
            for scope, target in atoms[i].scopes:
                if (scope, target) in assessed or (scope, "*") in assessed:
                    return True
            return False

        def strict(i: int) -> bool | None:
            s = truth.get(i, 0)
            if s == _EXACT:
                return True
            return False if known(i) else None

        def lenient(i: int) -> bool | None:
            return True if truth.get(i, 0) else (False if known(i) else None)

        candidates = set(self._negated)
        for a in truth:
            candidates.update(self._by_atom.get(a, ()))
        matched: list[tuple[int, str]] = []
        undetermined: list[tuple[int, tuple[str, ...]]] = []
        for i in sorted(candidates):
            rec = self._records[i]
            if self._relation(rec.tumor_type, tumor)[0] is None:
                continue
            v = _evaluate(rec.tree, strict)
            if v is True:
                matched.append((i, "exact"))
                continue
            if any(truth.get(a, 0) for a in rec.atoms):
                if _evaluate(rec.tree, lenient) is True:
                    matched.append((i, "same_codon_other_allele"))
                elif v is None:
                    missing = tuple(sorted(atoms[a].text for a in rec.atoms
                                           if not truth.get(a, 0) and not known(a)))
                    undetermined.append((i, missing))
        return tuple(matched), tuple(undetermined)

    def _scan(self, profile: Profile) -> tuple[dict[int, list[tuple[Feature, int]]],
                                               frozenset[tuple[str, str]]]:
        """One pass over the features: atom hits, and the relevant assessed scopes."""
        relevant = self._relevant
        base = self._assessed_base.get(profile.assessed)
        if base is None:
            assessed = profile.assessed | _evidence_wide(profile.assessed)
            kept = frozenset(s for s in assessed if s[1] == "*" or s in relevant)
            wild = frozenset(s[0] for s in kept if s[1] == "*")
            base = self._assessed_base[profile.assessed] = (kept, wild, "mutation" in wild)
        kept, wild, mutations_wild = base
        extra: set[tuple[str, str]] = set()
        gene_atoms = self._gene_index.get
        index = self._index
        hits: dict[int, list[tuple[Feature, int]]] = {}
        for f in profile.features:
            if type(f) is Mutation:  # the common case: one gene, one scope, no marker
                if not mutations_wild and ("mutation", f.gene) in relevant:
                    extra.add(("mutation", f.gene))
                candidates = gene_atoms(f.gene)
                if candidates is None:
                    continue
            else:
                if not (type(f) in _SINGLE_SCOPE and f.scope in wild):
                    extra.update(s for s in f.scopes() if s in relevant)
                found: list[_Atom] = []
                for g in f.genes:
                    found += index.get(("g", g), ())
                if isinstance(f, MarkerFeature):
                    found += index.get(("m", f.marker), ())
                candidates = tuple(dict.fromkeys(found))
            for atom in candidates:
                strength = atom.test(f)
                if strength:
                    hits.setdefault(atom.index, []).append((f, strength))
        return hits, (kept | extra) if extra else kept

    def match(self, profile: Profile) -> SampleMatches:
        """Every record that applies to ``profile``, ranked, and the per-therapy summary."""
        hits, assessed = self._scan(profile)
        evidence = tuple(sorted(
            (a, max(s for _, s in fs), tuple(_text_key(f) for f, _ in fs)) for a, fs in hits.items()
        )) if hits else ()
        tumor = profile.tumor_type
        cached = self._result_cache.get((evidence, assessed, tumor))
        if cached is None:
            truth = {a: s for a, s, _ in evidence}
            key = (frozenset(truth.items()), assessed, tumor)
            decided = self._cache.get(key)
            if decided is None:
                decided = self._decide(truth, assessed, tumor)
                self._cache[key] = decided
            texts = {a: tuple(str(f) for f, _ in fs) for a, fs in hits.items()}
            cached = self._result(key, texts, decided)
            if len(self._result_cache) < 500_000:
                self._result_cache[(evidence, assessed, tumor)] = cached
        matches, undetermined_ids, by_therapy = cached
        return SampleMatches(profile.sample_id, tumor, matches, undetermined_ids, by_therapy)

    def match_many(self, profiles: Iterable[Profile]) -> Iterator[SampleMatches]:
        """:meth:`match` over many profiles, lazily."""
        for p in profiles:
            yield self.match(p)

    def _result(self, key: tuple[Any, ...], texts: dict[int, tuple[str, ...]],
                decided: tuple[tuple[tuple[int, str], ...], tuple[tuple[int, tuple[str, ...]], ...]]
                ) -> tuple[tuple[Match, ...], tuple[tuple[str, tuple[str, ...]], ...],
                           MappingProxyType[str, TherapySummary]]:
        """Build (or reuse) the Match values of a decision; only matched features vary."""
        tumor = key[2]
        matched, undetermined = decided
        ranked = self._ranked.get(key)
        if ranked is None:
            order = []
            for i, strength in matched:
                rec = self._records[i]
                relation, rank = self._relation(rec.tumor_type, tumor)
                order.append(((rank, rec.static["level"] or "Z", strength != "exact", rec.record_id),
                              i, strength, relation or ""))
            order.sort(key=lambda t: t[0])
            ranked = self._ranked[key] = tuple((i, strength, rel) for _, i, strength, rel in order)
        out = []
        for i, strength, relation in ranked:
            rec = self._records[i]
            feats: dict[str, None] = {}
            atoms: dict[str, None] = {}
            for a in sorted(rec.positive & texts.keys()):
                for text in texts[a]:
                    feats[text] = None
                atoms[self._atom_list[a].text] = None
            mkey = (i, strength, relation, tuple(feats), tuple(atoms))
            m = self._matches.get(mkey)
            if m is None:
                m = self._matches[mkey] = Match(
                    record_id=rec.record_id, record_type=rec.record_type,
                    biomarker=rec.biomarker, therapy=rec.therapy, tumor_type=rec.tumor_type,
                    tumor_match=relation, strength=strength, matched_features=mkey[3],
                    matched_atoms=mkey[4], **rec.static)
            out.append(m)
        matches = tuple(out)
        by_therapy = self._summaries.get(key)
        if by_therapy is None:
            by_therapy = self._summaries[key] = MappingProxyType(_by_therapy(matches))
        undetermined_ids = tuple((self._records[i].record_id, miss) for i, miss in undetermined)
        return matches, undetermined_ids, by_therapy


def _by_therapy(matches: tuple[Match, ...]) -> dict[str, TherapySummary]:
    groups: dict[str, dict[str, list[Match]]] = {}
    for m in matches:
        if m.therapy is None:
            continue
        g = groups.setdefault(m.therapy, {"resistance": [], "sensitivity": [], "other": [],
                                          "strategies": [], "weaker": []})
        if m.record_type == "strategy":
            g["strategies"].append(m)
        elif m.strength != "exact":
            g["weaker"].append(m)
        elif m.claim == "prognostic":  # outcome whatever the therapy: not a prediction
            g["other"].append(m)
        elif m.direction == "supports" and m.effect in _RESISTANCE_EFFECTS:
            g["resistance"].append(m)
        elif m.direction == "supports" and m.effect == "sensitivity":
            g["sensitivity"].append(m)
        else:
            g["other"].append(m)
    out = {}
    for therapy in sorted(groups):
        g = groups[therapy]
        out[therapy] = TherapySummary(
            therapy=therapy,
            highest_resistance=min((m.level for m in g["resistance"] if m.level), default=None),
            highest_sensitivity=min((m.level for m in g["sensitivity"] if m.level), default=None),
            resistance=tuple(m.record_id for m in g["resistance"]),
            sensitivity=tuple(m.record_id for m in g["sensitivity"]),
            other=tuple(m.record_id for m in g["other"]),
            strategies=tuple(m.record_id for m in g["strategies"]),
            weaker=tuple(m.record_id for m in g["weaker"]),
        )
    return out


def match_profile(profile: Profile, kb: KnowledgeBase, *, tree: OncoTree | None = None
                  ) -> SampleMatches:
    """Match one profile (compiles the knowledge each call; use :class:`Matcher` for many)."""
    return Matcher(kb, tree=tree).match(profile)

