"""What the tumour has: one frozen value per observation, and the :class:`Profile` holding them.

>>> from herscape.profile import Profile, make_mutation, CopyNumber
>>> p = Profile("S1", "COAD", (make_mutation("KRAS", "p.Gly12Asp"), CopyNumber("ERBB2", "amplification")))
>>> [str(f) for f in p.features]
['KRAS G12D', 'ERBB2 amplification']

Conventions
-----------
* Genes are HGNC symbols (aliases resolved by the readers, see :func:`normalize_gene`).
* Protein changes are :class:`ProteinChange` values; ``str()`` is the canonical one-letter form.
* Codons are 1-based on the reference transcript of ``data/exons.tsv``; exons are numbered
  as the clinical literature numbers them (legacy PIK3CA exons 9 and 20).
* Allele fractions are 0-1. ``origin`` is ``somatic``, ``germline`` or ``unknown``.
* ``assessed`` records what was looked at, as ``(scope, target)`` pairs: scopes ``mutation``,
  ``copy_number``, ``fusion``, ``expression``, ``splice``, ``methylation`` and ``marker``;
  target a gene symbol or marker id, or ``*`` for all (a whole-exome MAF assesses
  ``("mutation", "*")``). A feature assesses its own scope and gene. Matching uses it to tell
  "wild type" from "not tested" (see :mod:`herscape.knowledge._match`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from herscape.profile._genemodel import exon_of
from herscape.profile._protein import ProteinChange, parse_protein_change

__all__ = [
    "COPY_STATUSES",
    "CopyNumber",
    "Expression",
    "Feature",
    "Fusion",
    "Germline",
    "MarkerFeature",
    "MeasuredCopyNumber",
    "Methylation",
    "Mutation",
    "Phenotype",
    "PriorTherapy",
    "Profile",
    "Protein",
    "Signature",
    "Splice",
    "Unrecognized",
    "make_mutation",
]

#: Copy-number states, from GISTIC -2..2: deep_deletion, loss, (neutral), gain, amplification.
COPY_STATUSES = ("deep_deletion", "loss", "gain", "amplification")


class Feature:
    """One observation about the tumour. ``str()`` is its canonical text."""

    __slots__ = ()
    kind: ClassVar[str] = "feature"

    @property
    def genes(self) -> tuple[str, ...]:
        """Genes the feature is about (empty for signatures and phenotypes)."""
        gene = getattr(self, "gene", None)
        return (gene,) if gene else ()

    def scopes(self) -> tuple[tuple[str, str], ...]:
        """The ``(scope, target)`` pairs observing this feature assesses."""
        return tuple((self.scope, g) for g in self.genes)

    scope: ClassVar[str] = "feature"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields, ``kind`` first."""
        out: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):  # type: ignore[arg-type]
            out[f.name] = getattr(self, f.name)
        return out


@dataclass(frozen=True, slots=True)
class Mutation(Feature):
    """A sequence change in a gene. Build with :func:`make_mutation` to derive consequence and exon.

    ``change`` is ``None`` for exon- or gene-level statements ("EGFR exon 19 deletion").
    """

    gene: str
    change: ProteinChange | None = None
    exon: int | None = None
    consequence: str = "unspecified"
    allele_fraction: float | None = None
    origin: str = "somatic"
    kind: ClassVar[str] = "mutation"
    scope: ClassVar[str] = "mutation"

    @property
    def codon(self) -> int | None:
        """First codon changed, when known."""
        return self.change.position if self.change is not None else None

    @property
    def protein_change(self) -> str | None:
        """Canonical one-letter protein change, when known (``None`` for a bare codon)."""
        if self.change is None or not self.change.ref:
            return None
        return str(self.change)

    def __str__(self) -> str:
        if self.change is not None and not self.change.ref:
            return f"{self.gene} codon {self.change.position} mutation"
        if self.change is not None:
            return f"{self.gene} {self.change}"
        what = "mutation" if self.consequence == "unspecified" else self.consequence.replace("_", " ")
        if self.exon is not None:
            return f"{self.gene} exon {self.exon} {what}"
        return f"{self.gene} {what}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "gene": self.gene, "protein_change": self.protein_change,
            "codon": self.codon, "exon": self.exon, "consequence": self.consequence,
            "allele_fraction": self.allele_fraction, "origin": self.origin,
        }


