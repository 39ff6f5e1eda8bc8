"""The curated ERBB resistance model: traceable, internally consistent, and biologically sane."""

from __future__ import annotations

import pytest

from herscape._config import seeds_dir
from herscape.knowledge._pattern import Anything, Marker, atoms
from herscape.knowledge._seedcheck import quote_found, seed_lines
from herscape.network._curated import load_erbb_model
from herscape.network._perturb import Perturbation, _actions, load_rules, rule_parameters
from herscape.network._response import model_response, readouts


@pytest.fixture(scope="module")
def erbb():
    return load_erbb_model()


def test_every_node_is_described_and_ruled(erbb) -> None:
    for node in erbb.curated.nodes:
        assert len(node.description) >= 5, node.name
        assert node.input or node.rule, node.name
        assert node.sources, f"{node.name} names no source"
    assert {"Proliferation", "Apoptosis", "ImmuneKill"} <= set(erbb.curated.readouts.values())
    for item in (*erbb.curated.contexts, *erbb.curated.references):
        assert item.sources, f"{item.id} names no source"


def test_model_sources_stand_in_the_seeds(erbb) -> None:
    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("../shared/seeds is absent (tests read ../shared in place)")
    refs = [(n.name, s) for n in erbb.curated.nodes for s in n.sources]
    refs += [(c.id, s) for c in erbb.curated.contexts for s in c.sources]
    refs += [(r.id, s) for r in erbb.curated.references for s in r.sources]
    assert len(refs) >= 60
    missing = [(name, s.seed, s.line, s.quote) for name, s in refs
               if not quote_found(seeds, s.seed, s.line, s.quote)]
    assert not missing


def test_perturbation_sources_stand_in_the_seeds() -> None:
    """Every alteration rule (and every sourced parameter) cites seed passages that exist."""
    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("../shared/seeds is absent (tests read ../shared in place)")
    rules = load_rules()
    assert all(rule.sources for rule, _ in rules)
    refs = [(rule.pattern, s) for rule, _ in rules for s in rule.sources]
    refs += [(name, s) for name, p in rule_parameters().items() for s in p.sources]
    problems = []
    for name, s in refs:
        lines = seed_lines(seeds, s.seed)
        if lines is None:
            problems.append((name, s.seed, s.line, "no such seed"))
        elif s.line > len(lines):
            problems.append((name, s.seed, s.line, "no such line"))
        elif not quote_found(seeds, s.seed, s.line, s.quote):
            problems.append((name, s.seed, s.line, s.quote))
    assert not problems


def test_applied_rules_carry_their_sources() -> None:
    """A profile's perturbation names, for each rule it applied, the seed lines behind it."""
    from herscape.network._perturb import perturbation_for

    pert = perturbation_for(lambda pattern: "MLH1" in str(pattern))
    assert pert.inputs.get("ERBB2_high") == 1
    assert pert.applied and all(src.startswith("seed 00") for _, _, src in pert.applied)
    assert any("seed 000:166" in src for _, _, src in pert.applied)


def test_perturbation_rules_name_real_inputs(erbb) -> None:
    inputs = erbb.inputs
    names = {n.name for n in erbb.curated.nodes}
    params = rule_parameters()
    assert all(p.description for p in params.values())
    for rule, pattern in load_rules():
        assert set(rule.set) <= inputs, rule.pattern
        assert set(rule.fraction) <= inputs, rule.pattern
        assert set(rule.scale_up) | set(rule.scale_down) <= names, rule.pattern
        assert rule.why, rule.pattern
        assert atoms(pattern)


def test_rule_markers_are_in_the_vocabulary(erbb, kb) -> None:
    for rule, pattern in load_rules():
        for atom in atoms(pattern):
            if isinstance(atom, Marker):
                assert kb.marker_problem(atom.name, atom.value) is None, rule.pattern


def test_drug_actions_resolve(erbb, kb) -> None:
    table = _actions()
    drug_inputs = {n.name for n in erbb.curated.nodes if n.kind == "drug"}
    for name, entry in table.drugs.items():
        assert kb.find_drug(name) is not None, name
        assert set(entry.acts) <= drug_inputs, name
    for mapping in (table.antibodies, table.targets, table.classes):
        assert {e.acts for e in mapping.values()} <= drug_inputs


