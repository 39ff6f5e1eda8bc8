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
  ``copy_number``, ``fusion``, ``structural_variant``, ``expression``, ``splice``,
  ``methylation`` and ``marker``; target a gene symbol (``KRAS``), part of a gene
  (``KRAS exon 2``, ``KRAS codon 12``), a marker id, or ``*`` for all genes (only a declared
  exome or genome assay assesses ``("mutation", "*")``). A feature assesses its own scope and
  gene. See :meth:`Profile.is_assessed` and ``docs/profiles.md`` ("What was tested").
"""

from __future__ import annotations

import math
import re
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
    "Intragenic",
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
    cdna: str | None = None
    kind: ClassVar[str] = "mutation"
    scope: ClassVar[str] = "mutation"

    def __post_init__(self) -> None:
        af = self.allele_fraction
        if af is not None and not (isinstance(af, int | float) and not isinstance(af, bool)
                                   and 0 <= af <= 1):
            msg = f"allele fraction must be a number from 0 to 1; got {af!r}"
            raise ValueError(msg)

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
        out = {
            "kind": self.kind, "gene": self.gene, "protein_change": self.protein_change,
            "codon": self.codon, "exon": self.exon, "consequence": self.consequence,
            "allele_fraction": self.allele_fraction, "origin": self.origin,
        }
        if self.cdna is not None:
            out["cdna"] = self.cdna
        return out


def make_mutation(gene: str, change: ProteinChange | str | None = None, *,
                  exon: int | None = None, consequence: str | None = None,
                  allele_fraction: float | None = None, origin: str = "somatic",
                  cdna: str | None = None) -> Mutation:
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
    return Mutation(gene, change, exon, consequence, allele_fraction, origin, cdna)


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
        c = self.copies
        if c is not None and not (isinstance(c, int | float) and not isinstance(c, bool)
                                  and math.isfinite(c) and c >= 0):
            msg = f"copies must be a finite number >= 0; got {c!r}"
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
class Intragenic(Feature):
    """A structural event inside one gene: ``EGFR exons 2-7 deletion`` (EGFRvIII).

    ``event`` is ``deletion``, ``duplication`` or ``rearrangement`` (the OncoKB ``GENE-intragenic``
    notation, which does not say which); ``first_exon``/``last_exon`` are the exons lost (or
    duplicated), numbered on the gene's clinical transcript, or ``None`` when not stated.
    It is its own kind: an intragenic deletion is neither a fusion nor a point mutation.
    """

    gene: str
    event: str = "deletion"
    first_exon: int | None = None
    last_exon: int | None = None
    kind: ClassVar[str] = "intragenic"
    scope: ClassVar[str] = "structural_variant"
    EVENTS: ClassVar[tuple[str, ...]] = ("deletion", "duplication", "rearrangement")

    def __post_init__(self) -> None:
        if self.event not in self.EVENTS:
            msg = f"intragenic event must be one of {', '.join(self.EVENTS)}; got {self.event!r}"
            raise ValueError(msg)
        if (self.first_exon is None) != (self.last_exon is None) or (
                self.first_exon is not None and not 1 <= self.first_exon <= self.last_exon):  # type: ignore[operator]
            msg = f"intragenic exons must be a range first <= last; got {self.first_exon}-{self.last_exon}"
            raise ValueError(msg)

    @property
    def name(self) -> str | None:
        """The variant's common name, where it has one (EGFRvIII)."""
        if (self.gene, self.event, self.first_exon, self.last_exon) == ("EGFR", "deletion", 2, 7):
            return "EGFRvIII"
        return None

    def __str__(self) -> str:
        if self.first_exon is None:
            return f"{self.gene} intragenic {self.event}"
        exons = (f"exon {self.first_exon}" if self.first_exon == self.last_exon
                 else f"exons {self.first_exon}-{self.last_exon}")
        return f"{self.gene} {exons} {self.event}"


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


#: Markers whose result also answers a gene-level question: the HER2 category comes from
#: IHC (protein expression), so it assesses ERBB2 expression (HER2-low is then not "low
#: expression": the category is not an expression level).
_MARKER_ALSO_ASSESSES = {"HER2_status": (("expression", "ERBB2"),)}


@dataclass(frozen=True, slots=True)
class Protein(MarkerFeature):
    """A protein form or state: ``p95HER2=positive``, ``HER2_IHC=3+``, ``pSTAT3=high``."""

    kind: ClassVar[str] = "protein"

    def scopes(self) -> tuple[tuple[str, str], ...]:
        return (("marker", self.marker), *_MARKER_ALSO_ASSESSES.get(self.marker, ()))


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


_PART = re.compile(r"^(\S+) (exon|codon) (\d+)$")


