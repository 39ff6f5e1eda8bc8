"""How regimens relate: which drugs are ERBB-family agents, and whether evidence about one
regimen speaks to another (same regimen, same targeted drugs, or same drug class)."""

from __future__ import annotations

from collections.abc import Iterable

from herscape.knowledge import Drug, KnowledgeBase, Regimen

__all__ = ["ERBB_GENES", "RELEVANCE_RANK", "drug_family", "erbb_drugs", "relevance", "targeted_drugs"]

#: Drug classes that form a backbone rather than the targeted part of a regimen.
BACKBONE_CLASSES = frozenset({"chemotherapy", "chemotherapy_regimen"})

#: Targets that make a drug an ERBB-family (HER-family) agent.
ERBB_GENES = frozenset({"EGFR", "ERBB2", "ERBB3", "ERBB4"})

#: Evidence relevance, best first.
RELEVANCE_RANK = {"exact regimen": 0, "same targeted drugs": 1, "same drug class": 2}


def erbb_drugs(regimen: Regimen, kb: KnowledgeBase) -> frozenset[str]:
    """The regimen's ERBB-family drugs (any target in :data:`ERBB_GENES`)."""
    return frozenset(d for d in regimen.drugs if ERBB_GENES & set(kb.drugs[d].targets))


def targeted_drugs(regimen: Regimen, kb: KnowledgeBase) -> frozenset[str]:
    """The regimen without its chemotherapy backbone."""
    return frozenset(d for d in regimen.drugs if str(kb.drugs[d].drug_class) not in BACKBONE_CLASSES)


def drug_family(drug: Drug) -> tuple[str, frozenset[str]]:
    """A drug's class and ERBB targets: cetuximab and panitumumab share one."""
    return (str(drug.drug_class), frozenset(ERBB_GENES & set(drug.targets)))


def _families(ids: Iterable[str], kb: KnowledgeBase) -> frozenset[tuple[str, frozenset[str]]]:
    return frozenset(drug_family(kb.drugs[d]) for d in ids)


def relevance(evidence: Regimen, planned: Regimen, kb: KnowledgeBase) -> str | None:
    """How evidence stated for ``evidence`` applies to ``planned``, or None if it does not.

    ``exact regimen`` (same drugs), ``same targeted drugs`` (same drugs but for the
    chemotherapy backbone), ``same drug class`` (targeted drugs of the same classes and ERBB
    targets, e.g. panitumumab evidence for cetuximab). Evidence about a regimen without an
    ERBB-family drug applies only to that exact regimen or backbone variants of it.
    """
    if evidence.drugs == planned.drugs:
        return "exact regimen"
    e_t, p_t = targeted_drugs(evidence, kb), targeted_drugs(planned, kb)
    if not e_t or not p_t:
        return None
    if e_t == p_t:
        return "same targeted drugs"
    if erbb_drugs(evidence, kb) and _families(e_t, kb) == _families(p_t, kb):
        return "same drug class"
    return None
