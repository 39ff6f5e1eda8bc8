"""Verdicts against documented cases (tests/validation/verdicts.tsv, docs/validation.md).

Each row is a profile (alterations, markers, what was assessed, prior therapies), a therapy, the
verdict a tumour board would give under the rules of docs/predict.md, and the source of that
expected answer (a seed line with its quote, or a knowledge source id). Every row must agree or
be listed, with its reason, under "Verdict disagreements" in docs/validation.md.
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pytest

from herscape._config import seeds_dir
from herscape.knowledge._seedcheck import quote_found
from herscape.predict import Engine, predict
from herscape.predict._verdict import VERDICTS
from herscape.profile._read import profile_from_strings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: Trajectories per simulation: enough for the model's reading, fast enough for ~70 rows.
SAMPLES = 800


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _rows() -> list[dict[str, str]]:
    with (HERE / "verdicts.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _predict(engine: Engine, row: dict[str, str]):
    profile = profile_from_strings(_split(row["alterations"]), markers=_split(row["markers"]),
                                   tumor_type=row["tumor_type"],
                                   prior_therapies=_split(row["prior_therapies"]))
    assert not profile.unrecognized, (row["id"], profile.unrecognized)
    assessed = frozenset(tuple(a.split(":", 1)) for a in _split(row["assessed"]))
    profile = replace(profile, assessed=profile.assessed | assessed)
    return predict(profile, row["therapy"], engine=engine, screen="none", samples=SAMPLES)


@pytest.fixture(scope="module")
def predictions() -> dict[str, object]:
    engine = Engine.default()
    return {row["id"]: _predict(engine, row) for row in _rows()}


@pytest.fixture(scope="module")
def judged(predictions) -> dict[str, tuple[bool, str]]:
    out = {}
    for row in _rows():
        pred = predictions[row["id"]]
        ok = pred.verdict == row["expected"] and (not row["basis"] or pred.basis == row["basis"])
        out[row["id"]] = (ok, f"{pred.verdict} ({pred.basis}, {pred.confidence:.2f})")
    return out


def test_rows_are_well_formed_and_sourced() -> None:
    rows = _rows()
    assert len(rows) >= 60
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    kb = Engine.default().kb
    seeds = seeds_dir()
    for row in rows:
        assert re.fullmatch(r"[a-z0-9_]+", row["id"]), row["id"]
        assert row["expected"] in VERDICTS, row["id"]
        assert row["rule"].isdigit() and 1 <= int(row["rule"]) <= 11, row["id"]
        src = row["source"]
        if re.fullmatch(r"00[0-3]:\d+", src):
            seed, line = src.split(":")
            if seeds is not None:
                assert quote_found(seeds, seed, int(line), row["quote"]), f"{row['id']}: quote not at {src}"
        else:
            assert src in kb.sources, f"{row['id']}: unknown source {src!r}"


def test_every_rule_is_covered() -> None:
    rules = {int(r["rule"]) for r in _rows()}
    assert rules >= {1, 3, 4, 5, 6, 7, 8, 9, 10, 11}


def test_every_disagreement_is_documented(judged) -> None:
    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", doc, flags=re.M))
    missing = {rid: got for rid, (ok, got) in judged.items() if not ok and rid not in listed}
    assert not missing, f"verdict disagreements not listed in docs/validation.md: {missing}"


def test_untested_crc_is_never_sensitive_to_an_anti_egfr_antibody(judged) -> None:
    """Done-when of issue 15: nothing tested or KRAS alone is never 'sensitive'; exome is."""
    for rid in ("req_crc_nothing_cetuximab", "req_crc_kras_wt_only_cetuximab",
                "req_crc_nothing_panitumumab", "req_crc_kras_wt_only_panitumumab"):
        assert judged[rid][0], judged[rid][1]
    assert judged["req_crc_exome_cetuximab"][0], judged["req_crc_exome_cetuximab"][1]


def test_no_weak_record_turns_an_indicated_therapy_resistant(predictions) -> None:
    """Done-when of issue 15: with level-A population evidence counted, a resistant verdict rests
    on level-A/B resistance evidence; level C-E evidence makes it resistant only together with the
    model (a mechanism that removes the drug's action, and the model finds no response: the basis
    then names both), never alone."""
    checked = 0
    for rid, pred in predictions.items():
        population = [e for e in pred.evidence if e.effect == "sensitivity" and not e.specific
                      and e.level == "A" and e.setting_applies and e.claim != "prognostic"]
        if not population or pred.verdict != "resistant":
            continue
        checked += 1
        deciding = [e for e in pred.evidence if e.counted and e.effect != "sensitivity"]
        if all(e.level in "CDE" for e in deciding):
            assert pred.basis.endswith("and model inference"), (rid, pred.summary)
            assert all(e.removes_action for e in deciding), (rid, pred.summary)
            assert pred.model is not None and pred.model.verdict == "resistant", rid
    assert checked >= 5
