"""Schema of the curated knowledge records (the files under ``knowledge/data/``).

Each folder holds YAML files whose top level is a list of records of one type:

=============  ===========================================================================
folder         record
=============  ===========================================================================
sources/       :class:`Source`: a publication (PMID/DOI), study type, where it was read
drugs/         :class:`Drug`: canonical name, synonyms and code names, class, targets
mechanisms/    :class:`Mechanism`: a named way of escaping a therapy
assertions/    :class:`Assertion`: biomarker x tumour type x regimen -> effect, with numbers
strategies/    :class:`Strategy`: mechanism/biomarker x failed therapy -> regimen, with outcome
markers/       :class:`MarkerDef`: a non-genomic marker (NAME=VALUE) and the values it takes
=============  ===========================================================================

Conventions
-----------
* ``where`` ties a record to the seed text: seed file prefix (``"000"``..``"003"``), 1-based
  line number in that file, section heading, and a short verbatim ``quote`` that must occur
  within three lines of ``line`` (checked by ``herscape kb validate`` when the seeds are present).
* Regimens are drug names joined by ``+`` (any synonym, case-insensitive); each name must
  resolve to a drug record.
* Tumour types are OncoTree codes; ``TISSUE`` (the OncoTree root) means pan-cancer.
* Biomarkers use the pattern syntax of :mod:`herscape.knowledge._pattern`.
* Numbers: percentages in percent (0-100), times in months, hazard ratios unitless.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "Assertion",
    "Drug",
    "DrugClass",
    "Effect",
    "Level",
    "MarkerDef",
    "MarkerKind",
    "Mechanism",
    "MechanismCategory",
    "Numbers",
    "Outcome",
    "SeedRef",
    "Source",
    "Strategy",
    "StrategyKind",
    "StudyType",
    "Timing",
]

RecordId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/()\-]*$", min_length=2)]
SourceId = Annotated[str, StringConstraints(pattern=r"^(pmid:\d+|doi:10\.\S+|ref:[a-z0-9_\-]+)$")]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Level(StrEnum):
    """Evidence level (CIViC-aligned; see docs/evidence_levels.md for OncoKB and AMP maps)."""

    A = "A"  # guideline/regulatory approval, or phase III randomised trial
    B = "B"  # phase II, prospective/retrospective clinical cohort, meta-analysis
    C = "C"  # case report, small series, early-phase trial with few patients
    D = "D"  # preclinical: PDX, mice, cell lines
    E = "E"  # inferential: mechanistic reasoning


class StudyType(StrEnum):
    phase_iii = "phase_iii"
    phase_ii = "phase_ii"
    phase_i = "phase_i"
    phase_i_ii = "phase_i_ii"
    meta_analysis = "meta_analysis"
    prospective_cohort = "prospective_cohort"
    retrospective_cohort = "retrospective_cohort"
    case_report = "case_report"
    case_series = "case_series"
    pdx = "pdx"
    xenograft = "xenograft"
    cell_line = "cell_line"
    review = "review"
    guideline = "guideline"
    reference = "reference"  # a standard reference (nomenclature, database, label)


class Timing(StrEnum):
    primary = "primary"
    acquired = "acquired"
    both = "both"


class MechanismCategory(StrEnum):
    receptor_ligand = "receptor_ligand"  # receptor or ligand alteration
    downstream = "downstream"  # downstream pathway activation
    bypass_receptor = "bypass_receptor"  # another RTK takes over
    her2_variant_masking = "her2_variant_masking"  # p95HER2, HER2d16, epitope masking, HER2 loss
    phenotype_state = "phenotype_state"  # EMT, stemness, autophagy, vasculogenic mimicry
    metabolism = "metabolism"
    immune_escape = "immune_escape"
    microenvironment = "microenvironment"
    angiogenesis = "angiogenesis"
    drug_specific = "drug_specific"  # e.g. T-DM1 payload/trafficking mechanisms
    genomic_instability = "genomic_instability"  # MSI/dMMR and the like


class Effect(StrEnum):
    resistance = "resistance"
    reduced_benefit = "reduced_benefit"
    sensitivity = "sensitivity"
    no_effect = "no_effect"


class Outcome(StrEnum):
    positive = "positive"  # the regimen worked in that setting
    negative = "negative"  # it failed, or did harm
    mixed = "mixed"  # benefit in a subgroup only, or conflicting endpoints


class StrategyKind(StrEnum):
    combination = "combination"  # add drug(s) to the failed therapy
    switch = "switch"  # replace the failed therapy
    sequence = "sequence"  # an order of regimens (e.g. rechallenge after a holiday)
    rechallenge = "rechallenge"


class DrugClass(StrEnum):
    monoclonal_antibody = "monoclonal_antibody"
    antibody_mixture = "antibody_mixture"
    antibody_drug_conjugate = "antibody_drug_conjugate"
    bispecific_antibody = "bispecific_antibody"
    kinase_inhibitor = "kinase_inhibitor"
    small_molecule = "small_molecule"
    chemotherapy = "chemotherapy"
    chemotherapy_regimen = "chemotherapy_regimen"
    immunotherapy = "immunotherapy"
    cytokine = "cytokine"
    hormonal = "hormonal"
    metabolic = "metabolic"
    tool_compound = "tool_compound"
    natural_product = "natural_product"
    oligonucleotide = "oligonucleotide"
    vaccine = "vaccine"
    cell_therapy = "cell_therapy"
    other = "other"


class MarkerKind(StrEnum):
    expression = "expression"  # mRNA or protein level of one gene
    protein = "protein"  # a protein form or state (p95HER2, pSTAT3, HER2 IHC score)
    germline = "germline"  # germline genotype (FCGR3A 158V/F)
    signature = "signature"  # MSI, TMB
    copy_number = "copy_number"  # a measured copy number (EGFR GCN by FISH)
    phenotype = "phenotype"  # cell state or tumour microenvironment feature (EMT, CAF-rich)


class MarkerDef(_Record):
    """A marker that profiles state as ``NAME=VALUE`` and patterns test as ``NAME=VALUE``."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", description="canonical name")
    aliases: list[str] = Field(default_factory=list)
    kind: MarkerKind
    gene: str | None = Field(default=None, description="HGNC symbol measured, if one")
    values: list[str] = Field(min_length=1, description="allowed categorical values")
    numeric_unit: str | None = Field(default=None, description="unit when a number is allowed")
    high_threshold: float | None = Field(default=None, description="number >= this reads 'high'")
    low_threshold: float | None = Field(default=None, description="number <= this reads 'low'")
    description: str = Field(min_length=5)
    sources: list[SourceId] = Field(default_factory=list)