def make_mutation(gene: str, change: ProteinChange | str | None = None, *,
                  exon: int | None = None, consequence: str | None = None,
                  allele_fraction: float | None = None, origin: str = "somatic") -> Mutation:
    """A :class:`Mutation` with consequence and exon derived from the change where not given.

    Raises
    ------
    ValueError
        When ``change`` is text that is not a protein change.
    """
    if isinstance(change, str):
        change = parse_protein_change(change)
    if consequence is None:
        consequence = change.consequence if change is not None else "unspecified"
    if exon is None and change is not None:
        exon = exon_of(gene, change.position)
    return Mutation(gene, change, exon, consequence, allele_fraction, origin)


@dataclass(frozen=True, slots=True)
class CopyNumber(Feature):
    """A copy-number state of a gene (one of :data:`COPY_STATUSES`), with copies if measured."""

    gene: str
    status: str
    copies: float | None = None
    kind: ClassVar[str] = "copy_number"
    scope: ClassVar[str] = "copy_number"

    def __post_init__(self) -> None:
        if self.status not in COPY_STATUSES:
            msg = f"copy-number status must be one of {', '.join(COPY_STATUSES)}; got {self.status!r}"
            raise ValueError(msg)

    def __str__(self) -> str:
        return f"{self.gene} {self.status.replace('_', ' ')}"


@dataclass(frozen=True, slots=True)
class Fusion(Feature):
    """A gene fusion ``5'::3'``; a partner may be unknown (``None``)."""

    gene5: str | None
    gene3: str | None
    kind: ClassVar[str] = "fusion"
    scope: ClassVar[str] = "fusion"

    @property
    def genes(self) -> tuple[str, ...]:
        return tuple(g for g in (self.gene5, self.gene3) if g)

    def __str__(self) -> str:
        if self.gene5 and self.gene3:
            return f"{self.gene5}::{self.gene3}"
        return f"{self.gene5 or self.gene3} fusion"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "gene": self.gene5 or self.gene3, "gene5": self.gene5,
                "gene3": self.gene3}


@dataclass(frozen=True, slots=True)
class Splice(Feature):
    """An exon-skipping transcript: ``ERBB2 delta16`` (HER2 delta16), ``MET exon 14 skipping``."""

    gene: str
    skipped_exon: int
    kind: ClassVar[str] = "splice"
    scope: ClassVar[str] = "splice"

    def __str__(self) -> str:
        if self.gene == "ERBB2" and self.skipped_exon == 16:
            return "ERBB2 delta16"
        return f"{self.gene} exon {self.skipped_exon} skipping"


@dataclass(frozen=True, slots=True)
class Methylation(Feature):
    """Promoter methylation of a gene (``MGMT methylation``)."""

    gene: str
    kind: ClassVar[str] = "methylation"
    scope: ClassVar[str] = "methylation"

    def __str__(self) -> str:
        return f"{self.gene} methylation"


@dataclass(frozen=True, slots=True)
class MarkerFeature(Feature):
    """A ``NAME=VALUE`` marker statement from the knowledge marker vocabulary.

    ``marker`` is the canonical marker id, ``value`` the categorical value (derived from
    ``number`` through the marker's thresholds when a number was given: ``high``, ``low`` or
    ``intermediate``), ``gene`` the gene measured, if any.
    """

    marker: str
    value: str
    number: float | None = None
    gene: str | None = None
    kind: ClassVar[str] = "marker"
    scope: ClassVar[str] = "marker"

    def scopes(self) -> tuple[tuple[str, str], ...]:
        return (("marker", self.marker),)

    def __str__(self) -> str:
        if self.number is not None:
            return f"{self.marker}={self.number:g}"
        return f"{self.marker}={self.value}"


@dataclass(frozen=True, slots=True)
class Expression(MarkerFeature):
    """mRNA or protein level of one gene: ``AREG=low``, ``MET=high``, ``AREG=-1.4`` (z-score)."""

    kind: ClassVar[str] = "expression"

    def scopes(self) -> tuple[tuple[str, str], ...]:
        return (("marker", self.marker), ("expression", self.gene or self.marker))


