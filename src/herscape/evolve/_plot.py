"""SVG plots of a patient: burden and ctDNA over time with the schedule shaded, and clone
fractions stacked over time (a Muller-style plot). Plain SVG, no plotting library.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

__all__ = ["patient_svg"]

_W, _H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 760, 230, 70, 180, 28, 34
_COLOURS = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
            "#ff9da6", "#9d755d", "#bab0ac")
_SHADE = ("#ffffff", "#dbe9f6", "#fde2c8", "#e2f0d9", "#eadcf0", "#f6f0c8")


def _x(day: float, end: float) -> float:
    return _PAD_L + (_W - _PAD_L - _PAD_R) * (day / end if end > 0 else 0)


def _y(v: float, lo: float, hi: float, top: float, height: float) -> float:
    frac = (v - lo) / (hi - lo) if hi > lo else 0.5
    return top + height * (1 - min(1.0, max(0.0, frac)))


def _shading(rows, regimens, end, top, height) -> list[str]:
    out, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["regimen"] != rows[start]["regimen"]:
            reg = rows[start]["regimen"]
            if reg != "off":
                x0 = _x(rows[start]["day"], end)
                x1 = _x(rows[i]["day"] if i < len(rows) else end, end)
                col = _SHADE[regimens.index(reg) % len(_SHADE)]
                out.append(f'<rect x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 0.5):.1f}" '
                           f'height="{height}" fill="{col}"><title>{escape(reg)}</title></rect>')
            start = i
    return out


def _axis_time(end, top, height) -> list[str]:
    out = [f'<line x1="{_PAD_L}" y1="{top + height}" x2="{_W - _PAD_R}" y2="{top + height}" '
           'stroke="#333"/>']
    step = 3 if end / 30.44 <= 36 else 6
    m = 0
    while m * 30.44 <= end + 1e-9:
        x = _x(m * 30.44, end)
        out.append(f'<line x1="{x:.1f}" y1="{top + height}" x2="{x:.1f}" y2="{top + height + 4}" '
                   'stroke="#333"/>')
        out.append(f'<text x="{x:.1f}" y="{top + height + 16}" font-size="10" '
                   f'text-anchor="middle">{m}</text>')
        m += step
    out.append(f'<text x="{(_PAD_L + _W - _PAD_R) / 2}" y="{top + height + 30}" font-size="11" '
               'text-anchor="middle">months</text>')
    return out


def _log_panel(series: list[tuple[str, list[float], str]], rows, regimens, end, top, title,
               unit, floor) -> list[str]:
    height = _H - _PAD_T - _PAD_B
    vals = [v for _, ys, _ in series for v in ys if v and v > floor]
    lo = math.floor(math.log10(min(vals))) if vals else 0
    hi = math.ceil(math.log10(max(vals))) if vals else 1
    hi = max(hi, lo + 1)
    out = _shading(rows, regimens, end, top, height)
    out.append(f'<text x="{_PAD_L}" y="{top - 8}" font-size="12" font-weight="bold">'
               f'{escape(title)}</text>')
    for e in range(lo, hi + 1):
        y = _y(e, lo, hi, top, height)
        out.append(f'<line x1="{_PAD_L}" y1="{y:.1f}" x2="{_W - _PAD_R}" y2="{y:.1f}" '
                   'stroke="#ddd"/>')
        out.append(f'<text x="{_PAD_L - 6}" y="{y + 3:.1f}" font-size="10" '
                   f'text-anchor="end">1e{e}</text>')
    out.append(f'<text x="14" y="{top + height / 2}" font-size="11" '
               f'transform="rotate(-90 14 {top + height / 2})" text-anchor="middle">'
               f'{escape(unit)}</text>')
    for i, (name, ys, colour) in enumerate(series):
        pts = [f"{_x(r['day'], end):.1f},{_y(math.log10(v), lo, hi, top, height):.1f}"
               for r, v in zip(rows, ys, strict=True) if v and v > floor]
        if len(pts) > 1:
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" '
                       f'points="{" ".join(pts)}"><title>{escape(name)}</title></polyline>')
        ly = top + 12 + 14 * i
        out.append(f'<rect x="{_W - _PAD_R + 8}" y="{ly - 8}" width="10" height="3" '
                   f'fill="{colour}"/><text x="{_W - _PAD_R + 22}" y="{ly - 4}" font-size="10">'
                   f'{escape(name[:28])}</text>')
    out += _axis_time(end, top, height)
    return out


def _muller(doc_rows, clones, end, top) -> list[str]:
    height = _H - _PAD_T - _PAD_B
    out = [f'<text x="{_PAD_L}" y="{top - 8}" font-size="12" font-weight="bold">'
           'Clone fractions (stacked, Muller-style)</text>']
    base = [0.0] * len(doc_rows)
    for i, name in enumerate(clones):
        fr = [r["clone_fraction"].get(name) or 0.0 for r in doc_rows]
        upper = [b + f for b, f in zip(base, fr, strict=True)]
        if max(fr, default=0) <= 0:
            continue
        xs = [_x(r["day"], end) for r in doc_rows]
        top_pts = [f"{x:.1f},{_y(u, 0, 1, top, height):.1f}" for x, u in zip(xs, upper, strict=True)]
        bot_pts = [f"{x:.1f},{_y(b, 0, 1, top, height):.1f}"
                   for x, b in reversed(list(zip(xs, base, strict=True)))]
        colour = _COLOURS[i % len(_COLOURS)]
        out.append(f'<polygon fill="{colour}" fill-opacity="0.85" stroke="none" '
                   f'points="{" ".join(top_pts + bot_pts)}"><title>{escape(name)}</title>'
                   '</polygon>')
        ly = top + 12 + 14 * i
        out.append(f'<rect x="{_W - _PAD_R + 8}" y="{ly - 9}" width="10" height="10" '
                   f'fill="{colour}"/><text x="{_W - _PAD_R + 22}" y="{ly}" font-size="10">'
                   f'{escape(name[:28])}</text>')
        base = upper
    for f in (0, 0.5, 1):
        y = _y(f, 0, 1, top, height)
        out.append(f'<text x="{_PAD_L - 6}" y="{y + 3:.1f}" font-size="10" '
                   f'text-anchor="end">{f:g}</text>')
    out += _axis_time(end, top, height)
    return out


def patient_svg(doc: dict[str, Any]) -> str:
    """Three panels for the run's patient: burden (cells per clone and total, schedule shaded),
    ctDNA (expected VAF per marker; sampled calls as dots) and clone fractions."""
    pat = doc["patient"]
    if not pat or not pat["time_course"]:
        msg = "the run has no patient time course to plot"
        raise ValueError(msg)
    rows = pat["time_course"]
    regimens = doc["plan"]["regimens"]
    clones = [c["name"] for c in doc["plan"]["clones"]]
    end = rows[-1]["day"] or 1.0
    burden = [("total", [r["cells"] for r in rows], "#000000")]
    burden += [(c, [r["clone_cells"][c] for r in rows], _COLOURS[i % len(_COLOURS)])
               for i, c in enumerate(clones)]
    markers = doc["plan"]["markers"]
    vafs = [(m, [r["vaf_expected"][m] for r in rows], _COLOURS[i % len(_COLOURS)])
            for i, m in enumerate(markers)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{3 * _H}" '
             f'viewBox="0 0 {_W} {3 * _H}" font-family="sans-serif">',
             f'<title>{escape(doc["sample_id"])}: {escape(doc["plan"]["schedule"])}</title>',
             '<rect width="100%" height="100%" fill="white"/>']
    parts += _log_panel(burden, rows, regimens, end, _PAD_T, "Burden (schedule shaded)",
                        "cells", 0.5)
    parts += _log_panel(vafs, rows, regimens, end, _H + _PAD_T,
                        "ctDNA: expected mutant allele fraction", "VAF", 1e-12)
    height = _H - _PAD_T - _PAD_B
    vals = [v for _, ys, _ in vafs for v in ys if v and v > 1e-12]
    if vals:
        lo = math.floor(math.log10(min(vals)))
        hi = max(math.ceil(math.log10(max(vals))), lo + 1)
        for i, m in enumerate(markers):
            for r in rows:
                s = r["vaf_sampled"].get(m)
                if s and s["detected"] and s["vaf"]:
                    parts.append(f'<circle cx="{_x(r["day"], end):.1f}" cy="'
                                 f'{_y(math.log10(s["vaf"]), lo, hi, _H + _PAD_T, height):.1f}" '
                                 f'r="2.5" fill="{_COLOURS[i % len(_COLOURS)]}"><title>'
                                 f'{escape(m)} called in a draw</title></circle>')
    parts += _muller(rows, clones, end, 2 * _H + _PAD_T)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
