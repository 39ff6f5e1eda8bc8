"""``render_text``: the prediction as a rich terminal report.

>>> import json, pathlib
>>> from rich.console import Console
>>> from herscape.report import render_text
>>> pred = json.loads(pathlib.Path("prediction.json").read_text())  # doctest: +SKIP
>>> render_text(pred, Console(width=120))                           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from herscape.report._common import (
    as_prediction,
    banner_colours,
    before_deciding,
    effect_label,
    fmt_num,
    fmt_numbers,
    node_changes,
    path_text,
    readout_rows,
    regimen_name,
    release_text,
    setting_text,
    strategy_details,
    strategy_groups,
    summary_rest,
)

__all__ = ["render_text"]

#: Rich style of each verdict's banner.
VERDICT_STYLES = {
    "resistant": "bold white on red3",
    "reduced_sensitivity": "bold white on dark_goldenrod",
    "sensitive": "bold white on green4",
    "uncertain": "bold black on dark_orange",
    "model": "bold black on grey70",  # model inference: neutral, never red/green
}
_LEVEL_STYLES = {"A": "bold green", "B": "green", "C": "yellow", "D": "cyan", "E": "dim"}


def _banner(pred: Mapping[str, Any]) -> Panel:
    q = pred["query"]
    key, _, _ = banner_colours(pred)
    style = VERDICT_STYLES[key]
    head = Text(f" {pred['verdict'].replace('_', ' ').upper()} ", style=style)
    head.append(
        f"  to {regimen_name(q['regimen'])} · confidence {pred['confidence']:.2f} · "
        f"basis: {pred['basis']}",
        style="bold",
    )
    line = Text(pred.get("verdict_line") or "", style="bold")
    who = Text(
        f"{q['sample_id']} · {q['tumor_type']} · features: "
        f"{', '.join(q.get('features') or []) or 'none'}",
        style="dim",
    )
    if q.get("prior_therapies"):
        who.append(f" · prior: {', '.join(q['prior_therapies'])}")
    who.append(f" · setting: {setting_text(pred)}")
    extra = []
    if pred.get("reduced_by"):
        extra.append(Text(f"Benefit reduced by: {', '.join(pred['reduced_by'])}"))
    if pred.get("model_note"):
        extra.append(Text(f"Model: {pred['model_note']}", style="italic"))
    border = style.split(" on ")[-1]
    return Panel(Group(head, line, who, Text(summary_rest(pred)), *extra), title="herscape prediction",
                 border_style=border, expand=True)


def _before(pred: Mapping[str, Any]) -> Panel | None:
    lines = before_deciding(pred)
    if not lines:
        return None
    return Panel(Group(*(Text(x) for x in lines)), title="Before deciding: tests missing",
                 border_style="dark_orange", expand=True)


#: Below this console width the evidence table folds therapy, numbers and citations together.
NARROW = 110


def _evidence(pred: Mapping[str, Any], width: int) -> Table | Text:
    if not pred["evidence"]:
        return Text("No knowledge assertion matches this query.", style="dim")
    narrow = width < NARROW
    table = Table(title="Evidence", title_justify="left", show_lines=narrow, expand=True)
    columns: tuple[tuple[str, dict[str, Any]], ...] = (
        ("Lvl", {"no_wrap": True}), ("Biomarker", {"ratio": 2, "min_width": 12}),
        ("Effect", {"min_width": 11}),
    )
    if narrow:
        columns += (("Therapy · numbers · citations", {"ratio": 5}),)
    else:
        columns += (("Therapy", {"ratio": 2}), ("Numbers", {"ratio": 4}),
                    ("Citations", {"ratio": 3}))
    for col, kw in (*columns, ("Used", {"no_wrap": True})):
        table.add_column(col, overflow="fold", **kw)
    for e in pred["evidence"]:
        level = Text(e["level"], style=_LEVEL_STYLES.get(e["level"], ""))
        style = "red" if e["effect"] in ("resistance", "reduced_benefit") else (
            "green" if e["effect"] == "sensitivity" else ""
        )
        cites = ", ".join(c["id"] for c in e["sources"])
        if narrow:
            detail = Text(e["therapy"])
            for part, part_style in ((fmt_numbers(e), "bold"), (cites, "dim")):
                if part:
                    detail.append("\n" + part, style=part_style)
            cells: tuple[Any, ...] = (detail,)
        else:
            cells = (escape(e["therapy"]), escape(fmt_numbers(e)), escape(cites))
        table.add_row(
            level, escape(e["biomarker"]), Text(effect_label(e), style=style), *cells,
            "✓" if e["counted"] else "–",
            style=None if e["counted"] else "dim",
        )
    return table


def _mechanisms(pred: Mapping[str, Any]) -> Table | Text:
    if not pred["mechanisms"]:
        return Text("No resistance mechanism matched.", style="dim")
    table = Table(title="Mechanisms", title_justify="left", expand=True)
    table.add_column("Mechanism")
    table.add_column("Timing", no_wrap=True)
    table.add_column("Network path", ratio=2)
    for m in pred["mechanisms"]:
        table.add_row(
            escape(m["name"]), m["timing"],
            Text(path_text(m["path"]) or "not modelled", style="bold yellow" if m["path"] else "dim"),
        )
    return table


def _model(pred: Mapping[str, Any]) -> Group | Text:
    model = pred.get("model")
    if not model:
        return Text("Network model: the planned regimen acts on no model node.", style="dim")
    si = model.get("sensitivity_index")
    se = model.get("sensitivity_index_se")
    si_text = "undefined" if si is None else f"{si:.2f}" + (f" ± {se:.2f}" if se is not None else "")
    moved = [(n, u, t) for n, u, t in node_changes(model)[:6] if (t or 0) != (u or 0)]
    caption = (
        f"sensitivity index {si_text} vs reference {model['reference']} · model verdict "
        f"{model['verdict']} · active path: {path_text(model.get('active_path') or []) or 'none'}"
    )
    if moved:
        caption += "\nlargest changes under treatment: " + ", ".join(
            f"{n} {fmt_num(u)}→{fmt_num(t)}" for n, u, t in moved
        )
    table = Table(title="Model readouts (network model, level E)", title_justify="left")
    table.add_column("Readout")
    for col in ("untreated", "treated", "ref. untreated", "ref. treated"):
        table.add_column(col, justify="right")
    for label, vals in readout_rows(model):
        table.add_row(label, *(fmt_num(v) for v in vals))
    return Group(table, Text(caption))


def _strategy_table(title: str, note: str, items, narrow: bool) -> Table:
    table = Table(title=f"{title} — {note}", title_justify="left", expand=True, show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Regimen", ratio=2, overflow="fold")
    table.add_column("Rec.", justify="center", no_wrap=True)
    table.add_column("Lvl", no_wrap=True)
    table.add_column("SI", justify="right", no_wrap=True)
    table.add_column("Rationale" + (" · why not" if narrow else ""), ratio=3, overflow="fold")
    if not narrow:
        table.add_column("Not recommended because", ratio=2, overflow="fold")
    for s in items:
        if s["recommended"]:
            rec = Text("✓", style="bold green")
        else:
            rec = Text("model" if s.get("model_only") else "✗", style="bold red")
        rationale = Text(s["rationale"])
        nums = fmt_numbers(s)
        if nums:
            rationale.append(f"\n{nums}", style="bold")
        for line in strategy_details(s):
            rationale.append(f"\n{line}", style="italic")
        if s["sources"]:
            rationale.append("\n" + ", ".join(c["id"] for c in s["sources"]), style="dim")
        reason = s.get("reason_not_recommended") or ""
        if narrow and reason:
            rationale.append(f"\nnot recommended: {reason}", style="red")
        level = s.get("evidence_level")
        cells = [
            str(s["rank"]), escape(regimen_name(s["regimen"])), rec,
            Text(level or "model", style=_LEVEL_STYLES.get(level or "E", "")),
            fmt_num(s.get("sensitivity_index")), rationale,
        ]
        if not narrow:
            cells.append(Text(reason))
        table.add_row(*cells)
    return table


def _strategies(pred: Mapping[str, Any], width: int) -> Group | Text:
    """The strategy groups, standard first, each its own table."""
    groups = strategy_groups(pred)
    if not groups:
        return Text("No strategy found.", style="dim")
    narrow = width < NARROW
    return Group(*(_strategy_table(title, note, items, narrow)
                   for _, title, note, items in groups))


def render_text(pred: Mapping[str, Any], console: Console | None = None) -> None:
    """Print the prediction as a terminal report.

    A verdict banner coloured by verdict (with confidence, basis and summary), then the strategies
    in their three groups (standard, mechanism-directed, exploratory), then tables of evidence,
    mechanisms with their network paths and model readouts.

    Parameters
    ----------
    pred
        The prediction as its JSON dict (``Prediction.to_dict()`` or a saved JSON file), or a
        :class:`~herscape.predict.Prediction`.
    console
        Where to print (default: a new :class:`rich.console.Console` on standard output).

    Raises
    ------
    ReportError
        When ``pred`` does not match the prediction schema.
    """
    data = as_prediction(pred)
    console = console or Console()
    before = _before(data)
    if before is not None:  # what to test comes first
        console.print(before)
    console.print(_banner(data))
    for m in data.get("unused_markers") or []:
        console.print(f"[dim]accepted but not used by any record: {escape(m)}[/]")
    if data.get("unrecognized"):
        for u in data["unrecognized"]:
            console.print(f"[yellow]not understood:[/] {escape(u['input'])} — {escape(u['reason'])}")
    for part in (_strategies(data, console.width), _evidence(data, console.width),
                 _mechanisms(data), _model(data)):
        console.print(part)
    prov = data["provenance"]
    console.print(
        Text(" · ".join(f"{k}: {prov[k]}" for k in sorted(prov)), style="dim"),
    )
    console.print(Text(release_text(data), style="dim"))
