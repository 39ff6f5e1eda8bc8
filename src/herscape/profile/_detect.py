"""Which format a file is in, decided by its columns and first rows, never by a guess.

>>> from herscape.profile._detect import SIGNATURES
>>> sorted(s.fmt for s in SIGNATURES if s.reject is None)[:4]
['atypical', 'clinical', 'cna_long', 'cna_matrix']

Each tabular format declares the columns that identify it (``required``: every group must be
present, any name of a group will do), columns that support it, columns that rule it out, and
a check of the values in the first rows. :func:`detect_format` scores every format on the
header and the first :data:`SAMPLE_ROWS` rows. The best score must be clear: a tie, or no
format with all its identifying columns, is a :class:`~herscape.errors.ProfileParseError`
naming the candidates and the columns that decided. Files that are recognised but carry
nothing herscape reads (segments, patient attributes, a cBioPortal meta file or gene-panel
definition given alone) are rejected with a message saying what they are and what to do.

A table is read as mutations only when it has a mutation's columns (``Variant_Classification``,
``HGVSp_Short``, ``HGVSp``, ``Protein_Change``, ``HGVSc``, ...): the OncoKB per-sample
copy-number table (``Tumor_Sample_Barcode, Hugo_Symbol, Copy_Number_Alteration``) is a
copy-number table, not a MAF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from herscape.errors import ProfileParseError

__all__ = ["SAMPLE_ROWS", "SIGNATURES", "Signature", "detect_format", "peek"]

#: Rows after the header looked at to check value shapes.
SAMPLE_ROWS = 50
_NA = frozenset({"", "na", "nan", ".", "n/a", "none"})
#: GISTIC values and copy-number words (lower case) a copy-number column may hold.
CNA_WORDS = frozenset({
    "-2", "-1.5", "-1", "0", "1", "2", "amp", "amplification", "amplified", "gain", "loss",
    "hetloss", "shallow_deletion", "shallowdel", "homdel", "deep_deletion", "deep deletion",
    "deletion", "deep_del", "neutral", "diploid",
})
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_MUTATION_COLUMNS = ("variant_classification", "hgvsp_short", "hgvsp", "protein_change",
                     "amino_acid_change", "hgvsc", "tumor_seq_allele2", "reference_allele")
_SAMPLE = ("tumor_sample_barcode", "sample_id", "sample")
_GENE = ("hugo_symbol", "gene symbol", "gene", "symbol")
_MATRIX_META = frozenset({"hugo_symbol", "gene symbol", "entrez_gene_id", "locus id",
                          "cytoband", "gene", "symbol"})
_PANEL_PROFILES = ("mutations", "cna", "gistic", "structural_variants", "sv", "fusion",
                   "fusions", "mutation")


@dataclass(frozen=True, slots=True)
class _Peek:
    """The header (original case), lower-cased names, first rows and the file name."""

    header: list[str]
    lower: list[str]
    rows: list[list[str]]
    name: str
    header_line: int
    first: str  # first non-blank line, comments included (for key: value files)


def peek(path: Path) -> _Peek:
    """Header and first rows of a tab-separated file (``#`` lines skipped)."""
    header: list[str] | None = None
    rows: list[list[str]] = []
    first = ""
    hline = 0
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            if not first:
                first = line
            if line.startswith("#"):
                continue
            if header is None:
                header, hline = line.split("\t"), lineno
                continue
            rows.append(line.split("\t"))
            if len(rows) >= SAMPLE_ROWS:
                break
    header = header or []
    return _Peek(header, [" ".join(h.strip().lower().split()) for h in header], rows,
                 path.name.lower(), hline, first)


def _col(p: _Peek, names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in p.lower:
            return p.lower.index(name)
    return None


def _values(p: _Peek, i: int) -> list[str]:
    return [r[i].strip() for r in p.rows if i < len(r) and r[i].strip().lower() not in _NA]


def _cna_long_values(p: _Peek) -> bool:
    i = _col(p, ("copy_number_alteration", "alteration", "cna", "value", "call", "status"))
    vals = _values(p, i) if i is not None else []
    return bool(vals) and all(v.lower() in CNA_WORDS for v in vals)


def _matrix_columns(p: _Peek) -> list[int]:
    return [i for i, h in enumerate(p.lower) if h not in _MATRIX_META]


def _matrix_values(p: _Peek, ok: Callable[[str], bool]) -> bool:
    cols = _matrix_columns(p)
    vals = [v for i in cols for v in _values(p, i)]
    return bool(cols) and bool(vals) and all(ok(v) for v in vals)


def _discrete(v: str) -> bool:
    return v.lower() in CNA_WORDS


def _number(v: str) -> bool:
    return bool(_NUMBER.match(v))


def _continuous_values(p: _Peek) -> bool:
    """All values are numbers and some are fractions that are not GISTIC calls (1.4345,
    -0.2735); whole numbers out of -2..2 are a bad copy-number matrix, not continuous data."""
    cols = _matrix_columns(p)
    vals = [v for i in cols for v in _values(p, i)]
    return (bool(vals) and all(_number(v) for v in vals)
            and any(not _discrete(v) and ("." in v or "e" in v.lower()) for v in vals))


def _atypical_values(p: _Peek) -> bool:
    i = _col(p, ("alteration",))
    vals = _values(p, i) if i is not None else []
    return bool(vals) and not all(v.lower() in CNA_WORDS for v in vals)


def _fusion_list(p: _Peek) -> bool:
    lines = [p.header, *p.rows]
    cells = [c for row in lines for c in row[-1:]]
    return len(p.header) <= 2 and any("::" in c for c in cells)


@dataclass(frozen=True, slots=True)
class Signature:
    """What identifies one format.

    Parameters
    ----------
    fmt
        Format name.
    required
        Column groups that must all be present (any name of a group).
    supporting
        Columns that add to the score when present.
    forbidden
        Columns that rule the format out.
    check
        Value check on the first rows; ``False`` rules the format out.
    name_hint
        A token of the file name that adds to the score (``zscore``).
    reject
        For formats recognised but not read: what it is and what to do.
    description
        How the format is named in messages.
    """

    fmt: str
    required: tuple[tuple[str, ...], ...]
    description: str
    supporting: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    check: Callable[[_Peek], bool] | None = None
    check_text: str = ""
    name_hint: str | None = None
    name_required: bool = False
    reject: str | None = None

    def score(self, p: _Peek) -> int:
        """0 when ruled out (a forbidden column, a required group missing); else 10 per
        required group, 2 per supporting column, +5 for values of the right shape (-5 when
        they are not: a bad value then fails in the reader, naming its line, instead of
        making the format unknown), +5 for a file-name hint."""
        if any(f in p.lower for f in self.forbidden):
            return 0
        if not all(_col(p, group) is not None for group in self.required):
            return 0
        hinted = self.name_hint is not None and self.name_hint in p.name.replace("-", "").replace("_", "")
        if self.name_required and not hinted:
            return 0
        s = 10 * len(self.required) + 2 * sum(c in p.lower for c in self.supporting)
        if self.check is not None:
            if not self.check(p):
                if self.reject is not None or not self.required:
                    return 0  # never reject (or pick a header-less format) on a failed check
                s -= 5
            else:
                s += 5
        if hinted:
            s += 5
        return s

    def deciding(self, p: _Peek) -> str:
        """The columns (and value check) that decided, for messages."""
        cols = [p.header[_col(p, g)] for g in self.required if _col(p, g) is not None]  # type: ignore[index]
        cols += [p.header[p.lower.index(c)] for c in self.supporting if c in p.lower]
        what = ", ".join(cols) if cols else "no header"
        return what + (f"; {self.check_text}" if self.check_text else "")


SIGNATURES: tuple[Signature, ...] = (
    Signature("maf", ((("hugo_symbol",)), ("tumor_sample_barcode",), _MUTATION_COLUMNS),
              "MAF (Hugo_Symbol, Tumor_Sample_Barcode and a mutation column such as "
              "Variant_Classification or HGVSp_Short)",
              supporting=("chromosome", "start_position", "ncbi_build", "variant_type",
                          "hgvsp_short", "variant_classification"),
              forbidden=("copy_number_alteration", "fusion", "sv_type")),
    Signature("cna_long", (_SAMPLE, _GENE, ("copy_number_alteration", "alteration", "cna",
                                             "value", "call", "status")),
              "per-sample copy-number table (sample, gene, Copy_Number_Alteration: -2..2 or "
              "Amplification/Gain/Loss/Deletion)",
              supporting=("copy_number_alteration", "entrez_gene_id", "copies"),
              forbidden=("marker",), check=_cna_long_values,
              check_text="values are copy-number calls"),
    Signature("cna_matrix", (("hugo_symbol", "gene symbol"),),
              "copy-number matrix (Hugo_Symbol or Gene Symbol, then one column per sample "
              "holding -2..2)",
              supporting=("entrez_gene_id", "locus id", "cytoband"),
              forbidden=("tumor_sample_barcode", "sample_id", "sample"),
              check=lambda p: _matrix_values(p, _discrete),
              check_text="sample columns hold -2..2"),
    Signature("expression", (("hugo_symbol", "gene symbol"),),
              "expression z-score matrix (Hugo_Symbol, then one column per sample; the file "
              "name says Zscores)",
              supporting=("entrez_gene_id",),
              forbidden=("tumor_sample_barcode", "sample_id", "sample"),
              check=_continuous_values,
              check_text="sample columns hold z-scores", name_hint="zscore", name_required=True),
    Signature("continuous_matrix", (("hugo_symbol", "gene symbol"),),
              "gene x sample matrix of continuous values",
              forbidden=("tumor_sample_barcode", "sample_id", "sample"),
              check=lambda p: _continuous_values(p) and "zscore" not in p.name,
              check_text="sample columns hold continuous values",
              reject=("a gene x sample matrix of continuous values: expression z-scores, log2 "
                      "copy number and methylation cannot be told apart from the values; give the "
                      "cBioPortal study folder (its meta file says what the file is), or name an "
                      "expression z-score file *_Zscores.txt")),
    Signature("sv", (_SAMPLE, ("site1_hugo_symbol", "site2_hugo_symbol")),
              "cBioPortal structural variants (Sample_Id, Site1_Hugo_Symbol, Site2_Hugo_Symbol)",
              supporting=("site2_hugo_symbol", "class", "event_info")),
    Signature("sv_oncokb", (_SAMPLE, ("genea",), ("geneb",)),
              "OncoKB structural variants (Tumor_Sample_Barcode, GeneA, GeneB, Sv_Type)",
              supporting=("sv_type",)),
    Signature("fusions", (_SAMPLE, ("fusion",)),
              "fusion table (Tumor_Sample_Barcode, Fusion: ALK-EML4, EML4::ALK, "
              "MLL2-intragenic, ETV6-RUNX1 fusion)",
              supporting=("hugo_symbol",)),
    Signature("fusion_list", (),
              "GENE1::GENE2 list (one fusion per line, optionally after a sample column)",
              check=_fusion_list, check_text="lines hold GENE1::GENE2"),
    Signature("atypical", (("hugo_symbol",), ("sample_id", "tumor_sample_barcode"), ("alteration",)),
              "OncoKB atypical alterations (HUGO_SYMBOL, SAMPLE_ID, ALTERATION: MSI-H, TMB-H, "
              "EGFR vIII)", check=_atypical_values, check_text="alterations are not copy-number calls"),
    Signature("markers", (("sample", "sample_id"), ("marker", "name"), ("value", "status", "result")),
              "marker table (sample, marker, value)"),
    Signature("clinical", (("sample_id",),),
              "clinical sample file (SAMPLE_ID, ONCOTREE_CODE)",
              supporting=("oncotree_code", "patient_id", "cancer_type", "cancer_type_detailed"),
              forbidden=("hugo_symbol", "marker", "fusion", "alteration", "genea", *_PANEL_PROFILES[:4])),
    Signature("panel_matrix", (("sample_id",), _PANEL_PROFILES),
              "cBioPortal gene-panel matrix (SAMPLE_ID, then one column per profile: mutations, "
              "gistic, structural_variants)",
              forbidden=("oncotree_code", "hugo_symbol")),
    Signature("clinical_patient", (("patient_id",),), "clinical patient file (PATIENT_ID only)",
              forbidden=("sample_id", "hugo_symbol", "tumor_sample_barcode"),
              reject=("a clinical patient file: it holds patient attributes, nothing per sample; give "
                      "the sample file (SAMPLE_ID, ONCOTREE_CODE) or the study folder")),
    Signature("segments", (("id", "sample", "id_sample"), ("chrom", "chromosome"),
                           ("loc.start", "start"), ("loc.end", "end"), ("seg.mean", "segment_mean")),
              "copy-number segments (ID, chrom, loc.start, loc.end, seg.mean)",
              reject=("copy-number segments: herscape reads gene-level calls; run GISTIC (or "
                      "cBioPortal's discrete CNA) and give the gene x sample matrix")),
)


def _key_value(p: _Peek) -> str | None:
    head = p.first.split(":", 1)[0].strip().lower() if ":" in p.first else ""
    text = "\n".join(["\t".join(p.header), *("\t".join(r) for r in p.rows)]).lower()
    if "gene_list:" in text and "stable_id:" in text:
        return ("a cBioPortal gene-panel definition: it says which genes an assay covers, not what a "
                "sample has; give it with --assay FILE, or read the whole study folder")
    if "case_list_ids:" in text:
        return "a cBioPortal case list: read the whole study folder, which uses it"
    if head in {"genetic_alteration_type", "cancer_study_identifier", "type_of_cancer",
                "resource_type"}:
        return ("a cBioPortal meta file: it describes a data file; read the whole study folder "
                "(the meta files decide what each data file is)")
    return None


def detect_format(path: Path) -> str:
    """The format of ``path``: ``study`` for a folder, ``vcf``, ``json``, or the best-scoring
    tabular format of :data:`SIGNATURES`.

    Raises
    ------
    ProfileParseError
        When no format has all its identifying columns, when two formats score the same, or
        when the file is recognised but is not something herscape reads (the message says
        what it is and what to do).
    """
    if path.is_dir():
        return "study"
    name = path.name.lower()
    if name.endswith((".vcf", ".vcf.gz", ".bcf", ".vcf.bgz")):
        return "vcf"
    p = peek(path)
    if p.first.startswith("##fileformat=VCF"):
        return "vcf"
    if name.endswith(".json") or p.first.lstrip().startswith(("{", "[")):
        return "json"
    src = str(path)
    if not p.first:
        msg = "the file is empty"
        raise ProfileParseError(msg, source=src, line=1)
    kv = _key_value(p)
    if kv is not None:
        raise ProfileParseError(kv, source=src, line=1)
    if name.endswith((".maf", ".maf.txt")):
        return "maf"  # the name declares it; the MAF reader names any missing column
    scored = sorted(((s.score(p), s) for s in SIGNATURES), key=lambda t: -t[0])
    best_score, best = scored[0]
    if best_score == 0:
        msg, missing = _no_match(p)
        raise ProfileParseError(msg, source=src, line=p.header_line or 1, field=missing,
                                value="\t".join(p.header)[:120])
    ties = [s for sc, s in scored if sc == best_score]
    if len(ties) > 1:
        listing = "; ".join(f"{s.description} [decided by: {s.deciding(p)}]" for s in ties)
        msg = f"the format is ambiguous: the file matches {len(ties)} formats equally: {listing}"
        raise ProfileParseError(msg, source=src, line=p.header_line or 1)
    if best.reject is not None:
        raise ProfileParseError(best.reject, source=src, line=p.header_line or 1)
    return best.fmt


def _no_match(p: _Peek) -> tuple[str, str | None]:
    """The message when no format has all its identifying columns, and the missing column of
    the one closest format (``None`` when several are equally close)."""
    partial: list[tuple[float, str, str]] = []
    for s in SIGNATURES:
        if not s.required:
            continue
        have = [g for g in s.required if _col(p, g) is not None]
        if have and len(have) < len(s.required):
            missing = [g[0] for g in s.required if _col(p, g) is None]
            partial.append((len(have) / len(s.required), missing[0],
                            f"{s.description}: lacks a {' / '.join(missing)} column"))
    partial.sort(key=lambda t: -t[0])
    near = ("; closest: " + " | ".join(t[2] for t in partial[:3])) if partial else ""
    best = [t for t in partial if t[0] == partial[0][0]] if partial else []
    known = "; ".join(s.description for s in SIGNATURES if s.reject is None)
    msg = (f"cannot tell the format from the columns ({', '.join(p.header[:8]) or 'no header'})"
           f"{near}. Formats read: VCF (.vcf/.vcf.gz), JSON (.json), a cBioPortal study folder, "
           f"{known}")
    return msg, (best[0][1] if len(best) == 1 else None)
