"""render_text: the rich terminal report."""

from __future__ import annotations

import io

from rich.console import Console

from herscape.report import render_text


def _render(pred, width: int = 160) -> str:
    buf = io.StringIO()
    render_text(pred, Console(file=buf, width=width, force_terminal=False, color_system=None))
    return buf.getvalue()


def test_text_has_verdict_evidence_mechanism_model_and_strategies(pred):
    out = _render(pred)
    assert "RESISTANT" in out
    assert "confidence 0.85" in out and "clinical evidence" in out
    assert "BRAF_V600E → BRAF → MEK → ERK → Survival" in out
    assert "doi:10.1056/NEJMoa1908075" in out
    for regimen in ("binimetinib + cetuximab + encorafenib", "cetuximab + encorafenib",
                    "vemurafenib"):
        assert regimen in out
    assert "ORR 26% vs 2%; OS 9.0 mo vs 5.4 mo" in out
    assert "sensitivity index 0.45 ± 0.04" in out
    assert "✓" in out and "✗" in out
    assert "negative evidence (level B)" in out


def test_text_without_model_or_strategies(pred):
    pred["model"] = None
    pred["strategies"] = []
    out = _render(pred)
    assert "acts on no model node" in out and "No strategy found" in out


def test_text_lists_unrecognized_input(pred):
    pred["unrecognized"] = [{"input": "FOO1 X12Y", "reason": "unknown gene 'FOO1'"}]
    assert "not understood" in _render(pred) and "FOO1 X12Y" in _render(pred)


def test_text_colours_the_banner_by_verdict(pred):
    buf = io.StringIO()
    render_text(pred, Console(file=buf, width=120, force_terminal=True, color_system="truecolor"))
    assert "\x1b[" in buf.getvalue()


def test_text_markup_in_data_is_not_interpreted(pred):
    pred["evidence"][0]["biomarker"] = "BRAF [bold]V600E[/bold]"
    assert "[bold]V600E[/bold]" in _render(pred, width=240)


def test_text_narrow_console_folds_columns(pred):
    out = _render(pred, width=80)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Therapy · numbers · citations" in out
    assert "not recommended: negative" in out
    assert "binimetinib +" in out and "RESISTANT" in out
