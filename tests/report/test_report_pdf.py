"""render_pdf: a deterministic PDF with the same content."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from herscape.report import render_pdf
from herscape.report._pdf import latin1

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


def test_pdf_bytes(pred):
    data = render_pdf(pred)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 5000


def test_pdf_is_deterministic(pred):
    assert render_pdf(pred) == render_pdf(pred)


def test_pdf_without_model(pred):
    pred["model"] = None
    assert render_pdf(pred).startswith(b"%PDF-")


def test_latin1_transliterates():
    assert latin1("A → B ⊣ C, γ-secretase, ±, café") == "A -> B -| C, gamma-secretase, +/-, café"
    assert latin1("漢") == "?"


@needs_pdftotext
def test_pdf_text(pred, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(pred))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "RESISTANT" in text
    assert "confidence 0.85" in text
    assert "binimetinib + cetuximab + encorafenib" in text
    assert "BRAF_V600E -> BRAF -> MEK -> ERK -> Survival" in text
    assert "https://doi.org/10.1056/NEJMoa1908075" in text
    assert "Reason not recommended" in text
    # the network diagram page draws node names
    assert "ImmuneKill" in text and "CTX_drug" in text


def _pdf_text(data: bytes) -> str:
    """The drawn text of a PDF made by fpdf2 (its content streams, inflated)."""
    import re
    import zlib

    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            continue  # an image or font stream
    return "".join(out)


def test_pdf_strategy_groups_come_right_under_the_verdict(pred):
    """Issue 12: the three groups are drawn right under the verdict, before the evidence."""
    text = _pdf_text(render_pdf(pred))
    order = [text.index(m) for m in ("RESISTANT", "(Standard options)",
                                     "(Mechanism-directed options)", "(Exploratory", "(Evidence)")]
    assert order == sorted(order)
