"""``herscape model ...``: inspect, convert and find the fixed points of logical models."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from herscape.cli import app, out_console
from herscape.errors import UsageError
from herscape.network import Model, fixpoints, read_model, write_model
from herscape.network._curated import models_dir
from herscape.network._model import expr_params

model_app = typer.Typer(
    help="Inspect, convert and analyse logical models (.bnd/.cfg, .bnet, SBML-qual).",
    no_args_is_help=True,
)
app.add_typer(model_app, name="model")

_MODEL_HELP = ("model file: X.bnd [X.cfg ...], X.bnet, SBML-qual X.sbml/X.xml, a curated X.yaml, "
               "or 'erbb' for herscape's ERBB resistance model")


class _Format(StrEnum):
    text = "text"
    json = "json"
    tsv = "tsv"


class _Method(StrEnum):
    auto = "auto"
    brute = "brute"
    asp = "asp"


def _load(paths: list[Path]) -> Model:
    """Read ``X.bnd [X.cfg ...]``, a single other model file, or ``erbb`` (the shipped model)."""
    first, rest = paths[0], paths[1:]
    if str(first) == "erbb" and not first.exists():
        first = models_dir() / "erbb_resistance.yaml"
    bad = [str(p) for p in rest if p.suffix.lower() != ".cfg"]
    if bad:
        msg = f"only .cfg files may follow the model file, got {bad!r}"
        raise UsageError(msg, field="MODEL", value=bad)
    return read_model(first, rest)


def fixpoints_table(model: Model, states: list[dict[str, bool]], fmt: str) -> str:
    """Format fixed points as ``json`` or ``tsv`` text.

    Parameters
    ----------
    model
        The model (for node order and name).
    states
        The fixed points.
    fmt
        ``"json"`` or ``"tsv"``.
    """
    names = model.node_names
    if fmt == "tsv":
        lines = ["\t".join(("fixpoint", *names))]
        lines.extend(
            "\t".join((str(i), *(str(int(fp[n])) for n in names)))
            for i, fp in enumerate(states, start=1)
        )
        return "\n".join(lines) + "\n"
    payload: dict[str, Any] = {
        "model": model.name,
        "nodes": list(names),
        "count": len(states),
        "fixpoints": [{n: int(fp[n]) for n in names} for fp in states],
    }
    return json.dumps(payload, indent=2) + "\n"


@model_app.command("fixpoints")
def fixpoints_cmd(
    model_files: Annotated[list[Path], typer.Argument(metavar="MODEL", help=_MODEL_HELP)],
    knockout: Annotated[
        list[str] | None, typer.Option("--knockout", "-k", help="node forced OFF (repeatable)")
    ] = None,
    knockin: Annotated[
        list[str] | None, typer.Option("--knockin", "-i", help="node forced ON (repeatable)")
    ] = None,
    fmt: Annotated[_Format, typer.Option("--format", help="text, json or tsv")] = _Format.text,
    method: Annotated[
        _Method, typer.Option("--method", help="auto, brute (small models) or asp (clingo)")
    ] = _Method.auto,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="stop after this many fixed points")
    ] = None,
) -> None:
    """List the fixed points (stable states) of the model's logic, exactly."""
    model = _load(model_files)
    states = list(
        fixpoints(
            model, knockout=knockout or (), knockin=knockin or (), method=method.value, limit=limit
        )
    )
    if fmt is not _Format.text:
        typer.echo(fixpoints_table(model, states, fmt.value), nl=False)
        return
    extra = []
    if knockout:
        extra.append("knock-out " + ", ".join(knockout))
    if knockin:
        extra.append("knock-in " + ", ".join(knockin))
    head = f"{model.name}: {len(states)} fixed point{'s' if len(states) != 1 else ''}"
    out_console.print(head + (f" ({'; '.join(extra)})" if extra else ""), highlight=False)
    for i, fp in enumerate(states, start=1):
        on = [n for n in model.node_names if fp[n]]
        out_console.print(f"  {i}. ON: {' '.join(on) if on else '(none)'}", highlight=False)


@model_app.command("convert")
def convert_cmd(
    source: Annotated[list[Path], typer.Argument(metavar="IN", help=_MODEL_HELP)],
    out: Annotated[
        Path,
        typer.Argument(
            metavar="OUT", help="output: .bnd (writes .cfg beside it), .bnet, .sbml or .xml"
        ),
    ],
) -> None:
    """Convert a model between MaBoSS, .bnet and SBML-qual (format from the extensions)."""
    model = _load(source)
    if not out.parent.exists():
        msg = f"folder {str(out.parent)!r} does not exist"
        raise UsageError(msg, field="OUT", value=str(out))
    for path in write_model(model, out):
        out_console.print(f"wrote {path}", highlight=False)


def model_info(model: Model) -> dict[str, Any]:
    """A summary of ``model``: node counts, inputs, internal nodes, parameters used and settings."""
    used: set[str] = set()
    for node in model.nodes:
        used |= expr_params(node.rate_up) | expr_params(node.rate_down)
        if node.logic is not None:
            used |= expr_params(node.logic)
    return {
        "name": model.name,
        "source": model.source,
        "nodes": list(model.node_names),
        "node_count": len(model.nodes),
        "inputs": list(model.inputs),
        "internal": [n.name for n in model.nodes if n.internal],
        "parameters": dict(model.parameters),
        "parameters_used": sorted(used),
        "initial_states": len(model.initial) + sum(len(j.nodes) for j in model.joint_initial),
        "settings": {
            "max_time": model.settings.max_time,
            "time_tick": model.settings.time_tick,
            "sample_count": model.settings.sample_count,
            "thread_count": model.settings.thread_count,
            "seed": model.settings.seed,
        },
    }


@model_app.command("info")
def info_cmd(
    model_files: Annotated[list[Path], typer.Argument(metavar="MODEL", help=_MODEL_HELP)],
    fmt: Annotated[_Format, typer.Option("--format", help="text or json")] = _Format.text,
) -> None:
    """Show a model's nodes, inputs, parameters and settings."""
    model = _load(model_files)
    info = model_info(model)
    if fmt is _Format.json:
        typer.echo(json.dumps(info, indent=2))
        return
    if fmt is _Format.tsv:
        msg = "model info supports --format text or json"
        raise UsageError(msg, field="--format", value=fmt.value)
    table = Table(title=f"model {info['name']}", show_header=False)
    table.add_column("field")
    table.add_column("value")
    table.add_row("source", str(info["source"]))
    table.add_row("nodes", f"{info['node_count']}: {' '.join(info['nodes'])}")
    table.add_row("inputs", " ".join(info["inputs"]) or "(none)")
    table.add_row("internal", f"{len(info['internal'])} nodes")
    params = info["parameters"]
    table.add_row(
        "parameters",
        f"{len(params)}: "
        + ", ".join(f"${k}={v:g}" for k, v in list(params.items())[:40])
        + (" ..." if len(params) > 40 else ""),
    )
    table.add_row("initial states", f"{info['initial_states']} nodes set")
    table.add_row("settings", ", ".join(f"{k}={v}" for k, v in info["settings"].items()))
    out_console.print(table)