def _split_target(target: str) -> tuple[str, str | None, int | None]:
    """``KRAS exon 2`` -> ("KRAS", "exon", 2); ``KRAS`` -> ("KRAS", None, None)."""
    m = _PART.match(target)
    if m is None:
        return target, None, None
    return m.group(1), m.group(2), int(m.group(3))


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
    notes
        Informational notes (genes outside herscape's knowledge, intergenic variants, ...).
    molecular_data
        ``False`` when only a clinical file named the sample: nothing molecular is known.
    """

    sample_id: str
    tumor_type: str | None = None
    features: tuple[Feature, ...] = ()
    prior_therapies: tuple[PriorTherapy, ...] = ()
    assessed: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    unrecognized: tuple[Unrecognized, ...] = ()
    notes: tuple[str, ...] = ()
    molecular_data: bool = True

    def is_assessed(self, scope: str, target: str) -> bool:
        """Whether ``scope`` was looked at for ``target``: present or assessed-absent.

        ``target`` is a gene (``KRAS``), part of one (``KRAS exon 2``, ``KRAS codon 12``), or a
        marker id. A gene is assessed by an explicit statement for the gene (``KRAS wild-type``,
        a panel or ``--tested`` listing it, a CNA row), by an exome/genome assay (``*``), or by a
        feature of that gene and scope. An exon is assessed when its gene is, or the exon
        itself (``KRAS exon 2 wild type``, ``RAS wild type``); a codon when its gene, its exon
        (from ``profile/data/exons.tsv``) or the codon itself is. Assessing an exon does not
        assess the whole gene. Markers: ``("marker", id)``.
        """
        pairs = self.assessed
        if (scope, target) in pairs or (scope, "*") in pairs:
            return True
        gene, part, number = _split_target(target)
        if part is not None:
            if (scope, gene) in pairs:
                return True
            if part == "codon" and number is not None:
                exon = exon_of(gene, number)
                if exon is not None and (scope, f"{gene} exon {exon}") in pairs:
                    return True
        return any(self._feature_assesses(f, scope, gene, part, number) for f in self.features)

    @staticmethod
    def _feature_assesses(f: Feature, scope: str, gene: str, part: str | None,
                          number: int | None) -> bool:
        if (scope, gene) not in f.scopes():
            return False
        if part is None:
            return True
        # a found mutation answers for its own exon and codon only
        if isinstance(f, Mutation):
            return (f.exon == number) if part == "exon" else (f.codon == number)
        return False

    def all_assessed(self) -> frozenset[tuple[str, str]]:
        """``assessed`` plus the scopes the features themselves assess."""
        return self.assessed | frozenset(s for f in self.features for s in f.scopes())

    def marker_value(self, marker: str) -> str | None:
        """The value of marker ``marker`` (``HER2_status``, ``MSI``...), or ``None``."""
        for f in self.features:
            if isinstance(f, MarkerFeature) and f.marker == marker:
                return f.value
        return None

    @property
    def her2_status(self) -> str | None:
        """The HER2 category: ``positive``, ``low``, ``ultralow``, ``zero``, ``negative`` (not
        positive, IHC detail not stated), or ``None`` when no HER2 result was given (or IHC 2+
        without ISH, which is equivocal).

        From the ``HER2_status`` marker that HER2 notations set (``HER2+``, ``HER2 3+``,
        ``HER2-low``, ``HER2 IHC 2+ FISH negative``; see ``docs/profiles.md``); else derived
        as ASCO/CAP define it: ERBB2 amplification, ISH amplified or IHC 3+ is positive; IHC 1+,
        or IHC 2+ with ISH not amplified, is low; IHC 0 is zero.
        """
        stated = self.marker_value("HER2_status")
        if stated is not None:
            return stated
        ihc, ish = self.marker_value("HER2_IHC"), self.marker_value("HER2_FISH")
        amplified = ish == "amplified" or any(
            isinstance(f, CopyNumber) and f.gene == "ERBB2" and f.status == "amplification"
            for f in self.features)
        if amplified or ihc == "3+":
            return "positive"
        if ihc == "1+" or (ihc == "2+" and ish == "not amplified"):
            return "low"
        if ihc == "0":
            return "zero"
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the input schema of ``docs/profiles.md``)."""
        assessed: dict[str, list[str]] = {}
        for scope, target in sorted(self.assessed):
            assessed.setdefault(scope, []).append(target)
        out: dict[str, Any] = {
            "sample_id": self.sample_id,
            "tumor_type": self.tumor_type,
            "features": [f.to_dict() for f in self.features],
            "prior_therapies": [str(t) for t in self.prior_therapies],
            "assessed": assessed,
            "unrecognized": [u.to_dict() for u in self.unrecognized],
        }
        if self.notes:
            out["notes"] = list(self.notes)
        if not self.molecular_data:
            out["molecular_data"] = False
        return out
