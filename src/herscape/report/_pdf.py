"""``render_pdf``: the prediction as a PDF document (pure Python, with fpdf2).

>>> import json, pathlib
>>> from herscape.report import render_pdf
>>> pred = json.loads(pathlib.Path("prediction.json").read_text())  # doctest: +SKIP
>>> pathlib.Path("report.pdf").write_bytes(render_pdf(pred))     # doctest: +SKIP

The PDF uses the standard Helvetica font, so text is transliterated to Latin-1 (``→`` prints
as ``->``, ``γ`` as ``gamma``). Its creation date is fixed, so the same prediction gives the same
bytes. Pages: query and verdict, the strategies in their three groups with a sensitivity-index
chart, evidence, mechanisms, model readouts with a bar chart, references, and the network diagram
on a landscape page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from herscape.report._common import (
    UNMODELLED_DRIVER_NOTE,
    as_prediction,
    banner_colours,
    before_deciding,
    citation_url,
    effect_label,
    fmt_num,
    fmt_numbers,
    path_text,
    ramp,
    readout_rows,
    references,
    regimen_name,
    release_text,
    setting_text,
    short_cite,
    strategy_details,
    strategy_groups,
    thresholds,
)
from herscape.report._layout import ARC_ROOM, Diagram, edge_geometry, layout_diagram
from herscape.report._svg import EDGE_COLOURS, HALO, SERIES, node_style

__all__ = ["render_pdf"]

#: Fixed creation date (reproducible output).
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_SUBST = {
    "→": "->", "⊣": "-|", "←": "<-", "✓": "yes", "✗": "no", "–": "-", "—": "-", "−": "-",
    "≥": ">=", "≤": "<=", "±": "+/-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...",
    "×": "x", "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "Δ": "delta",
    "κ": "kappa", "μ": "u", "·": "-", "•": "-",
}
_LEVEL_RGB = {"A": "#1b5e20", "B": "#2e7d32", "C": "#b26a00", "D": "#455a64", "E": "#9e9e9e"}


def latin1(text: Any) -> str:
    """Text the core PDF fonts can show: known symbols spelt out, accents kept, rest as ``?``."""
    out = []
    for ch in "" if text is None else str(text):
        if ch in _SUBST:
            out.append(_SUBST[ch])
        elif ord(ch) < 256:
            out.append(ch)
        else:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class _Doc:
    """A thin wrapper over :class:`fpdf.FPDF` with the report's text helpers."""

    def __init__(self) -> None:
        from fpdf import FPDF

        class _Latin1PDF(FPDF):
            """FPDF whose every text passes through :func:`latin1` (core fonts are Latin-1)."""

            def normalize_text(self, text: str) -> str:
                return super().normalize_text(latin1(text))

        self.pdf = _Latin1PDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_creation_date(_EPOCH)
        self.pdf.set_auto_page_break(auto=True, margin=14)
        self.pdf.set_margins(14, 14, 14)
        self.pdf.set_title("herscape report")
        self.pdf.set_creator("herscape")
        self.pdf.add_page()

    def heading(self, text: str, size: float = 13) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.set_text_color(26, 26, 26)
        pdf.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(200, 200, 200)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.5)

    def para(self, text: str, size: float = 9, style: str = "", colour=(26, 26, 26)) -> None:
        pdf = self.pdf
        pdf.set_font("Helvetica", style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.45, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def table(self, head: Sequence[str], rows: Sequence[Sequence[Any]],
              widths: Sequence[float], *, size: float = 7.5) -> None:
        """A table; a cell is text or (text, link) or (text, link, hex colour)."""
        from fpdf.fonts import FontFace

        pdf = self.pdf
        pdf.set_font("Helvetica", "", size)
        pdf.set_text_color(26, 26, 26)
        pdf.set_draw_color(210, 210, 210)
        pdf.set_fill_color(255, 255, 255)
        heading = FontFace(emphasis="BOLD", fill_color=(238, 240, 243))
        with pdf.table(col_widths=tuple(widths), line_height=size * 0.42, padding=1,
                       headings_style=heading, text_align="LEFT") as table:
            row = table.row()
            for h in head:
                row.cell(latin1(h))
            for values in rows:
                row = table.row()
                for value in values:
                    text, link, colour = (tuple(value) + (None, None))[:3] if isinstance(
                        value, tuple) else (value, None, None)
                    style = FontFace(color=_rgb(colour), emphasis="BOLD") if colour else None
                    row.cell(latin1(text), link=link, style=style)
        pdf.ln(2)


def _verdict(doc: _Doc, pred: Mapping[str, Any]) -> None:
    pdf = doc.pdf
    q = pred["query"]
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 9, "herscape report", new_x="LMARGIN", new_y="NEXT")
    doc.para(
        f"Sample {q['sample_id']} - tumour type {q['tumor_type']} - planned therapy "
        f"{regimen_name(q['regimen'])} - features: {', '.join(q.get('features') or []) or 'none'}"
        + (f" - prior: {', '.join(q['prior_therapies'])}" if q.get("prior_therapies") else ""),
        colour=(90, 90, 90),
    )
    for text in before_deciding(pred):  # what to test comes first
        doc.para(f"Before deciding - {text}", colour=(178, 106, 0))
    _, bg, fg = banner_colours(pred)
    pdf.set_font("Helvetica", "", 9)
    summary = latin1(pred["summary"])
    width = pdf.w - pdf.l_margin - pdf.r_margin
    lines = pdf.multi_cell(width - 8, 4.2, summary, dry_run=True, output="LINES")
    height = 23 + 4.2 * len(lines) + 3
    y = pdf.get_y() + 1
    pdf.set_fill_color(*_rgb(bg))
    pdf.rect(pdf.l_margin, y, width, height, style="F", round_corners=True, corner_radius=2)
    pdf.set_text_color(*_rgb(fg))
    pdf.set_xy(pdf.l_margin + 4, y + 3)
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 8, pred["verdict"].replace("_", " ").upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 5, latin1(
        f"to {regimen_name(q['regimen'])} - confidence {pred['confidence']:.2f} - "
        f"basis: {pred['basis']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 4)
    pdf.cell(0, 5, latin1(pred.get("verdict_line") or ""), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(width - 8, 4.2, summary, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(y + height + 2)
    pdf.set_text_color(26, 26, 26)
    doc.para(f"Setting: {setting_text(pred)}", colour=(90, 90, 90))
    if pred.get("reduced_by"):
        doc.para(f"Benefit reduced by: {', '.join(pred['reduced_by'])}")
    if pred.get("model_note"):
        doc.para(f"Model: {pred['model_note']}", colour=(90, 90, 90))
    for m in pred.get("unused_markers") or []:
        doc.para(f"Accepted but not used by any record: {m}", colour=(90, 90, 90))
    for u in pred.get("unrecognized") or []:
        doc.para(f"Not understood: {u['input']} - {u['reason']}", colour=(178, 106, 0))


def _cites(sources: Sequence[Mapping[str, Any]], ref_no: Mapping[str, int]) -> str:
    return ", ".join(f"{short_cite(c)} [{ref_no[str(c['id'])]}]" for c in sources)


def _evidence(doc: _Doc, pred: Mapping[str, Any], ref_no: Mapping[str, int]) -> None:
    doc.heading("Evidence")
    if not pred["evidence"]:
        doc.para("No knowledge assertion matches this query.")
        return
    doc.para("Rows marked 'used' decide the verdict; levels: A phase III or guideline, B phase "
             "II or cohort, C case or early trial, D preclinical, E inferential.", size=8,
             colour=(90, 90, 90))
    rows = []
    for e in pred["evidence"]:
        first = next((c for c in e["sources"] if citation_url(c)), None)
        rows.append([
            (e["level"], None, _LEVEL_RGB.get(e["level"])),
            e["biomarker"],
            effect_label(e),
            f"{e['therapy']} ({e['relevance']})",
            fmt_numbers(e),
            (_cites(e["sources"], ref_no), citation_url(first) if first else None),
            "used" if e["counted"] else "-",
        ])
    doc.table(["Lvl", "Biomarker", "Effect", "Therapy", "Numbers", "Sources", "Used"], rows,
              (8, 30, 20, 30, 46, 36, 10))


def _mechanisms(doc: _Doc, pred: Mapping[str, Any]) -> None:
    doc.heading("Mechanisms")
    if not pred["mechanisms"]:
        doc.para("No resistance mechanism matched.")
        return
    for m in pred["mechanisms"]:
        doc.para(f"{m['name']} ({m['category']}; {m['timing']})", style="B")
        path = path_text(m["path"]) if m["path"] else "no network path (not modelled)"
        doc.para(f"path: {path}   evidence: {', '.join(m['evidence']) or '-'}", size=8.5)


def _bar_chart(doc: _Doc, model: Mapping[str, Any]) -> None:
    pdf = doc.pdf
    rows = readout_rows(model)
    values = [v for _, vals in rows for v in vals if v is not None]
    lo, hi = min(0.0, *values), max(1.0, *values)
    lo = -1.0 if lo < 0 else 0.0
    w, h = 160.0, 52.0
    if pdf.get_y() + h + 16 > pdf.h - pdf.b_margin:
        pdf.add_page()
    x0, y0 = pdf.l_margin + 12, pdf.get_y() + 8
    pdf.set_font("Helvetica", "", 7)
    lx = x0
    for _key, name, colour in SERIES:
        pdf.set_fill_color(*_rgb(colour))
        pdf.rect(lx, y0 - 6, 3, 3, style="F")
        pdf.set_xy(lx + 4, y0 - 6.6)
        pdf.cell(30, 4, name)
        lx += 36

    def y(v: float) -> float:
        return y0 + (hi - v) / (hi - lo) * h

    pdf.set_draw_color(220, 220, 220)
    tick = lo
    while tick <= hi + 1e-9:
        pdf.set_draw_color(*((90, 90, 90) if abs(tick) < 1e-9 else (225, 225, 225)))
        pdf.line(x0, y(tick), x0 + w, y(tick))
        pdf.set_xy(x0 - 11, y(tick) - 2)
        pdf.cell(10, 4, f"{tick:.2f}", align="R")
        tick += 0.5
    group = w / len(rows)
    bar = (group - 8) / len(SERIES)
    for gi, (label, vals) in enumerate(rows):
        gx = x0 + gi * group + 4
        for si, ((_k, _n, colour), v) in enumerate(zip(SERIES, vals, strict=True)):
            if v is None:
                continue
            top, bottom = sorted((y(0.0), y(v)))
            pdf.set_fill_color(*_rgb(colour))
            pdf.rect(gx + si * bar, top, bar - 0.6, max(bottom - top, 0.2), style="F")
            pdf.set_xy(gx + si * bar - 1, (y(v) - 3.2) if v >= 0 else y(v) + 0.2)
            pdf.cell(bar + 1, 3, f"{v:.2f}", align="C")
        pdf.set_xy(gx, y0 + h + 1)
        pdf.cell(group - 8, 4, label, align="C")
    pdf.set_y(y0 + h + 7)


def _model(doc: _Doc, pred: Mapping[str, Any]) -> None:
    model = pred.get("model")
    doc.heading("Network model readouts (level E: inference, never clinical evidence)")
    if not model:
        doc.para("The planned regimen acts on no node of the network model.")
        return
    si, se = model.get("sensitivity_index"), model.get("sensitivity_index_se")
    si_text = "undefined" if si is None else f"{si:.2f}" + (f" +/- {se:.2f}" if se is not None else "")
    doc.para(
        f"Sensitivity index {si_text} relative to the reference sensitive profile "
        f"{model['reference']}; model verdict {model['verdict']}. Active path: "
        f"{path_text(model.get('active_path') or []) or 'none'}. Drug nodes: "
        f"{', '.join(model.get('drug_nodes') or []) or '-'}."
    )
    doc.table(["Readout", "untreated", "treated", "reference untreated", "reference treated"],
              [[label, *(fmt_num(v) for v in vals)] for label, vals in readout_rows(model)],
              (40, 30, 30, 40, 40))
    _bar_chart(doc, model)
    for a in model.get("drug_actions") or []:
        doc.para(f"Drug action: {a.get('drug', '')} -> {a.get('nodes', '')} ({a.get('basis', '')};"
                 f" {a.get('sources', '')})", size=8)
    for p in model.get("perturbations") or []:
        doc.para(f"Alteration applied: {p.get('pattern', '')} - {p.get('why', '')}"
                 f" ({p.get('sources', '')})", size=8)
    if model.get("unmodelled_driver"):
        doc.para(UNMODELLED_DRIVER_NOTE, size=8)


def _si_chart(doc: _Doc, pred: Mapping[str, Any]) -> None:
    from herscape.report._svg import _si_rows

    rows = _si_rows(pred, 12)
    if not rows:
        return
    pdf = doc.pdf
    sens, res = thresholds()
    values = [v for _, v, se, _ in rows for v in (v + (se or 0), v - (se or 0))]
    lo, hi = min(0.0, *values), max(1.0, *values) + 0.1
    row_h, label_w, w = 5.0, 70.0, 100.0
    height = row_h * len(rows) + 14
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    doc.para("Simulated sensitivity index (planned regimen, then strategies; +/- one SE)",
             style="B", size=9)
    x0, y0 = pdf.l_margin + label_w, pdf.get_y() + 4

    def x(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * w

    colours = {"planned": "#616161", "recommended": "#2e7d32", "not-recommended": "#c62828"}
    pdf.set_font("Helvetica", "", 7)
    for value, label, align in ((res, "resistant <=", "R"), (sens, "sensitive >=", "L")):
        pdf.set_draw_color(90, 90, 90)
        pdf.set_dash_pattern(1, 1)
        pdf.line(x(value), y0 - 2, x(value), y0 + row_h * len(rows))
        pdf.set_dash_pattern()
        pdf.set_xy(x(value) - 25 if align == "R" else x(value) + 1, y0 - 5.5)
        pdf.cell(24, 3, f"{label} {value:.2f}", align=align)
    for i, (label, v, se, status) in enumerate(rows):
        yy = y0 + i * row_h
        pdf.set_xy(pdf.l_margin, yy)
        pdf.set_text_color(26, 26, 26)
        pdf.cell(label_w - 2, row_h, latin1(label if len(label) <= 48 else label[:47] + "..."),
                 align="R")
        a, b = sorted((x(0.0), x(v)))
        pdf.set_fill_color(*_rgb(colours[status]))
        pdf.rect(a, yy + 1, max(b - a, 0.2), row_h - 2, style="F")
        if se:
            pdf.set_draw_color(17, 17, 17)
            pdf.line(x(v - se), yy + row_h / 2, x(v + se), yy + row_h / 2)
        pdf.set_xy(max(b, x(v + (se or 0))) + 1, yy)
        pdf.cell(12, row_h, f"{v:.2f}")
    pdf.set_y(y0 + row_h * len(rows) + 4)


def _strategies(doc: _Doc, pred: Mapping[str, Any], ref_no: Mapping[str, int]) -> None:
    """The three strategy groups (standard, mechanism-directed, exploratory), right under the
    verdict, each its own table, then the sensitivity-index chart."""
    doc.heading("Strategies")
    groups = strategy_groups(pred)
    if not groups:
        doc.para("No strategy found.")
        return
    for _, title, note, items in groups:
        doc.heading(title, size=10.5)
        doc.para(note, size=7.5, colour=(90, 90, 90))
        rows = []
        for s in items:
            if s["recommended"]:
                rec = ("yes", None, "#1b7f3b")
            else:
                rec = ("model only" if s.get("model_only") else "no", None, "#b3261e")
            level = s.get("evidence_level")
            si, se = s.get("sensitivity_index"), s.get("sensitivity_index_se")
            rationale = s["rationale"] + (f"\n{fmt_numbers(s)}" if fmt_numbers(s) else "")
            for line in strategy_details(s):
                rationale += f"\n{line}"
            if s["sources"]:
                rationale += "\n" + _cites(s["sources"], ref_no)
            first = next((c for c in s["sources"] if citation_url(c)), None)
            rows.append([
                str(s["rank"]), f"{regimen_name(s['regimen'])}\n({s['kind']}, {s['origin']})", rec,
                (level or "model", None, _LEVEL_RGB.get(level or "E")),
                "-" if si is None else f"{si:.2f}" + (f"\n+/-{se:.2f}" if se else ""),
                (rationale, citation_url(first) if first else None),
                s.get("reason_not_recommended") or "",
            ])
        doc.table(["#", "Regimen", "Rec.", "Lvl", "SI", "Rationale, numbers, sources",
                   "Reason not recommended"], rows, (6, 36, 12, 10, 11, 66, 41))
    _si_chart(doc, pred)


def _references(doc: _Doc, refs: Sequence[Mapping[str, Any]]) -> None:
    if not refs:
        return
    doc.heading("References")
    pdf = doc.pdf
    for i, c in enumerate(refs, 1):
        url = citation_url(c)
        pdf.set_font("Helvetica", "", 8)
        pdf.set_text_color(26, 26, 26)
        trial = f" ({c['trial']})" if c.get("trial") else ""
        pdf.write(3.8, latin1(f"[{i}] {c['citation']}{trial}. {c['id']} "))
        if url:
            pdf.set_text_color(26, 86, 176)
            pdf.write(3.8, latin1(url), link=url)
        pdf.ln(4.4)


def _diagram_page(doc: _Doc, diagram: Diagram, title: str) -> None:
    pdf = doc.pdf
    pdf.add_page(orientation="L")
    doc.heading(title)
    doc.para("Node colour: probability ON under treatment (grey 0 to red 1). Borders: purple "
             "altered input, blue drug, dashed blue drug target, black readout. Edges: green "
             "activation (arrow), red inhibition (bar), orange both signs, dashed feedback; the "
             "active path is highlighted in yellow.", size=8, colour=(90, 90, 90))
    avail_w = pdf.w - pdf.l_margin - pdf.r_margin
    avail_h = pdf.h - pdf.get_y() - pdf.b_margin - 4
    k = min(avail_w / diagram.width, avail_h / (diagram.height + ARC_ROOM))
    origin = (pdf.l_margin, pdf.get_y() + 2)
    _draw_edges(pdf, diagram, origin, k)
    _draw_nodes(pdf, diagram, origin, k)
    pdf.set_text_color(26, 26, 26)
    pdf.set_line_width(0.2)


def _draw_edges(pdf: Any, diagram: Diagram, origin: tuple[float, float], k: float) -> None:
    def at(pt: tuple[float, float]) -> tuple[float, float]:
        return origin[0] + pt[0] * k, origin[1] + pt[1] * k

    for halo in (True, False):
        for e in sorted(diagram.edges, key=lambda e: (e.on_path, e.source, e.target)):
            if halo and not e.on_path:
                continue
            start, segs = edge_geometry(e, diagram.nodes, diagram.height)
            colour = HALO if halo else EDGE_COLOURS[e.sign]
            pdf.set_draw_color(*_rgb(colour))
            pdf.set_line_width(2.2 if halo else (0.7 if e.on_path else 0.3))
            if e.feedback and not halo:
                pdf.set_dash_pattern(1.2, 0.8)
            cur = start
            for seg in segs:
                if len(seg) == 1:
                    pdf.line(*at(cur), *at(seg[0]))
                else:
                    pdf.bezier([at(cur), *(at(p) for p in seg)])
                cur = seg[-1]
            pdf.set_dash_pattern()
            if not halo:
                prev = segs[-1][-2] if len(segs[-1]) > 1 else start
                _edge_end(pdf, at(prev), at(cur), e.sign, colour)


def _draw_nodes(pdf: Any, diagram: Diagram, origin: tuple[float, float], k: float) -> None:
    for node in sorted(diagram.nodes.values(), key=lambda n: n.name):
        colour, width, dash = node_style(node)
        x, y = origin[0] + node.x * k, origin[1] + node.y * k
        w, h = node.w * k, node.h * k
        if "path" in node.roles:
            pdf.set_fill_color(*_rgb(HALO))
            pdf.rect(x - 1, y - 1, w + 2, h + 2, style="F", round_corners=True, corner_radius=1.5)
        pdf.set_fill_color(*ramp(node.p_treated))
        pdf.set_draw_color(*_rgb(colour))
        pdf.set_line_width(width * k)
        if dash:
            pdf.set_dash_pattern(1, 0.6)
        radius = h / 2 if "drug" in node.roles else 1.2
        pdf.rect(x, y, w, h, style="DF", round_corners=True, corner_radius=radius)
        pdf.set_dash_pattern()
        dark = (node.p_treated or 0) > 0.85
        pdf.set_text_color(*((255, 255, 255) if dark else (26, 26, 26)))
        bold = "B" if ("path" in node.roles or "readout" in node.roles) else ""
        pdf.set_font("Helvetica", bold, max(5.0, 12 * k * 2.4))
        pdf.set_xy(x, y + h * 0.12)
        pdf.cell(w, h * 0.45, node.name, align="C")
        pdf.set_font("Helvetica", "", max(4.5, 10 * k * 2.4))
        pdf.set_xy(x, y + h * 0.55)
        pdf.cell(w, h * 0.35, f"p {fmt_num(node.p_treated)}", align="C")
        tag = next((r for r in ("altered", "drug", "target") if r in node.roles), None)
        if tag:
            pdf.set_text_color(*_rgb(colour))
            pdf.set_font("Helvetica", "B", max(4.0, 9 * k * 2.4))
            pdf.set_xy(x, y - 3)
            pdf.cell(w, 3, {"target": "DRUG TARGET"}.get(tag, tag.upper()))


def _edge_end(pdf: Any, prev: tuple[float, float], end: tuple[float, float], sign: str,
              colour: str) -> None:
    """Arrowhead (activation, both signs) or bar (inhibition) at the end of an edge."""
    import math

    dx, dy = end[0] - prev[0], end[1] - prev[1]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    px, py = -uy, ux
    pdf.set_fill_color(*_rgb(colour))
    pdf.set_draw_color(*_rgb(colour))
    if sign == "-":
        pdf.set_line_width(0.6)
        pdf.line(end[0] + px * 1.2, end[1] + py * 1.2, end[0] - px * 1.2, end[1] - py * 1.2)
        return
    size = 1.6
    base = (end[0] - ux * size, end[1] - uy * size)
    pdf.polygon([end, (base[0] + px * size * 0.5, base[1] + py * size * 0.5),
                 (base[0] - px * size * 0.5, base[1] - py * size * 0.5)], style="F")


def _footer(doc: _Doc, pred: Mapping[str, Any]) -> None:
    prov = pred["provenance"]
    doc.heading("Provenance", size=10)
    doc.para(" - ".join(f"{k}: {prov[k]}" for k in sorted(prov))
             + f" - schema {pred['schema_version']}", size=7.5, colour=(90, 90, 90))
    doc.para(release_text(pred), size=7.5, colour=(90, 90, 90))
    doc.para("herscape is a research tool. Its verdicts summarise published evidence and an "
             "executable network model for discussion by a molecular tumour board; they are "
             "not a prescription.", size=7.5, colour=(90, 90, 90))


def render_pdf(pred: Mapping[str, Any]) -> bytes:
    """The prediction as a PDF document.

    The same content as :func:`render_html`: verdict banner, the strategies in their three groups
    with a sensitivity-index chart, evidence, mechanisms, model readouts with a bar chart,
    references with links, provenance, and the network diagram on a landscape page.

    Parameters
    ----------
    pred
        The prediction as its JSON dict (``Prediction.to_dict()`` or a saved JSON file), or a
        :class:`~herscape.predict.Prediction`.

    Returns
    -------
    The PDF file's bytes (starting ``%PDF``). The same input gives the same bytes.

    Raises
    ------
    ReportError
        When ``pred`` does not match the prediction schema.
    """
    from herscape.network._curated import load_erbb_model

    data = as_prediction(pred)
    refs = references(data)
    ref_no = {str(c["id"]): i for i, c in enumerate(refs, 1)}
    doc = _Doc()
    _verdict(doc, data)
    _strategies(doc, data, ref_no)
    _evidence(doc, data, ref_no)
    _mechanisms(doc, data)
    _model(doc, data)
    _references(doc, refs)
    _footer(doc, data)
    diagram = layout_diagram(data, load_erbb_model()) if data.get("model") else None
    if diagram is not None:
        path = path_text(data["model"].get("active_path") or [])
        _diagram_page(doc, diagram, f"Network model: {path or 'ERBB network'}")
    return bytes(doc.pdf.output())
