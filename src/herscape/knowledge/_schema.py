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
status/        :class:`DrugStatus`: a drug's development phase, approvals and discontinuation
=============  ===========================================================================

``release.yaml`` beside the folders holds the :class:`Release` (version and date).

Conventions
-----------
* Two kinds of source. ``where`` ties a record to the seed text: seed file prefix
  (``"000"``..``"003"``), 1-based line number in that file, section heading, and a short verbatim
  ``quote`` that must occur within three lines of ``line`` (checked by ``herscape kb validate``
  when the seeds are present). Evidence beyond the seeds (pivotal and negative trials, drug
  labels) is cited through a :class:`Source` that names its PMID, DOI or NCT number and ``read``:
  the address where the figures were read and the date. A record without ``where`` must cite
  only such read sources (checked at load).
* Regimens are drug names joined by ``+`` (any synonym, case-insensitive); each name must
  resolve to a drug record.
* Tumour types are OncoTree codes; ``TISSUE`` (the OncoTree root) means pan-cancer.
* Biomarkers use the pattern syntax of :mod:`herscape.knowledge._pattern`.
* Numbers: percentages in percent (0-100), times in months, hazard ratios unitless. A p-value
  stated as a bound ("P < 0.001") is stored with ``p_bound: "<"``.
* ``setting`` says where a claim holds: line of therapy, stage, prior therapy, rechallenge,
  primary tumour side, hormone-receptor status, and the population in the source's words. A
  plain string is read as the population alone.
* ``claim: prognostic`` marks an assertion about outcome whatever the treatment; it never counts
  as a prediction of response.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

__all__ = [
    "Agency",
    "Approval",
    "Assertion",
    "Claim",
    "Discontinuation",
    "Drug",
    "DrugClass",
    "DrugStatus",
    "Effect",
    "Level",
    "Line",
    "MarkerDef",
    "MarkerKind",
    "Mechanism",
    "MechanismCategory",
    "Numbers",
    "Outcome",
    "Phase",
    "Reading",
    "Release",
    "SeedRef",
    "Setting",
    "Source",
    "Strategy",
    "StrategyKind",
    "StudyType",
    "Timing",
]

RecordId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/()\-]*$", min_length=2)]
SourceId = Annotated[
    str, StringConstraints(pattern=r"^(pmid:\d+|doi:10\.\S+|nct:NCT\d{8}|ref:[a-z0-9_\-]+)$")]


_ENDPOINTS = r"^(pfs|os|ttp|dfs|efs|idfs|rfs|ttf|cns_pfs)$"


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
    label = "label"  # a regulatory drug label or approval notice (FDA prescribing information or
    # announcement, EMA SmPC or assessment)
    announcement = "announcement"  # a company or agency statement (development stopped, trial halted)
    reference = "reference"  # a standard reference (nomenclature, database)


class Timing(StrEnum):
    primary = "primary"
    acquired = "acquired"
    both = "both"
    uncertain = "uncertain"  # the source cannot tell (seed 001 Table 2 "Not sure" for both)


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


class Claim(StrEnum):
    predictive = "predictive"  # the marker changes the benefit of the therapy
    prognostic = "prognostic"  # the marker changes outcome whatever the therapy: never a prediction


class Line(StrEnum):
    """Line of therapy (metastatic/advanced disease unless an early-disease value)."""

    first = "first"
    second = "second"
    second_or_later = "second_or_later"
    later = "later"  # third line or later, refractory to the standard drugs
    any = "any"
    maintenance = "maintenance"
    neoadjuvant = "neoadjuvant"
    adjuvant = "adjuvant"
    perioperative = "perioperative"


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


class Reading(_Record):
    """Where the figures of a source beyond the seeds were read: address, date and what it was."""

    url: str = Field(pattern=r"^https?://\S+$")
    date: str = Field(pattern=r"^20\d\d-[01]\d-[0-3]\d$", description="YYYY-MM-DD")
    what: str = Field(pattern=r"^(abstract|full_text|label|trial_report|registry|conference_abstract"
                              r"|press_release|guideline|news)$")