def test_drug_action_sources_stand_in_the_seeds() -> None:
    """Every drug-action entry cites seed passages that exist, or says why none does."""
    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("../shared/seeds is absent (tests read ../shared in place)")
    table = _actions()
    entries = [*table.drugs.items(), *table.antibodies.items(), *table.targets.items(),
               *table.classes.items()]
    missing = [(name, s.seed, s.line, s.quote) for name, e in entries for s in e.sources
               if not quote_found(seeds, s.seed, s.line, s.quote)]
    assert not missing
    unsupported = {name for name, e in entries if e.unsupported}
    assert len(unsupported) <= 10, sorted(unsupported)  # docs/model.md lists them


def test_antibodies_act_through_their_epitope_nodes() -> None:
    """Antibodies without their own entry act through the antibody node of their target, and a
    mixture or regimen through its components: pertuzumab-trastuzumab and TCHP need the
    trastuzumab epitope (p95HER2 escapes them), unlike a HER2 kinase inhibitor."""
    from herscape.predict import Engine

    engine = Engine.default()
    assert set(engine.drug_nodes("pertuzumab-trastuzumab-hyaluronidase")) == {"TZB_drug", "PTZ_drug"}
    assert set(engine.drug_nodes("tchp")) == {"Chemo_drug", "TZB_drug", "PTZ_drug"}
    assert set(engine.drug_nodes("zalutumumab")) == {"CTX_drug"}
    assert set(engine.drug_nodes("amivantamab")) == {"CTX_drug", "METi_drug"}
    assert set(engine.drug_nodes("tucatinib")) == {"HER2i_drug"}
    assert engine.drug_nodes("111in-dtpa-pertuzumab") == ()


#: Catalogue agents whose targets are not in the model (docs/model.md names them).
NO_ACTION = {"sgn-30", "dacetuzumab", "zolbetuximab", "anti-cd144-antibody", "ipilimumab", "ky7749",
             "olaparib", "talazoparib", "carnosine", "vitamin-d", "111in-dtpa-pertuzumab"}


def test_every_catalogue_drug_with_a_modelled_target_acts(erbb, kb) -> None:
    from herscape.network._perturb import drug_actions

    drugs = [d for d in kb.drugs.values() if not d.is_class]
    silent = {a.drug for a in drug_actions(drugs, erbb=erbb, lookup=kb.drugs.get) if not a.nodes}
    assert silent <= NO_ACTION, sorted(silent - NO_ACTION)


def _si(erbb, inputs, drugs, tumor):
    return model_response(erbb, Perturbation(inputs=inputs), drugs, lineage=[tumor], samples=1500)


def test_reference_profiles_respond(erbb) -> None:
    assert _si(erbb, {}, ["CTX_drug"], "COADREAD").verdict == "sensitive"
    assert _si(erbb, {"ERBB2_high": 1}, ["TZB_drug"], "BRCA").verdict == "sensitive"
    assert _si(erbb, {"BRAF_V600E": 1}, ["BRAFi_drug"], "MEL").verdict == "sensitive"


def test_braf_feedback_contrast(erbb) -> None:
    """Vemurafenib alone fails in BRAF V600E colorectal cancer (EGFR feedback), not in melanoma."""
    crc = _si(erbb, {"BRAF_V600E": 1}, ["BRAFi_drug"], "COADREAD")
    assert crc.verdict == "resistant"
    assert crc.treated.nodes["EGFR"] > 0.3  # feedback relieved: EGFR back on
    both = _si(erbb, {"BRAF_V600E": 1}, ["BRAFi_drug", "CTX_drug"], "COADREAD")
    assert both.verdict == "sensitive"


def test_kras_g12c_feedback_contrast(erbb) -> None:
    """A KRAS G12C inhibitor alone meets EGFR feedback in colorectal cancer; with an anti-EGFR
    antibody it works (the same logic as BRAF V600E)."""
    g12c = {"KRAS_mut": 1, "KRAS_G12C": 1}
    alone = _si(erbb, g12c, ["KRASG12Ci_drug"], "COADREAD")
    assert alone.reference == "anti_kras_g12c"
    assert alone.verdict == "resistant"
    assert _si(erbb, g12c, ["KRASG12Ci_drug", "PMAB_drug"], "COADREAD").verdict == "sensitive"


