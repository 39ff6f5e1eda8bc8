"""``herscape kb ...``: validate, count, show and export the knowledge base."""

from __future__ import annotations

import json
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from herscape.cli import app, out_console
from herscape.errors import UsageError
from herscape.knowledge import RECORD_TYPES, load_kb
from herscape.knowledge._export import export_json, export_tsv
from herscape.knowledge._format import format_numbers, format_where
from herscape.knowledge._load import SINGULAR
from herscape.knowledge._query import find_records
from herscape.knowledge._required import load_required_tests
from herscape.knowledge._store import data_hash, kb_from_store

kb_app = typer.Typer(help="Validate, count, query and export the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


class _StatsFormat(StrEnum):
    text = "text"
    json = "json"


@kb_app.command("validate")
def validate(
    data: Annotated[Path | None, typer.Option("--data", help="knowledge folder to check instead of the shipped one")] = None,
) -> None:
    """Check every knowledge file: schema, cross-references, drug names, seed quotes."""
    if data is not None and not data.is_dir():
        msg = f"--data {str(data)!r} is not a folder"
        raise UsageError(msg, field="--data", value=str(data))
    kb = load_kb(data)
    counts = kb.stats()
    required = load_required_tests(kb, data / "required_tests" if data is not None else None)
    out_console.print(
        f"knowledge base valid: {counts['sources']} sources, {counts['drugs']} drugs, "
        f"{counts['mechanisms']} mechanisms, {counts['assertions']} assertions, "
        f"{counts['strategies']} strategies, {len(required)} required tests"
    )


@kb_app.command("stats")
def stats(
    fmt: Annotated[_StatsFormat, typer.Option("--format", help="text or json")] = _StatsFormat.text,
) -> None:
    """Count the records of each type."""
    counts = load_kb().stats()
    if fmt is _StatsFormat.json:
        typer.echo(json.dumps(counts, indent=2))
        return
    table = Table(title="herscape knowledge base")
    table.add_column("records")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key.replace("_", " "), str(value))
    out_console.print(table)


class _ExportFormat(StrEnum):
    json = "json"
    tsv = "tsv"