class Setting(_Record):
    """Where a claim holds, as the source states it. Every field is optional."""

    population: str | None = Field(default=None, description="the population in the source's words")
    line: Line | None = None
    stage: str | None = Field(default=None, pattern=r"^(early|locally_advanced|metastatic)$")
    prior: list[str] = Field(default_factory=list,
                             description="drugs/classes the population had received (resolve to drugs)")
    rechallenge: bool | None = Field(default=None,
                                     description="re-treatment with a class the tumour progressed on")
    sidedness: str | None = Field(default=None, pattern=r"^(left|right)$",
                                  description="primary tumour side (colorectal)")
    hormone_receptor: str | None = Field(default=None, pattern=r"^(positive|negative)$")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"population": data} if isinstance(data, str) else data

    def __str__(self) -> str:
        bits = [self.population] if self.population else []
        if self.line is not None:
            bits.append(f"{self.line.value.replace('_', ' ')} line" if self.line.value not in
                        ("neoadjuvant", "adjuvant", "perioperative", "maintenance", "any")
                        else self.line.value)
        if self.stage:
            bits.append(self.stage.replace("_", " "))
        if self.prior:
            bits.append("after " + ", ".join(self.prior))
        if self.rechallenge is not None:
            bits.append("rechallenge" if self.rechallenge else "not a rechallenge")
        if self.sidedness:
            bits.append(f"{self.sidedness}-sided primary")
        if self.hormone_receptor:
            bits.append(f"HR-{self.hormone_receptor}")
        return "; ".join(bits)


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
    hr_endpoint: str | None = Field(default=None, pattern=_ENDPOINTS)
    ci_low: float | None = Field(default=None, gt=0, description="95% CI of the HR, lower bound")
    ci_high: float | None = Field(default=None, gt=0)
    odds_ratio: float | None = Field(default=None, gt=0)
    p: float | None = Field(default=None, ge=0, le=1)
    p_bound: str | None = Field(default=None, pattern=r"^(<|<=)$",
                                description="'<' when the source states P below a bound (p holds the bound)")
    hr2: float | None = Field(default=None, gt=0, description="a second hazard ratio")
    hr2_endpoint: str | None = Field(default=None, pattern=_ENDPOINTS)
    ci2_low: float | None = Field(default=None, gt=0)
    ci2_high: float | None = Field(default=None, gt=0)
    p2: float | None = Field(default=None, ge=0, le=1)
    p2_bound: str | None = Field(default=None, pattern=r"^(<|<=)$")
    pcr: float | None = Field(default=None, ge=0, le=100, description="pathological complete response, %")
    pcr_control: float | None = Field(default=None, ge=0, le=100)
    cbr: float | None = Field(default=None, ge=0, le=100, description="clinical benefit rate, %")
    cbr_control: float | None = Field(default=None, ge=0, le=100)
    efs: float | None = Field(default=None, ge=0, description="median event-free survival, months")
    efs_control: float | None = Field(default=None, ge=0)
    dfs: float | None = Field(default=None, ge=0, description="median disease-free survival, months")
    dfs_control: float | None = Field(default=None, ge=0)
    rate: float | None = Field(default=None, ge=0, le=100,
                               description="landmark rate, % (e.g. 3-year invasive DFS)")
    rate_control: float | None = Field(default=None, ge=0, le=100)
    rate_endpoint: str | None = Field(default=None, description="what ``rate`` measures, e.g. '3-year IDFS'")
    frequency: float | None = Field(default=None, ge=0, le=100, description="biomarker prevalence, %")
    text: str | None = Field(default=None, description="the figures verbatim, when they do not fit")

    @model_validator(mode="after")
    def _paired(self) -> Numbers:
        """A bound needs its value, a CI both ends, a landmark rate what it measures."""
        pairs = (("p_bound", "p"), ("p2_bound", "p2"), ("hr_endpoint", "hr"), ("hr2_endpoint", "hr2"),
                 ("ci2_low", "hr2"), ("rate_endpoint", "rate"))
        for tag, value in pairs:
            if getattr(self, tag) is not None and getattr(self, value) is None:
                msg = f"{tag} is given but {value} is not"
                raise ValueError(msg)
        for low, high in (("ci_low", "ci_high"), ("ci2_low", "ci2_high")):
            a, b = getattr(self, low), getattr(self, high)
            if (a is None) != (b is None):
                msg = f"{low} and {high} go together"
                raise ValueError(msg)
            if a is not None and a > b:
                msg = f"{low} {a} is above {high} {b}"
                raise ValueError(msg)
        if (self.rate is not None or self.rate_control is not None) and self.rate_endpoint is None:
            msg = "rate needs rate_endpoint (what it measures, e.g. '3-year IDFS')"
            raise ValueError(msg)
        return self


class Source(_Record):
    """A publication cited by other records."""

    id: SourceId
    citation: str = Field(min_length=5, description="First author et al. Journal Year;Vol:Pages")
    year: int = Field(ge=1950, le=2030)
    pmid: str | None = Field(default=None, pattern=r"^\d{5,9}$")
    doi: str | None = Field(default=None, pattern=r"^10\.\S+$")
    title: str | None = None
    trial: str | None = Field(default=None, description="trial acronym, e.g. BEACON, CRYSTAL")
    nct: str | None = Field(default=None, pattern=r"^NCT\d{8}$", description="trial registration")
    study_type: StudyType
    where: list[SeedRef] = Field(default_factory=list, description="seed lines (seed sources)")
    read: list[Reading] = Field(default_factory=list, description="where figures were read (others)")

    @model_validator(mode="after")
    def _traceable(self) -> Source:
        if not self.where and not self.read:
            raise ValueError("a source needs 'where' (seed lines) or 'read' (address and date)")
        # labels, agency notices and guideline lists are cited by address (no PMID/DOI)
        unnumbered = (StudyType.label, StudyType.announcement, StudyType.guideline)
        if self.read and not (self.pmid or self.doi or self.nct or self.study_type in unnumbered):
            raise ValueError("a source read outside the seeds needs a pmid, doi or nct "
                             "(or study_type 'label', 'announcement' or 'guideline')")
        return self

    @property
    def is_seed(self) -> bool:
        """Read in the seed documents (else: beyond the seeds, with a reading address)."""
        return bool(self.where)


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
    where: list[SeedRef] = Field(default_factory=list, description="empty: only read sources cited")


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
    claim: Claim = Claim.predictive
    setting: Setting | None = Field(default=None, description="where the claim holds")
    comparator: str | None = Field(default=None, description="the control arm, as the source states it")
    numbers: Numbers | None = None
    sources: list[SourceId] = Field(min_length=1)
    where: list[SeedRef] = Field(default_factory=list, description="empty: only read sources cited")
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
    timing: Timing | None = Field(default=None, description="the resistance it answers: primary, acquired")
    setting: Setting | None = Field(default=None, description="where the regimen was tested")
    comparator: str | None = None
    numbers: Numbers | None = None
    sources: list[SourceId] = Field(min_length=1)
    where: list[SeedRef] = Field(default_factory=list, description="empty: only read sources cited")
    notes: str | None = None


