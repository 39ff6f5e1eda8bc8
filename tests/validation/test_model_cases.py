"""The ERBB model against the documented cases of the seeds (tests/validation/cases.tsv).

How each row is judged (docs/validation.md): ``sensitive`` by the model verdict, ``resistant`` by
a model verdict of resistant or reduced sensitivity (SI at or below the model's ``reduced`` cut);
``reduced`` when the sensitivity index falls below that of the same tumour type and therapy
without the row's markers and alterations (ERBB2 amplification kept), ``no_effect`` when it stays
within 0.1 of it. Every disagreement must be listed, with its reason, in docs/model.md.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from herscape._config import seeds_dir
from herscape.knowledge._seedcheck import quote_found
from herscape.network._perturb import perturbation_for
from herscape.network._response import model_response
from herscape.predict import Engine
from herscape.profile._read import profile_from_strings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: Agreement the model reaches today (180/202); the target is 0.95 (see docs/model.md for the gap).
MIN_AGREEMENT = 0.88
REDUCED_BY = 0.03
NO_EFFECT_WITHIN = 0.1


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _rows() -> list[dict[str, str]]:
    with (HERE / "cases.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def judged() -> dict[str, tuple[bool, str]]:
    engine = Engine.default()

    def si(alts, markers, tumor, therapy):
        profile = profile_from_strings(alts, markers=markers, tumor_type=tumor)
        assert not profile.unrecognized, profile.unrecognized
        regimen = engine.kb.regimen(therapy)
        nodes = sorted({n for d in regimen.drugs for n in engine.drug_nodes(d)})
        pert = perturbation_for(lambda p: engine.evaluator.holds(p, profile))
        return model_response(engine.erbb, pert, nodes, lineage=engine.tree.lineage(tumor))

    out = {}
    for row in _rows():
        alts, markers = _split(row["alterations"]), _split(row["markers"])
        resp = si(alts, markers, row["tumor_type"], row["therapy"])
        expected = row["expected"]
        if expected == "resistant":
            # the seeds' "resistant" is at least reduced: the model reads resistant (no response)
            # or reduced sensitivity, i.e. SI at or below the former single cut (model file)
            ok = resp.verdict in ("resistant", "reduced_sensitivity")
            got = f"{resp.verdict} (SI {resp.sensitivity_index:.2f})"
        elif expected == "sensitive":
            ok = resp.verdict == expected
            got = f"{resp.verdict} (SI {resp.sensitivity_index:.2f})"
        else:
            kept = [a for a in alts if a == "ERBB2 amplification"]
            base = si(kept, [], row["tumor_type"], row["therapy"]).sensitivity_index
            delta = resp.sensitivity_index - base
            ok = delta < -REDUCED_BY if expected == "reduced" else abs(delta) <= NO_EFFECT_WITHIN
            got = f"SI {resp.sensitivity_index:.2f} vs {base:.2f} without the marker"
        out[row["id"]] = (ok, got)
    return out


def test_rows_are_well_formed_and_quote_their_seed() -> None:
    """Each row: unique id, a known direction and level, and a quote that stands at its seed line."""
    rows = _rows()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    seeds = seeds_dir()
    for row in rows:
        assert re.fullmatch(r"[a-z0-9_]+", row["id"]), row["id"]
        assert row["expected"] in {"resistant", "sensitive", "reduced", "no_effect"}, row["id"]
        assert row["level"] in set("ABCDE"), row["id"]
        seed, line = row["source"].split(":")
        if seeds is None:
            continue
        assert quote_found(seeds, seed, int(line), row["quote"]), f"{row['id']}: quote not at {row['source']}"
    if seeds is None:
        pytest.skip("../shared/seeds is absent: quotes not checked (tests read ../shared in place)")


def test_agreement(judged) -> None:
    agree = sum(ok for ok, _ in judged.values()) / len(judged)
    assert len(judged) >= 80
    assert agree >= MIN_AGREEMENT, f"agreement {agree:.3f}"


def test_every_disagreement_is_documented(judged) -> None:
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", doc, flags=re.M))
    missing = sorted(rid for rid, (ok, _) in judged.items() if not ok and rid not in listed)
    assert not missing, f"disagreements not listed in docs/model.md: {missing}"


@pytest.mark.parametrize("case", [
    "ras_wt_crc_cetuximab", "braf_v600e_crc_encorafenib_binimetinib_cetuximab",
])
def test_key_cases_agree(judged, case) -> None:
    if case not in judged:
        pytest.skip(f"{case} is not in cases.tsv")
    assert judged[case][0], judged[case][1]
