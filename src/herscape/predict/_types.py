"""The values ``predict`` returns: verdict, evidence, mechanisms, model summary, strategies.

Every value has ``to_dict()`` giving the JSON form described by the shipped schema
(``predict/schema/prediction.schema.json``), whose ``schema_version`` is :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "Citation",
    "EvidenceItem",
    "MechanismHit",
    "MissingTestItem",
    "ModelSummary",
    "Prediction",
    "StrategyResult",
]

#: Version of the prediction JSON contract (bumped on incompatible change).
SCHEMA_VERSION = "2.0"


@dataclass(frozen=True, slots=True)
class Citation:
    """A publication behind a record: id (``pmid:``, ``doi:`` or ``ref:``), citation, link."""

    id: str
    citation: str
    year: int | None = None
    url: str | None = None
    trial: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One knowledge assertion that applies to the query."""

    record_id: str
    biomarker: str
    therapy: str
    tumor_type: str
    effect: str
    direction: str
    level: str
    relevance: str  # exact regimen | same targeted drugs | same drug class
    strength: str  # exact | same_codon_other_allele (a weaker match, listed but not counted)
    specific: bool  # matched through an alteration the tumour has (not only absences)
    counted: bool  # used for the verdict
    matched_features: tuple[str, ...] = ()
    mechanism: str | None = None
    setting: str | None = None
    numbers: dict[str, Any] = field(default_factory=dict)
    numbers_text: str = ""
    notes: str | None = None
    sources: tuple[Citation, ...] = ()
    #: a narrower record on the same alteration that states no effect (and is at least as strong)
    superseded_by: str | None = None
    #: how the record's tumour type relates to the sample's (exact, broader, narrower, pan-cancer)
    tumor_match: str = "exact"
    #: predictive (counts) or prognostic (outcome whatever the treatment: never counts)
    claim: str = "predictive"
    #: False when the record's setting (line, rechallenge, side, HR status) is not the profile's
    setting_applies: bool = True
    setting_reason: str | None = None
    #: how the matched alteration removes the drug's action (epitope, truncation, masking, ...)
    removes_action: str | None = None
    #: the record states the setting it holds in and the profile's setting matches it
    setting_specific: bool = False
    #: not a knowledge record: the effect of a protein region on an allele no record names
    inferred: bool = False
    #: how narrowly the biomarker names the matched alteration: 0 marker or absence, 1 a class
    #: ("BRAF mutation"), 2 an exon or codon, 3 the protein change
    granularity: int = 0
    #: a failed trial of this exact regimen (no effect against a comparator without targeted
    #: drugs of its own, in a setting the profile can be in): the comparator (verdict rule 11)
    no_added_benefit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MechanismHit:
    """A resistance mechanism the profile shows, with its timing and network path."""

    id: str
    name: str
    category: str
    timing: str  # primary | acquired | primary or acquired
    therapies: tuple[str, ...]
    path: tuple[str, ...]
    evidence: tuple[str, ...]
    matched_features: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ModelSummary:
    """What the ERBB network model says for the planned regimen."""

    untreated: dict[str, float]
    treated: dict[str, float]
    reference: str
    reference_untreated: dict[str, float]
    reference_treated: dict[str, float]
    sensitivity_index: float | None
    sensitivity_index_se: float | None
    verdict: str
    active_path: tuple[str, ...]
    drug_nodes: tuple[str, ...]
    perturbations: tuple[dict[str, str], ...]
    unmodelled_drugs: tuple[str, ...]
    #: the profile does not grow untreated in the model, so drivers outside it were assumed
    unmodelled_driver: bool = False
    #: per drug of the regimen: drug, nodes, basis and the seed sources of its action
    drug_actions: tuple[dict[str, str], ...] = ()
    node_probabilities_untreated: dict[str, float] = field(default_factory=dict)
    node_probabilities_treated: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class StrategyResult:
    """One way to reverse or bypass the resistance, ranked."""

    rank: int
    regimen: tuple[str, ...]
    recommended: bool
    origin: str  # knowledge | substitute | class_switch | screen
    kind: str  # combination | switch | sequence | rechallenge | continue
    evidence_level: str | None
    outcome: str | None  # positive | negative | mixed | None (model only)
    sensitivity_index: float | None
    sensitivity_index_se: float | None
    model_verdict: str | None
    rationale: str
    answers: tuple[str, ...] = ()  # mechanism ids it answers
    via_nodes: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    numbers: dict[str, Any] = field(default_factory=dict)
    numbers_text: str = ""
    sources: tuple[Citation, ...] = ()
    reason_not_recommended: str | None = None
    #: standard | mechanism | exploratory (docs/predict.md § Strategies)
    group: str = "exploratory"
    #: names of the matched mechanisms it answers (ids in ``answers``)
    mechanism_names: tuple[str, ...] = ()
    #: every record behind it: record id, level, outcome, setting, setting fit, numbers
    evidence: tuple[dict[str, Any], ...] = ()
    #: per drug: drug name and status (approved | investigational | discontinued)
    drug_status: tuple[dict[str, str], ...] = ()
    #: fits | not stated | other (the evidence's setting against the profile's)
    setting_fit: str | None = None
    #: the evidence's setting and why it does or does not fit
    setting_note: str | None = None
    #: where the network model disagrees with the evidence (shown, never hidden)
    model_disagrees: str | None = None
    #: True when no recorded evidence stands behind it (the network model alone)
    model_only: bool = False
    #: a matched mechanism takes away what one of its drugs needs (p95HER2 and trastuzumab
    #: deruxtecan), said beside evidence that does not consider it
    cautions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["regimen"] = list(self.regimen)
        return out


