"""Resistance targets per drug, read from the knowledge base (not from gene lists in code).

A target is a point mutation the knowledge records as causing resistance to one of the drugs in
the tumour type (or an ancestor in OncoTree): every ``resistance`` assertion supporting it whose
biomarker is a protein change (``EGFR S492R``) or a codon set (``KRAS codons 12,13,59,61``), or
an ``OR`` (its point-mutation operands), or a ``GENE activating`` class, expanded into the activating changes and
codons the profile package lists for that gene (``profile/data/activating.tsv``, read as data).
Each change and each codon counts as one target (mutated at ``u`` per division). Amplifications, expression states and combined patterns (``A & !B``) are not point
mutations and are left out of the pre-existing clones (they still act when in the profile).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from herscape.knowledge._pattern import Any_, Change, Class, Codon, parse_pattern

__all__ = ["Target", "resistance_targets"]


@dataclass(frozen=True, order=True)
class Target:
    """One resistance point mutation: gene, the alteration text for the model, its assertions."""

    gene: str
    alteration: str
    assertions: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _activating() -> dict[str, tuple[str, ...]]:
    """Gene -> the alteration texts of its activating point-mutation rules."""
    out: dict[str, list[str]] = {}
    text = files("herscape.profile").joinpath("data", "activating.tsv").read_text("utf-8")
    rows = csv.reader((ln for ln in text.splitlines() if ln and not ln.startswith("#")),
                      delimiter="\t")
    for gene, rule, *_ in rows:
        if rule.startswith("codons:"):
            lo, hi = (int(x) for x in rule.removeprefix("codons:").split("-"))
            out.setdefault(gene, []).extend(f"{gene} codon {c}" for c in range(lo, hi + 1))
        elif rule[1:].isdigit():
            out.setdefault(gene, []).append(f"{gene} codon {rule[1:]}")
        elif rule[:1].isalpha() and rule[1:-1].isdigit():
            out.setdefault(gene, []).append(f"{gene} {rule}")
    return {g: tuple(v) for g, v in out.items()}


def _units(pattern) -> list[tuple[str, str]] | None:
    if isinstance(pattern, Class) and pattern.name == "activating":
        alts = _activating().get(pattern.gene)
        return [(pattern.gene, a) for a in alts] if alts else None
    if isinstance(pattern, Change):
        return [(pattern.gene, f"{pattern.gene} {pattern.change}")]
    if isinstance(pattern, Codon):
        return [(pattern.gene, f"{pattern.gene} codon {c}") for c in pattern.codons]
    if isinstance(pattern, Any_):
        # each operand of an OR suffices alone: keep the point-mutation ones
        out: list[tuple[str, str]] = []
        for p in pattern.operands:
            out += _units(p) or []
        return out or None
    return None


def resistance_targets(kb, drugs: Iterable[str], lineage: Sequence[str]) -> list[Target]:
    """Point-mutation resistance targets for any of ``drugs`` (ids) in the tumour ``lineage``.

    A codon set and an exact change at the same codon count once (the exact change is kept).
    """
    wanted = set(drugs)
    found: dict[str, set[str]] = {}
    genes: dict[str, str] = {}
    for a in kb.assertions.values():
        if a.effect != "resistance" or a.direction != "supports" or a.tumor_type not in lineage:
            continue
        if not (kb.regimen(a.therapy).drugs & wanted):
            continue
        units = _units(parse_pattern(a.biomarker))
        if not units:
            continue
        for gene, alt in units:
            found.setdefault(alt, set()).add(a.id)
            genes[alt] = gene
    codon_of = {}
    for alt in found:
        gene, change = alt.split(" ", 1)
        if not change.startswith("codon"):
            digits = "".join(ch for ch in change if ch.isdigit())
            codon_of[(gene, digits)] = alt
    out = []
    for alt, ids in found.items():
        gene, change = alt.split(" ", 1)
        if change.startswith("codon") and (gene, change.split()[1]) in codon_of:
            continue
        out.append(Target(genes[alt], alt, tuple(sorted(ids))))
    return sorted(out)
