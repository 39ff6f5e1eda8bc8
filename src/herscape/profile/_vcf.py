"""VCF files annotated by Ensembl VEP (``CSQ``) or SnpEff (``ANN``), read with cyvcf2.

One annotation is used per variant allele: for VEP the MANE Select transcript when flagged,
else the one flagged ``CANONICAL=YES``, else ``PICK=1``, else the first; for SnpEff the first
(SnpEff orders them by impact). Every sample with a non-reference genotype carries the variant
(a VCF without samples is one sample named after the file). Allele fraction: ``FORMAT/AF``,
else ``FORMAT/AD``. A VCF assesses only the genes it has variants in (through their features); what else
was sequenced comes from ``--assay`` or ``--tested``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

import numpy as np

from herscape.errors import ProfileParseError
from herscape.profile._collect import Samples
from herscape.profile._features import make_mutation
from herscape.profile._protein import parse_protein_change

__all__ = ["read_vcf"]

HOW_TO_ANNOTATE = (
    "annotate it first with Ensembl VEP (vep --vcf --symbol --hgvs --canonical --mane_select "
    "-i in.vcf -o out.vcf) or SnpEff (snpEff ann GRCh38.105 in.vcf > out.vcf)"
)
#: Sequence Ontology consequence terms -> herscape consequences (most severe term first).
SO_TERMS = {
    "transcript_ablation": "noncoding", "splice_acceptor_variant": "splice",
    "splice_donor_variant": "splice", "stop_gained": "nonsense",
    "frameshift_variant": "frameshift", "stop_lost": "stop_lost", "start_lost": "start_lost",
    "inframe_insertion": "inframe_insertion", "inframe_deletion": "inframe_deletion",
    "disruptive_inframe_insertion": "inframe_insertion",
    "disruptive_inframe_deletion": "inframe_deletion",
    "conservative_inframe_insertion": "inframe_insertion",
    "conservative_inframe_deletion": "inframe_deletion",
    "missense_variant": "missense", "protein_altering_variant": "unspecified",
    "synonymous_variant": "synonymous", "stop_retained_variant": "synonymous",
    "start_retained_variant": "synonymous", "initiator_codon_variant": "start_lost",
}
_FORMAT = re.compile(r"Format:\s*'?([^'\"]+)", re.I)


def _fields(description: str) -> list[str]:
    m = _FORMAT.search(description)
    text = m.group(1) if m else description
    return [f.strip() for f in text.strip().strip("'\"").split("|")]


def _consequence(terms: str) -> str:
    for term in re.split(r"[&,]", terms):
        found = SO_TERMS.get(term.strip())
        if found is not None:
            return found
    return "noncoding"


def _pick_vep(entries: list[dict[str, str]]) -> dict[str, str]:
    for key, want in (("MANE_SELECT", None), ("MANE", None), ("CANONICAL", "YES"), ("PICK", "1")):
        for e in entries:
            v = e.get(key, "")
            if v and (want is None or v == want):
                return e
    return entries[0]


def _exon(text: str) -> int | None:
    head = text.split("/")[0].split("-")[0]
    return int(head) if head.isdigit() else None


_META = re.compile(r'^##(INFO|FORMAT)=<ID=([^,>]+),Number=([^,>]+),Type=([^,>]+)(?:,|>)')
_TYPES = frozenset({"Integer", "Float", "Flag", "Character", "String"})
_FIXED = ("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO")
_ALLELE = re.compile(r"^[ACGTNacgtn*]+$|^<[^<>]+>$|^\.$|.*[\[\]].*")


def _open_text(path: Path):
    import gzip

    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _bad_utf8_line(path: Path) -> int | None:
    """The first line that is not UTF-8 (text is decoded in chunks, so the error's own
    position does not give it)."""
    import gzip

    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gz else open(path, "rb")) as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return lineno
    return None


def _check_value(value: str, kind: str, src: str, line: int, key: str) -> None:
    for item in value.split(","):
        if item in {".", ""}:
            continue
        try:
            number = int(item) if kind == "Integer" else float(item)
        except ValueError:
            number = None
        if number is None or (kind == "Float" and not np.isfinite(number)) or (
                kind == "Integer" and not -(2**31) < number < 2**31):
            msg = f"FORMAT/{key} is declared {kind}; got {item!r}"
            raise ProfileParseError(msg, source=src, line=line, field=key, value=item)


_GT = re.compile(r"^(\.|\d{1,4})([/|](\.|\d{1,4}))*$")


def _check_genotype(value: str, n_alts: int, src: str, lineno: int) -> None:
    """GT must be allele indices (0 = REF, 1..n = ALT, ``.`` missing) joined by ``/`` or ``|``:
    htslib can crash the process on other GT text."""
    m = _GT.match(value)
    if m is None or any(a != "." and int(a) > n_alts for a in re.split(r"[/|]", value)):
        msg = f"FORMAT/GT must be allele indices 0..{n_alts} joined by / or |; got {value[:20]!r}"
        raise ProfileParseError(msg, source=src, line=lineno, field="GT", value=value[:20])


def _check_record(cells: list[str], n_cols: int, declared: dict[tuple[str, str], str],
                  src: str, lineno: int) -> None:
    if len(cells) != n_cols:
        msg = f"record has {len(cells)} columns; the #CHROM line has {n_cols}"
        raise ProfileParseError(msg, source=src, line=lineno, value=len(cells))
    if not cells[1].isdigit() or not cells[0] or not _ALLELE.match(cells[3]):
        msg = "CHROM must be set, POS a positive integer and REF bases"
        raise ProfileParseError(msg, source=src, line=lineno, field="POS", value=cells[1])
    if any(not _ALLELE.match(a) for a in cells[4].split(",")):
        msg = f"ALT {cells[4][:40]!r} is not alleles"
        raise ProfileParseError(msg, source=src, line=lineno, field="ALT", value=cells[4][:40])
    if n_cols <= 9:
        return
    keys = cells[8].split(":")
    for key in keys:
        if ("FORMAT", key) not in declared:
            msg = f"FORMAT/{key} is used but not declared in the header"
            raise ProfileParseError(msg, source=src, line=lineno, field=key)
    for sample_cell in cells[9:]:
        values = sample_cell.split(":")
        if len(values) > len(keys):
            msg = "a sample has more FORMAT values than FORMAT keys"
            raise ProfileParseError(msg, source=src, line=lineno, field="FORMAT")
        for key, value in zip(keys, values, strict=False):
            kind = declared[("FORMAT", key)]
            if key == "GT":
                _check_genotype(value, len(cells[4].split(",")), src, lineno)
            elif kind in {"Integer", "Float"}:
                _check_value(value, kind, src, lineno, key)


def _check_meta(line: str, declared: dict[tuple[str, str], str], src: str, lineno: int) -> None:
    if not line.startswith(("##INFO=", "##FORMAT=")):
        return
    m = _META.match(line)
    if m is None or m.group(4) not in _TYPES:
        msg = ("header line must be ##INFO/FORMAT=<ID=..,Number=..,Type=Integer|"
               "Float|Flag|Character|String,Description=\"..\">")
        raise ProfileParseError(msg, source=src, line=lineno, value=line[:80])
    declared[(m.group(1), m.group(2))] = m.group(4)


def _check_header(line: str, src: str, lineno: int) -> int:
    cols = line.split("\t")
    if tuple(cols[:8]) != _FIXED or len(cols) == 9:
        msg = ("the header line must be #CHROM POS ID REF ALT QUAL FILTER INFO "
               "[FORMAT SAMPLE...], tab-separated")
        raise ProfileParseError(msg, source=src, line=lineno, value=line[:80])
    return len(cols)


class _Lines(NamedTuple):
    """Line numbers of the ``#CHROM`` line and of each record, as the file has them."""

    chrom: int
    data: list[int]


