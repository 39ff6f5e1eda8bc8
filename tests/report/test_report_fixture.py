"""The hand-written fixture matches the published prediction schema and the model's node names."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from herscape.errors import ReportError
from herscape.network._curated import load_erbb_model
from herscape.report._common import as_prediction


def _schema() -> dict:
    text = resources.files("herscape.predict").joinpath("schema", "prediction.schema.json")
    return json.loads(text.read_text(encoding="utf-8"))


def test_fixture_validates_against_schema(pred):
    jsonschema.Draft202012Validator(_schema()).validate(pred)


def test_fixture_names_model_nodes(pred):
    names = {n.name for n in load_erbb_model().curated.nodes}
    model = pred["model"]
    used = {*model["active_path"], *model["drug_nodes"], *model["node_probabilities_treated"]}
    used |= {n for m in pred["mechanisms"] for n in m["path"]}
    used |= {n for s in pred["strategies"] for n in s["via_nodes"]}
    assert used <= names, sorted(used - names)


def test_fixture_is_the_braf_crc_case(pred):
    top = next(s for s in pred["strategies"] if s["group"] == "mechanism")
    assert pred["verdict"] == "resistant" and pred["basis"] == "clinical evidence"
    assert top["regimen"] == ["binimetinib", "cetuximab", "encorafenib"]
    assert top["evidence_level"] == "A" and top["recommended"]
    assert top["sources"][0]["id"] == "doi:10.1056/NEJMoa1908075"
    vemurafenib = next(s for s in pred["strategies"] if s["regimen"] == ["vemurafenib"])
    assert not vemurafenib["recommended"] and vemurafenib["reason_not_recommended"]


def test_invalid_prediction_is_a_report_error(pred):
    pred["verdict"] = "maybe"
    with pytest.raises(ReportError, match=r"at verdict: 'maybe' is not one of"):
        as_prediction(pred)


def test_missing_field_is_a_report_error(pred):
    del pred["strategies"]
    with pytest.raises(ReportError, match="'strategies' is a required property"):
        as_prediction(pred)


def test_not_a_dict_is_a_report_error():
    with pytest.raises(ReportError, match="a prediction must be a dict"):
        as_prediction(["resistant"])
