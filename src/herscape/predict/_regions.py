"""Protein regions with a drug-specific effect (``network/models/regions.yaml``).

A region names a gene and codons (an antibody epitope, a kinase gatekeeper, RAS hotspots, a BRAF
functional class), the catalogue drugs it ``affects`` and those it ``spares``, its effect, the
evidence level behind it, how it removes the drug's action (if it does) and its sources. Loading
checks genes, drugs and sources against the knowledge base and seed quotes against the seeds.

Used by ``predict`` in two ways (docs/predict.md): evidence stated for another drug of the class
does not apply to a drug the region spares; and an allele in a region that no evidence names gets
the region's effect, marked as inferred, with lower confidence.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from herscape._config import seeds_dir
from herscape.errors import KnowledgeBaseError
from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._seedcheck import quote_found
from herscape.knowledge._yaml import validated_records
from herscape.profile._features import Mutation

__all__ = ["INFERRED", "Region", "load_regions", "region_of"]

#: Said of every effect that rests on a region rather than on evidence about the allele.
INFERRED = "inferred from the region, not from evidence on this allele"


class _Where(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    seed: str = Field(pattern=r"^00[0-3]$")
    line: int = Field(ge=1)
    quote: str = Field(min_length=4)


class Region(BaseModel):
    """Codons of one gene with a drug-specific effect."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    gene: str
    codons: tuple[int, ...] = Field(min_length=1)
    region: str = Field(min_length=5)
    affects: tuple[str, ...] = Field(min_length=1)
    spares: tuple[str, ...] = ()
    effect: str = Field(pattern=r"^(resistance|reduced_benefit|no_effect)$")
    level: str = Field(pattern=r"^[A-E]$")
    removes_action: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    where: tuple[_Where, ...] = ()

    def holds(self, f) -> bool:
        """Whether feature ``f`` is a protein-changing mutation in this region."""
        if type(f) is not Mutation or f.gene != self.gene or f.change is None:
            return False
        first, last = f.change.position, max(f.change.end, f.change.position)
        return any(first <= c <= last for c in self.codons)


def _path() -> Path:
    return Path(__file__).resolve().parents[1] / "network" / "models" / "regions.yaml"


def load_regions(kb: KnowledgeBase, path: Path | None = None) -> tuple[Region, ...]:
    """Read and check the regions file.

    Raises
    ------
    KnowledgeBaseError
        Naming the file, line, region and field of every problem.
    """
    path = path or _path()
    seeds = seeds_dir()
    problems: list[KnowledgeBaseError] = []
    out = []
    for _, reg, bad in validated_records(path, Region, problems):
        for key, ids, known in (("affects", reg.affects, kb.drugs), ("spares", reg.spares, kb.drugs),
                                ("sources", reg.sources, kb.sources)):
            for i in ids:
                if i not in known:
                    bad(f"unknown {key[:-1] if key != 'sources' else 'source'} {i!r}", key, i)
        for w in reg.where:
            if seeds is not None and not quote_found(seeds, w.seed, w.line, w.quote):
                bad(f"quote not found near seed {w.seed} line {w.line}: {w.quote!r}", "where", w.quote)
        out.append(reg)
    if problems:
        msg = f"{len(problems)} problem(s) in {path.name}"
        raise KnowledgeBaseError(msg, problems=problems, source=str(path))
    return tuple(out)


_LOADED: list[tuple[KnowledgeBase, tuple[Region, ...]]] = []


def _shipped(kb: KnowledgeBase) -> tuple[Region, ...]:
    for known, value in _LOADED:
        if known is kb:
            return value
    value = load_regions(kb)
    _LOADED.append((kb, value))
    del _LOADED[:-4]
    return value


def region_of(kb: KnowledgeBase, feature, drugs) -> list[Region]:
    """The shipped regions ``feature`` falls in that affect or spare one of ``drugs``."""
    return [r for r in _shipped(kb) if r.holds(feature) and (set(r.affects) | set(r.spares)) & set(drugs)]
