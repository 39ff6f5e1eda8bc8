"""The public surface of herscape.report."""

from __future__ import annotations

import inspect

import herscape.report as report


def test_exported_members():
    public = sorted(n for n in dir(report) if not n.startswith("_"))
    assert report.__all__ == sorted(report.__all__)
    assert set(report.__all__) == {"render_html", "render_pdf", "render_text"}
    assert set(report.__all__) <= set(public)


def test_data_comes_first():
    for name in report.__all__:
        params = list(inspect.signature(getattr(report, name)).parameters)
        assert params[0] == "pred"
        assert len(params) <= 3
