"""Per-gene facts matching needs: exon -> codon ranges and known activating alterations.

Both ship as data (``data/exons.tsv`` with the reference transcript of each gene, and
``data/activating.tsv`` with its rules and references); this module reads them once.

>>> from herscape.profile import exon_of
>>> exon_of("KRAS", 12), exon_of("KRAS", 61), exon_of("KRAS", 146), exon_of("BRAF", 600)
(2, 3, 4, 15)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache

from herscape.profile._data import read_table
from herscape.profile._protein import NON_SILENT, ProteinChange, Substitution

__all__ = ["ExonRange", "activating_reason", "exon_of", "exon_ranges", "is_activating_fusion"]


@dataclass(frozen=True, slots=True)
class ExonRange:
    """Codons ``first``..``last`` (inclusive) of ``exon`` of ``gene`` on ``transcript``."""

    gene: str
    transcript: str
    exon: int
    first: int
    last: int


@cache
def _exons() -> dict[str, tuple[ExonRange, ...]]:
    _, rows = read_table("exons.tsv")
    out: dict[str, list[ExonRange]] = {}
    for gene, transcript, exon, first, last, *_ in rows:
        out.setdefault(gene, []).append(ExonRange(gene, transcript, int(exon), int(first), int(last)))
    return {g: tuple(sorted(r, key=lambda e: e.first)) for g, r in out.items()}


def exon_ranges(gene: str) -> tuple[ExonRange, ...]:
    """The exons known for ``gene`` (empty when the gene has none in ``data/exons.tsv``)."""
    return _exons().get(gene, ())


@cache
def exon_of(gene: str, codon: int) -> int | None:
    """The exon holding ``codon`` of ``gene``, or ``None`` when not known."""
    ranges = _exons().get(gene)
    if not ranges:
        return None
    i = bisect.bisect_right([r.first for r in ranges], codon) - 1
    if i >= 0 and ranges[i].first <= codon <= ranges[i].last:
        return ranges[i].exon
    return None


@dataclass(frozen=True, slots=True)
class _Rules:
    changes: frozenset[str]
    codons: frozenset[int]
    ranges: tuple[tuple[int, int], ...]
    exon_rules: frozenset[tuple[int, str]]
    fusion: bool


@cache
def _rules() -> dict[str, _Rules]:
    _, rows = read_table("activating.tsv")
    raw: dict[str, dict[str, list]] = {}
    for gene, rule, *_ in rows:
        r = raw.setdefault(gene, {"changes": [], "codons": [], "ranges": [], "exon": [], "fusion": []})
        if rule == "fusion":
            r["fusion"].append(True)
        elif rule.startswith("codons:"):
            lo, hi = rule.removeprefix("codons:").split("-")
            r["ranges"].append((int(lo), int(hi)))
        elif rule.startswith("exon:"):
            _, exon, kind = rule.split(":")
            r["exon"].append((int(exon), kind))
        elif rule[1:].isdigit():
            r["codons"].append(int(rule[1:]))
        else:
            r["changes"].append(rule)
    return {
        g: _Rules(frozenset(r["changes"]), frozenset(r["codons"]), tuple(r["ranges"]),
                  frozenset(r["exon"]), bool(r["fusion"]))
        for g, r in raw.items()
    }


_EXON_KIND = {
    "inframe_deletion": frozenset({"inframe_deletion", "inframe_delins"}),
    "inframe_insertion": frozenset({"inframe_insertion", "inframe_delins"}),
}


def activating_reason(gene: str, change: ProteinChange | None, exon: int | None,
                      consequence: str) -> str | None:
    """Why a mutation is activating (the rule of ``data/activating.tsv``), or ``None``."""
    rules = _rules().get(gene)
    if rules is None or consequence not in NON_SILENT or consequence in {"nonsense", "frameshift",
                                                                        "splice", "start_lost"}:
        return None
    if change is not None:
        text = str(change)
        if text in rules.changes:
            return text
        pos = change.position
        point = isinstance(change, Substitution) or consequence in {"codon", "inframe_deletion",
                                                                   "inframe_insertion",
                                                                   "inframe_delins"}
        if point and pos in rules.codons:
            return f"{change.ref}{pos}"
        if isinstance(change, Substitution) or consequence == "codon":
            for lo, hi in rules.ranges:
                if lo <= pos <= hi:
                    return f"codons {lo}-{hi}"
    if exon is not None:
        for rule_exon, kind in rules.exon_rules:
            if rule_exon == exon and consequence in _EXON_KIND[kind]:
                return f"exon {exon} {kind.replace('_', ' ')}"
    return None


def is_activating_fusion(gene: str) -> bool:
    """Whether fusions of ``gene`` count as activating (kinase fusions)."""
    rules = _rules().get(gene)
    return rules is not None and rules.fusion