def write_atomically(text: str, out: Path | None) -> None:
    """Write ``text`` to ``out`` via a temporary file and rename (stdout when ``out`` is None)."""
    if out is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    if out.parent and not out.parent.exists():
        msg = f"folder {str(out.parent)!r} does not exist"
        raise UsageError(msg, field="--out", value=str(out))
    fd, tmp = tempfile.mkstemp(dir=out.parent or Path("."), prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@kb_app.command("export")
def export(
    fmt: Annotated[_ExportFormat, typer.Option("--format", help="json or tsv")] = _ExportFormat.json,
    out: Annotated[Path | None, typer.Option("--out", help="file to write (default stdout)")] = None,
) -> None:
    """Export every record; the JSON validates against the schema shipped in the package."""
    kb = kb_from_store()
    text = export_json(kb, kb_hash=data_hash()) if fmt is _ExportFormat.json else export_tsv(kb)
    write_atomically(text, out)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _head_source(rec: Any) -> list[str]:
    ids = " ".join(f"{k.upper()} {v}" for k in ("pmid", "doi") if (v := getattr(rec, k)))
    lines = [f"{rec.citation} ({rec.study_type}){' — ' + rec.trial if rec.trial else ''}"]
    return [*lines, ids] if ids else lines


def _head_drug(rec: Any) -> list[str]:
    lines = [f"{rec.name} — {rec.drug_class}; targets: {_cell(rec.targets) or '-'}"]
    for label in ("synonyms", "epitope", "isotype", "components", "mechanism_of_action"):
        if getattr(rec, label):
            lines.append(f"{label.replace('_', ' ')}: {_cell(getattr(rec, label))}")
    return lines


def _head_marker(rec: Any) -> list[str]:
    return [f"{rec.id} ({rec.kind}): {', '.join(rec.values)} — {rec.description}"]


def _head_mechanism(rec: Any) -> list[str]:
    lines = [f"[bold]{rec.name}[/] — {rec.category}, {rec.timing}; therapies: {_cell(rec.therapies)}",
             rec.description]
    return [*lines, f"biomarkers: {'; '.join(rec.biomarkers)}"] if rec.biomarkers else lines


def _head_assertion(rec: Any) -> list[str]:
    sign = "" if rec.direction == "supports" else " (does not support)"
    return [f"[bold]{rec.biomarker}[/] in {rec.tumor_type} on {rec.therapy} → "
            f"[bold]{rec.effect}[/]{sign}, level {rec.level}"]


def _head_strategy(rec: Any) -> list[str]:
    lines = [f"[bold]{rec.regimen}[/] ({rec.kind}) where {rec.fails} fails"
             f"{' — ' + rec.biomarker if rec.biomarker else ''} in {rec.tumor_type}: "
             f"[bold]{rec.outcome}[/], level {rec.level}"]
    return [*lines, f"comparator: {rec.comparator}"] if rec.comparator else lines


_HEADS = {"sources": _head_source, "drugs": _head_drug, "markers": _head_marker,
          "mechanisms": _head_mechanism, "assertions": _head_assertion, "strategies": _head_strategy}


def _show_record(kind: str, rec: Any, sources: Any) -> Panel:
    title = f"[bold]{SINGULAR[kind]}[/] {rec.id}"
    lines = _HEADS[kind](rec)
    for label in ("setting", "notes"):
        if getattr(rec, label, None):
            lines.append(f"{label}: {getattr(rec, label)}")
    numbers = format_numbers(getattr(rec, "numbers", None))
    if numbers:
        lines.append(f"[bold cyan]{numbers}[/]")
    for sid in getattr(rec, "sources", []) or []:
        src = sources.get(sid)
        lines.append(f"source: {src.citation if src else sid} [{sid}]")
    where = format_where(list(getattr(rec, "where", []) or []))
    if where:
        lines.append(f"[dim]read in {where}[/]")
    return Panel("\n".join(lines), title=title, title_align="left", expand=True)


@kb_app.command("show")
def show(
    query: Annotated[str, typer.Argument(help="gene, alteration, drug, mechanism, source, trial or author")],
    kind: Annotated[str | None, typer.Option("--type", help="only this record type, e.g. strategies")] = None,
    fmt: Annotated[_ExportFormat | None, typer.Option("--format", help="json for machine use")] = None,
) -> None:
    """Show the records for a gene, alteration, drug (any synonym), mechanism or source."""
    if kind is not None and kind not in RECORD_TYPES:
        msg = f"--type must be one of {', '.join(RECORD_TYPES)}; got {kind!r}"
        raise UsageError(msg, field="--type", value=kind)
    rows = [r for r in find_records(query) if kind is None or r[0] == kind]
    if not rows:
        msg = f"no knowledge record matches {query!r}"
        raise UsageError(msg, field="QUERY", value=query)
    if fmt is _ExportFormat.json:
        typer.echo(json.dumps([{"record_type": SINGULAR[k], **json.loads(b)} for k, _, b in rows], indent=1))
        return
    kb = kb_from_store()
    for rkind, rid, _ in rows:
        out_console.print(_show_record(rkind, getattr(kb, rkind)[rid], kb.sources))
    out_console.print(f"{len(rows)} record(s) for {query!r}")


@kb_app.command("markers")
def markers(
    fmt: Annotated[_StatsFormat, typer.Option("--format", help="text or json")] = _StatsFormat.text,
) -> None:
    """List every accepted marker (NAME=VALUE): names, aliases, values and numeric units."""
    from herscape.profile import default_vocabulary

    defs = sorted(default_vocabulary().markers.values(), key=lambda m: (str(m.kind), m.id.lower()))
    if fmt is _StatsFormat.json:
        typer.echo(json.dumps([m.model_dump(mode="json", exclude={"sources"}) for m in defs], indent=2))
        return
    table = Table(title="markers accepted as NAME=VALUE")
    for col in ("marker", "kind", "gene", "aliases", "values"):
        table.add_column(col)
    for m in defs:
        values = ", ".join(m.values) + (f", or a number ({m.numeric_unit})" if m.numeric_unit else "")
        table.add_row(m.id, str(m.kind), m.gene or "", ", ".join(m.aliases), values)
    out_console.print(table)
