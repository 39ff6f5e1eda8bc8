"""Reports of the verdict scale v2: missing tests first, the verdict line, a neutral banner for
model inference, reduced sensitivity named, the setting and unused markers shown."""

from __future__ import annotations

import io

from rich.console import Console

from herscape.report import render_html, render_pdf, render_text


def _text(pred) -> str:
    buf = io.StringIO()
    render_text(pred.to_dict(), Console(file=buf, width=160, color_system=None))
    return buf.getvalue()


def test_missing_tests_come_first_everywhere(run) -> None:
    pred = run([], "COADREAD", "cetuximab", screen="none")
    assert pred.verdict == "uncertain" and pred.basis == "required tests missing"
    assert pred.missing_tests[0].need == "required" and "RAS" in pred.missing_tests[0].action
    assert pred.to_dict()["schema_version"] == "2.0"
    text = _text(pred)
    assert text.index("Before deciding") < text.index("UNCERTAIN")
    assert "test RAS (KRAS and NRAS exons 2-4) before deciding" in text
    page = render_html(pred.to_dict())
    assert page.index('id="missing-tests"') < page.index('id="verdict"')
    assert render_pdf(pred.to_dict()).startswith(b"%PDF-")


def test_model_inference_has_a_neutral_banner(run) -> None:
    # no trial records lapatinib with capecitabine alone in gastric cancer (LOGiC added oxaliplatin)
    pred = run(["ERBB2 amplification", "PIK3CA H1047R"], "STAD", "lapatinib+capecitabine", screen="none")
    assert pred.basis == "model inference"
    assert "model inference — no clinical evidence recorded for this situation" in pred.verdict_line
    page = render_html(pred.to_dict())
    assert 'class="verdict verdict-model"' in page
    assert 'class="verdict verdict-sensitive"' not in page
    assert "no clinical evidence recorded for this situation" in _text(pred)


def test_reduced_sensitivity_names_the_marker(run) -> None:
    pred = run(["ERBB2 amplification", "PIK3CA H1047R"], "BRCA", "trastuzumab", screen="none")
    assert pred.verdict == "reduced_sensitivity" and pred.reduced_by == ("PIK3CA H1047R",)
    text = _text(pred)
    assert "REDUCED SENSITIVITY" in text and "Benefit reduced by: PIK3CA H1047R" in text
    page = render_html(pred.to_dict())
    assert 'class="verdict verdict-reduced_sensitivity"' in page and "PIK3CA H1047R" in page


def test_setting_and_unused_markers_are_reported(run, engine) -> None:
    from herscape.predict._predict import _used_marker_ids

    pred = run(["KRAS wild-type", "NRAS wild-type", "BRAF wild-type"], "COADREAD", "cetuximab",
               markers=["sidedness=right"], prior=["folfox:progressed"], screen="none")
    assert pred.setting["sidedness"] == "right" and pred.setting["line"] == "second"
    assert pred.setting["rechallenge"] is False
    used = "sidedness" in _used_marker_ids(engine)
    assert ("sidedness=right" in pred.unused_markers) is not used
    assert "primary side: right" in _text(pred)


def test_her2_low_is_the_population_of_tdxd_not_a_her2_loss(run) -> None:
    """IHC 2+ with ISH not amplified defines HER2-low, the population trastuzumab deruxtecan is
    given for: sensitive, and no 'HER2 loss' mechanism is listed for it."""
    pred = run([], "BRCA", "trastuzumab-deruxtecan", markers=["HER2_IHC=2+", "HER2_FISH=not amplified"],
               screen="none")
    assert pred.verdict == "sensitive" and not pred.missing_tests
    assert not any(m.id == "her2_heterogeneity_loss" for m in pred.mechanisms)
