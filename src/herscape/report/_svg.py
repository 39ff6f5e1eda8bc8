"""Inline SVG, written by hand: the network diagram and the readout and sensitivity charts.

Every coordinate is printed with one decimal and every list is in a fixed order, so the same
prediction gives byte-identical SVG. No fonts, images or scripts are referenced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from herscape.report._common import fmt_num, hex_colour, ramp, readout_rows, regimen_name
from herscape.report._layout import (
    ARC_ROOM,
    NODE_H,
    Diagram,
    DiagramEdge,
    DiagramNode,
    edge_geometry,
)

__all__ = ["diagram_svg", "readout_chart_svg", "si_chart_svg"]

#: Edge colours by sign.
EDGE_COLOURS = {"+": "#2e7d32", "-": "#c62828", "±": "#b26a00"}
#: Marker id by sign.
_MARKERS = {"+": "hs-act", "-": "hs-inh", "±": "hs-dual"}
#: Node border (colour, width, dash) by the most important role.
ROLE_STYLE: tuple[tuple[str, str, float, str], ...] = (
    ("altered", "#6a1b9a", 3.5, ""),
    ("drug", "#1565c0", 3.0, ""),
    ("target", "#1565c0", 2.0, "5 3"),
    ("readout", "#212121", 2.5, ""),
)
#: Halo colour behind the active path.
HALO = "#ffd54f"
#: Chart series: key, label, colour.
SERIES = (
    ("untreated", "untreated", "#9e9e9e"),
    ("treated", "treated", "#d84315"),
    ("reference_untreated", "reference untreated", "#90caf9"),
    ("reference_treated", "reference treated", "#1565c0"),
)
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
#: The legend's height.
_LEGEND_H = 64.0


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def _a(text: Any) -> str:
    return escape(str(text), quote=True)


def node_style(node: DiagramNode) -> tuple[str, float, str]:
    """Border colour, width and dash pattern for a node (its most important role wins)."""
    for role, colour, width, dash in ROLE_STYLE:
        if role in node.roles:
            return colour, width, dash
    return "#757575", 1.0, ""


def _defs() -> str:
    out = ["<defs>"]
    for sign, mid in sorted(_MARKERS.items(), key=lambda kv: kv[1]):
        colour = EDGE_COLOURS[sign]
        if sign == "-":
            shape = f'<rect x="0" y="0" width="3" height="12" fill="{colour}"/>'
            out.append(
                f'<marker id="{mid}" viewBox="0 0 3 12" refX="1.5" refY="6" markerWidth="3" '
                f'markerHeight="12" markerUnits="userSpaceOnUse" orient="auto">{shape}</marker>'
            )
        else:
            shape = f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/>'
            out.append(
                f'<marker id="{mid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
                f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">{shape}</marker>'
            )
    out.append('<linearGradient id="hs-ramp" x1="0" x2="1" y1="0" y2="0">')
    for stop in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<stop offset="{stop:.2f}" stop-color="{hex_colour(ramp(stop))}"/>')
    out.append("</linearGradient></defs>")
    return "".join(out)


def edge_path(edge: DiagramEdge, nodes: Mapping[str, DiagramNode], floor: float) -> str:
    """SVG path data for an edge (see :func:`herscape.report._layout.edge_geometry`)."""
    start, segments = edge_geometry(edge, nodes, floor)
    d = [f"M{_f(start[0])},{_f(start[1])}"]
    for seg in segments:
        if len(seg) == 1:
            d.append(f"L{_f(seg[0][0])},{_f(seg[0][1])}")
        else:
            d.append("C" + " ".join(f"{_f(x)},{_f(y)}" for x, y in seg))
    return " ".join(d)


def _edge(edge: DiagramEdge, nodes: Mapping[str, DiagramNode], floor: float) -> str:
    d = edge_path(edge, nodes, floor)
    colour = EDGE_COLOURS[edge.sign]
    kind = {"+": "activation", "-": "inhibition", "±": "dual"}[edge.sign]
    cls = f"edge {kind}" + (" active-path" if edge.on_path else "") + (
        " feedback" if edge.feedback else ""
    )
    width = "3" if edge.on_path else "1.4"
    dash = ' stroke-dasharray="6 4"' if edge.feedback else ""
    title = f"{edge.source} {'→' if edge.sign != '-' else '⊣'} {edge.target} ({kind})"
    return (
        f'<path class="{cls}" data-source="{_a(edge.source)}" data-target="{_a(edge.target)}" '
        f'd="{d}" fill="none" stroke="{colour}" stroke-width="{width}"{dash} '
        f'marker-end="url(#{_MARKERS[edge.sign]})"><title>{_a(title)}</title></path>'
    )


def _node(node: DiagramNode) -> str:
    colour, width, dash = node_style(node)
    fill = hex_colour(ramp(node.p_treated))
    text_colour = "#ffffff" if (node.p_treated or 0) > 0.85 else "#1a1a1a"
    rx = NODE_H / 2 if "drug" in node.roles else 6
    on_path = "path" in node.roles
    classes = " ".join(["node", *sorted(node.roles)])
    p_u, p_t = fmt_num(node.p_untreated), fmt_num(node.p_treated)
    tip = f"{node.name} ({node.kind}): {node.description} P(on) untreated {p_u}, treated {p_t}."
    cx, cy = node.x + node.w / 2, node.y + node.h / 2
    out = [f'<g class="{classes}" id="node-{_a(node.name)}"><title>{_a(tip)}</title>']
    if on_path:
        out.append(
            f'<rect x="{_f(node.x - 4)}" y="{_f(node.y - 4)}" width="{_f(node.w + 8)}" '
            f'height="{_f(node.h + 8)}" rx="{_f(rx + 4)}" fill="{HALO}" opacity="0.8"/>'
        )
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    out.append(
        f'<rect x="{_f(node.x)}" y="{_f(node.y)}" width="{_f(node.w)}" height="{_f(node.h)}" '
        f'rx="{_f(rx)}" fill="{fill}" stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
    )
    weight = ' font-weight="700"' if on_path or "readout" in node.roles else ""
    out.append(
        f'<text x="{_f(cx)}" y="{_f(cy - 2)}" text-anchor="middle" font-size="12" '
        f'fill="{text_colour}"{weight}>{_a(node.name)}</text>'
        f'<text x="{_f(cx)}" y="{_f(cy + 12)}" text-anchor="middle" font-size="10" '
        f'fill="{text_colour}">p {p_t}</text>'
    )
    tag = next((r for r in ("altered", "drug", "target") if r in node.roles), None)
    if tag:
        label = {"target": "drug target"}.get(tag, tag)
        out.append(
            f'<text x="{_f(node.x + 2)}" y="{_f(node.y - 5)}" font-size="9" '
            f'fill="{colour}" font-weight="700">{label.upper()}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _legend(y: float, width: float) -> str:
    out = [f'<g class="legend" transform="translate(24,{_f(y)})" font-size="11" fill="#333">']
    out.append('<text x="0" y="12">P(on) under treatment</text>')
    out.append('<rect x="0" y="18" width="140" height="10" fill="url(#hs-ramp)" stroke="#999"/>')
    out.append('<text x="0" y="42">0</text><text x="140" y="42" text-anchor="end">1</text>')
    x = 180.0
    for sign, label in (("+", "activation"), ("-", "inhibition"), ("±", "both signs")):
        out.append(
            f'<path d="M{_f(x)},23 L{_f(x + 34)},23" stroke="{EDGE_COLOURS[sign]}" '
            f'stroke-width="1.6" marker-end="url(#{_MARKERS[sign]})"/>'
            f'<text x="{_f(x + 42)}" y="27">{label}</text>'
        )
        x += 122
    out.append(
        f'<path d="M{_f(x)},23 L{_f(x + 34)},23" stroke="{HALO}" stroke-width="9"/>'
        f'<path d="M{_f(x)},23 L{_f(x + 34)},23" stroke="#2e7d32" stroke-width="3"/>'
        f'<text x="{_f(x + 42)}" y="27">active path</text>'
    )
    x = 180.0
    for role, colour, w, dash in ROLE_STYLE:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        label = {"target": "drug target"}.get(role, role)
        out.append(
            f'<rect x="{_f(x)}" y="40" width="34" height="16" rx="4" fill="#fff" '
            f'stroke="{colour}" stroke-width="{w}"{dash_attr}/>'
            f'<text x="{_f(x + 42)}" y="52">{label}</text>'
        )
        x += 122
    out.append("</g>")
    return "".join(out)


def diagram_svg(diagram: Diagram, *, title: str = "ERBB network") -> str:
    """The laid-out network diagram as one ``<svg>`` element.

    Parameters
    ----------
    diagram
        From :func:`herscape.report._layout.layout_diagram`.
    title
        Accessible title of the figure.
    """
    width = max(diagram.width, 700.0)
    floor = diagram.height
    height = floor + ARC_ROOM + _LEGEND_H
    nodes = diagram.nodes
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" viewBox="0 0 {_f(width)} '
        f'{_f(height)}" width="{_f(width)}" height="{_f(height)}" role="img" '
        f'font-family="{_a(_FONT)}"><title>{_a(title)}</title>',
        _defs(),
        '<g class="halo">',
    ]
    for e in diagram.edges:
        if e.on_path:
            out.append(
                f'<path d="{edge_path(e, nodes, floor)}" fill="none" stroke="{HALO}" '
                f'stroke-width="10" stroke-linecap="round" opacity="0.8"/>'
            )
    out.append('</g><g class="edges">')
    ordered = sorted(diagram.edges, key=lambda e: (e.on_path, e.source, e.target))
    out.extend(_edge(e, nodes, floor) for e in ordered)
    out.append('</g><g class="nodes">')
    out.extend(_node(n) for n in sorted(nodes.values(), key=lambda n: n.name))
    out.append("</g>")
    out.append(_legend(floor + ARC_ROOM - 4, width))
    out.append("</svg>")
    return "".join(out)


def _axis_range(values: Sequence[float]) -> tuple[float, float]:
    lo = math.floor(min([0.0, *values]) * 4) / 4
    hi = math.ceil(max([1.0, *values]) * 4) / 4
    return lo, hi


def readout_chart_svg(model: Mapping[str, Any]) -> str:
    """Grouped bars of each readout: untreated, treated, reference untreated and treated."""
    rows = readout_rows(model)
    values = [v for _, vals in rows for v in vals if v is not None]
    lo, hi = _axis_range(values)
    w, h = 720.0, 300.0
    left, right, top, bottom = 48.0, 12.0, 40.0, 36.0
    plot_h = h - top - bottom

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart readouts" viewBox="0 0 {_f(w)} '
        f'{_f(h)}" width="{_f(w)}" height="{_f(h)}" role="img" font-family="{_a(_FONT)}" '
        f'font-size="11"><title>Model readouts: untreated, treated and reference</title>'
    ]
    tick = lo
    while tick <= hi + 1e-9:
        out.append(
            f'<line x1="{_f(left)}" x2="{_f(w - right)}" y1="{_f(y(tick))}" y2="{_f(y(tick))}" '
            f'stroke="{"#555" if abs(tick) < 1e-9 else "#e0e0e0"}"/>'
            f'<text x="{_f(left - 6)}" y="{_f(y(tick) + 4)}" text-anchor="end" fill="#555">'
            f"{tick:.2f}</text>"
        )
        tick += 0.25
    group_w = (w - left - right) / len(rows)
    bar_w = (group_w - 24) / len(SERIES)
    for gi, (label, vals) in enumerate(rows):
        gx = left + gi * group_w + 12
        for si, ((key, name, colour), v) in enumerate(zip(SERIES, vals, strict=True)):
            if v is None:
                continue
            x = gx + si * bar_w
            y0, y1 = sorted((y(0.0), y(v)))
            out.append(
                f'<rect class="bar {key}" x="{_f(x + 1)}" y="{_f(y0)}" width="{_f(bar_w - 2)}" '
                f'height="{_f(max(y1 - y0, 0.5))}" fill="{colour}"><title>{_a(label)}, {name}: '
                f"{v:.3f}</title></rect>"
            )
            ty = y(v) - 3 if v >= 0 else y(v) + 11
            out.append(
                f'<text x="{_f(x + bar_w / 2)}" y="{_f(ty)}" text-anchor="middle" '
                f'font-size="9" fill="#333">{v:.2f}</text>'
            )
        out.append(
            f'<text x="{_f(gx + (group_w - 24) / 2)}" y="{_f(h - 14)}" text-anchor="middle" '
            f'fill="#222">{_a(label)}</text>'
        )
    lx = left
    for _key, name, colour in SERIES:
        out.append(
            f'<rect x="{_f(lx)}" y="10" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_f(lx + 16)}" y="20">{_a(name)}</text>'
        )
        lx += 24 + 6.5 * len(name) + 12
    out.append("</svg>")
    return "".join(out)


def _si_rows(pred: Mapping[str, Any], limit: int) -> list[tuple[str, float, float | None, str]]:
    rows: list[tuple[str, float, float | None, str]] = []
    model = pred.get("model") or {}
    if model.get("sensitivity_index") is not None:
        plan = regimen_name(pred["query"]["regimen"])
        rows.append((f"planned: {plan}", model["sensitivity_index"],
                     model.get("sensitivity_index_se"), "planned"))
    shown = [s for s in pred.get("strategies", []) if s.get("sensitivity_index") is not None]
    for s in shown[:limit]:
        status = "recommended" if s["recommended"] else "not-recommended"
        rows.append((f"#{s['rank']} {regimen_name(s['regimen'])}", s["sensitivity_index"],
                     s.get("sensitivity_index_se"), status))
    return rows


def si_chart_svg(pred: Mapping[str, Any], *, sensitive_at: float, resistant_at: float,
                 limit: int = 12) -> str | None:
    """Horizontal bars of the model's sensitivity index: the planned regimen, then strategies.

    Returns ``None`` when no regimen has a sensitivity index.
    """
    rows = _si_rows(pred, limit)
    if not rows:
        return None
    colours = {"planned": "#616161", "recommended": "#2e7d32", "not-recommended": "#c62828"}
    values = [v for _, v, se, _ in rows for v in (v + (se or 0), v - (se or 0))]
    lo, hi = min(0.0, *values), max(1.0, *values) + 0.1
    label_w, w, row_h, top = 300.0, 780.0, 22.0, 34.0
    h = top + row_h * len(rows) + 28

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * (w - label_w - 40)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart si" viewBox="0 0 {_f(w)} '
        f'{_f(h)}" width="{_f(w)}" height="{_f(h)}" role="img" font-family="{_a(_FONT)}" '
        f'font-size="11"><title>Model sensitivity index of the planned regimen and the top '
        f"strategies</title>"
    ]
    for value, label, anchor, dx in ((resistant_at, "resistant ≤", "end", -4),
                                     (sensitive_at, "sensitive ≥", "start", 4)):
        out.append(
            f'<line x1="{_f(x(value))}" x2="{_f(x(value))}" y1="{_f(top - 8)}" '
            f'y2="{_f(h - 24)}" stroke="#555" stroke-dasharray="4 3"/>'
            f'<text x="{_f(x(value) + dx)}" y="{_f(top - 12)}" text-anchor="{anchor}" '
            f'fill="#555">{label} {value:.2f}</text>'
        )
    for i, (label, v, se, status) in enumerate(rows):
        yy = top + i * row_h
        short = label if len(label) <= 46 else label[:45] + "…"
        x0, x1 = sorted((x(0.0), x(v)))
        out.append(
            f'<text x="{_f(label_w - 8)}" y="{_f(yy + 14)}" text-anchor="end" fill="#222">'
            f"{_a(short)}</text>"
            f'<rect class="bar {status}" x="{_f(x0)}" y="{_f(yy + 4)}" width="{_f(max(x1 - x0, 0.5))}" '
            f'height="{_f(row_h - 8)}" fill="{colours[status]}"><title>{_a(label)}: SI '
            f"{v:.3f}</title></rect>"
        )
        if se:
            out.append(
                f'<line x1="{_f(x(v - se))}" x2="{_f(x(v + se))}" y1="{_f(yy + 11)}" '
                f'y2="{_f(yy + 11)}" stroke="#111"/>'
            )
        out.append(
            f'<text x="{_f(max(x1, x(v + (se or 0))) + 4)}" y="{_f(yy + 15)}" fill="#333">'
            f"{v:.2f}</text>"
        )
    axis_y = h - 24
    out.append(
        f'<line x1="{_f(x(lo))}" x2="{_f(x(hi))}" y1="{_f(axis_y)}" y2="{_f(axis_y)}" '
        f'stroke="#555"/>'
    )
    tick = round(lo * 4) / 4
    while tick <= hi + 1e-9:
        out.append(
            f'<text x="{_f(x(tick))}" y="{_f(axis_y + 14)}" text-anchor="middle" fill="#555">'
            f"{tick:.2f}</text>"
        )
        tick += 0.25
    out.append("</svg>")
    return "".join(out)