class SeedRef(_Record):
    """Where a record was read: seed file, 1-based line, section, and a verbatim quote."""

    seed: Annotated[str, StringConstraints(pattern=r"^00[0-3]$")]
    line: int = Field(ge=1)
    section: str = Field(min_length=1)
    quote: str = Field(min_length=4, max_length=300)


class Numbers(_Record):
    """Outcome figures as the source states them. Percent 0-100, months, unitless HR."""

    n: int | None = Field(default=None, ge=1, description="patients, samples or cell lines")
    n_control: int | None = Field(default=None, ge=1)
    orr: float | None = Field(default=None, ge=0, le=100, description="objective response rate, %")
    orr_control: float | None = Field(default=None, ge=0, le=100)
    dcr: float | None = Field(default=None, ge=0, le=100, description="disease control rate, %")
    dcr_control: float | None = Field(default=None, ge=0, le=100)
    pfs: float | None = Field(default=None, ge=0, description="median PFS (or TTP), months")
    pfs_control: float | None = Field(default=None, ge=0)
    os: float | None = Field(default=None, ge=0, description="median overall survival, months")
    os_control: float | None = Field(default=None, ge=0)
    hr: float | None = Field(default=None, gt=0, description="hazard ratio")
    hr_endpoint: str | None = Field(default=None, pattern=r"^(pfs|os|ttp|dfs|efs)$")
    ci_low: float | None = Field(default=None, gt=0, description="95% CI of the HR, lower bound")
    ci_high: float | None = Field(default=None, gt=0)
    odds_ratio: float | None = Field(default=None, gt=0)
    p: float | None = Field(default=None, ge=0, le=1)
    frequency: float | None = Field(default=None, ge=0, le=100, description="biomarker prevalence, %")
    text: str | None = Field(default=None, description="the figures verbatim, when they do not fit")


