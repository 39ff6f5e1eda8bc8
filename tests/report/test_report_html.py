"""render_html: one self-contained, well-formed, deterministic page."""

from __future__ import annotations

import os
import re
from pathlib import Path

from _report_html_check import parse_page
from test_report_layout import model_path_edges

from herscape.report import render_html


def test_html_is_well_formed(pred):
    parser = parse_page(render_html(pred))
    assert parser.errors == []
    assert parser.tags[0][0] == "html"


def test_html_is_deterministic(pred):
    assert render_html(pred) == render_html(pred)


def test_html_references_no_external_resource(pred):
    page = render_html(pred)
    parser = parse_page(page)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "link", "img", "iframe", "object", "embed"}, tag
        assert not str(attrs.get("src") or ""), (tag, attrs)
        if tag != "a":
            assert not str(attrs.get("href") or "").startswith(("http", "//")), (tag, attrs)
    assert 'src="http' not in page and '<link href="http' not in page
    assert "@import" not in page and "url(http" not in page
    # the only url() references are to gradients inside the page
    assert set(re.findall(r"url\(([^)]*)\)", page)) <= {"#hs-ramp", "#hs-act", "#hs-inh",
                                                       "#hs-dual"}


def test_html_verdict_banner(pred):
    page = render_html(pred)
    assert '<section id="verdict" class="verdict verdict-resistant">' in page
    assert "RESISTANT" in page and "confidence 0.85" in page and "basis: clinical evidence" in page


def test_html_evidence_table_links_citations(pred):
    page = render_html(pred)
    evidence = page[page.index('<section id="evidence">'):page.index('<section id="mechanisms">')]
    assert '<table class="evidence">' in evidence
    assert 'href="https://doi.org/10.1016/S1470-2045(10)70130-3"' in evidence
    # a PubMed id without url is linked to PubMed
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/11248153/"' in evidence
    assert "n=1022; ORR 8.3% vs 38%; OR 0.15; P=0.0012" in evidence
    # the weaker match is shown apart, not counted
    assert "not counted" in evidence and "A001-braf-nonv600-cetuximab" in evidence


def test_html_network_diagram_highlights_path_and_roles(pred):
    page = render_html(pred)
    network = page[page.index('<section id="network">'):page.index('<section id="model">')]
    assert network.count("<svg") == 1
    path_edges = re.findall(r'class="edge [a-z]+ active-path[^"]*" data-source="(\w+)" '
                            r'data-target="(\w+)"', network)
    assert set(path_edges) == model_path_edges(pred["model"]["active_path"])
    assert {("BRAF_V600E", "BRAF"), ("BRAF", "MEK"), ("MEK", "ERK")} <= set(path_edges)
    assert re.search(r'<g class="node [^"]*altered[^"]*" id="node-BRAF_V600E">', network)
    assert re.search(r'<g class="node [^"]*drug[^"]*" id="node-CTX_drug">', network)
    assert re.search(r'<g class="node [^"]*target[^"]*" id="node-Ab_EGFR">', network)
    for readout in ("Proliferation", "Apoptosis", "ImmuneKill"):
        assert f'id="node-{readout}"' in network
    # inhibition edges are red with a bar, activations green with an arrow
    assert re.search(r'class="edge inhibition[^"]*" data-source="Ab_EGFR" data-target="EGFR"[^>]*'
                     r'stroke="#c62828"[^>]*marker-end="url\(#hs-inh\)"', network)
    assert re.search(r'class="edge activation[^"]*" data-source="MEK" data-target="ERK"[^>]*'
                     r'stroke="#2e7d32"[^>]*marker-end="url\(#hs-act\)"', network)
    # treated probability colours the nodes: ERK (ON) is not the colour of EGFR (OFF)
    fill = dict(re.findall(r'id="node-(\w+)">.*?<rect [^>]*fill="(#[0-9a-f]{6})"', network))
    assert fill["ERK"] != fill["EGFR"]


def test_html_strategies_table_and_charts(pred):
    page = render_html(pred)
    strategies = page[page.index('<section id="strategies">'):]
    assert '<table class="strategies">' in strategies
    # three groups, in order: standard (CAIRO2, failed), mechanism-directed, exploratory
    groups = re.findall(r'<div class="strategy-group" id="group-(\w+)">', strategies)
    assert groups == ["standard", "mechanism", "exploratory"]
    rows = re.findall(r'<tr class="(recommended|not-recommended)">', strategies)
    assert rows == ["not-recommended"] + ["recommended"] * 3 + ["not-recommended"] * 2
    assert "model only" in strategies[strategies.index('id="group-exploratory"'):]
    assert "binimetinib + cetuximab + encorafenib" in strategies
    assert 'href="https://doi.org/10.1056/NEJMoa1908075"' in strategies
    assert "n=665; ORR 26% vs 2%; OS 9.0 mo vs 5.4 mo; HR 0.52" in strategies
    assert "negative evidence (level B)" in strategies
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart si"' in strategies
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart readouts"' in page
    assert 'id="references"' in page and 'id="ref-1"' in page


def test_html_escapes_data(pred):
    pred["summary"] = "<script>alert(1)</script> & more"
    page = render_html(pred)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_html_without_model(pred):
    pred["model"] = None
    page = render_html(pred)
    assert parse_page(page).errors == []
    assert "no simulation was run" in page and 'class="network"' not in page


def test_html_with_unrecognized_input(pred):
    pred["unrecognized"] = [{"input": "FOO1 X12Y", "reason": "unknown gene 'FOO1'"}]
    page = render_html(pred)
    assert 'id="unrecognized"' in page and "FOO1 X12Y" in page


def test_html_accepts_an_object_with_to_dict(pred):
    class _Pred:
        def to_dict(self):
            return pred

    assert render_html(_Pred()) == render_html(pred)


def test_html_and_pdf_are_byte_identical_across_processes():
    """Same input, same bytes, whatever the interpreter's hash seed."""
    import subprocess
    import sys

    fixture = Path(__file__).resolve().parents[1] / "data" / "report" / "prediction_braf_crc.json"
    code = (
        "import hashlib, json, pathlib, sys\n"
        "from herscape.report import render_html, render_pdf\n"
        "d = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding='utf-8'))\n"
        "print(hashlib.sha256(render_html(d).encode()).hexdigest(),"
        " hashlib.sha256(render_pdf(d)).hexdigest())\n"
    )
    digests = {
        subprocess.run([sys.executable, "-c", code, str(fixture)], capture_output=True,
                       text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_html_lists_node_probabilities(pred):
    page = render_html(pred)
    model = page[page.index('<section id="model">'):page.index('<section id="references">')]
    assert "Node probabilities, untreated and treated" in model
    # the largest change (the antibody binding EGFR) comes first
    first = re.search(r'<table class="readouts nodes">.*?<tbody><tr><th>(\w+)</th>', model)
    assert first is not None and first.group(1) in {"Ab_EGFR", "IgG1_bound"}


def test_strategy_groups_come_right_under_the_verdict(pred):
    """Issue 12: the three groups are shown right under the verdict, before the evidence."""
    page = render_html(pred)
    order = [page.index(m) for m in ('id="verdict"', 'id="group-standard"', 'id="group-mechanism"',
                                      'id="group-exploratory"', 'id="evidence"')]
    assert order == sorted(order)