def test_lung_cancer_has_no_egfr_feedback_escape(erbb) -> None:
    """In NSCLC, KRAS G12C and BRAF inhibitors alone work (000:128, 000:355): no autocrine EGFR
    ligands to reactivate, as in melanoma and unlike colorectal cancer."""
    g12c = {"KRAS_mut": 1, "KRAS_G12C": 1}
    assert _si(erbb, g12c, ["KRASG12Ci_drug"], "LUAD").verdict == "sensitive"
    assert _si(erbb, {"BRAF_V600E": 1}, ["BRAFi_drug"], "LUAD").verdict == "sensitive"
    assert _si(erbb, {"BRAF_V600E": 1}, ["BRAFi_drug"], "COADREAD").verdict == "resistant"


def test_t790m_escapes_earlier_egfr_kinase_inhibitors(erbb) -> None:
    """EGFR T790M (001:1137): gefitinib and afatinib fail, a third-generation inhibitor works."""
    t790m = {"AREG": 0, "EREG": 0, "EGFR_kinase_act": 1, "EGFR_T790M": 1}
    assert _si(erbb, t790m, ["EGFRi_drug"], "NSCLC").verdict == "resistant"
    assert _si(erbb, t790m, ["EGFRi_drug", "EGFRi3_drug"], "NSCLC").verdict == "sensitive"
    assert _si(erbb, {**t790m, "EGFR_T790M": 0}, ["EGFRi_drug"], "NSCLC").verdict == "sensitive"


def test_deruxtecan_reaches_her2_low_cells(erbb) -> None:
    """Trastuzumab deruxtecan acts on HER2-low (non-amplified) ER-driven cells; T-DM1 and
    trastuzumab do not."""
    her2_low_er = {"ESR1": 1}
    assert _si(erbb, her2_low_er, ["TZB_drug", "DXd_drug"], "BRCA").sensitivity_index > 0.85
    assert _si(erbb, her2_low_er, ["TZB_drug", "ADC_drug"], "BRCA").verdict == "resistant"
    assert _si(erbb, {**her2_low_er, "ERBB2_loss": 1}, ["TZB_drug", "DXd_drug"], "BRCA").verdict == "resistant"


def test_active_path_ends_at_the_readout_at_stake(erbb) -> None:
    """Paths end at Proliferation where it is what changes, at Survival where only apoptosis is."""
    braf = _si(erbb, {"BRAF_V600E": 1}, ["CTX_drug"], "COADREAD").active_path
    assert braf[0] == "BRAF_V600E" and braf[-1] == "Proliferation"
    wild_type = _si(erbb, {}, ["CTX_drug"], "COADREAD").active_path
    assert wild_type[0] == "CTX_drug" and wild_type[-1] == "Proliferation"
    stem = _si(erbb, {"ERBB2_high": 1, "Stem_high": 1}, ["TZB_drug"], "BRCA").active_path
    assert stem == ("Stem_high", "Stemness", "Proliferation")
    trastuzumab = _si(erbb, {"ERBB2_high": 1}, ["TZB_drug"], "BRCA").active_path
    assert trastuzumab[:4] == ("TZB_drug", "TZB_bound", "TZB_block", "HER2_homo")  # partial block
    assert trastuzumab[-1] == "Proliferation"
    glycolytic = _si(erbb, {"ERBB2_high": 1, "Glycolysis_high": 1}, ["HER2i_drug"], "BRCA").active_path
    assert glycolytic == ("Glycolysis_high", "Metabolic_adapt", "Survival")


def test_sahin_igf1r_takes_over(erbb) -> None:
    """Sahin 2009 in the model's terms: with HER2 blocked, IGF-1R keeps G1/S; blocking it too
    restores the arrest."""
    her2_blocked = readouts(erbb, {"AREG": 0, "EREG": 0, "ERBB2_high": 1, "IGF1": 1,
                                   "HER2i_drug": 1, "EGFRi_drug": 1}, samples=1500)
    both_blocked = readouts(erbb, {"AREG": 0, "EREG": 0, "ERBB2_high": 1, "IGF1": 1,
                                   "HER2i_drug": 1, "EGFRi_drug": 1, "IGF1Ri_drug": 1}, samples=1500)
    assert her2_blocked.nodes["IGF1R"] > 0.9
    assert her2_blocked.proliferation > 0.9
    assert both_blocked.proliferation < 0.05