@dataclass(frozen=True, slots=True)
class MissingTestItem:
    """A required or recommended test the profile does not answer (shown first in reports)."""

    id: str
    test: str
    need: str  # required | recommended
    action: str
    why: str
    missing: tuple[str, ...]
    sources: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Prediction:
    """The answer for one profile and one planned regimen."""

    query: dict[str, Any]
    verdict: str  # sensitive | reduced_sensitivity | resistant | uncertain
    confidence: float
    #: clinical evidence | preclinical evidence | model inference | conflicting evidence |
    #: required tests missing | clinical/preclinical evidence and model inference
    basis: str
    summary: str
    evidence: tuple[EvidenceItem, ...]
    mechanisms: tuple[MechanismHit, ...]
    model: ModelSummary | None
    strategies: tuple[StrategyResult, ...]
    unrecognized: tuple[dict[str, Any], ...]
    provenance: dict[str, Any]
    #: ``{"version", "date"}`` of the knowledge used (``KnowledgeBase.release``), None if unrecorded.
    knowledge_release: dict[str, str] | None = None
    #: what must be tested before deciding (required) or should be (recommended)
    missing_tests: tuple[MissingTestItem, ...] = ()
    #: the treatment setting read from the profile: line, rechallenge, sidedness, HR status
    setting: dict[str, Any] = field(default_factory=dict)
    #: reduced_sensitivity: the markers that lower the benefit
    reduced_by: tuple[str, ...] = ()
    #: the verdict line: what it rests on, in words
    verdict_line: str = ""
    #: the network model's reading where it differs from an evidence-based verdict
    model_note: str | None = None
    #: markers the profile states that no record or model rule uses
    unused_markers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (plain dicts, lists, strings and numbers)."""
        return _plain({
            "schema_version": SCHEMA_VERSION,
            "query": self.query,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 3),
            "basis": self.basis,
            "verdict_line": self.verdict_line,
            "missing_tests": [m.to_dict() for m in self.missing_tests],
            "reduced_by": list(self.reduced_by),
            "model_note": self.model_note,
            "setting": self.setting,
            "summary": self.summary,
            "evidence": [e.to_dict() for e in self.evidence],
            "mechanisms": [m.to_dict() for m in self.mechanisms],
            "model": self.model.to_dict() if self.model else None,
            "strategies": [s.to_dict() for s in self.strategies],
            "unrecognized": list(self.unrecognized),
            "unused_markers": list(self.unused_markers),
            "provenance": self.provenance,
            "knowledge_release": self.knowledge_release,
        })


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively, so the result is what ``json.loads`` would give."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