def _validate(path: Path) -> _Lines:
    """Check what cyvcf2 (htslib, in C) would be handed; return the line numbers.

    htslib reports some malformed input with a bare exception, an IndexError or (rarely) a
    crash of the process; every shape it stumbles on is rejected here first, naming the line.
    """
    src = str(path)
    declared: dict[tuple[str, str], str] = {}
    n_cols = chrom_line = lineno = 0
    data_lines: list[int] = []
    try:
        with _open_text(path) as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.rstrip("\r\n")
                if lineno == 1 and not line.startswith("##fileformat=VCF"):
                    msg = "a VCF starts with '##fileformat=VCFv4.x'"
                    raise ProfileParseError(msg, source=src, line=1, value=line[:40])
                if line.startswith("##"):
                    _check_meta(line, declared, src, lineno)
                elif line.startswith("#"):
                    n_cols, chrom_line = _check_header(line, src, lineno), lineno
                elif line.strip():
                    if n_cols == 0:
                        msg = "data before the #CHROM header line"
                        raise ProfileParseError(msg, source=src, line=lineno)
                    _check_record(line.split("\t"), n_cols, declared, src, lineno)
                    data_lines.append(lineno)
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text ({exc.reason}); save the file as UTF-8"
        raise ProfileParseError(msg, source=src, line=_bad_utf8_line(path)) from exc
    except (OSError, EOFError) as exc:
        msg = f"cannot read VCF: {exc}"
        raise ProfileParseError(msg, source=src, line=lineno or None) from exc
    if n_cols == 0:
        msg = f"VCF has no #CHROM header line (read to line {lineno})"
        raise ProfileParseError(msg, source=src, line=lineno or 1, field="#CHROM")
    return _Lines(chrom_line, data_lines)


