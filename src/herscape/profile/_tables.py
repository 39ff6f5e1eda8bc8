"""Tab-separated inputs: copy number (gene x sample matrices and per-sample tables),
expression z-scores, structural variants and fusions (cBioPortal, OncoKB annotator,
``GENE1::GENE2`` lists), OncoKB atypical alterations, markers, clinical sample files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path

from herscape.errors import ProfileParseError
from herscape.profile._alteration import parse_marker
from herscape.profile._collect import Samples
from herscape.profile._features import CopyNumber, Expression, Feature, Fusion, Intragenic
from herscape.profile._svtext import parse_sv_text
from herscape.profile._vocab import MarkerVocabulary, marker_level

__all__ = [
    "read_atypical",
    "read_clinical_samples",
    "read_cna_long",
    "read_cna_matrix",
    "read_expression_matrix",
    "read_fusion_list",
    "read_fusions",
    "read_markers_tsv",
    "read_sv",
]

#: GISTIC discrete values and words -> copy-number status (None: neutral, assessed).
CNA_VALUES: dict[str, str | None] = {
    "-2": "deep_deletion", "-1.5": "deep_deletion", "-1": "loss", "0": None, "1": "gain",
    "2": "amplification", "amp": "amplification", "amplification": "amplification",
    "amplified": "amplification", "gain": "gain", "loss": "loss", "hetloss": "loss",
    "shallow_deletion": "loss", "shallowdel": "loss", "homdel": "deep_deletion",
    "deep_deletion": "deep_deletion", "deep deletion": "deep_deletion",
    "deletion": "deep_deletion", "deep_del": "deep_deletion", "neutral": None, "diploid": None,
}
_NA = frozenset({"", "NA", "NaN", "nan", "na", "."})


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every non-blank, non-``#`` line."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield lineno, line.split("\t")


def _header(it: Iterator[tuple[int, list[str]]], path: Path, what: str) -> tuple[int, list[str]]:
    try:
        return next(it)
    except StopIteration:
        msg = f"{what} file has no header line"
        raise ProfileParseError(msg, source=str(path)) from None


def _column(header: list[str], names: tuple[str, ...], path: Path, line: int,
            what: str) -> int:
    lower = [h.strip().lower() for h in header]
    for name in names:
        if name.lower() in lower:
            return lower.index(name.lower())
    msg = f"{what} header lacks a {names[0]} column (accepted: {', '.join(names)})"
    raise ProfileParseError(msg, source=str(path), line=line, field=names[0])


def _width(cells: list[str], width: int, path: Path, line: int) -> ProfileParseError | None:
    if len(cells) == width:
        return None
    msg = f"row has {len(cells)} fields; the header has {width}"
    return ProfileParseError(msg, source=str(path), line=line, value=len(cells))


def _cna_direction(status: str | None) -> int:
    return {"amplification": 1, "gain": 1, "loss": -1, "deep_deletion": -1}.get(status or "", 0)


class _CallLog:
    """Copy-number calls per (sample, gene), to report duplicated genes and conflicts."""

    def __init__(self, samples: Samples, path: Path) -> None:
        self.samples = samples
        self.path = path
        self.calls: dict[tuple[str, str], list[tuple[int, str | None]]] = {}

    def add(self, sample: str, gene: str, status: str | None, lineno: int) -> None:
        self.calls.setdefault((sample, gene), []).append((lineno, status))

    def report(self) -> None:
        for (sample, gene), calls in self.calls.items():
            if len(calls) < 2:
                continue
            lines = ", ".join(str(n) for n, _ in calls)
            states = {st for _, st in calls}
            shown = ", ".join(sorted((st or "neutral").replace("_", " ") for st in states))
            directions = {_cna_direction(st) for st in states}
            if {1, -1} <= directions:
                self.samples.unrecognized(
                    sample, f"{gene} copy number", f"{gene} has {len(calls)} rows (lines {lines}) "
                    f"with opposite calls ({shown}); resolve them in the file",
                    source=str(self.path), line=calls[0][0])
            elif len(states) > 1:
                self.samples.note(f"{gene}: {len(calls)} rows (lines {lines}) give different "
                                  f"calls ({shown}); all kept", sample)
            else:
                self.samples.note(f"{gene}: duplicated row (lines {lines}), same call", sample)


#: Non-sample columns of a gene x sample matrix (lower case).
MATRIX_META = frozenset({"hugo_symbol", "gene symbol", "entrez_gene_id", "locus id", "cytoband",
                         "gene", "symbol"})


def _matrix_header(path: Path, what: str) -> tuple[Iterator[tuple[int, list[str]]], int,
                                                     list[str], int, list[tuple[int, str]]]:
    it = _lines(path)
    hline, header = _header(it, path, what)
    i_gene = _column(header, ("Hugo_Symbol", "Gene Symbol"), path, hline, what)
    cols = [(i, h.strip()) for i, h in enumerate(header)
            if " ".join(h.strip().lower().split()) not in MATRIX_META]
    if not cols:
        msg = f"{what} has no sample columns"
        raise ProfileParseError(msg, source=str(path), line=hline)
    return it, hline, header, i_gene, cols


def read_cna_matrix(path: Path, samples: Samples) -> None:
    """A gene x sample copy-number matrix: cBioPortal ``data_CNA.txt`` (``Hugo_Symbol``,
    ``Entrez_Gene_Id``) or the GISTIC / OncoKB form (``Gene Symbol``, ``Locus ID``,
    ``Cytoband``); values GISTIC -2..2.

    Each gene row assesses that gene's copy number in every sample with a value (not NA). A
    gene on several rows is reported: a note when the calls agree in direction, an
    unrecognised input when they do not (amplified on one row, deleted on another).
    """
    it, _, header, i_gene, cols = _matrix_header(path, "CNA matrix")
    for _, sample in cols:
        samples.molecular(sample)
    log = _CallLog(samples, path)
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None and not cells[i_gene].strip():
            bad = ProfileParseError("empty gene symbol", source=str(path), line=lineno,
                                    field=header[i_gene])
        parsed: list[tuple[str, str | None]] = []
        if bad is None:
            for i, sample in cols:
                text = cells[i].strip()
                if text in _NA:
                    continue
                key = text.lower()
                if key not in CNA_VALUES:
                    bad = ProfileParseError(
                        f"copy-number value must be one of -2, -1, 0, 1, 2 (GISTIC); got {text!r}",
                        source=str(path), line=lineno, field=sample, value=text)
                    break
                parsed.append((sample, CNA_VALUES[key]))
        if bad is not None:
            samples.bad(bad)
            continue
        gene_raw = cells[i_gene].strip()
        for sample, status in parsed:
            gene = samples.gene(sample, gene_raw)
            samples.assess(sample, "copy_number", gene)
            log.add(sample, gene, status, lineno)
            if status is not None:
                samples.add(sample, CopyNumber(gene, status))
    log.report()


def read_cna_long(path: Path, samples: Samples) -> None:
    """A per-sample copy-number table: sample (``Tumor_Sample_Barcode``, ``Sample_Id``,
    ``sample``), gene (``Hugo_Symbol``, ``gene``) and call (``Copy_Number_Alteration``,
    ``Value``, ``alteration``: -2..2 or Amplification, Gain, Loss, Deletion), optional
    ``copies``. This is the OncoKB annotator's individual CNA file and cBioPortal's
    ``DISCRETE_LONG`` CNA file. Duplicated genes are reported as for the matrix."""
    it = _lines(path)
    what = "copy-number table"
    hline, header = _header(it, path, what)
    i_s = _column(header, ("Tumor_Sample_Barcode", "Sample_Id", "sample"), path, hline, what)
    i_g = _column(header, ("Hugo_Symbol", "gene", "symbol"), path, hline, what)
    i_a = _column(header, ("Copy_Number_Alteration", "alteration", "cna", "value", "call", "status"),
                  path, hline, what)
    lower = [h.strip().lower() for h in header]
    i_c = lower.index("copies") if "copies" in lower else None
    field_a = header[i_a]
    log = _CallLog(samples, path)
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        key = ""
        if bad is None:
            text = cells[i_a].strip()
            key = text.lower()
            if key not in CNA_VALUES:
                bad = ProfileParseError(
                    "copy-number call must be -2..2 or Amplification, Gain, Loss, Deletion; "
                    f"got {text!r}", source=str(path), line=lineno, field=field_a, value=text)
        copies = None
        if bad is None and i_c is not None and cells[i_c].strip() not in _NA:
            copies, bad = _copies(cells[i_c], path, lineno, header[i_c])
        if bad is None and (not cells[i_s].strip() or not cells[i_g].strip()):
            bad = ProfileParseError("empty sample or gene", source=str(path), line=lineno,
                                    field=header[i_s] if not cells[i_s].strip() else header[i_g])
        if bad is not None:
            samples.bad(bad)
            continue
        sample = cells[i_s].strip()
        samples.molecular(sample)
        gene = samples.gene(sample, cells[i_g].strip())
        samples.assess(sample, "copy_number", gene)
        status = CNA_VALUES[key]
        log.add(sample, gene, status, lineno)
        if status is not None:
            samples.add(sample, CopyNumber(gene, status, copies))
    log.report()


def _copies(text: str, path: Path, lineno: int, field: str) -> tuple[float | None, ProfileParseError | None]:
    try:
        copies = float(text)
    except ValueError:
        copies = None
    if copies is None or not math.isfinite(copies) or copies < 0:
        return None, ProfileParseError(f"copies must be a finite number >= 0; got {text.strip()!r}",
                                       source=str(path), line=lineno, field=field, value=text)
    return copies, None


def read_expression_matrix(path: Path, samples: Samples, vocabulary: MarkerVocabulary) -> None:
    """A gene x sample matrix of expression z-scores (cBioPortal ``*_Zscores.txt``).

    Every gene with a value is assessed for expression in that sample. A value becomes an
    expression marker only when it crosses a threshold: the marker vocabulary's own thresholds
    for genes it defines (``herscape kb markers``), otherwise ``|z| >=``
    :data:`EXPRESSION_Z_THRESHOLD` (cBioPortal's default z-score threshold, 2.0). Values in
    between are assessed and not listed.
    """
    it, _, header, i_gene, cols = _matrix_header(path, "expression matrix")
    for _, sample in cols:
        samples.molecular(sample)
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None and not cells[i_gene].strip():
            bad = ProfileParseError("empty gene symbol", source=str(path), line=lineno,
                                    field=header[i_gene])
        values: list[tuple[str, float]] = []
        if bad is None:
            for i, sample in cols:
                text = cells[i].strip()
                if text in _NA:
                    continue
                try:
                    z = float(text)
                except ValueError:
                    z = math.nan
                if not math.isfinite(z):
                    bad = ProfileParseError(f"a z-score must be a finite number; got {text!r}",
                                            source=str(path), line=lineno, field=sample, value=text)
                    break
                values.append((sample, z))
        if bad is not None:
            samples.bad(bad)
            continue
        gene_raw = cells[i_gene].strip()
        for sample, z in values:
            gene = samples.gene(sample, gene_raw)
            samples.assess(sample, "expression", gene)
            feature = _z_feature(gene, z, vocabulary)
            if feature is not None:
                samples.add(sample, feature)


#: |z| at or beyond which a z-score of a gene the marker vocabulary does not define is listed
#: (cBioPortal's default z-score threshold for mRNA expression).
EXPRESSION_Z_THRESHOLD = 2.0


def _z_feature(gene: str, z: float, vocabulary: MarkerVocabulary) -> Expression | None:
    marker = vocabulary.find_marker(gene)
    if (marker is not None and marker.gene == gene and str(marker.kind) == "expression"
            and marker.numeric_unit == "z-score"):
        level = marker_level(marker, z)
        return None if level == "intermediate" else Expression(marker.id, level, z, gene)
    if z >= EXPRESSION_Z_THRESHOLD:
        return Expression(gene, "high", z, gene)
    if z <= -EXPRESSION_Z_THRESHOLD:
        return Expression(gene, "low", z, gene)
    return None


def _region_number(cells: list[str], i: int | None) -> int | None:
    if i is None or i >= len(cells):
        return None
    text = cells[i].strip()
    return int(text) if text.isdigit() else None


def _intragenic_event(sv_class: str, info: str) -> str:
    """Event type from ``Class``/``Sv_Type`` and ``Event_Info``/``Annotation`` (which name it
    as ``DELETION``, ``Del``, ``DelPositive``, ``DUPLICATION``...)."""
    words = re.findall(r"[a-z]+", f"{sv_class} {info}".lower())
    if any(w.startswith("dup") for w in words):
        return "duplication"
    if any(w.startswith("del") for w in words):
        return "deletion"
    return "rearrangement"


def _sv_feature(samples: Samples, sample: str, g1: str, g2: str, event: str,
                exons: tuple[int | None, int | None]) -> Feature:
    a = samples.gene(sample, g1) if g1 else None
    b = samples.gene(sample, g2) if g2 else None
    if a is not None and a == b:
        first, last = exons
        if event == "deletion" and first is not None and last is not None and last - first >= 2:
            # breakpoints in exons (or introns after) first and last: the exons between are lost
            return Intragenic(a, "deletion", first + 1, last - 1)
        return Intragenic(a, event)
    return Fusion(a, b)


def read_sv(path: Path, samples: Samples) -> None:
    """Structural variants: cBioPortal (``Sample_Id``, ``Site1_Hugo_Symbol``,
    ``Site2_Hugo_Symbol``, ``Class``, ``Event_Info``, ``Annotation``, ``Site1_Region_Number``...) or the OncoKB
    annotator's (``Tumor_Sample_Barcode``, ``GeneA``, ``GeneB``, ``Sv_Type``).

    Two genes make a :class:`Fusion`; the same gene on both sides makes an :class:`Intragenic`
    event (a deletion when ``Sv_Type``/``Class`` is DELETION or ``Event_Info``/``Annotation`` says ``Del``,
    with the exons lost from the region numbers: breakpoints in exons 1 and 8 of EGFR are the
    exons 2-7 deletion, EGFRvIII). A file of structural variants says nothing about genes it
    does not list: only the genes named are assessed (through their features).
    """
    it = _lines(path)
    what = "structural-variant"
    hline, header = _header(it, path, what)
    lower = [h.strip().lower() for h in header]

    def opt(name: str) -> int | None:
        return lower.index(name) if name in lower else None

    i_s = _column(header, ("Sample_Id", "Tumor_Sample_Barcode", "sample"), path, hline, what)
    if "site1_hugo_symbol" in lower or "site2_hugo_symbol" in lower:
        i_1, i_2 = opt("site1_hugo_symbol"), opt("site2_hugo_symbol")
        i_type, i_info = opt("class"), (opt("event_info"), opt("annotation"))
        i_r1, i_r2 = opt("site1_region_number"), opt("site2_region_number")
    else:
        i_1 = _column(header, ("GeneA",), path, hline, what)
        i_2 = _column(header, ("GeneB",), path, hline, what)
        i_type, i_info, i_r1, i_r2 = opt("sv_type"), (), None, None
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None and not cells[i_s].strip():
            bad = ProfileParseError("empty sample id", source=str(path), line=lineno, field=header[i_s])
        g1 = cells[i_1].strip() if bad is None and i_1 is not None else ""
        g2 = cells[i_2].strip() if bad is None and i_2 is not None else ""
        g1, g2 = ("" if g1 in _NA else g1), ("" if g2 in _NA else g2)
        if bad is None and not g1 and not g2:
            bad = ProfileParseError("no gene on either side of the structural variant",
                                    source=str(path), line=lineno,
                                    field=header[i_1] if i_1 is not None else None)
        if bad is not None:
            samples.bad(bad)
            continue
        sample = cells[i_s].strip()
        sv_class = cells[i_type].strip() if i_type is not None else ""
        info = " ".join(cells[i].strip() for i in i_info if i is not None)
        event = _intragenic_event(sv_class, info)
        exons = (_region_number(cells, i_r1), _region_number(cells, i_r2))
        samples.add(sample, _sv_feature(samples, sample, g1, g2, event, exons))


def _sv_text(samples: Samples, sample: str, text: str, path: Path, lineno: int,
             field: str) -> None:
    try:
        feature = parse_sv_text(text)
    except ValueError as exc:
        samples.bad(ProfileParseError(str(exc), source=str(path), line=lineno, field=field,
                                      value=text))
        return
    samples.add(sample, feature)


def read_fusions(path: Path, samples: Samples) -> None:
    """A fusion table: a sample column (``Tumor_Sample_Barcode``, ``Sample_Id``, ``sample``) and
    ``Fusion`` in any form of :func:`~herscape.profile._svtext.parse_sv_text` (``ALK-EML4``,
    ``EML4::ALK``, ``MLL2-intragenic``, ``ETV6-RUNX1 fusion``). Only the genes named are
    assessed."""
    it = _lines(path)
    what = "fusion"
    hline, header = _header(it, path, what)
    i_s = _column(header, ("Tumor_Sample_Barcode", "Sample_Id", "sample"), path, hline, what)
    i_f = _column(header, ("Fusion",), path, hline, what)
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None and not cells[i_s].strip():
            bad = ProfileParseError("empty sample id", source=str(path), line=lineno, field=header[i_s])
        if bad is not None:
            samples.bad(bad)
            continue
        _sv_text(samples, cells[i_s].strip(), cells[i_f], path, lineno, header[i_f])


def read_fusion_list(path: Path, samples: Samples) -> None:
    """Lines ``GENE1::GENE2`` (or any form of ``parse_sv_text``), or ``SAMPLE<TAB>FUSION``;
    without a sample column the sample is named after the file."""
    default = path.name.split(".")[0]
    for lineno, cells in _lines(path):
        if len(cells) == 1:
            sample, text = default, cells[0].strip()
        elif len(cells) == 2:
            sample, text = cells[0].strip(), cells[1].strip()
        else:
            samples.bad(ProfileParseError(f"a fusion line has 1 or 2 fields; got {len(cells)}",
                                          source=str(path), line=lineno, value=len(cells)))
            continue
        if text.lower() in {"fusion", "gene1::gene2"}:
            continue  # a header
        _sv_text(samples, sample, text, path, lineno, "fusion")


#: OncoKB atypical alterations of genes, other than those the alteration parser reads.
_ATYPICAL = {
    "internal tandem duplication": "duplication", "itd": "duplication",
    "kinase domain duplication": "duplication", "kdd": "duplication",
}
_OTHER_BIOMARKERS = {"other biomarkers", "other biomarker", ""}


def read_atypical(path: Path, samples: Samples, vocabulary: MarkerVocabulary) -> None:
    """OncoKB atypical alterations (``HUGO_SYMBOL``, ``SAMPLE_ID``, ``ALTERATION``).

    ``Other Biomarkers`` rows are signatures (``MSI-H``, ``Microsatellite Instability-High``,
    ``TMB-H``); gene rows are read as alteration strings (``EGFR vIII`` is the EGFR exons 2-7
    deletion; ``FLT3 ITD``/``Internal tandem duplication`` and ``BRAF KDD``/``Kinase Domain
    Duplication`` are intragenic duplications). Anything else is kept as not understood.
    """
    from herscape.profile._alteration import parse_alteration

    it = _lines(path)
    what = "atypical-alteration"
    hline, header = _header(it, path, what)
    i_g = _column(header, ("HUGO_SYMBOL",), path, hline, what)
    i_s = _column(header, ("SAMPLE_ID", "Tumor_Sample_Barcode"), path, hline, what)
    i_a = _column(header, ("ALTERATION",), path, hline, what)
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None and not cells[i_s].strip():
            bad = ProfileParseError("empty sample id", source=str(path), line=lineno, field=header[i_s])
        if bad is not None:
            samples.bad(bad)
            continue
        sample, gene_raw, alt = cells[i_s].strip(), cells[i_g].strip(), " ".join(cells[i_a].split())
        if gene_raw.lower() in _OTHER_BIOMARKERS:
            text = alt
        elif alt.lower() in _ATYPICAL:
            samples.add(sample, Intragenic(samples.gene(sample, gene_raw), _ATYPICAL[alt.lower()]))
            continue
        else:
            text = f"{gene_raw} {alt}"
        try:
            parsed = parse_alteration(text, vocabulary=vocabulary)
        except ValueError as exc:
            samples.unrecognized(sample, text, str(exc), source=str(path), line=lineno)
            continue
        for f in parsed.features:
            samples.add(sample, f)
        for scope, target in parsed.assessed:
            samples.assess(sample, scope, target)


def read_markers_tsv(path: Path, samples: Samples, vocabulary: MarkerVocabulary) -> None:
    """A marker table: ``sample``, ``marker``, ``value`` (values checked against the marker
    vocabulary; a bad marker or value is a bad line naming the accepted values)."""
    it = _lines(path)
    hline, header = _header(it, path, "marker")
    i_s = _column(header, ("sample", "sample_id"), path, hline, "marker")
    i_m = _column(header, ("marker", "name"), path, hline, "marker")
    i_v = _column(header, ("value", "status", "result"), path, hline, "marker")
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        feature = None
        if bad is None and not cells[i_s].strip():
            bad = ProfileParseError("empty sample id", source=str(path), line=lineno,
                                    field=header[i_s])
        if bad is None:
            try:
                feature = parse_marker(cells[i_m].strip(), cells[i_v].strip(), vocabulary=vocabulary)
            except ValueError as exc:
                bad = ProfileParseError(str(exc), source=str(path), line=lineno,
                                        field=header[i_v] if vocabulary.find_marker(cells[i_m].strip()) else header[i_m],
                                        value=f"{cells[i_m].strip()}={cells[i_v].strip()}")
        if bad is not None or feature is None:
            samples.bad(bad)  # type: ignore[arg-type]
            continue
        samples.add(cells[i_s].strip(), feature)


def read_clinical_samples(path: Path, samples: Samples, tree) -> None:
    """A clinical sample file (cBioPortal ``data_clinical_sample.txt``, the OncoKB annotator's
    clinical file): ``SAMPLE_ID`` and optionally ``ONCOTREE_CODE``, checked against the
    OncoTree (renamed codes and common names resolve with a note; an unknown code is a bad
    line naming the closest codes). A sample named here and in no molecular file has no
    molecular data (:attr:`Profile.molecular_data` is false)."""
    it = _lines(path)
    hline, header = _header(it, path, "clinical sample")
    i_s = _column(header, ("SAMPLE_ID",), path, hline, "clinical sample")
    upper = [h.strip().upper() for h in header]
    i_t = upper.index("ONCOTREE_CODE") if "ONCOTREE_CODE" in upper else None
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is not None:
            samples.bad(bad)
            continue
        sample = cells[i_s].strip()
        s = samples.sample(sample)
        if i_t is None:
            continue
        text = cells[i_t].strip()
        if text in _NA or not text:
            continue
        found = tree.resolve(text)
        if found is None:
            samples.bad(ProfileParseError(tree.problem(text) or "", source=str(path), line=lineno,
                                          field="ONCOTREE_CODE", value=text))
            continue
        s.tumor_type, note = found
        if note is not None:
            samples.note(note, sample)
