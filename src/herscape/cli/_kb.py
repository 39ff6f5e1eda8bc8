"""``herscape kb ...``: validate, count, show and export the knowledge base."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from herscape._config import seeds_dir
from herscape.cli import app, out_console
from herscape.cli._files import temp_beside
from herscape.errors import UsageError
from herscape.knowledge import RECORD_TYPES, load_kb
from herscape.knowledge._diff import KbDiff, diff_folders
from herscape.knowledge._export import export_json, export_tsv
from herscape.knowledge._format import (
    format_approval,
    format_numbers,
    format_reading,
    format_status,
    format_where,
)
from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._load import SINGULAR, data_dir
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
    checked = seeds_dir() is not None
    kb = load_kb(data, check_quotes=checked)
    c = kb.stats()
    required = load_required_tests(kb, data / "required_tests" if data is not None else None)
    out_console.print(
        f"knowledge base valid ({release_text(kb)}): {c['sources']} sources ({c['sources_seed']} read in "
        f"the seeds, {c['sources_read']} read beyond them), {c['drugs']} drugs ({c['drug_status']} with "
        f"a status), {c['mechanisms']} mechanisms, {c['assertions']} assertions, {c['strategies']} "
        f"strategies, {len(required)} required tests; records with a seed line: {c['records_seed']}, "
        f"with read sources only: {c['records_read']}",
        highlight=False,
    )
    if not checked:
        out_console.print("seed quotes NOT checked: the seed documents were not found "
                          "(set HERSCAPE_SEEDS to the folder of the seed .txt files)", highlight=False)


def release_text(kb: KnowledgeBase) -> str:
    """``'release 1.0.0 of 2026-12-02'``, or ``'no release recorded'``."""
    rel = kb.release
    return f"release {rel.version} of {rel.date}" if rel is not None else "no release recorded"


@kb_app.command("stats")
def stats(
    fmt: Annotated[_StatsFormat, typer.Option("--format", help="text or json")] = _StatsFormat.text,
) -> None:
    """Count the records of each type."""
    kb = load_kb()
    counts = kb.stats()
    if fmt is _StatsFormat.json:
        release = kb.release.model_dump(mode="json", exclude_none=True) if kb.release else None
        typer.echo(json.dumps({"release": release, **counts}, indent=2))
        return
    table = Table(title=f"herscape knowledge base, {release_text(kb)}")
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
    fd, tmp = temp_beside(out)
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


def _head_source(rec: Any, kb: KnowledgeBase) -> list[str]:
    ids = " ".join(f"{k.upper()} {v}" for k in ("pmid", "doi", "nct") if (v := getattr(rec, k)))
    lines = [f"{rec.citation} ({rec.study_type}){' — ' + rec.trial if rec.trial else ''}"]
    if rec.title:
        lines.append(f"[italic]{rec.title}[/]")
    lines += [ids] if ids else []
    return lines + [f"read: {format_reading(r)}" for r in rec.read]


def _head_drug(rec: Any, kb: KnowledgeBase) -> list[str]:
    lines = [f"{rec.name} — {rec.drug_class}; targets: {_cell(rec.targets) or '-'}"]
    for label in ("synonyms", "epitope", "isotype", "components", "mechanism_of_action"):
        if getattr(rec, label):
            lines.append(f"{label.replace('_', ' ')}: {_cell(getattr(rec, label))}")
    status = kb.status.get(rec.id)
    lines.append(f"[bold]status:[/] {format_status(status)}")
    return lines + _status_lines(status, kb) if status is not None else lines


def _status_lines(status: Any, kb: KnowledgeBase) -> list[str]:
    lines = [f"  {format_approval(a)} [{a.source}]" for a in status.approvals]
    if status.discontinued is not None:
        stop = status.discontinued
        lines.append(f"  discontinued, as read in [{stop.source}]")
    if status.notes:
        lines.append(f"  {status.notes}")
    return lines


def _head_status(rec: Any, kb: KnowledgeBase) -> list[str]:
    return [f"{rec.id}: {format_status(rec)}; phase reached {rec.phase}", *_status_lines(rec, kb)]


def _head_marker(rec: Any, kb: KnowledgeBase) -> list[str]:
    return [f"{rec.id} ({rec.kind}): {', '.join(rec.values)} — {rec.description}"]


def _head_mechanism(rec: Any, kb: KnowledgeBase) -> list[str]:
    lines = [f"[bold]{rec.name}[/] — {rec.category}, {rec.timing}; therapies: {_cell(rec.therapies)}",
             rec.description]
    return [*lines, f"biomarkers: {'; '.join(rec.biomarkers)}"] if rec.biomarkers else lines


def _head_assertion(rec: Any, kb: KnowledgeBase) -> list[str]:
    sign = "" if rec.direction == "supports" else " (does not support)"
    claim = " — [bold]prognostic only[/] (never a prediction)" if rec.claim == "prognostic" else ""
    timing = f", {rec.timing}" if rec.timing else ""
    return [f"[bold]{rec.biomarker}[/] in {rec.tumor_type} on {rec.therapy} → "
            f"[bold]{rec.effect}[/]{sign}, level {rec.level}{timing}{claim}"]


def _head_strategy(rec: Any, kb: KnowledgeBase) -> list[str]:
    answers = f"; answers {rec.timing} resistance" if rec.timing else ""
    return [f"[bold]{rec.regimen}[/] ({rec.kind}) where {rec.fails} fails"
            f"{' — ' + rec.biomarker if rec.biomarker else ''} in {rec.tumor_type}: "
            f"[bold]{rec.outcome}[/], level {rec.level}{answers}"]


_HEADS = {"sources": _head_source, "drugs": _head_drug, "markers": _head_marker,
          "mechanisms": _head_mechanism, "assertions": _head_assertion, "strategies": _head_strategy,
          "status": _head_status}


def _show_record(kind: str, rec: Any, kb: KnowledgeBase) -> Panel:
    title = f"[bold]{SINGULAR[kind]}[/] {rec.id}"
    lines = _HEADS[kind](rec, kb)
    for label in ("setting", "comparator", "notes"):
        if getattr(rec, label, None):
            lines.append(f"{label}: {getattr(rec, label)}")
    numbers = format_numbers(getattr(rec, "numbers", None))
    if numbers:
        lines.append(f"[bold cyan]{numbers}[/]")
    for sid in getattr(rec, "sources", []) or []:
        src = kb.sources.get(sid)
        if src is None:
            lines.append(f"source: {sid}")
            continue
        nct = f" {src.nct}" if src.nct and src.nct not in sid else ""
        trial = f" {src.trial}" if src.trial else ""
        lines.append(f"source: {src.citation} [{sid}]{trial}{nct}")
        lines += [f"[dim]  read: {format_reading(r)}[/]" for r in src.read] if kind != "sources" else []
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
        out_console.print(_show_record(rkind, getattr(kb, rkind)[rid], kb))
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


@kb_app.command("diff")
def diff(
    old: Annotated[Path, typer.Argument(help="the older knowledge folder (holding sources/, drugs/, ...)")],
    new: Annotated[Path | None, typer.Argument(help="the newer knowledge folder (default: the shipped one)")] = None,
    fmt: Annotated[_StatsFormat, typer.Option("--format", help="text or json")] = _StatsFormat.text,
) -> None:
    """List the records added, removed and changed (by field) between two knowledge folders."""
    result = diff_folders(old, new or data_dir())
    if fmt is _StatsFormat.json:
        typer.echo(json.dumps(_diff_json(result), indent=1, ensure_ascii=False, default=str))
        return
    out_console.print(f"knowledge diff {result.old} ({_release_of(result.old_release)}) → "
                      f"{result.new} ({_release_of(result.new_release)})", highlight=False)
    if result.empty:
        out_console.print("no record added, removed or changed", highlight=False)
        return
    for kind, counts in result.counts().items():
        out_console.print(f"{kind}: {counts['added']} added, {counts['removed']} removed, "
                          f"{counts['changed']} changed", highlight=False)
    for kind, rid in result.added:
        out_console.print(f"+ {SINGULAR[kind]} {rid}", highlight=False, markup=False)
    for kind, rid in result.removed:
        out_console.print(f"- {SINGULAR[kind]} {rid}", highlight=False, markup=False)
    for change in result.changed:
        out_console.print(f"~ {SINGULAR[change.kind]} {change.id}: {', '.join(change.fields)}",
                          highlight=False, markup=False)


def _release_of(release: dict[str, Any] | None) -> str:
    if not release:
        return "no release recorded"
    return f"release {release.get('version', '?')} of {release.get('date', '?')}"


def _diff_json(result: KbDiff) -> dict[str, Any]:
    return {
        "old": {"path": str(result.old), "release": result.old_release},
        "new": {"path": str(result.new), "release": result.new_release},
        "counts": result.counts(),
        "added": [{"record_type": SINGULAR[k], "id": rid} for k, rid in result.added],
        "removed": [{"record_type": SINGULAR[k], "id": rid} for k, rid in result.removed],
        "changed": [{"record_type": SINGULAR[c.kind], "id": c.id, "fields": list(c.fields),
                     "before": c.before, "after": c.after} for c in result.changed],
    }