def read_vcf(path: Path, samples: Samples, *, isolate: bool = True) -> None:
    """Read an annotated VCF into ``samples``.

    The file is first checked in Python (:func:`_validate`); then, with ``isolate`` (the
    default, where the platform can fork), htslib reads it in a child process, so that a crash
    inside the C library is an error for this file instead of the end of the program (or of a
    batch). The child sends back what it read; nothing else changes.

    Raises
    ------
    ProfileParseError
        When the file is not a readable VCF, or has neither ``CSQ`` nor ``ANN`` in its header
        (the message says how to annotate it), or the library crashed on it.
    """
    import multiprocessing as mp

    data_lines = _validate(path) if not path.name.lower().endswith(".bcf") else None  # _Lines
    if not isolate or "fork" not in mp.get_all_start_methods():
        _read_here(path, samples, data_lines)
        return
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_read_in_child, args=(path, samples.skip_bad, data_lines, child))
    proc.start()
    child.close()
    try:
        result = parent.recv()
    except EOFError:
        result = None
    proc.join()
    if result is None:
        msg = (f"the VCF library (htslib) crashed reading this file (exit code {proc.exitcode}); "
               "check it with 'bcftools view' and fix the record it rejects")
        raise ProfileParseError(msg, source=str(path))
    if isinstance(result, BaseException):
        raise result
    samples.merge(result)


def _read_in_child(path: Path, skip_bad: bool, data_lines: _Lines | None, conn) -> None:
    """Child process: read the VCF into a fresh accumulator and send it (or the error) back."""
    mine = Samples(skip_bad=skip_bad)
    try:
        _read_here(path, mine, data_lines)
        conn.send(mine)
    except ProfileParseError as exc:
        exc.__cause__ = exc.__context__ = None  # the chained library error may not pickle
        conn.send(exc)
    finally:
        conn.close()


def _read_here(path: Path, samples: Samples, data_lines: _Lines | None) -> None:
    from cyvcf2 import VCF  # imported here: loading htslib is not needed for other formats

    src = str(path)
    try:
        vcf = VCF(src, gts012=True)
    except Exception as exc:  # htslib errors surface as bare Exception
        msg = f"cannot read VCF header: {exc}"
        raise ProfileParseError(msg, source=src, line=data_lines.chrom if data_lines else None) from exc
    done = [0]  # records read, for the line of an htslib error
    try:
        _read_records(vcf, path, samples, data_lines, done)
    except ProfileParseError:
        raise
    except Exception as exc:  # a record htslib cannot decode
        line = (data_lines.data[done[0]] if data_lines and done[0] < len(data_lines.data)
                else None)
        msg = f"cannot read VCF record: {exc}"
        raise ProfileParseError(msg, source=src, line=line) from exc
    finally:
        vcf.close()


