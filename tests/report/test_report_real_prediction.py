"""Rendering what ``herscape.predict.predict`` returns for real profiles."""

from __future__ import annotations

import io

import pytest
from _report_html_check import parse_page
from rich.console import Console

from herscape.report import render_html, render_pdf, render_text
from herscape.report._common import as_prediction

CASES = {
    "braf_crc": (["BRAF V600E"], "COADREAD", "cetuximab"),
    "kras_crc": (["KRAS G12D"], "COADREAD", "panitumumab"),
    "her2_breast": (["ERBB2 amplification", "PIK3CA H1047R"], "BRCA", "trastuzumab"),
}


@pytest.fixture(scope="session", params=sorted(CASES))
def real(request) -> dict:
    from herscape.predict import predict
    from herscape.profile import profile_from_strings

    features, tumor_type, therapy = CASES[request.param]
    profile = profile_from_strings(features, tumor_type=tumor_type, sample_id=request.param)
    return predict(profile, therapy, samples=300, screen="default").to_dict()


def test_real_prediction_validates(real):
    assert as_prediction(real)["verdict"] in {"sensitive", "reduced_sensitivity", "resistant", "uncertain"}


def test_real_prediction_renders_everywhere(real):
    buf = io.StringIO()
    render_text(real, Console(file=buf, width=140, color_system=None))
    text = buf.getvalue()
    assert real["verdict"].replace("_", " ").upper() in text
    assert real["verdict_line"] in text.replace("\n", " ") or real["verdict_line"][:40] in text
    page = render_html(real)
    assert parse_page(page).errors == []
    assert page == render_html(real)
    # a verdict resting on the model alone gets the neutral banner, never red/green
    key = "model" if real["basis"] == "model inference" else real["verdict"]
    assert f'class="verdict verdict-{key}"' in page
    if real["model"] and real["model"]["active_path"]:
        assert 'class="network"' in page and "active-path" in page
    for s in real["strategies"][:3]:
        assert " + ".join(s["regimen"]).replace("&", "&amp;") in page
    assert render_pdf(real).startswith(b"%PDF-")


def test_prediction_object_renders():
    """The renderers accept the Prediction value itself, not only its dict."""
    from herscape.predict import predict
    from herscape.profile import profile_from_strings

    profile = profile_from_strings(["BRAF V600E"], tumor_type="COADREAD", sample_id="obj")
    pred = predict(profile, "cetuximab", samples=200, screen="none")
    assert render_html(pred) == render_html(pred.to_dict())


def test_drug_actions_and_assumed_driver_are_reported():
    """The HTML and PDF name each drug's action nodes with their seed sources, and say when the
    model assumed growth from drivers outside it (a HER2-low breast tumour, ER unknown)."""
    from herscape.predict import predict
    from herscape.profile import profile_from_strings
    from herscape.report._common import UNMODELLED_DRIVER_NOTE

    profile = profile_from_strings([], markers=["HER2_IHC=1+"], tumor_type="BRCA", sample_id="low")
    pred = predict(profile, "trastuzumab-deruxtecan", samples=300, screen="none").to_dict()
    assert pred["model"]["unmodelled_driver"] is True
    page = render_html(pred)
    assert UNMODELLED_DRIVER_NOTE.replace("'", "&#x27;") in page
    assert "How the drugs act in the model" in page and "seed 002:133" in page
    assert parse_page(page).errors == []
    assert render_pdf(pred).startswith(b"%PDF-")
