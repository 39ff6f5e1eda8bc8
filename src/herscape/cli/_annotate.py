"""``herscape annotate``: read molecular profiles, match them against the knowledge, write results.

Output formats: ``text`` (a readable summary), ``json`` (validates against
``herscape/profile/data/annotate.schema.json``) and ``tsv`` (for a MAF input: the MAF's rows
with ``HERSCAPE_*`` columns added, like the OncoKB annotator; otherwise one row per sample and
therapy). Files are written to a temporary file and renamed, so nothing is half-written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from enum import StrEnum
from importlib import metadata, resources
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.table import Table

from herscape.cli import app, err_console, out_console
from herscape.cli._files import temp_beside
from herscape.errors import ProfileParseError, ReportError, UsageError
from herscape.knowledge import KnowledgeBase, Matcher, SampleMatches, load_kb
from herscape.profile import MafRows, Profile, load_oncotree, oncotree, read_profiles
from herscape.profile._collect import paused_gc

__all__ = ["SCHEMA_VERSION", "annotate", "annotate_schema", "annotation_document"]

SCHEMA_VERSION = "1.0"
TSV_COLUMNS = (
    "HERSCAPE_FEATURE", "HERSCAPE_HIGHEST_RESISTANCE_LEVEL", "HERSCAPE_HIGHEST_SENSITIVITY_LEVEL",
    "HERSCAPE_RESISTANCE_THERAPIES", "HERSCAPE_SENSITIVITY_THERAPIES", "HERSCAPE_RECORDS",
    "HERSCAPE_NOTE",
)


class _Format(StrEnum):
    text = "text"
    json = "json"
    tsv = "tsv"


def annotate_schema() -> dict[str, Any]:
    """The JSON Schema of ``herscape annotate --format json``."""
    text = (resources.files("herscape.profile") / "data" / "annotate.schema.json").read_text()
    return json.loads(text)


def _version() -> str:
    try:
        return metadata.version("herscape")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _feature_json(f: Any) -> dict[str, Any]:
    d = f.to_dict()
    d["text"] = str(f)
    return d


def annotation_document(profiles: Iterable[Profile], results: Iterable[SampleMatches], *,
                        kb: KnowledgeBase, matcher: Matcher, inputs: list[str],
                        skipped: Iterable[ProfileParseError],
                        notes: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON document ``annotate --format json`` writes (see :func:`annotate_schema`)."""
    samples = []
    for p, r in zip(profiles, results, strict=True):
        samples.append({
            "sample_id": p.sample_id,
            "tumor_type": p.tumor_type,
            "prior_therapies": [str(t) for t in p.prior_therapies],
            "features": [_feature_json(f) for f in p.features],
            "unrecognized": [u.to_dict() for u in p.unrecognized],
            "notes": list(p.notes),
            "molecular_data": p.molecular_data,
            "assessed": p.to_dict()["assessed"],
            **r.to_dict(),
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "herscape_version": _version(),
        "knowledge": {"records_compiled": matcher.n_records, "counts": kb.stats(),
                      "release": ({"version": kb.release.version, "date": kb.release.date}
                                  if kb.release is not None else None)},
        "inputs": inputs,
        "skipped": [_skip_json(e) for e in skipped],
        "notes": list(notes),
        "samples": samples,
    }


def _skip_json(e: ProfileParseError) -> dict[str, Any]:
    value = e.value if isinstance(e.value, str | int | float | type(None)) else str(e.value)
    return {"source": e.source, "line": e.line, "field": e.field, "value": value,
            "reason": e.message}


def _atomic_write(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write through a temporary file in the same folder, then rename it over ``path``."""
    folder = path.resolve().parent
    if not folder.is_dir():
        msg = f"folder {str(folder)!r} does not exist"
        raise ReportError(msg, source=str(path))
    fd, tmp = temp_beside(folder / path.name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------------------------
# TSV


def _row_annotations(result: SampleMatches) -> dict[str, tuple[str, ...]]:
    """feature text -> the HERSCAPE_* values (without FEATURE and NOTE) for one sample."""
    per: dict[str, dict[str, Any]] = {}
    for m in result.matches:
        if m.record_type != "assertion" or m.direction != "supports":
            continue
        side = ("res" if m.effect in {"resistance", "reduced_benefit"} else
                "sens" if m.effect == "sensitivity" else None)
        for text in m.matched_features:
            d = per.setdefault(text, {"res": {}, "sens": {}, "records": {}})
            d["records"][m.record_id] = None
            if side is not None and m.therapy and m.level:
                best = d[side].get(m.therapy)
                d[side][m.therapy] = min(best, m.level) if best else m.level
    out = {}
    for text, d in per.items():
        res, sens = d["res"], d["sens"]
        out[text] = (
            min(res.values(), default=""), min(sens.values(), default=""),
            ",".join(f"{t}:{lv}" for t, lv in sorted(res.items())),
            ",".join(f"{t}:{lv}" for t, lv in sorted(sens.items())),
            ",".join(d["records"]),
        )
    return out


def _write_maf_tsv(fh: TextIO, rows: MafRows, results: dict[str, SampleMatches],
                   skipped: dict[tuple[str | None, int | None], str]) -> None:
    per_sample: dict[str, dict[str, tuple[str, ...]]] = {}
    empty = ("",) * 5
    it = iter(rows.rows)
    pending = next(it, None)
    src = str(rows.path) if rows.path.is_file() else None
    path = rows.path if rows.path.is_file() else None
    if path is None:  # a study folder: its mutation file
        path = next(p for p in rows.path.iterdir() if p.name.startswith("data_mutations"))
        src = str(path)
    with open(path, encoding="utf-8", newline="") as inp:
        for lineno, raw in enumerate(inp, 1):
            line = raw.rstrip("\r\n")
            if lineno < rows.header_line or not line.strip():
                fh.write(line + "\n")
                continue
            if lineno == rows.header_line:
                fh.write(line + "\t" + "\t".join(TSV_COLUMNS) + "\n")
                continue
            while pending is not None and pending[0] < lineno:
                pending = next(it, None)
            if pending is None or pending[0] != lineno:
                fh.write(line + "\t" * len(TSV_COLUMNS) + "\n")
                continue
            _, sample, feature = pending
            if feature is None:
                note = "skipped: " + skipped.get((src, lineno), "bad line")
                fh.write(line + "\t" * (len(TSV_COLUMNS) - 1) + "\t" + note + "\n")
                continue
            ann = per_sample.get(sample)
            if ann is None:
                r = results.get(sample)
                ann = per_sample[sample] = _row_annotations(r) if r is not None else {}
            text = str(feature)
            values = ann.get(text, empty)
            fh.write(f"{line}\t{text}\t" + "\t".join(values) + "\t\n")


def _write_sample_tsv(fh: TextIO, profiles: list[Profile], results: list[SampleMatches]) -> None:
    fh.write("sample_id\ttumor_type\ttherapy\thighest_resistance_level\thighest_sensitivity_level"
             "\tresistance\tsensitivity\tstrategies\tfeatures\tunrecognized\n")
    for p, r in zip(profiles, results, strict=True):
        feats = "; ".join(str(f) for f in p.features)
        unrec = "; ".join(u.input for u in p.unrecognized)
        therapies = r.by_therapy.items() or [("", None)]
        for therapy, s in therapies:
            cells = [p.sample_id, p.tumor_type or "", therapy]
            if s is None:
                cells += ["", "", "", "", ""]
            else:
                cells += [s.highest_resistance or "", s.highest_sensitivity or "",
                          ",".join(s.resistance), ",".join(s.sensitivity), ",".join(s.strategies)]
            fh.write("\t".join([*cells, feats, unrec]) + "\n")


# --------------------------------------------------------------------------------------------
# text


def no_molecular_data(from_files: bool) -> str:
    """Why a profile has no molecular data: a clinical file named the sample but no data file
    did, or (no file given) nothing was stated on the command line."""
    if from_files:
        return "no molecular data for this sample (named in a clinical file only)"
    return "no molecular data: no alteration, marker or assay stated (nothing was tested)"


def _print_text(profiles: list[Profile], results: list[SampleMatches],
                skipped: list[ProfileParseError], kb: KnowledgeBase, *, from_files: bool = True) -> None:
    rel = kb.release
    out_console.print(f"knowledge release {rel.version} of {rel.date}" if rel is not None
                      else "knowledge release not recorded", highlight=False, style="dim")
    for p, r in zip(profiles, results, strict=True):
        out_console.rule(f"[bold]{p.sample_id}[/] ({p.tumor_type or 'tumour type not given'})")
        out_console.print("features: " + (", ".join(str(f) for f in p.features) or "none"),
                          highlight=False)
        if p.prior_therapies:
            out_console.print("prior therapy: " + ", ".join(map(str, p.prior_therapies)), highlight=False)
        for u in p.unrecognized:
            out_console.print(f"[yellow]not understood[/]: {u.input} - {u.reason}", highlight=False)
        for note in p.notes:
            out_console.print(f"[dim]note[/]: {note}", highlight=False)
        if not p.molecular_data:
            out_console.print(no_molecular_data(from_files), highlight=False)
        if r.by_therapy:
            table = Table(show_header=True, header_style="bold")
            for col in ("therapy", "resistance", "sensitivity", "evidence", "strategies"):
                table.add_column(col, overflow="fold")
            for therapy, s in r.by_therapy.items():
                table.add_row(therapy, s.highest_resistance or "-", s.highest_sensitivity or "-",
                              ", ".join((*s.resistance, *s.sensitivity, *s.other)) or "-",
                              ", ".join(s.strategies) or "-")
            out_console.print(table)
        else:
            out_console.print("no therapy-specific knowledge matched")
        weak = [m for m in r.matches if m.strength != "exact"]
        for m in weak:
            out_console.print(f"  same codon, other allele: {m.record_id} ({m.biomarker})", highlight=False)
        for record_id, missing in r.undetermined:
            out_console.print(f"  undetermined: {record_id} needs {', '.join(missing)}", highlight=False)
    for e in skipped:
        out_console.print(f"[yellow]skipped[/]: {e}", highlight=False)


# --------------------------------------------------------------------------------------------
# the command


def annotate(inputs: list[Path], *, tumor_type: str | None = None,  # noqa: PLR0913 - mirrors the command's options
             alterations: list[str] | None = None, markers: list[str] | None = None,
             prior_therapies: list[str] | None = None, sample_id: str | None = None,
             fmt: str = "text", skip_bad: bool = False, out: Path | None = None,
             kb_dir: Path | None = None, oncotree_file: Path | None = None,
             assay: str | None = None, tested: list[str] | None = None) -> int:
    """Run ``herscape annotate``; returns the number of samples annotated.

    Raises
    ------
    ProfileParseError
        For a bad input line (unless ``skip_bad``), naming file, line and field.
    UsageError
        For a bad option (unknown tumour type, TSV of several MAFs, ...).
    """
    tree = load_oncotree(oncotree_file) if oncotree_file is not None else oncotree()
    kb = load_kb(kb_dir, check_quotes=False) if kb_dir is not None else load_kb(check_quotes=False)
    maf_rows: list[MafRows] = []
    result = read_profiles(inputs, tumor_type=tumor_type, alterations=alterations or (),
                           markers=markers or (), prior_therapies=prior_therapies or (),
                           sample_id=sample_id, skip_bad=skip_bad, vocabulary=kb, tree=tree,
                           maf_rows=maf_rows, assay=assay, tested=tested or ())
    if fmt == "tsv" and len(maf_rows) > 1:
        msg = "--format tsv annotates the rows of one MAF; give one MAF (or use --format json)"
        raise UsageError(msg, field="format")
    matcher = Matcher(kb, tree=tree)
    profiles = list(result.profiles)
    with paused_gc():
        results = [matcher.match(p) for p in profiles]
    skipped = list(result.skipped)

    def write(fh: TextIO) -> None:
        if fmt == "json":
            doc = annotation_document(profiles, results, kb=kb, matcher=matcher,
                                      inputs=[str(i) for i in inputs], skipped=skipped,
                                      notes=result.notes)
            json.dump(doc, fh, indent=1)
            fh.write("\n")
        elif maf_rows:
            notes = {(e.source, e.line): e.message for e in skipped}
            _write_maf_tsv(fh, maf_rows[0], {r.sample_id: r for r in results}, notes)
        else:
            _write_sample_tsv(fh, profiles, results)

    if fmt == "text" and out is None:
        _print_text(profiles, results, skipped, kb, from_files=bool(inputs))
    elif out is None:
        import io

        buf = io.StringIO()
        write(buf)
        typer.echo(buf.getvalue(), nl=False)
    else:
        if fmt == "text":
            msg = "--out needs --format json or tsv"
            raise UsageError(msg, field="out")
        with paused_gc():
            _atomic_write(out, write)
    if skipped:
        err_console.print(f"[yellow]skipped {len(skipped)} bad line(s)[/]", highlight=False)
        for e in skipped[:50]:
            err_console.print(f"  {e}", highlight=False)
    n_unrec = sum(len(p.unrecognized) for p in profiles)
    if n_unrec and fmt != "text":
        err_console.print(f"[yellow]{n_unrec} input(s) not understood; see 'unrecognized'[/]",
                          highlight=False)
    return len(profiles)


@app.command("annotate")
def annotate_command(  # noqa: PLR0913 - one parameter per option
    inputs: Annotated[list[Path] | None, typer.Argument(
        help="MAF, VCF (VEP/SnpEff), CNA, fusion, marker or JSON files, or cBioPortal study folders")] = None,
    tumor_type: Annotated[str | None, typer.Option("--tumor-type", "-t", help="OncoTree code, e.g. COAD")] = None,
    alteration: Annotated[list[str] | None, typer.Option("--alteration", "-a", help="e.g. 'KRAS G12D' (repeatable)")] = None,
    marker: Annotated[list[str] | None, typer.Option("--marker", "-m", help="NAME=VALUE, e.g. AREG=low (repeatable)")] = None,
    prior_therapy: Annotated[list[str] | None, typer.Option("--prior-therapy", help="therapy:outcome, e.g. cetuximab:progressed")] = None,
    sample_id: Annotated[str | None, typer.Option("--sample-id", help="sample the --alteration/--marker statements belong to")] = None,
    fmt: Annotated[_Format, typer.Option("--format", "-f", help="text, json or tsv")] = _Format.text,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="skip bad lines and report them")] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here (atomically) instead of stdout")] = None,
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="knowledge folder (default: the shipped one)")] = None,
    oncotree_file: Annotated[Path | None, typer.Option("--oncotree", help="OncoTree to use (API JSON or TSV; default: the shipped release)")] = None,
    assay: Annotated[str | None, typer.Option("--assay", help="what was sequenced: exome, genome, or a cBioPortal gene-panel file")] = None,
    tested: Annotated[list[str] | None, typer.Option("--tested", help="genes sequenced for mutations, GENE,GENE (repeatable)")] = None,
    sample: Annotated[str | None, typer.Option("--sample", hidden=True, help="deprecated: use --sample-id")] = None,
) -> None:
    """Match molecular profiles against the knowledge: evidence and strategies per therapy."""
    if not inputs and not alteration and not marker:
        msg = "give input files, or --alteration/--marker statements"
        raise UsageError(msg, field="inputs")
    if sample is not None:
        err_console.print("[yellow]warning:[/] --sample is deprecated; use --sample-id", highlight=False)
        sample_id = sample_id or sample
    annotate(list(inputs or []), tumor_type=tumor_type, alterations=alteration, markers=marker,
             prior_therapies=prior_therapy, sample_id=sample_id, fmt=fmt.value, skip_bad=skip_bad,
             out=out, kb_dir=kb_dir, oncotree_file=oncotree_file, assay=assay, tested=tested)