def _read_records(vcf, path: Path, samples: Samples, data_lines: _Lines | None,  # noqa: PLR0912, PLR0915 - one pass, two annotation dialects
                  done: list[int]) -> None:
    src = str(path)
    infos = {h["ID"]: h for h in vcf.header_iter() if h["HeaderType"] == "INFO"}
    if "CSQ" in infos:
        tag, fields, dialect = "CSQ", _fields(infos["CSQ"].info().get("Description", "")), "vep"
    elif "ANN" in infos:
        tag, fields, dialect = "ANN", _fields(infos["ANN"].info().get("Description", "")), "snpeff"
    else:
        msg = f"VCF has no VEP CSQ or SnpEff ANN annotation in its header; {HOW_TO_ANNOTATE}"
        raise ProfileParseError(msg, source=src, field="INFO",
                                line=data_lines.chrom if data_lines else None)
    names = list(vcf.samples) or [path.name.split(".")[0]]
    for s in names:  # a VCF's samples exist even without variants; it assesses no gene by itself
        samples.molecular(s)
    lineno = 0
    header_lines = vcf.raw_header.count("\n")
    for variant in vcf:
        lineno += 1
        done[0] = lineno
        # our own count of the file's lines (htslib adds header lines, e.g. FILTER=PASS)
        line = (data_lines.data[lineno - 1] if data_lines and lineno <= len(data_lines.data)
                else header_lines + lineno)
        raw = variant.INFO.get(tag)
        if raw is None:
            samples.bad(ProfileParseError(f"variant has no {tag} annotation", source=src,
                                          line=line, field=tag))
            continue
        entries = []
        for item in str(raw).split(","):
            values = item.split("|")
            entries.append(dict(zip(fields, values, strict=False)))
        if dialect == "vep":
            gene_key, prot_key, cons_key, exon_key = "SYMBOL", "HGVSp", "Consequence", "EXON"
        else:
            gene_key, prot_key, cons_key, exon_key = "Gene_Name", "HGVS.p", "Annotation", "Rank"
        alts = variant.ALT
        for alt_index, alt in enumerate(alts, 1):
            mine = _entries_for(entries, variant.REF, alts, alt_index)
            if not mine:
                for _, sample in _carriers(variant, alt_index, names):
                    samples.unrecognized(sample, f"{variant.CHROM}:{variant.POS} {variant.REF}>{alt}",
                                         f"no {tag} annotation for this allele", source=src, line=line)
                continue
            ann = _pick_vep(mine) if dialect == "vep" else mine[0]
            gene_raw = ann.get(gene_key, "").strip()
            if not gene_raw:  # intergenic: counted, reported once per sample
                for _, sample in _carriers(variant, alt_index, names):
                    samples.sample(sample).without_gene += 1
                continue
            prot = unquote(ann.get(prot_key, "").strip())
            prot = prot.split(":", 1)[1] if ":" in prot else prot
            consequence = _consequence(ann.get(cons_key, ""))
            change = None
            problem = None
            if prot and prot not in {"p.=", "p.?", "p.0"}:
                try:
                    change = parse_protein_change(prot)
                except ValueError as exc:
                    problem = str(exc)
            exon = _exon(ann.get(exon_key, ""))
            carriers = _carriers(variant, alt_index, names)
            af = _allele_fractions(variant, alt_index, len(names))
            for s_index, sample in carriers:
                gene = samples.gene(sample, gene_raw)
                if problem is not None:
                    samples.unrecognized(sample, f"{gene_raw} {prot}", problem, source=src, line=line)
                mutation = make_mutation(
                    gene, change,
                    consequence=change.consequence if change is not None else consequence,
                    exon=None if change is not None else exon,
                    allele_fraction=af[s_index] if af is not None else None)
                if change is not None and mutation.exon is None and exon is not None:
                    mutation = make_mutation(gene, change, exon=exon,
                                             allele_fraction=mutation.allele_fraction)
                samples.add(sample, mutation)


def _vep_allele(ref: str, alts: list[str], alt: str) -> str:
    """The allele as VEP writes it: the shared first base of indels is trimmed ('-' if empty)."""
    if all(a[:1] == ref[:1] for a in alts) and (len(ref) > 1 or any(len(a) > 1 for a in alts)):
        return alt[1:] or "-"
    return alt


def _entries_for(entries: list[dict[str, str]], ref: str, alts: list[str],
                 alt_index: int) -> list[dict[str, str]]:
    """The annotations of one ALT allele (by ALLELE_NUM when present, else by allele text)."""
    if len(alts) == 1:
        return entries
    if any("ALLELE_NUM" in e for e in entries):
        return [e for e in entries if e.get("ALLELE_NUM") == str(alt_index)]
    alt = alts[alt_index - 1]
    wanted = {alt, _vep_allele(ref, alts, alt)}
    return [e for e in entries if e.get("Allele") in wanted]


def _carriers(variant, alt_index: int, names: list[str]) -> list[tuple[int, str]]:
    if variant.genotypes is None or not variant.genotypes or len(names) == 0:
        return [(0, names[0])]
    out = []
    for i, gt in enumerate(variant.genotypes):
        alleles = gt[:-1]
        if alt_index in alleles:
            out.append((i, names[i]))
    return out


def _allele_fractions(variant, alt_index: int, n: int) -> list[float | None] | None:
    try:
        af = variant.format("AF")
    except KeyError:
        af = None
    if af is not None and af.shape[1] >= alt_index:
        vals = af[:, alt_index - 1]
        return [None if not np.isfinite(v) or v < 0 else round(float(v), 4) for v in vals]
    try:
        ad = variant.format("AD")
    except KeyError:
        return None
    if ad is None or ad.shape[1] <= alt_index:
        return None
    out: list[float | None] = []
    for row in ad:
        total = int(sum(v for v in row if v >= 0))
        out.append(round(int(row[alt_index]) / total, 4) if total > 0 and row[alt_index] >= 0 else None)
    return out[:n]
