"""``herscape kb ...``: validate, count, show and export the knowledge base."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from herscape.cli import app, out_console
from herscape.knowledge import load_kb

kb_app = typer.Typer(help="Validate, count, query and export the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


class _StatsFormat(StrEnum):
    text = "text"
    json = "json"


@kb_app.command("validate")
def validate() -> None:
    """Check every knowledge file: schema, cross-references, drug names, seed quotes."""
    kb = load_kb()
    counts = kb.stats()
    out_console.print(
        f"knowledge base valid: {counts['sources']} sources, {counts['drugs']} drugs, "
        f"{counts['mechanisms']} mechanisms, {counts['assertions']} assertions, "
        f"{counts['strategies']} strategies"
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
