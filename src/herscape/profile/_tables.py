"""Tab-separated inputs: copy number (cBioPortal matrix or long table), fusions
(cBioPortal structural variants or ``GENE1::GENE2`` lists), markers, clinical sample files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from herscape.errors import ProfileParseError
from herscape.profile._alteration import parse_marker
from herscape.profile._collect import Samples
from herscape.profile._features import CopyNumber, Fusion
from herscape.profile._genes import normalize_gene
from herscape.profile._vocab import MarkerVocabulary

__all__ = [
    "read_clinical_samples",
    "read_cna_long",
    "read_cna_matrix",
    "read_fusion_list",
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


def read_cna_matrix(path: Path, samples: Samples) -> None:
    """A cBioPortal discrete CNA matrix (``data_CNA.txt``): genes x samples, GISTIC -2..2.

    Each gene row assesses that gene's copy number in every sample with a value (not NA).
    """
    it = _lines(path)
    hline, header = _header(it, path, "CNA matrix")
    i_gene = _column(header, ("Hugo_Symbol",), path, hline, "CNA matrix")
    skip = {i_gene} | {i for i, h in enumerate(header) if h in {"Entrez_Gene_Id", "Cytoband"}}
    cols = [(i, h.strip()) for i, h in enumerate(header) if i not in skip]
    if not cols:
        msg = "CNA matrix has no sample columns"
        raise ProfileParseError(msg, source=str(path), line=hline)
    for _, sample in cols:
        samples.sample(sample)
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None and not cells[i_gene].strip():
            bad = ProfileParseError("empty gene symbol", source=str(path), line=lineno,
                                    field="Hugo_Symbol")
        parsed: list[tuple[str, str | None]] = []
        if bad is None:
            for i, sample in cols:
                text = cells[i].strip()
                if text in _NA:
                    continue
                if text not in CNA_VALUES:
                    bad = ProfileParseError(
                        f"copy-number value must be one of -2, -1, 0, 1, 2 (GISTIC); got {text!r}",
                        source=str(path), line=lineno, field=sample, value=text)
                    break
                parsed.append((sample, CNA_VALUES[text]))
        if bad is not None:
            samples.bad(bad)
            continue
        gene_raw = cells[i_gene].strip()
        for sample, status in parsed:
            gene = samples.gene(sample, gene_raw)
            samples.assess(sample, "copy_number", gene)
            if status is not None:
                samples.add(sample, CopyNumber(gene, status))


def read_cna_long(path: Path, samples: Samples) -> None:
    """A long copy-number table: ``sample``, ``gene``, ``alteration`` (GISTIC value or word),
    optional ``copies``."""
    it = _lines(path)
    hline, header = _header(it, path, "copy-number table")
    i_s = _column(header, ("sample", "sample_id", "Tumor_Sample_Barcode"), path, hline, "copy-number table")
    i_g = _column(header, ("gene", "Hugo_Symbol", "symbol"), path, hline, "copy-number table")
    i_a = _column(header, ("alteration", "cna", "status", "call", "value"), path, hline,
                  "copy-number table")
    lower = [h.strip().lower() for h in header]
    i_c = lower.index("copies") if "copies" in lower else None
    field_a = header[i_a]
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None:
            text = cells[i_a].strip()
            key = text.lower() if text.lower() in CNA_VALUES else text
            if key not in CNA_VALUES:
                bad = ProfileParseError(
                    f"copy-number call must be -2..2 or amplification, gain, loss, deep deletion; got {text!r}",
                    source=str(path), line=lineno, field=field_a, value=text)
        copies = None
        if bad is None and i_c is not None and cells[i_c].strip() not in _NA:
            try:
                copies = float(cells[i_c])
            except ValueError:
                bad = ProfileParseError(f"copies must be a number; got {cells[i_c]!r}",
                                        source=str(path), line=lineno, field=header[i_c],
                                        value=cells[i_c])
        if bad is None and (not cells[i_s].strip() or not cells[i_g].strip()):
            bad = ProfileParseError("empty sample or gene", source=str(path), line=lineno,
                                    field=header[i_s] if not cells[i_s].strip() else header[i_g])
        if bad is not None:
            samples.bad(bad)
            continue
        sample = cells[i_s].strip()
        gene = samples.gene(sample, cells[i_g].strip())
        samples.assess(sample, "copy_number", gene)
        status = CNA_VALUES[key]
        if status is not None:
            samples.add(sample, CopyNumber(gene, status, copies))


def _fusion(samples: Samples, sample: str, g1: str, g2: str) -> Fusion:
    a = samples.gene(sample, g1) if g1 else None
    b = samples.gene(sample, g2) if g2 else None
    return Fusion(a, b)


def read_sv(path: Path, samples: Samples) -> None:
    """cBioPortal structural variants (``data_sv.txt``: ``Sample_Id``, ``Site1_Hugo_Symbol``,
    ``Site2_Hugo_Symbol``) or the older fusion format (``Tumor_Sample_Barcode``,
    ``Hugo_Symbol``, ``Fusion`` such as ``EML4-ALK fusion``). Assesses fusions in all genes."""
    it = _lines(path)
    hline, header = _header(it, path, "structural-variant")
    lower = [h.lower() for h in header]
    if "site1_hugo_symbol" in lower:
        i_s = _column(header, ("Sample_Id", "Tumor_Sample_Barcode"), path, hline, "structural-variant")
        i_1 = lower.index("site1_hugo_symbol")
        i_2 = lower.index("site2_hugo_symbol") if "site2_hugo_symbol" in lower else None
        i_f = None
    else:
        i_s = _column(header, ("Tumor_Sample_Barcode", "Sample_Id"), path, hline, "fusion")
        i_1 = _column(header, ("Hugo_Symbol",), path, hline, "fusion")
        i_f = _column(header, ("Fusion",), path, hline, "fusion")
        i_2 = None
    for lineno, cells in it:
        bad = _width(cells, len(header), path, lineno)
        if bad is None and not cells[i_s].strip():
            bad = ProfileParseError("empty sample id", source=str(path), line=lineno, field=header[i_s])
        if bad is not None:
            samples.bad(bad)
            continue
        sample = cells[i_s].strip()
        samples.assess(sample, "fusion", "*")
        g1 = cells[i_1].strip()
        if i_f is not None:
            text = cells[i_f].split()[0] if cells[i_f].split() else ""
            parts = text.replace("::", "-").split("-") if text else []
            g2 = next((p for p in parts if p and normalize_gene(p) != normalize_gene(g1)), "")
            if parts and normalize_gene(parts[0]) != normalize_gene(g1):
                g1, g2 = parts[0], g1
        else:
            g2 = cells[i_2].strip() if i_2 is not None else ""
        if not g1 and not g2:
            samples.bad(ProfileParseError("no gene on either side of the fusion",
                                          source=str(path), line=lineno, field=header[i_1]))
            continue
        samples.add(sample, _fusion(samples, sample, g1, g2))


def read_fusion_list(path: Path, samples: Samples) -> None:
    """Lines ``GENE1::GENE2``, or ``SAMPLE<TAB>GENE1::GENE2``; without a sample column the
    sample is named after the file. Assesses fusions in all genes."""
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
        if text.lower() in {"fusion", "gene1::gene2"} or sample.lower() == "sample" and "::" not in text:
            continue  # a header
        parts = [p.strip() for p in text.split("::")]
        if len(parts) != 2 or not all(parts):
            samples.bad(ProfileParseError(f"fusion must be GENE1::GENE2; got {text!r}",
                                          source=str(path), line=lineno, field="fusion", value=text))
            continue
        samples.assess(sample, "fusion", "*")
        samples.add(sample, _fusion(samples, sample, parts[0], parts[1]))


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
    """cBioPortal ``data_clinical_sample.txt``: ``SAMPLE_ID`` and ``ONCOTREE_CODE`` (checked
    against the OncoTree; an unknown code is a bad line naming the closest codes)."""
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
        code = cells[i_t].strip().upper()
        if code in _NA or not code:
            continue
        problem = tree.problem(code)
        if problem is not None:
            samples.bad(ProfileParseError(problem, source=str(path), line=lineno,
                                          field="ONCOTREE_CODE", value=code))
            continue
        s.tumor_type = code
