"""``render_html``: the prediction as one self-contained HTML page.

>>> import json, pathlib
>>> from herscape.report import render_html
>>> pred = json.loads(pathlib.Path("prediction.json").read_text())  # doctest: +SKIP
>>> page = render_html(pred)                                      # doctest: +SKIP
>>> pathlib.Path("report.html").write_text(page, encoding="utf-8")  # doctest: +SKIP

The page has inline CSS and inline SVG only: no scripts, fonts, images or style sheets are
fetched, so it opens offline from disk. Citation links (``https://doi.org/...``,
``https://pubmed.ncbi.nlm.nih.gov/...``) are plain anchors, followed only if the reader clicks.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from importlib import resources
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
    node_changes,
    path_text,
    readout_rows,
    references,
    regimen_name,
    release_text,
    setting_text,
    short_cite,
    strategy_details,
    strategy_groups,
    summary_rest,
    thresholds,
)
from herscape.report._layout import layout_diagram
from herscape.report._svg import diagram_svg, readout_chart_svg, si_chart_svg

__all__ = ["render_html"]


def _e(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


def _css() -> str:
    return resources.files("herscape.report").joinpath("report.css").read_text(encoding="utf-8")


def _cite_links(sources: list[Mapping[str, Any]], ref_no: Mapping[str, int]) -> str:
    parts = []
    for c in sources:
        label = _e(short_cite(c))
        url = citation_url(c)
        num = ref_no.get(str(c["id"]))
        tip = _e(f"{c['id']}: {c['citation']}")
        link = f'<a href="{_e(url)}" title="{tip}">{label}</a>' if url else (
            f'<span title="{tip}">{label}</span>'
        )
        parts.append(f'{link}<sup><a href="#ref-{num}">[{num}]</a></sup>')
    return "<br>".join(parts)


def _level(level: str | None) -> str:
    if not level:
        return '<span class="level level-none" title="model only">model</span>'
    return f'<span class="level level-{_e(level)}">{_e(level)}</span>'


def _header(pred: Mapping[str, Any]) -> str:
    q = pred["query"]
    feats = ", ".join(q.get("features") or []) or "none"
    prior = ", ".join(q.get("prior_therapies") or []) or "none"
    return (
        '<header><h1>herscape report</h1><dl class="query">'
        f"<dt>Sample</dt><dd>{_e(q['sample_id'])}</dd>"
        f"<dt>Tumour type</dt><dd>{_e(q['tumor_type'])}</dd>"
        f"<dt>Planned therapy</dt><dd>{_e(regimen_name(q['regimen']))}</dd>"
        f"<dt>Features</dt><dd>{_e(feats)}</dd>"
        f"<dt>Prior therapies</dt><dd>{_e(prior)}</dd></dl></header>"
    )


def _before(pred: Mapping[str, Any]) -> str:
    """Missing tests, shown before the verdict: what to test before deciding."""
    lines = before_deciding(pred)
    if not lines:
        return ""
    items = "".join(f"<li>{_e(x)}</li>" for x in lines)
    return (f'<section id="missing-tests" class="warning"><h2>Before deciding: tests missing</h2>'
            f"<ul>{items}</ul></section>")


def _verdict(pred: Mapping[str, Any]) -> str:
    v = pred["verdict"]
    key, _, _ = banner_colours(pred)
    extra = ""
    if pred.get("reduced_by"):
        extra += f'<p class="reduced-by">Benefit reduced by: {_e(", ".join(pred["reduced_by"]))}</p>'
    if pred.get("model_note"):
        extra += f'<p class="model-note">Model: {_e(pred["model_note"])}</p>'
    out = [
        f'<section id="verdict" class="verdict verdict-{_e(key)}">'
        f'<div class="verdict-label">{_e(v.replace("_", " ").upper())}</div>'
        f'<div class="verdict-line">{_e(pred.get("verdict_line", ""))}</div>'
        f'<div class="verdict-meta">to {_e(regimen_name(pred["query"]["regimen"]))} · '
        f"confidence {pred['confidence']:.2f} · basis: {_e(pred['basis'])} · "
        f"setting: {_e(setting_text(pred))}</div>"
        f'<p class="summary">{_e(summary_rest(pred))}</p>{extra}</section>'
    ]
    if pred.get("unused_markers"):
        out.append('<p class="small">Accepted but not used by any record: '
                   f'{_e(", ".join(pred["unused_markers"]))}</p>')
    if pred.get("unrecognized"):
        items = "".join(
            f"<li><code>{_e(u['input'])}</code>: {_e(u['reason'])}</li>"
            for u in pred["unrecognized"]
        )
        out.append(
            '<section id="unrecognized" class="warning"><h2>Input not understood</h2>'
            f"<ul>{items}</ul><p>The rest of the profile was analysed.</p></section>"
        )
    return "".join(out)


def _evidence_rows(items: list[Mapping[str, Any]], ref_no: Mapping[str, int]) -> str:
    rows = []
    for e in items:
        setting = f'<div class="small">{_e(e["setting"])}</div>' if e.get("setting") else ""
        notes = f'<div class="small note">{_e(e["notes"])}</div>' if e.get("notes") else ""
        if e.get("superseded_by"):
            notes += (f'<div class="small note">superseded by the narrower record '
                      f'{_e(e["superseded_by"])}</div>')
        effect = effect_label(e)
        rows.append(
            f'<tr class="{"counted" if e["counted"] else "not-counted"}">'
            f"<td>{_level(e['level'])}</td>"
            f"<td>{_e(e['biomarker'])}<div class=\"small\">{_e(e['record_id'])}</div></td>"
            f'<td><span class="effect effect-{_e(e["effect"])}">{_e(effect)}</span></td>'
            f"<td>{_e(e['therapy'])}<div class=\"small\">{_e(e['relevance'])}, "
            f"{_e(e['tumor_type'])}</div>{setting}</td>"
            f"<td>{_e(fmt_numbers(e))}{notes}</td>"
            f"<td class=\"cites\">{_cite_links(e['sources'], ref_no)}</td></tr>"
        )
    return "".join(rows)


_EVIDENCE_HEAD = (
    "<thead><tr><th>Level</th><th>Biomarker</th><th>Effect</th><th>Therapy</th>"
    "<th>Numbers</th><th>Sources</th></tr></thead>"
)


def _evidence(pred: Mapping[str, Any], ref_no: Mapping[str, int]) -> str:
    counted = [e for e in pred["evidence"] if e["counted"]]
    other = [e for e in pred["evidence"] if not e["counted"]]
    out = ['<section id="evidence"><h2>Evidence</h2>']
    if counted:
        out.append(
            '<p class="small">Assertions used for the verdict; higher levels outrank lower '
            "(A phase III or guideline · B phase II or cohort · C case or early trial · "
            "D preclinical · E inferential).</p>"
        )
        out.append(f'<table class="evidence">{_EVIDENCE_HEAD}<tbody>'
                   f"{_evidence_rows(counted, ref_no)}</tbody></table>")
    else:
        out.append("<p>No knowledge assertion decides this query.</p>")
    if other:
        out.append(
            f"<details><summary>{len(other)} more matched assertion(s) not counted "
            "(weaker match or another setting)</summary>"
            f'<table class="evidence">{_EVIDENCE_HEAD}<tbody>{_evidence_rows(other, ref_no)}'
            "</tbody></table></details>"
        )
    out.append("</section>")
    return "".join(out)


def _mechanisms(pred: Mapping[str, Any]) -> str:
    out = ['<section id="mechanisms"><h2>Mechanisms</h2>']
    if not pred["mechanisms"]:
        out.append("<p>No resistance mechanism matched.</p></section>")
        return "".join(out)
    out.append('<ul class="mechanisms">')
    for m in pred["mechanisms"]:
        path = (
            '<div class="path">' + ' <span class="arrow">→</span> '.join(
                f'<span class="chip">{_e(n)}</span>' for n in m["path"]
            ) + "</div>"
            if m["path"] else '<div class="small">no network path (not modelled)</div>'
        )
        feats = ", ".join(m.get("matched_features") or [])
        out.append(
            f"<li><strong>{_e(m['name'])}</strong> "
            f'<span class="small">({_e(m["category"])}; {_e(m["timing"])}; '
            f"affects {_e(', '.join(m['therapies']))})</span>{path}"
            f'<div class="small">features: {_e(feats or "–")} · evidence: '
            f"{_e(', '.join(m['evidence']) or '–')}</div></li>"
        )
    out.append("</ul></section>")
    return "".join(out)


def _network(pred: Mapping[str, Any]) -> str:
    from herscape.network._curated import load_erbb_model

    model = pred.get("model")
    out = ['<section id="network"><h2>Network model</h2>']
    diagram = layout_diagram(pred, load_erbb_model()) if model else None
    if diagram is None:
        out.append("<p>The planned regimen acts on no node of the network model; "
                   "no simulation was run.</p></section>")
        return "".join(out)
    path = path_text(model.get("active_path") or []) or "none found"
    out.append(
        '<p class="small">The part of the ERBB model that explains this response: the active '
        "path, the altered inputs, the regimen's drug nodes and what they act on, and the "
        "shortest chains to the readouts. Node colour is the probability that the node is ON "
        "under treatment; hover a node for its description. The model is inference (level E), "
        "never clinical evidence.</p>"
        f'<p>Active path: <strong class="active-path-text">{_e(path)}</strong></p>'
        f'<figure class="diagram">{diagram_svg(diagram, title="ERBB network: " + path)}'
        "</figure></section>"
    )
    return "".join(out)


def _model(pred: Mapping[str, Any]) -> str:
    model = pred.get("model")
    if not model:
        return ""
    si = model.get("sensitivity_index")
    se = model.get("sensitivity_index_se")
    si_text = "undefined (the reference barely responds)" if si is None else (
        f"{si:.2f}" + (f" ± {se:.2f}" if se is not None else "")
    )
    rows = "".join(
        f"<tr><th>{_e(label)}</th>" + "".join(f"<td>{fmt_num(v)}</td>" for v in vals) + "</tr>"
        for label, vals in readout_rows(model)
    )
    perts = "".join(
        f"<li><code>{_e(p.get('pattern', ''))}</code>: {_e(p.get('why', ''))}"
        f" <span class=\"source\">({_e(p.get('sources', ''))})</span></li>"
        for p in model.get("perturbations") or []
    )
    unmodelled = model.get("unmodelled_drugs") or []
    out = [
        '<section id="model"><h2>Model readouts</h2>',
        f'<p>Sensitivity index <strong>{_e(si_text)}</strong> relative to the reference '
        f"sensitive profile <code>{_e(model['reference'])}</code> "
        f"(1 = responds like the reference, 0 = no response); model verdict "
        f"<strong>{_e(model['verdict'])}</strong>. Drug nodes: "
        f"{_e(', '.join(model.get('drug_nodes') or []) or '–')}.</p>",
        f'<figure class="chart">{readout_chart_svg(model)}</figure>',
        '<table class="readouts"><thead><tr><th>Readout</th><th>untreated</th><th>treated</th>'
        "<th>reference untreated</th><th>reference treated</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>",
    ]
    acts = "".join(
        f"<li>{_e(a.get('drug', ''))} → <code>{_e(a.get('nodes', ''))}</code> ({_e(a.get('basis', ''))})"
        f" <span class=\"source\">({_e(a.get('sources', ''))})</span></li>"
        for a in model.get("drug_actions") or []
    )
    if acts:
        out.append(f"<h3>How the drugs act in the model</h3><ul>{acts}</ul>")
    if perts:
        out.append(f"<h3>Alterations applied to the model</h3><ul>{perts}</ul>")
    changes = node_changes(model)
    if changes:
        body = "".join(
            f"<tr><th>{_e(n)}</th><td>{fmt_num(u, 3)}</td><td>{fmt_num(t, 3)}</td></tr>"
            for n, u, t in changes
        )
        out.append(
            f"<details><summary>Node probabilities, untreated and treated ({len(changes)} "
            "nodes, largest change first)</summary>"
            '<table class="readouts nodes"><thead><tr><th>Node</th><th>untreated</th>'
            f"<th>treated</th></tr></thead><tbody>{body}</tbody></table></details>"
        )
    if unmodelled:
        out.append(f"<p>Not modelled (no network action): {_e(', '.join(unmodelled))}.</p>")
    if model.get("unmodelled_driver"):
        out.append(f"<p>{_e(UNMODELLED_DRIVER_NOTE)}</p>")
    out.append("</section>")
    return "".join(out)


def _strategy_row(s: Mapping[str, Any], ref_no: Mapping[str, int]) -> str:
    rec = s["recommended"]
    if rec:
        mark = '<span class="yes">✓</span>'
    elif s.get("model_only"):
        mark = '<span class="no">model only</span>'
    else:
        mark = '<span class="no">✗</span>'
    si = s.get("sensitivity_index")
    se = s.get("sensitivity_index_se")
    si_text = "–" if si is None else f"{si:.2f}" + (f" ± {se:.2f}" if se else "")
    nums = fmt_numbers(s)
    nums_html = f'<div class="numbers">{_e(nums)}</div>' if nums else ""
    details = "".join(f'<div class="small">{_e(d)}</div>' for d in strategy_details(s))
    outcome = f", {s['outcome']} evidence" if s.get("outcome") else ""
    return (
        f'<tr class="{"recommended" if rec else "not-recommended"}">'
        f"<td>{s['rank']}</td>"
        f"<td><strong>{_e(regimen_name(s['regimen']))}</strong><div class=\"small\">"
        f"{_e(s['kind'])} · {_e(s['origin'])}{_e(outcome)}</div></td>"
        f"<td class=\"rec\">{mark}</td><td>{_level(s.get('evidence_level'))}</td>"
        f"<td class=\"si\">{_e(si_text)}</td><td>{_e(s['rationale'])}{nums_html}{details}</td>"
        f"<td class=\"cites\">{_cite_links(s['sources'], ref_no)}</td>"
        f"<td>{_e(s.get('reason_not_recommended') or '')}</td></tr>"
    )


def _strategies(pred: Mapping[str, Any], ref_no: Mapping[str, int]) -> str:
    """The three strategy groups (standard, mechanism-directed, exploratory), each its table."""
    out = ['<section id="strategies"><h2>Strategies</h2>']
    groups = strategy_groups(pred)
    if not groups:
        out.append("<p>No strategy found.</p></section>")
        return "".join(out)
    for group, title, note, items in groups:
        out.append(
            f'<div class="strategy-group" id="group-{group}"><h3>{_e(title)}</h3>'
            f'<p class="small">{_e(note)}</p>'
            '<table class="strategies"><thead><tr><th>#</th><th>Regimen</th><th>Recommended</th>'
            "<th>Level</th><th>SI</th><th>Rationale and numbers</th><th>Sources</th>"
            "<th>Reason not recommended</th></tr></thead><tbody>"
        )
        out += [_strategy_row(s, ref_no) for s in items]
        out.append("</tbody></table></div>")
    sens, res = thresholds()
    chart = si_chart_svg(pred, sensitive_at=sens, resistant_at=res)
    if chart:
        out.append(
            "<h3>Simulated sensitivity index</h3>"
            f'<figure class="chart">{chart}<figcaption>The planned regimen and the ranked '
            "strategies in the network model (bars ± one standard error); dashed lines are the "
            "model's verdict thresholds.</figcaption></figure>"
        )
    out.append("</section>")
    return "".join(out)


def _references(refs: list[dict[str, Any]]) -> str:
    if not refs:
        return ""
    items = []
    for i, c in enumerate(refs, 1):
        url = citation_url(c)
        trial = f" ({_e(c['trial'])})" if c.get("trial") else ""
        link = f' <a href="{_e(url)}">{_e(url)}</a>' if url else ""
        items.append(
            f'<li id="ref-{i}">{_e(c["citation"])}{trial}. <code>{_e(c["id"])}</code>{link}</li>'
        )
    return f'<section id="references"><h2>References</h2><ol>{"".join(items)}</ol></section>'


def _footer(pred: Mapping[str, Any]) -> str:
    prov = pred["provenance"]
    items = " · ".join(f"{_e(k)}: {_e(prov[k])}" for k in sorted(prov))
    return (
        f'<footer><p>Provenance — {items} · schema {_e(pred["schema_version"])}</p>'
        f"<p>{_e(release_text(pred))}</p>"
        "<p>herscape is a research tool. Its verdicts summarise published evidence and an "
        "executable network model for discussion by a molecular tumour board; they are not a "
        "prescription.</p></footer>"
    )


def render_html(pred: Mapping[str, Any]) -> str:
    """The prediction as one self-contained HTML page (inline CSS and SVG, no scripts).

    Sections: query, verdict banner (with confidence, basis and summary), the strategies in their
    three groups (standard, mechanism-directed, exploratory) with a sensitivity-index chart,
    evidence, mechanisms with network paths, the network diagram, model readouts, numbered
    references, provenance.

    Parameters
    ----------
    pred
        The prediction as its JSON dict (``Prediction.to_dict()`` or a saved JSON file), or a
        :class:`~herscape.predict.Prediction`.

    Returns
    -------
    The page as a string (UTF-8 when written). The same input gives the same bytes.

    Raises
    ------
    ReportError
        When ``pred`` does not match the prediction schema.
    """
    data = as_prediction(pred)
    refs = references(data)
    ref_no = {str(c["id"]): i for i, c in enumerate(refs, 1)}
    q = data["query"]
    title = f"herscape — {q['sample_id']}: {data['verdict']} to {regimen_name(q['regimen'])}"
    body = "".join([
        _before(data), _header(data), _verdict(data), _strategies(data, ref_no), _evidence(data, ref_no),
        _mechanisms(data), _network(data), _model(data), _references(refs),
        _footer(data),
    ])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_css()}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