class Source(_Record):
    """A publication cited by other records."""

    id: SourceId
    citation: str = Field(min_length=5, description="First author et al. Journal Year;Vol:Pages")
    year: int = Field(ge=1950, le=2030)
    pmid: str | None = Field(default=None, pattern=r"^\d{5,9}$")
    doi: str | None = Field(default=None, pattern=r"^10\.\S+$")
    title: str | None = None
    trial: str | None = Field(default=None, description="trial acronym, e.g. BEACON, CRYSTAL")
    study_type: StudyType
    where: list[SeedRef] = Field(min_length=1)


class Drug(_Record):
    """An agent, a standard regimen, or a tool compound."""

    id: RecordId
    name: str
    synonyms: list[str] = Field(default_factory=list, description="brand, code and other names")
    drug_class: DrugClass
    targets: list[str] = Field(default_factory=list, description="HGNC symbols, or a process")
    mechanism_of_action: str | None = None
    epitope: str | None = Field(default=None, description="antibodies: domain/epitope bound")
    isotype: str | None = Field(default=None, description="antibodies: IgG1, IgG2, ...")
    components: list[str] = Field(default_factory=list, description="regimens: drug ids")
    approved: bool = False
    sources: list[SourceId] = Field(default_factory=list)
    where: list[SeedRef] = Field(default_factory=list)

    @property
    def is_class(self) -> bool:
        """A class record ("MEK inhibitor (class)"): evidence about a drug class, not an agent
        one can prescribe (named with a trailing "(class)", see docs/curation.md)."""
        return self.name.endswith("(class)")


class Mechanism(_Record):
    """A named way of escaping a therapy."""

    id: RecordId
    name: str
    category: MechanismCategory
    timing: Timing
    therapies: list[str] = Field(min_length=1, description="drug ids/names it affects")
    genes: list[str] = Field(default_factory=list, description="HGNC symbols involved")
    biomarkers: list[str] = Field(default_factory=list, description="patterns that reveal it")
    model_nodes: list[str] = Field(default_factory=list, description="network nodes it acts on")
    description: str = Field(min_length=10)
    sources: list[SourceId] = Field(min_length=1)
    where: list[SeedRef] = Field(min_length=1)


class Assertion(_Record):
    """Biomarker x tumour type x regimen -> effect, with numbers and sources."""

    id: RecordId
    biomarker: str = Field(description="pattern, see herscape.knowledge._pattern")
    tumor_type: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    therapy: str = Field(description="regimen: drug names joined by +")
    effect: Effect
    direction: str = Field(default="supports", pattern=r"^(supports|does_not_support)$")
    level: Level
    mechanism: RecordId | None = None
    timing: Timing | None = None
    setting: str | None = Field(default=None, description="line of therapy, population, model")
    numbers: Numbers | None = None
    sources: list[SourceId] = Field(min_length=1)
    where: list[SeedRef] = Field(min_length=1)
    notes: str | None = None


class Strategy(_Record):
    """A regimen that reverses or bypasses a mechanism, with its evidence and outcome."""

    id: RecordId
    mechanism: RecordId | None = None
    biomarker: str | None = Field(default=None, description="pattern of the selected population")
    tumor_type: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    fails: str = Field(description="the therapy the mechanism defeats (regimen)")
    regimen: str = Field(description="the proposed regimen (drugs joined by +)")
    kind: StrategyKind
    outcome: Outcome
    level: Level
    setting: str | None = None
    comparator: str | None = None
    numbers: Numbers | None = None
    sources: list[SourceId] = Field(min_length=1)
    where: list[SeedRef] = Field(min_length=1)
    notes: str | None = None
