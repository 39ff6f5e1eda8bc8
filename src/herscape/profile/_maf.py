"""MAF files (GDC/TCGA and cBioPortal ``data_mutations``): one row per variant, many samples.

Columns used: ``Hugo_Symbol`` and ``Tumor_Sample_Barcode`` (required); the protein change from
``HGVSp_Short``, else ``HGVSp``, else ``Protein_Change``/``Amino_Acid_Change`` (with both HGVSp columns, a
row whose two columns name different residues gets a note);
``Variant_Classification``; ``t_alt_count`` with ``t_depth`` (or ``t_ref_count``) for the allele
fraction; ``Mutation_Status`` for the origin. Leading ``#`` lines are skipped. A MAF row for one gene
says nothing about another: a MAF assesses only the genes it has rows for (through their
features); what else was sequenced comes from an assay (``--assay``, ``--tested``, a
cBioPortal gene-panel matrix or sequenced case list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from herscape.errors import ProfileParseError
from herscape.profile._collect import Samples
from herscape.profile._features import Mutation
from herscape.profile._genemodel import _exons as _exon_table
from herscape.profile._genemodel import exon_of
from herscape.profile._genes import normalize_gene
from herscape.profile._protein import ProteinChange, parse_protein_change

__all__ = ["MafRows", "read_maf"]

#: Variant_Classification -> consequence, used when the protein change is absent.
VARIANT_CLASSES = {
    "Missense_Mutation": "missense", "Nonsense_Mutation": "nonsense",
    "Frame_Shift_Del": "frameshift", "Frame_Shift_Ins": "frameshift",
    "In_Frame_Del": "inframe_deletion", "In_Frame_Ins": "inframe_insertion",
    "Splice_Site": "splice", "Translation_Start_Site": "start_lost",
    "Nonstop_Mutation": "stop_lost", "Silent": "synonymous", "Splice_Region": "noncoding",
    "3'UTR": "noncoding", "5'UTR": "noncoding", "3'Flank": "noncoding", "5'Flank": "noncoding",
    "IGR": "noncoding", "Intron": "noncoding", "RNA": "noncoding", "lincRNA": "noncoding",
    "Targeted_Region": "noncoding", "De_novo_Start_InFrame": "noncoding",
    "De_novo_Start_OutOfFrame": "noncoding", "Fusion": "unspecified",
}
_PROTEIN_COLUMNS = ("HGVSp_Short", "HGVSp", "Protein_Change", "Amino_Acid_Change")
#: A MAF must have one of these: a table without a mutation column is not mutations.
_MUTATION_COLUMNS = ("Variant_Classification", "HGVSp_Short", "HGVSp", "Protein_Change",
                     "Amino_Acid_Change", "HGVSc", "Tumor_Seq_Allele2", "Reference_Allele")
_EMPTY = frozenset({"", ".", "NA", "p.=", "p.?", "p.0", "nan"})
_ORIGINS = {"somatic": "somatic", "germline": "germline", "loh": "somatic", "unknown": "unknown"}


@dataclass
class MafRows:
    """Per data row of a MAF: its line number, sample and feature (for annotated TSV output)."""

    path: Path
    header_line: int
    rows: list[tuple[int, str, Mutation | None]] = field(default_factory=list)


def _count(cells: list[str], i: int | None, name: str, path: Path, lineno: int) -> int | None:
    if i is None or i >= len(cells):
        return None
    text = cells[i]
    try:
        value = int(text)
    except ValueError:
        text = text.strip()
        if text in {"", ".", "NA"}:
            return None
        try:
            value = int(float(text))
        except (ValueError, OverflowError):  # "abc", "inf", "1e309"
            value = -1
    if value < 0:
        msg = f"{name} must be a non-negative count; got {text!r}"
        raise ProfileParseError(msg, source=str(path), line=lineno, field=name, value=text)
    return value


def _checked_row(cells: list[str], width: int, col: dict[str, int], src: str, path: Path,
                 lineno: int) -> tuple[int | None, int | None]:
    """Check a row that failed the fast path; raise the precise error or return (alt, depth)."""
    if len(cells) != width:
        msg = f"row has {len(cells)} fields; the header has {width}"
        raise ProfileParseError(msg, source=src, line=lineno, value=len(cells))
    if not cells[col["Tumor_Sample_Barcode"]].strip():
        msg = "empty sample barcode"
        raise ProfileParseError(msg, source=src, line=lineno, field="Tumor_Sample_Barcode")
    if not cells[col["Hugo_Symbol"]].strip():
        msg = "empty gene symbol"
        raise ProfileParseError(msg, source=src, line=lineno, field="Hugo_Symbol")
    alt = _count(cells, col.get("t_alt_count"), "t_alt_count", path, lineno)
    depth = _count(cells, col.get("t_depth"), "t_depth", path, lineno)
    if depth is None and alt is not None:
        ref = _count(cells, col.get("t_ref_count"), "t_ref_count", path, lineno)
        depth = ref + alt if ref is not None else None
    if alt is not None and depth is not None and alt > depth:
        msg = f"t_alt_count {alt} exceeds the depth {depth}"
        raise ProfileParseError(msg, source=src, line=lineno, field="t_alt_count", value=alt)
    return alt, depth


def _change(gene: str, text: str, vc: str) -> tuple[ProteinChange | None, str, str | None]:
    """(change, consequence, problem) for one row, cached by the caller."""
    problem = None
    change = None
    if text not in _EMPTY:
        raw = text.split(":", 1)[1] if ":p." in text else text
        try:
            change = parse_protein_change(raw)
        except ValueError as exc:
            problem = str(exc)
    if change is not None:
        return change, change.consequence, None
    return None, VARIANT_CLASSES.get(vc, "unspecified"), problem


_RESIDUE = re.compile(r"\d+")


def _check_long_form(samples: Samples, sample: str, gene: str, short: str, long: str,
                     where: str) -> None:
    """A note when ``HGVSp`` names another residue than ``HGVSp_Short`` on the same row (the
    OncoKB GRCh38 example: ``p.Q212K`` beside ``Gln121Lys``): herscape uses ``HGVSp_Short``, as
    cBioPortal and the OncoKB annotator do, and says so rather than choosing silently."""
    if long in _EMPTY:
        return
    a, b = _RESIDUE.search(short), _RESIDUE.search(long)
    if a is not None and b is not None and a.group() != b.group():
        samples.note(f"{where}: {gene} HGVSp_Short {short!r} and HGVSp {long!r} name "
                     "different residues; used HGVSp_Short", sample)


def read_maf(path: Path, samples: Samples, *, rows: MafRows | None = None) -> None:  # noqa: PLR0912, PLR0915 - one pass over the file, column by column
    """Read a MAF into ``samples``; bad lines go through :meth:`Samples.bad`.

    Raises
    ------
    ProfileParseError
        When a required column is missing, or (without ``skip_bad``) at the first bad line,
        naming the file, line and column.
    """
    src = str(path)
    exon_genes = {g for g in _exon_table()}
    symbols: dict[str, str] = {}
    unlisted: dict[str, str] = {}
    current_id: str | None = None
    current = None
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lineno = 0
        header: list[str] | None = None
        for raw in fh:
            lineno += 1
            if raw.startswith("#") or not raw.strip():
                continue
            header = raw.rstrip("\r\n").split("\t")
            break
        if header is None:
            msg = "MAF has no header line"
            raise ProfileParseError(msg, source=src, line=lineno)
        col = {name: i for i, name in enumerate(header)}
        for required in ("Hugo_Symbol", "Tumor_Sample_Barcode"):
            if required not in col:
                msg = f"MAF header lacks the {required} column"
                raise ProfileParseError(msg, source=src, line=lineno, field=required)
        if not any(c in col for c in _MUTATION_COLUMNS):
            msg = ("MAF header has no mutation column (one of "
                   f"{', '.join(_MUTATION_COLUMNS)}): a table without one is not mutations")
            raise ProfileParseError(msg, source=src, line=lineno, field="Variant_Classification")
        i_gene, i_sample = col["Hugo_Symbol"], col["Tumor_Sample_Barcode"]
        i_prot = next((col[c] for c in _PROTEIN_COLUMNS if c in col), None)
        # both protein columns: the one not used is checked against the one used (by residue)
        i_long = col.get("HGVSp") if "HGVSp_Short" in col else None
        i_vc = col.get("Variant_Classification")
        i_alt, i_depth = col.get("t_alt_count"), col.get("t_depth")
        i_status = col.get("Mutation_Status")
        width = len(header)
        if rows is not None:
            rows.header_line = lineno
        for raw in fh:
            lineno += 1
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            cells = line.split("\t")
            if len(cells) == width:
                sample, gene_raw = cells[i_sample].strip(), cells[i_gene].strip()
            else:
                sample = gene_raw = ""
            alt = depth = None
            try:  # the clean case first: both counts are plain integers
                if i_alt is not None and i_depth is not None:
                    alt, depth = int(cells[i_alt]), int(cells[i_depth])
                    if alt < 0 or alt > depth:
                        raise ValueError
            except (ValueError, IndexError):
                alt = depth = None
                bad = True
            else:
                bad = not sample or not gene_raw or (i_alt is not None and i_depth is None)
            if bad:
                try:
                    alt, depth = _checked_row(cells, width, col, src, path, lineno)
                except ProfileParseError as exc:
                    samples.bad(exc)
                    if rows is not None:
                        rows.rows.append((lineno, "", None))
                    continue
                sample, gene_raw = cells[i_sample].strip(), cells[i_gene].strip()
            if sample == current_id:
                sample = current_id  # one string object per sample, not per row
            else:
                current_id, current = sample, samples.molecular(sample)
            gene = symbols.get(gene_raw)
            if gene is None:
                gene = symbols[gene_raw] = normalize_gene(gene_raw) or ""
            if not gene:
                gene = unlisted.setdefault(gene_raw, gene_raw)
                current.unlisted_genes[gene] = None
            prot = cells[i_prot].strip() if i_prot is not None else ""
            vc = cells[i_vc].strip() if i_vc is not None else ""
            change, consequence, problem = _change(gene, prot, vc)
            exon = exon_of(gene, change.position) if change is not None and gene in exon_genes else None
            if problem is not None:
                samples.unrecognized(sample, f"{gene_raw} {prot}", problem, source=src, line=lineno)
            if i_long is not None and change is not None:
                _check_long_form(samples, sample, gene_raw, prot, cells[i_long].strip(),
                                 f"{path.name}:{lineno}")
            af = round(alt / depth, 4) if alt is not None and depth else None
            origin = "somatic"
            if i_status is not None:
                origin = _ORIGINS.get(cells[i_status].strip().lower(), "unknown")
            feature = Mutation(gene, change, exon, consequence, af, origin)
            current.features[feature] = None
            if rows is not None:
                rows.rows.append((lineno, sample, feature))
