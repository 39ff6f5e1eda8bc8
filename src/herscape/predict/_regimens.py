"""How regimens relate: which drugs are ERBB-family agents, and whether evidence about one
regimen speaks to another (same regimen, same targeted drugs, or same drug class)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from herscape.knowledge import Drug, KnowledgeBase, Regimen

__all__ = ["ERBB_GENES", "RELEVANCE_RANK", "active_comparator_drugs", "added_drugs", "covers",
           "drug_family", "erbb_drugs", "relevance", "targeted_drugs"]

#: Drug classes that form a backbone rather than the targeted part of a regimen.
BACKBONE_CLASSES = frozenset({"chemotherapy", "chemotherapy_regimen"})

#: Targets that make a drug an ERBB-family (HER-family) agent.
ERBB_GENES = frozenset({"EGFR", "ERBB2", "ERBB3", "ERBB4"})

#: Evidence relevance, best first ("drug class record": evidence stated for a class record such
#: as "EGFR tyrosine kinase inhibitor (class)", ranked below drug-level evidence).
RELEVANCE_RANK = {"exact regimen": 0, "same targeted drugs": 1, "same drug class": 2,
                  "drug class record": 3}
_ANTIBODY_CLASSES = frozenset({"monoclonal_antibody", "antibody_mixture", "antibody_drug_conjugate",
                               "bispecific_antibody"})
_SMALL_MOLECULE_CLASSES = frozenset({"kinase_inhibitor", "small_molecule"})


def erbb_drugs(regimen: Regimen, kb: KnowledgeBase) -> frozenset[str]:
    """The regimen's ERBB-family drugs (any target in :data:`ERBB_GENES`)."""
    return frozenset(d for d in regimen.drugs if ERBB_GENES & set(kb.drugs[d].targets))


def targeted_drugs(regimen: Regimen, kb: KnowledgeBase) -> frozenset[str]:
    """The regimen without its chemotherapy backbone."""
    return frozenset(d for d in regimen.drugs if str(kb.drugs[d].drug_class) not in BACKBONE_CLASSES)


_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")


def active_comparator_drugs(text: str, kb: KnowledgeBase) -> frozenset[str]:
    """The targeted drugs a comparator arm names (free text: "placebo plus trastuzumab and
    chemotherapy" -> trastuzumab): catalogue drugs with a target that are not chemotherapy.
    Two-word names are tried first ("trastuzumab emtansine"), then words, then the parts of
    hyphenated words ("oxaliplatin-fluoropyrimidine")."""
    words = _WORDS.findall(text)
    found: set[str] = set()
    i = 0
    while i < len(words):
        pair = kb.find_drug(f"{words[i]} {words[i + 1]}") if i + 1 < len(words) else None
        if pair is not None:
            found.add(pair.id)
            i += 2
            continue
        for w in (words[i], *words[i].split("-")):
            drug = kb.find_drug(w)
            if drug is not None:
                found.add(drug.id)
                break
        i += 1
    return frozenset(d for d in found if kb.drugs[d].targets
                     and str(kb.drugs[d].drug_class) not in BACKBONE_CLASSES)


def added_drugs(regimen: Regimen, comparator: str, kb: KnowledgeBase) -> frozenset[str]:
    """The targeted drugs a trial of ``regimen`` against ``comparator`` tested: those of the
    regimen the comparator lacks, when the comparator holds no targeted drug of its own (an
    add-on trial, or a trial against chemotherapy, placebo or supportive care). Empty when the
    comparator is an active alternative (T-DM1 against trastuzumab + taxane, cetuximab against
    bevacizumab) or differs only in dose or duration (two years of trastuzumab against one):
    "no better than that" is not "no benefit"."""
    theirs = active_comparator_drugs(comparator, kb)
    if not theirs <= regimen.drugs:
        return frozenset()
    return frozenset(d for d in targeted_drugs(regimen, kb) - theirs if kb.drugs[d].targets)


def drug_family(drug: Drug) -> tuple[str, frozenset[str]]:
    """A drug's class and ERBB targets: cetuximab and panitumumab share one."""
    return (str(drug.drug_class), frozenset(ERBB_GENES & set(drug.targets)))


def _families(ids: Iterable[str], kb: KnowledgeBase) -> frozenset[tuple[str, frozenset[str]]]:
    return frozenset(drug_family(kb.drugs[d]) for d in ids)


def covers(class_record: Drug, drug: Drug) -> bool:
    """Whether a class record ("EGFR tyrosine kinase inhibitor (class)") covers ``drug``: the
    drug hits every target of the class and is of its kind (kinase inhibitor, antibody)."""
    if not class_record.is_class or drug.is_class or not class_record.targets:
        return False
    if not set(class_record.targets) <= set(drug.targets):
        return False
    name = class_record.name.lower()
    kind = str(drug.drug_class)
    if "kinase inhibitor" in name or "tki" in name.split():
        return kind in _SMALL_MOLECULE_CLASSES
    if "antibod" in name:
        return kind in _ANTIBODY_CLASSES
    return kind not in BACKBONE_CLASSES


def _class_relevance(evidence: Regimen, planned: Regimen, kb: KnowledgeBase) -> str | None:
    """``drug class record`` when every targeted drug of each side is the other's or covered by
    one of its class records (egfr-tki evidence for osimertinib)."""
    e_t, p_t = targeted_drugs(evidence, kb), targeted_drugs(planned, kb)
    classes = [kb.drugs[d] for d in e_t if kb.drugs[d].is_class]
    if not classes or not p_t:
        return None
    named = e_t - {c.id for c in classes}
    if not named <= p_t:
        return None
    rest = p_t - named
    if rest and all(any(covers(c, kb.drugs[d]) for c in classes) for d in rest) and all(
            any(covers(c, kb.drugs[d]) for d in rest) for c in classes):
        return "drug class record"
    return None


def relevance(evidence: Regimen, planned: Regimen, kb: KnowledgeBase) -> str | None:
    """How evidence stated for ``evidence`` applies to ``planned``, or None if it does not.

    ``exact regimen`` (same drugs), ``same targeted drugs`` (same drugs but for the
    chemotherapy backbone), ``same drug class`` (targeted drugs of the same classes and ERBB
    targets, e.g. panitumumab evidence for cetuximab), ``drug class record`` (evidence stated for
    a class record that covers the planned drug, e.g. EGFR-TKI evidence for osimertinib). Evidence about a regimen without an
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
    return _class_relevance(evidence, planned, kb)