def _term(atom, kb) -> str:
    if isinstance(atom, Marker):
        marker = kb.find_marker(atom.name)
        return marker.id if marker is not None else atom.name
    return atom.gene


def test_rules_cover_the_knowledge_biomarkers(kb) -> None:
    """Most genes and markers the knowledge's evidence names perturb the model (docs/model.md
    lists the ones that do not and why)."""
    from herscape.knowledge import parse_pattern

    evidence: dict[str, int] = {}
    for rec in (*kb.assertions.values(), *kb.strategies.values()):
        for atom in atoms(parse_pattern(rec.biomarker)) if rec.biomarker else ():
            # "any" (a trial that selected on no biomarker) names no gene or marker
            if getattr(atom, "name", None) != "wild-type" and not isinstance(atom, Anything):
                evidence[_term(atom, kb)] = evidence.get(_term(atom, kb), 0) + 1
    mapped = {_term(a, kb) for _, pattern in load_rules() for a in atoms(pattern)}
    covered = sum(n for t, n in evidence.items() if t in mapped) / sum(evidence.values())
    assert covered >= 0.95, sorted(t for t in evidence if t not in mapped)


def test_growth_from_outside_the_model_when_no_modelled_driver(erbb) -> None:
    """A tumour that does not grow untreated in the model (HER2-low breast, ER unknown) is given
    growth from drivers outside the model: ERBB-directed drugs then do nothing, while the
    deruxtecan payload and chemotherapy still act."""
    tdxd = _si(erbb, {}, ["TZB_drug", "DXd_drug"], "BRCA")
    assert tdxd.unmodelled_driver and tdxd.untreated.growth > 0.5
    assert tdxd.sensitivity_index > 0.85
    assert _si(erbb, {}, ["TZB_drug"], "BRCA").verdict == "resistant"
    assert _si(erbb, {}, ["EGFRi_drug", "HER2i_drug"], "BRCA").verdict == "resistant"
    assert _si(erbb, {}, ["Chemo_drug"], "BRCA").treated.apoptosis > 0.2
    assert not _si(erbb, {"ERBB2_high": 1}, ["TZB_drug"], "BRCA").unmodelled_driver


def test_egfr_kinase_mutations_matter_in_lung_not_in_colorectal_cancer(erbb) -> None:
    """Activating EGFR kinase-domain mutations drive NSCLC and predict EGFR kinase-inhibitor
    response (001:99, 001:67); in CRC they are not associated with antibody response (001:74)."""
    mut = {"EGFR_kinase_mut": 1}
    assert _si(erbb, mut, ["CTX_drug"], "COADREAD").verdict == "sensitive"
    lung = _si(erbb, mut, ["EGFRi_drug"], "LUAD")
    assert lung.verdict == "sensitive" and not lung.unmodelled_driver
    assert _si(erbb, {"EGFR_kinase_act": 1}, ["CTX_drug"], "COADREAD").verdict == "resistant"  # V843I


def test_metabolic_inhibitors_act_where_cells_depend_on_the_pathway(erbb) -> None:
    """Glycolysis and ATP-synthase inhibitors cause energy stress (AMPK) only in cells that rely
    on that pathway (002:98, 000:174); metformin also in KRAS-mutant cells (000:176)."""
    def ampk(inputs, drug):
        return _si(erbb, inputs, [drug], "COADREAD").treated.nodes["AMPK"]

    assert ampk({}, "GLYi_drug") < 0.05 and ampk({"Glycolysis_high": 1}, "GLYi_drug") > 0.95
    assert ampk({}, "OXPHOSi_drug") < 0.05 and ampk({"OXPHOS_high": 1}, "OXPHOSi_drug") > 0.95
    assert ampk({"KRAS_mut": 1}, "OXPHOSi_drug") > 0.95
