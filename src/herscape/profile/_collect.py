"""Shared machinery of the readers: per-sample accumulation and bad-line handling."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from herscape.errors import ProfileParseError
from herscape.profile._features import Feature, PriorTherapy, Profile, Unrecognized
from herscape.profile._genes import normalize_gene

__all__ = ["ReadResult", "Samples", "paused_gc"]

_MAX_UNKNOWN_LISTED = 20


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic values.

    Reading a large cohort creates millions of small frozen values and no reference cycles;
    without this, collections triggered by the allocations alone double the reading time.
    The collector's previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Sample:
    features: dict[Feature, None] = field(default_factory=dict)
    assessed: set[tuple[str, str]] = field(default_factory=set)
    unrecognized: list[Unrecognized] = field(default_factory=list)
    unlisted_genes: dict[str, None] = field(default_factory=dict)
    without_gene: int = 0
    tumor_type: str | None = None
    #: the cancer type of the cBioPortal study the sample came from (``meta_study.txt``): used
    #: only when neither the sample's clinical row nor ``--tumor-type`` gives one
    study_tumor_type: str | None = None
    therapies: list[PriorTherapy] = field(default_factory=list)
    molecular: bool = False  # a molecular file (not only a clinical file) named the sample
    notes: list[str] = field(default_factory=list)


class Samples:
    """Accumulates what readers find, sample by sample, in first-seen order.

    Parameters
    ----------
    skip_bad
        Collect :class:`ProfileParseError` from :meth:`bad` in :attr:`skipped` instead of
        raising it.
    """

    def __init__(self, *, skip_bad: bool = False) -> None:
        self.skip_bad = skip_bad
        self.skipped: list[ProfileParseError] = []
        self.notes: list[str] = []
        self._samples: dict[str, _Sample] = {}

    def sample(self, sample_id: str) -> _Sample:
        """The accumulator of ``sample_id`` (created on first use)."""
        s = self._samples.get(sample_id)
        if s is None:
            s = self._samples[sample_id] = _Sample()
        return s

    def __contains__(self, sample_id: str) -> bool:
        return sample_id in self._samples

    @property
    def sample_ids(self) -> list[str]:
        return list(self._samples)

    def molecular(self, sample_id: str) -> _Sample:
        """The accumulator of ``sample_id``, marked as named by a molecular file."""
        s = self.sample(sample_id)
        s.molecular = True
        return s

    def add(self, sample_id: str, feature: Feature) -> None:
        self.molecular(sample_id).features[feature] = None

    def assess(self, sample_id: str, scope: str, target: str = "*") -> None:
        self.sample(sample_id).assessed.add((scope, target))

    def note(self, text: str, sample_id: str | None = None) -> None:
        """An informational note: about the inputs (``sample_id=None``) or one sample."""
        if sample_id is None:
            self.notes.append(text)
        else:
            self.sample(sample_id).notes.append(text)

    def unrecognized(self, sample_id: str, text: str, reason: str, *, source: str | None = None,
                     line: int | None = None) -> None:
        self.molecular(sample_id).unrecognized.append(Unrecognized(text, reason, source, line))

    def gene(self, sample_id: str, text: str) -> str:
        """Symbol for a gene column of a file: aliases resolve; a symbol not in the list is kept
        as written (files name genes by HGNC symbol already) and noted once per sample."""
        symbol = normalize_gene(text)
        if symbol is not None:
            return symbol
        self.sample(sample_id).unlisted_genes[text] = None
        return text

    def merge(self, other: Samples) -> None:
        """Add what ``other`` accumulated (another reader's, e.g. a child process's) to this."""
        for sid, o in other._samples.items():
            s = self.sample(sid)
            s.features.update(o.features)
            s.assessed |= o.assessed
            s.unrecognized.extend(o.unrecognized)
            s.unlisted_genes.update(o.unlisted_genes)
            s.without_gene += o.without_gene
            s.molecular = s.molecular or o.molecular
            s.notes.extend(o.notes)
            s.tumor_type = s.tumor_type or o.tumor_type
            s.study_tumor_type = s.study_tumor_type or o.study_tumor_type
            s.therapies.extend(o.therapies)
        self.skipped.extend(other.skipped)
        self.notes.extend(other.notes)

    def bad(self, error: ProfileParseError) -> None:
        """A bad line: raise it, or with ``skip_bad`` keep it in :attr:`skipped`."""
        if not self.skip_bad:
            raise error
        self.skipped.append(error)

    def profiles(self, *, default_tumor_type: str | None = None) -> list[Profile]:
        """The profiles, one per sample."""
        out = []
        for sid, s in self._samples.items():
            notes = list(s.notes)
            if s.unlisted_genes:
                genes = list(s.unlisted_genes)
                shown = ", ".join(genes[:_MAX_UNKNOWN_LISTED])
                more = f" (+{len(genes) - _MAX_UNKNOWN_LISTED} more)" if len(genes) > _MAX_UNKNOWN_LISTED else ""
                notes.append(f"{len(genes)} gene(s) not in herscape's knowledge, kept as written "
                             f"(informational): {shown}{more}")
            if s.without_gene:
                notes.append(f"{s.without_gene} variant(s) with no gene in the annotation "
                             "(intergenic): not used")
            out.append(Profile(sid, s.tumor_type or default_tumor_type or s.study_tumor_type,
                               tuple(s.features),
                               tuple(s.therapies), frozenset(s.assessed), tuple(s.unrecognized),
                               notes=tuple(notes), molecular_data=s.molecular))
        return out


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Profiles read from one or more inputs, and the bad lines skipped (with ``skip_bad``)."""

    profiles: tuple[Profile, ...]
    skipped: tuple[ProfileParseError, ...] = ()
    notes: tuple[str, ...] = ()  # about the inputs as a whole (files or columns not used)


