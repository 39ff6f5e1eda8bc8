"""Reports of a prediction: rich terminal text, one self-contained HTML page, PDF.

>>> from herscape.report import render_html, render_pdf, render_text   # doctest: +SKIP
>>> pred = predict(profile, "cetuximab").to_dict()                     # doctest: +SKIP
>>> render_text(pred, Console())                                       # doctest: +SKIP
>>> Path("report.html").write_text(render_html(pred), encoding="utf-8")  # doctest: +SKIP
>>> Path("report.pdf").write_bytes(render_pdf(pred))                   # doctest: +SKIP

Every renderer takes the prediction as its JSON dict (``Prediction.to_dict()`` or a saved
``herscape predict --format json`` file, see ``predict/schema/prediction.schema.json``), checks
it against the schema, and draws the same content: verdict, evidence with citations,
mechanisms with network paths, model readouts, the network diagram and ranked strategies.
Output is deterministic: the same prediction gives the same bytes. See ``docs/reports.md``.
"""

from herscape.report._html import render_html
from herscape.report._pdf import render_pdf
from herscape.report._text import render_text

__all__ = ["render_html", "render_pdf", "render_text"]
