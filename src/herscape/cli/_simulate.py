"""``herscape simulate MODEL...``: run a logical model stochastically (MaBoSS semantics).

MODEL is a MaBoSS pair (``.bnd`` then ``.cfg``), a ``.bnet`` file or an SBML-qual file
(``.sbml``/``.xml``). Settings default to the model's ``.cfg``; options override them.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from herscape.cli import app, out_console
from herscape.errors import UsageError
from herscape.network import Model, Mutation, RateScale, SimulationResult, simulate

__all__ = ["load_model_files", "parse_mutation", "parse_scale", "result_to_json"]


class _Format(StrEnum):
    text = "text"
    json = "json"
    tsv = "tsv"


def load_model_files(paths: list[Path]) -> Model:
    """Read a model from the files given on the command line.

    Parameters
    ----------
    paths
        ``X.bnd [X.cfg ...]``, ``X.bnet`` or ``X.sbml``/``X.xml``.

    Returns
    -------
    Model
        The model (reader errors propagate as :class:`~herscape.errors.ModelError`).
    """
    from herscape.network import read_model

    if any(p.suffix.lower() != ".cfg" for p in paths[1:]):
        msg = (
            "MODEL must be a .bnd file optionally followed by .cfg files, one .bnet file or one "
            f"SBML-qual file (.sbml/.xml); got {[str(p) for p in paths]!r}"
        )
        raise UsageError(msg, field="MODEL", value=[str(p) for p in paths])
    return read_model(paths[0], paths[1:])


def parse_mutation(text: str) -> Mutation:
    """``NODE=ON`` / ``NODE=OFF`` (cmaboss logic semantics); a trailing ``!`` makes it instant.

    >>> parse_mutation("EGFR=OFF!")
    Mutation(node='EGFR', state=False, semantics='instant')
    """
    node, sep, value = text.partition("=")
    instant = value.endswith("!")
    state = value.rstrip("!").upper()
    if not sep or not node or state not in ("ON", "OFF", "1", "0"):
        msg = f"--mutate takes NODE=ON or NODE=OFF (optionally ending in '!'), got {text!r}"
        raise UsageError(msg, field="--mutate", value=text)
    return Mutation(node.strip(), state in ("ON", "1"), "instant" if instant else "logic")


def parse_scale(text: str) -> RateScale:
    """``NODE=K`` multiplies the up rate by K; ``NODE=K:D`` also the down rate by D.

    >>> parse_scale("ERBB2=4")
    RateScale(node='ERBB2', up=4.0, down=1.0)
    """
    node, sep, value = text.partition("=")
    up_text, _, down_text = value.partition(":")
    try:
        up = float(up_text)
        down = float(down_text) if down_text else 1.0
        if not sep or not node:
            raise ValueError(text)
        return RateScale(node.strip(), up, down)
    except ValueError as exc:
        msg = f"--scale takes NODE=K or NODE=K:D with K, D finite numbers >= 0, got {text!r}"
        raise UsageError(msg, field="--scale", value=text) from exc


def _clean(value: float) -> float:
    return float(value) if math.isfinite(value) else 0.0


def result_to_json(result: SimulationResult) -> dict[str, Any]:
    """A JSON-ready view of a simulation result.

    Returns
    -------
    dict
        ``settings``, ``last_node_probabilities``, ``last_state_probabilities``,
        ``trajectory`` (``{"time": [...], "nodes": {node: [...]}}``) and ``fixed_points``
        (``[{"state": ..., "probability": ..., "nodes": {...}}]``).
    """
    settings = {k: (list(v) if isinstance(v, tuple) else v) for k, v in result.settings.items()}
    traj = result.nodes_trajectory
    fp = result.fixed_points
    node_names = [str(c) for c in fp.columns[2:]]
    fixed = [
        {
            "state": state,
            "probability": _clean(p),
            "nodes": dict(zip(node_names, bits, strict=True)),
        }
        for state, p, bits in zip(
            fp["state"].tolist(),
            fp["probability"].tolist(),
            fp[node_names].to_numpy(dtype=int).tolist(),
            strict=True,
        )
    ]
    return {
        "settings": settings,
        "last_node_probabilities": {
            k: _clean(v) for k, v in result.last_node_probabilities.items()
        },
        "last_state_probabilities": {
            k: _clean(v) for k, v in result.last_state_probabilities.items()
        },
        "trajectory": {
            "time": [float(t) for t in traj.index],
            "nodes": {c: [_clean(v) for v in traj[c]] for c in traj.columns},
        },
        "fixed_points": fixed,
    }


def _print_text(result: SimulationResult, top: int = 15) -> None:
    s = result.settings
    out_console.print(
        f"{s['model'] or 'model'}: {s['sample_count']} trajectories, max_time {s['max_time']:g}, "
        f"time_tick {s['time_tick']:g}, seed {s['seed']}"
        + (f", mutations {' '.join(s['mutations'])}" if s["mutations"] else "")
        + (f", scales {' '.join(s['scales'])}" if s["scales"] else ""),
        highlight=False,
    )
    nodes = Table(title="node probabilities (last window)")
    nodes.add_column("node")
    nodes.add_column("probability", justify="right")
    for name, p in result.last_node_probabilities.items():
        nodes.add_row(str(name), f"{p:.4f}")
    out_console.print(nodes)
    states = Table(title=f"observed states (last window, top {top})")
    states.add_column("state")
    states.add_column("probability", justify="right")
    for label, p in result.last_state_probabilities.head(top).items():
        states.add_row(str(label), f"{p:.4f}")
    out_console.print(states)
    if not result.fixed_points.empty:
        fps = Table(title="fixed points reached")
        fps.add_column("probability", justify="right")
        fps.add_column("ON nodes")
        for _, row in result.fixed_points.head(top).iterrows():
            fps.add_row(f"{row['probability']:.4f}", str(row["state"]))
        out_console.print(fps)


@app.command("simulate")
def simulate_command(  # noqa: PLR0913 - one option per MaBoSS setting
    model: Annotated[
        list[Path] | None,
        typer.Argument(help="MODEL.bnd [MODEL.cfg], MODEL.bnet or MODEL.sbml", show_default=False),
    ] = None,
    samples: Annotated[int | None, typer.Option("--samples", help="trajectories")] = None,
    threads: Annotated[int | None, typer.Option("--threads", help="worker threads")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="random seed")] = None,
    max_time: Annotated[float | None, typer.Option("--max-time", help="simulated time")] = None,
    time_tick: Annotated[float | None, typer.Option("--time-tick", help="window width")] = None,
    mutate: Annotated[
        list[str] | None,
        typer.Option("--mutate", help="NODE=ON|OFF (append ! for instant semantics)"),
    ] = None,
    scale: Annotated[
        list[str] | None, typer.Option("--scale", help="NODE=K multiplies the up rate by K")
    ] = None,
    final_only: Annotated[
        bool, typer.Option("--final-only", help="only the state at max_time")
    ] = False,
    fmt: Annotated[_Format, typer.Option("--format", help="text, json or tsv")] = _Format.text,
    tumor_type: Annotated[
        str | None, typer.Option("--tumor-type", help="ERBB model: OncoTree code")
    ] = None,
    therapy: Annotated[
        str | None, typer.Option("--therapy", help="ERBB model: regimen, drugs joined by '+'")
    ] = None,
    alteration: Annotated[
        list[str] | None, typer.Option("--alteration", help="ERBB model: e.g. 'KRAS G12D'")
    ] = None,
    marker: Annotated[
        list[str] | None, typer.Option("--marker", help="ERBB model: NAME=VALUE")
    ] = None,
) -> None:
    """Simulate a logical model (MaBoSS semantics) and print its probabilities.

    Without model files and with --therapy, simulate a tumour profile in the curated ERBB
    resistance model: readouts untreated and treated, sensitivity index, verdict, active path.
    """
    if not model and therapy:
        _simulate_profile(tumor_type, therapy, alteration or [], marker or [], fmt, samples, seed)
        return
    if not model:
        msg = (
            "simulate needs MODEL files (MODEL.bnd [MODEL.cfg], MODEL.bnet or MODEL.sbml), "
            "or --tumor-type and --therapy for the ERBB model"
        )
        raise UsageError(msg, field="MODEL")
    loaded = load_model_files(model)
    result = simulate(
        loaded,
        mutations=[parse_mutation(m) for m in mutate or ()],
        scales=[parse_scale(s) for s in scale or ()],
        sample_count=samples,
        max_time=max_time,
        time_tick=time_tick,
        seed=seed,
        threads=threads,
        final_only=final_only,
    )
    if fmt is _Format.json:
        typer.echo(json.dumps(result_to_json(result)))
    elif fmt is _Format.tsv:
        frame = result.nodes_trajectory if not final_only else result.last_node_probabilities
        typer.echo(frame.to_csv(sep="\t"), nl=False)
    else:
        _print_text(result)


def _simulate_profile(
    tumor_type: str | None,
    therapy: str,
    alterations: list[str],
    markers: list[str],
    fmt: _Format,
    samples: int | None,
    seed: int | None,
) -> None:
    from herscape._config import DEFAULT_SEED
    from herscape.network._response import DEFAULT_SAMPLES
    from herscape.predict import simulate_profile
    from herscape.profile._read import profile_from_strings

    profile = profile_from_strings(alterations, markers=markers, tumor_type=tumor_type)
    if profile.unrecognized:
        bad = "; ".join(f"{u.input!r}: {u.reason}" for u in profile.unrecognized)
        raise UsageError(
            f"input not understood: {bad}",
            field="marker" if profile.unrecognized[0].input in markers else "alteration",
            value=profile.unrecognized[0].input,
        )
    summary = simulate_profile(
        profile,
        therapy,
        samples=samples or DEFAULT_SAMPLES,
        seed=DEFAULT_SEED if seed is None else seed,
    )
    out = summary.to_dict()
    if fmt is _Format.json:
        query = {
            "tumor_type": tumor_type,
            "therapy": therapy,
            "features": [str(f) for f in profile.features],
        }
        typer.echo(json.dumps({"query": query, **out}, indent=1))
        return
    if fmt is _Format.tsv:
        typer.echo("readout\tuntreated\ttreated\treference_untreated\treference_treated")
        for key in ("proliferation", "apoptosis", "immune_killing", "growth"):
            typer.echo(
                f"{key}\t{out['untreated'][key]:.4f}\t{out['treated'][key]:.4f}\t"
                f"{out['reference_untreated'][key]:.4f}\t{out['reference_treated'][key]:.4f}"
            )
        return
    table = Table(
        title=f"ERBB model: {therapy} in {tumor_type} ({', '.join(map(str, profile.features)) or 'no alterations'})"
    )
    for col in ("readout", "untreated", "treated", "reference untreated", "reference treated"):
        table.add_column(col, justify="left" if col == "readout" else "right")
    for key in ("proliferation", "apoptosis", "immune_killing", "growth"):
        table.add_row(
            key.replace("_", " "),
            *(
                f"{out[k][key]:.3f}"
                for k in ("untreated", "treated", "reference_untreated", "reference_treated")
            ),
        )
    out_console.print(table)
    si = out["sensitivity_index"]
    si_text = "undefined" if si is None else f"{si:.2f} ± {out['sensitivity_index_se']:.2f}"
    out_console.print(
        f"sensitivity index {si_text} (reference {out['reference']}); "
        f"model verdict [bold]{out['verdict']}[/]"
    )
    out_console.print(f"active path: {' → '.join(out['active_path']) or 'none'}")
    for a in out["drug_actions"]:
        out_console.print(
            f"  drug: {a['drug']} → {a['nodes']} ({a['basis']}; {a['sources']})", highlight=False
        )
    for p in out["perturbations"]:
        out_console.print(
            f"  perturbation: {p['pattern']} — {p['why']} ({p['sources']})", highlight=False
        )
    if out["unmodelled_drugs"]:
        out_console.print(f"  not in the model: {', '.join(out['unmodelled_drugs'])}")
    if out["unmodelled_driver"]:
        out_console.print(
            "  note: the profile does not grow untreated in the model (none of its alterations is a"
            " modelled driver, e.g. a breast tumour without amplified HER2 or ER status), so its"
            " growth was taken to come from drivers outside the model, which ERBB-directed drugs"
            " do not reach.", highlight=False,
        )
