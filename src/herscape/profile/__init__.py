"""What the tumour has: features, profiles, normalisation, readers and tumour types.

>>> from herscape.profile import parse_alteration, read_profiles
>>> [str(f) for f in parse_alteration("HER2 amplified").features]
['ERBB2 amplification']

A profile comes from alteration strings and markers (:func:`profile_from_strings`) or from
files (:func:`read_profiles`: MAF, VCF with VEP ``CSQ`` or SnpEff ``ANN``, copy-number
matrices and per-sample tables, expression z-scores, structural variants and fusions in the
cBioPortal and OncoKB annotator forms, OncoKB atypical alterations, marker TSVs, clinical
sample files, gene-panel matrices, cBioPortal study folders and JSON profiles; the format is
detected by :func:`detect_format`, never guessed). What was sequenced comes from an
:class:`Assay` (``--assay``, ``--tested``, gene panels); see ``docs/profiles.md``.
"""

from herscape.profile._alteration import ParsedAlteration, parse_alteration, parse_marker
from herscape.profile._assay import Assay, read_gene_panel
from herscape.profile._collect import ReadResult
from herscape.profile._features import (
    COPY_STATUSES,
    CopyNumber,
    Expression,
    Feature,
    Fusion,
    Germline,
    Intragenic,
    MarkerFeature,
    MeasuredCopyNumber,
    Methylation,
    Mutation,
    Phenotype,
    PriorTherapy,
    Profile,
    Protein,
    Signature,
    Splice,
    Unrecognized,
    make_mutation,
)
from herscape.profile._genemodel import (
    ExonRange,
    activating_reason,
    exon_of,
    exon_ranges,
    is_activating_fusion,
)
from herscape.profile._genes import closest_genes, gene_symbols, is_gene, normalize_gene
from herscape.profile._maf import MafRows
from herscape.profile._oncotree import (
    OncoTree,
    TumorType,
    load_oncotree,
    oncotree,
    tumor_type_problem,
)
from herscape.profile._protein import (
    CodonOnly,
    Deletion,
    Delins,
    Duplication,
    Extension,
    Frameshift,
    Insertion,
    ProteinChange,
    SpliceSite,
    StartLoss,
    Substitution,
    parse_protein_change,
)
from herscape.profile._read import (
    FORMATS,
    detect_format,
    profile_from_strings,
    read_profiles,
    unrecognized_count,
)
from herscape.profile._vocab import MarkerVocabulary, default_vocabulary

__all__ = [
    "COPY_STATUSES",
    "FORMATS",
    "Assay",
    "CodonOnly",
    "CopyNumber",
    "Deletion",
    "Delins",
    "Duplication",
    "ExonRange",
    "Expression",
    "Extension",
    "Feature",
    "Frameshift",
    "Fusion",
    "Germline",
    "Insertion",
    "Intragenic",
    "MafRows",
    "MarkerFeature",
    "MarkerVocabulary",
    "MeasuredCopyNumber",
    "Methylation",
    "Mutation",
    "OncoTree",
    "ParsedAlteration",
    "Phenotype",
    "PriorTherapy",
    "Profile",
    "Protein",
    "ProteinChange",
    "ReadResult",
    "Signature",
    "Splice",
    "SpliceSite",
    "StartLoss",
    "Substitution",
    "TumorType",
    "Unrecognized",
    "activating_reason",
    "closest_genes",
    "default_vocabulary",
    "detect_format",
    "exon_of",
    "exon_ranges",
    "gene_symbols",
    "is_activating_fusion",
    "is_gene",
    "load_oncotree",
    "make_mutation",
    "normalize_gene",
    "oncotree",
    "parse_alteration",
    "parse_marker",
    "parse_protein_change",
    "profile_from_strings",
    "read_gene_panel",
    "read_profiles",
    "tumor_type_problem",
    "unrecognized_count",
]