@dataclass(frozen=True, slots=True)
class Protein(MarkerFeature):
    """A protein form or state: ``p95HER2=positive``, ``HER2_IHC=3+``, ``pSTAT3=high``."""

    kind: ClassVar[str] = "protein"


@dataclass(frozen=True, slots=True)
class Germline(MarkerFeature):
    """A germline genotype: ``FCGR3A=158V/F``."""

    kind: ClassVar[str] = "germline"


@dataclass(frozen=True, slots=True)
class Signature(MarkerFeature):
    """A genome-wide signature: ``MSI=high``, ``TMB=12.5``."""

    kind: ClassVar[str] = "signature"


@dataclass(frozen=True, slots=True)
class Phenotype(MarkerFeature):
    """A cell state or microenvironment feature: ``EMT=high``, ``sidedness=left``."""

    kind: ClassVar[str] = "phenotype"


@dataclass(frozen=True, slots=True)
class MeasuredCopyNumber(MarkerFeature):
    """A copy-number assay stated as a marker: ``HER2_FISH=amplified``, ``EGFR_GCN=3.2``."""

    kind: ClassVar[str] = "copy_number_measure"


@dataclass(frozen=True, slots=True)
class PriorTherapy:
    """A therapy the patient had, and how it went: ``cetuximab:progressed``."""

    therapy: str
    outcome: str = "unknown"
    OUTCOMES: ClassVar[tuple[str, ...]] = ("progressed", "responded", "stable", "intolerant",
                                           "unknown")

    def __post_init__(self) -> None:
        if self.outcome not in self.OUTCOMES:
            msg = f"therapy outcome must be one of {', '.join(self.OUTCOMES)}; got {self.outcome!r}"
            raise ValueError(msg)

    def __str__(self) -> str:
        return f"{self.therapy}:{self.outcome}"

    @classmethod
    def parse(cls, text: str) -> PriorTherapy:
        """Read ``therapy[:outcome]``. Raises ``ValueError`` with the reason."""
        therapy, _, outcome = text.partition(":")
        if not therapy.strip():
            msg = f"prior therapy {text!r} needs a therapy name"
            raise ValueError(msg)
        return cls(therapy.strip(), outcome.strip().lower() or "unknown")


@dataclass(frozen=True, slots=True)
class Unrecognized:
    """An input that was not understood, and why; kept so that nothing is dropped silently."""

    input: str
    reason: str
    source: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "reason": self.reason, "source": self.source,
                "line": self.line}


@dataclass(frozen=True, slots=True)
class Profile:
    """One tumour sample: id, OncoTree tumour type, features, prior therapies.

    Parameters
    ----------
    sample_id
        The sample's id (``Tumor_Sample_Barcode`` for MAF input).
    tumor_type
        OncoTree code, or ``None`` when not given.
    features
        The observations, in input order, without duplicates.
    prior_therapies
        Therapies given before the sample was taken, with their outcome.
    assessed
        ``(scope, target)`` pairs looked at beyond the features themselves (see the module doc).
    unrecognized
        Inputs for this sample that were not understood.
    """

    sample_id: str
    tumor_type: str | None = None
    features: tuple[Feature, ...] = ()
    prior_therapies: tuple[PriorTherapy, ...] = ()
    assessed: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    unrecognized: tuple[Unrecognized, ...] = ()

    def is_assessed(self, scope: str, target: str) -> bool:
        """Whether ``scope`` was looked at for ``target`` (explicitly, for all, or via a feature)."""
        if (scope, target) in self.assessed or (scope, "*") in self.assessed:
            return True
        return any((scope, target) in f.scopes() for f in self.features)

    def all_assessed(self) -> frozenset[tuple[str, str]]:
        """``assessed`` plus the scopes the features themselves assess."""
        return self.assessed | frozenset(s for f in self.features for s in f.scopes())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the input schema of ``docs/profiles.md``)."""
        assessed: dict[str, list[str]] = {}
        for scope, target in sorted(self.assessed):
            assessed.setdefault(scope, []).append(target)
        return {
            "sample_id": self.sample_id,
            "tumor_type": self.tumor_type,
            "features": [f.to_dict() for f in self.features],
            "prior_therapies": [str(t) for t in self.prior_therapies],
            "assessed": assessed,
            "unrecognized": [u.to_dict() for u in self.unrecognized],
        }
