"""Sparse predictions: nothing matched, no path, undefined sensitivity index."""

from __future__ import annotations

import io

from _report_html_check import parse_page
from rich.console import Console

from herscape.report import render_html, render_pdf, render_text


def _sparse(pred: dict) -> dict:
    pred.update(verdict="uncertain", basis="model inference", confidence=0.3, evidence=[],
                mechanisms=[], strategies=[], summary="Uncertain: no evidence matches.")
    pred["model"].update(sensitivity_index=None, sensitivity_index_se=None, active_path=[],
                         perturbations=[], verdict="uncertain")
    return pred


def test_sparse_prediction_renders(pred):
    pred = _sparse(pred)
    buf = io.StringIO()
    render_text(pred, Console(file=buf, width=120, color_system=None))
    out = buf.getvalue()
    assert "UNCERTAIN" in out and "No knowledge assertion" in out and "undefined" in out
    page = render_html(pred)
    assert parse_page(page).errors == []
    assert "verdict-uncertain" in page and "undefined (the reference barely responds)" in page
    assert 'class="chart si"' not in page and "No strategy found" in page
    # the drug's own subgraph is still drawn
    assert 'id="node-CTX_drug"' in page
    assert render_pdf(pred).startswith(b"%PDF-")


def test_sensitive_verdict_is_green(pred):
    pred["verdict"] = "sensitive"
    assert 'class="verdict verdict-sensitive"' in render_html(pred)
    buf = io.StringIO()
    render_text(pred, Console(file=buf, width=120, force_terminal=True, color_system="truecolor"))
    assert "SENSITIVE" in buf.getvalue()