class Phase(StrEnum):
    """The furthest a drug has gone in development (whatever happened after)."""

    approved = "approved"  # approved by at least one agency for some indication
    phase_iii = "phase_iii"
    phase_ii = "phase_ii"
    phase_i = "phase_i"
    preclinical = "preclinical"
    not_a_drug = "not_a_drug"  # a tool compound, a drug class or a regimen name: never developed as such


class Agency(StrEnum):
    FDA = "FDA"
    EMA = "EMA"  # European Commission authorisation on the EMA's opinion
    NMPA = "NMPA"  # China
    PMDA = "PMDA"  # Japan


class Approval(_Record):
    """One approved indication: agency, year, who (tumour, biomarker, setting) and on what regimen."""

    agency: Agency
    year: int = Field(ge=1950, le=2030)
    indication: str = Field(min_length=5, description="the indication in short, as the label states it")
    tumor_type: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$", description="OncoTree code (TISSUE: tumour-agnostic)")
    biomarker: str | None = Field(default=None, description="pattern the label selects on, if any")
    regimen: str | None = Field(default=None,
                                description="the approved regimen (drugs joined by +); default the drug alone")
    setting: Setting | None = None
    accelerated: bool = Field(default=False, description="FDA accelerated (conditional) approval")
    withdrawn: bool = Field(default=False, description="the indication was withdrawn")
    withdrawn_year: int | None = Field(default=None, ge=1950, le=2030, description="when, if known")
    source: SourceId


class Discontinuation(_Record):
    """Development stopped: when (if known), why, and what says so."""

    year: int | None = Field(default=None, ge=1950, le=2030)
    reason: str = Field(min_length=5, description="e.g. 'no benefit in phase III (trial)'")
    source: SourceId


class DrugStatus(_Record):
    """Where a drug stands: phase reached, approvals, discontinuation; every statement cited.

    ``id`` is the drug's id. States: *approved* (an approval not withdrawn, or ``phase: approved``
    with the indications not itemised, as for chemotherapy backbones), *discontinued*
    (development stopped and nothing approved, or every approval withdrawn), otherwise
    *investigational*; a tool compound or a class is *not a drug*. An approved drug may still be
    discontinued in other indications (``discontinued`` with an approval): it stays approved.
    """

    id: RecordId
    phase: Phase
    approvals: list[Approval] = Field(default_factory=list)
    discontinued: Discontinuation | None = None
    sources: list[SourceId] = Field(min_length=1, description="what supports the phase reached")
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> DrugStatus:
        if self.approvals and self.phase is not Phase.approved:
            msg = f"phase is {self.phase.value!r} but approvals are listed: phase must be 'approved'"
            raise ValueError(msg)
        return self

    @property
    def state(self) -> str:
        """``approved``, ``discontinued``, ``investigational`` or ``not_a_drug``."""
        if self.phase is Phase.not_a_drug:
            return "not_a_drug"
        if any(not a.withdrawn for a in self.approvals):
            return "approved"
        if self.approvals:  # every itemised approval withdrawn
            return "discontinued"
        if self.phase is Phase.approved:  # approved, indications not itemised
            return "approved"
        return "discontinued" if self.discontinued is not None else "investigational"

    @property
    def is_discontinued(self) -> bool:
        """Never to be recommended: development stopped and no approval stands."""
        return self.state == "discontinued"

    def approvals_for(self, tumor_type: str | None = None) -> list[Approval]:
        """Standing approvals, for one OncoTree code exactly when given (no tree walk here)."""
        return [a for a in self.approvals if not a.withdrawn
                and (tumor_type is None or a.tumor_type == tumor_type)]


class Release(_Record):
    """The knowledge release: a version and the date it was cut (``data/release.yaml``)."""

    version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$", description="MAJOR.MINOR[.PATCH]")
    date: str = Field(pattern=r"^20\d\d-[01]\d-[0-3]\d$", description="YYYY-MM-DD")
    notes: str | None = None
