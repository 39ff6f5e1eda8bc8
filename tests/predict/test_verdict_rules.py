"""The verdict rules of docs/predict.md on hand-made evidence (no knowledge base, no model run)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from herscape.knowledge._required import MissingTest
from herscape.knowledge._schema import Setting
from herscape.predict._setting import ProfileSetting, setting_match
from herscape.predict._types import EvidenceItem
from herscape.predict._verdict import MODEL_ONLY, decide, withhold


def _e(rid: str, effect: str, level: str, *, specific: bool = True, features=("X mut",),
       **kw) -> EvidenceItem:
    base = dict(record_id=rid, biomarker=features[0] if features else "!(KRAS mutation)",
                therapy="drug", tumor_type="COADREAD", effect=effect, direction="supports",
                level=level, relevance="exact regimen", strength="exact", specific=specific,
                counted=False, matched_features=tuple(features), granularity=3 if specific else 1)
    base.update(kw)
    return EvidenceItem(**base)


POP = _e("pop", "sensitivity", "A", specific=False, features=())


@pytest.mark.parametrize("level", ["C", "D", "E"])
def test_weak_resistance_never_overturns_population_evidence(level) -> None:
    for model in ("sensitive", "reduced_sensitivity", "resistant", None):
        v = decide([POP, _e("weak", "resistance", level)], model)
        assert v.verdict == "reduced_sensitivity", (level, model, v)
        assert v.markers == ("X mut",) and "weak" in v.note


def test_level_a_resistance_overturns() -> None:
    v = decide([POP, _e("strong", "resistance", "A")], "sensitive")
    assert v.verdict == "resistant" and v.basis == "clinical evidence"
    assert v.model_note and "does not overturn" in v.model_note


def test_level_b_overturns_only_a_mechanism_that_removes_the_action() -> None:
    partial = decide([POP, _e("pi3k", "resistance", "B")], "reduced_sensitivity")
    assert partial.verdict == "reduced_sensitivity"
    removing = decide([POP, _e("ras", "resistance", "B", removes_action="constitutive driver")],
                      "reduced_sensitivity")
    assert removing.verdict == "resistant" and removing.basis == "clinical evidence"
    other_type = decide([POP, _e("pan", "resistance", "B", tumor_type="TISSUE",
                                 tumor_match="pan-cancer", removes_action="epitope")], "sensitive")
    assert other_type.verdict == "reduced_sensitivity"


def test_weak_removal_needs_the_model_to_agree() -> None:
    ev = [POP, _e("s492r", "resistance", "C", removes_action="epitope mutation")]
    assert decide(ev, "sensitive").verdict == "reduced_sensitivity"
    both = decide(ev, "resistant")
    assert both.verdict == "resistant" and both.basis == "clinical evidence and model inference"


def test_contrast_on_the_same_allele_contests_only_when_as_narrow() -> None:
    res = _e("r", "resistance", "C", features=("EGFR S492R",))
    narrow = _e("s", "sensitivity", "C", features=("EGFR S492R",))
    broad = replace(narrow, record_id="b", granularity=1)
    assert decide([POP, res, narrow], None).verdict == "sensitive"
    assert decide([POP, res, broad], None).verdict == "reduced_sensitivity"


def test_prognostic_and_out_of_setting_records_never_count() -> None:
    prog = _e("prog", "resistance", "A", claim="prognostic")
    away = _e("away", "resistance", "A", setting_applies=False, setting_reason="other side")
    v = decide([POP, prog, away], None)
    assert v.verdict == "sensitive" and v.counted == {"pop"}


def test_setting_specific_no_effect_lowers_the_benefit() -> None:
    right = _e("right", "no_effect", "B", specific=False, features=(), setting_specific=True,
               setting_reason="sidedness=right")
    v = decide([POP, right], None)
    assert v.verdict == "reduced_sensitivity" and v.markers == ("sidedness=right",)
    general = replace(right, setting_specific=False)
    assert decide([POP, general], None).verdict == "sensitive"


def test_class_record_evidence_counts_below_drug_level() -> None:
    drug = _e("drug", "sensitivity", "B")
    cls = _e("cls", "resistance", "A", relevance="drug class record")
    assert decide([drug, cls], None).verdict == "sensitive"
    assert decide([cls], None).verdict == "resistant"


def test_model_inference_says_so() -> None:
    v = decide([], "sensitive")
    assert v.basis == "model inference" and v.confidence <= 0.4
    assert "no clinical evidence" in MODEL_ONLY


def test_missing_required_test_withholds_unless_clinically_resistant() -> None:
    ras = MissingTest("ras", "RAS", "required", "test RAS", "why", ("mutation NRAS exons 2,3,4",), ())
    braf = MissingTest("braf", "BRAF V600E", "recommended", "test BRAF", "why", ("x",), ())
    sens = decide([POP], "sensitive")
    held = withhold(sens, [ras], "A")
    assert held.verdict == "uncertain" and held.basis == "required tests missing"
    res = decide([_e("kras", "resistance", "A")], "resistant")
    assert withhold(res, [ras], "A").verdict == "resistant"
    lower = withhold(sens, [braf], "A")
    assert lower.verdict == "sensitive" and lower.confidence < sens.confidence and "BRAF" in lower.note


def test_setting_match() -> None:
    left = Setting(line="first", sidedness="left")
    right_profile = ProfileSetting(sidedness="right")
    assert setting_match(left, "sensitivity", right_profile)[0] is False
    assert setting_match(left, "sensitivity", ProfileSetting()) == (True, None, False)
    ok, why, specific = setting_match(left, "sensitivity", ProfileSetting(sidedness="left"))
    assert ok and specific and "sidedness=left" in why
    pretreated = ProfileSetting(line="second", rechallenge=True)
    assert setting_match(Setting(line="first"), "sensitivity", pretreated)[0] is False
    assert setting_match(None, "sensitivity", pretreated)[0] is False  # population evidence
    assert setting_match(None, "sensitivity", pretreated, generic=False)[0] is True  # S492R contrast
    assert setting_match(Setting(rechallenge=True, line="later"), "sensitivity", pretreated)[2] is True
    hr = Setting(hormone_receptor="positive")
    assert setting_match(hr, "sensitivity", ProfileSetting(hormone_receptor="negative"))[0] is False


def test_shipped_verdict_data_load_and_bad_files_name_the_field(tmp_path) -> None:
    from herscape.errors import KnowledgeBaseError
    from herscape.knowledge._store import kb_from_store
    from herscape.predict._action import load_removes_action
    from herscape.predict._regions import load_regions

    kb = kb_from_store()
    regions = {r.id: r for r in load_regions(kb)}
    assert "osimertinib" in regions["egfr-t790-gatekeeper"].spares
    assert "panitumumab" in regions["egfr-s492-cetuximab-epitope"].spares
    assert {r.mechanism for r in load_removes_action(kb)} >= {"p95her2", "braf_v600e", "egfr_t790m"}
    bad = tmp_path / "regions.yaml"
    bad.write_text("- id: x-region\n  gene: EGFR\n  codons: [790]\n  region: a region\n"
                   "  affects: [notadrug]\n  effect: resistance\n  level: B\n  sources: [ref:nope]\n",
                   encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_regions(kb, bad)
    fields = {p.field for p in err.value.problems}
    assert fields == {"affects", "sources"} and all(p.line for p in err.value.problems)


# --- rule 11: a failed trial of exactly the planned regimen -------------------------------------

def _failed(rid: str, level: str, **kw) -> EvidenceItem:
    return _e(rid, "no_effect", level, specific=False, features=(),
              no_added_benefit="the same chemotherapy alone", **kw)


OTHER_REGIMEN_POP = replace(POP, record_id="other-regimen", relevance="same targeted drugs")


def test_level_a_failed_trial_outranks_benefit_for_other_regimens_of_the_drug() -> None:
    v = decide([OTHER_REGIMEN_POP, _failed("coin", "A")], "sensitive")
    assert v.verdict == "resistant" and v.basis == "clinical evidence"
    assert "coin" in v.note and "the same chemotherapy alone" in v.note
    assert v.counted == {"coin"}
    # a no-effect record without a comparator is not a failed trial: the population decides
    plain = _e("noeff", "no_effect", "A", specific=False, features=())
    assert decide([OTHER_REGIMEN_POP, plain], "sensitive").verdict == "sensitive"


def test_level_b_or_other_tumour_failure_reduces() -> None:
    for failed in (_failed("tact", "B"),
                   _failed("pan", "A", tumor_type="TISSUE", tumor_match="pan-cancer")):
        v = decide([OTHER_REGIMEN_POP, failed], "sensitive")
        assert v.verdict == "reduced_sensitivity" and v.basis == "clinical evidence", v


def test_benefit_on_the_same_regimen_keeps_the_conflict_visible() -> None:
    same = replace(POP, record_id="same-regimen")
    for model, verdict in (("sensitive", "sensitive"), (None, "uncertain")):
        v = decide([same, _failed("fail", "A")], model)
        assert v.verdict == verdict and v.basis == "conflicting evidence", v
        assert {"same-regimen", "fail"} <= v.counted
    # weaker benefit on the same regimen does not contest it
    weaker = replace(POP, record_id="weaker", level="B")
    assert decide([weaker, _failed("fail", "A")], "sensitive").verdict == "resistant"


def test_a_failure_in_the_profiles_subgroup_outranks_whole_population_benefit() -> None:
    right = _failed("right", "B", setting_specific=True, setting_reason="sidedness=right")
    v = decide([replace(POP, record_id="all-comers"), right], "sensitive")
    assert v.verdict == "reduced_sensitivity" and v.markers == ("sidedness=right",)


def test_a_failed_trial_outside_its_setting_does_not_count() -> None:
    v = decide([OTHER_REGIMEN_POP, _failed("first-line", "A", setting_applies=False)], "sensitive")
    assert v.verdict == "sensitive"


def test_failure_setting_excludes_curative_settings_and_unstated_subgroups() -> None:
    from herscape.predict._setting import failure_setting_applies

    assert failure_setting_applies(Setting(line="first", stage="metastatic"), False)
    assert not failure_setting_applies(Setting(line="perioperative"), False)  # New EPOC
    assert not failure_setting_applies(Setting(stage="early"), False)
    assert not failure_setting_applies(Setting(sidedness="right"), False)
    assert failure_setting_applies(Setting(sidedness="right"), True)


def test_no_molecular_data_withholds_any_verdict() -> None:
    from herscape.predict._verdict import NO_MOLECULAR_DATA, no_molecular_data

    v = no_molecular_data(decide([POP], "sensitive"))
    assert v.verdict == "uncertain" and NO_MOLECULAR_DATA in v.note and not v.counted
