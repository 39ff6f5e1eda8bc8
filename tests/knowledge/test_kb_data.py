"""The shipped knowledge: valid, traceable, complete enough, exportable and queryable."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest

from herscape.cli import main
from herscape.knowledge._export import export_json, export_schema, export_tsv, schema_path

#: Every mechanism issue 2 names, as the knowledge ids that hold it.
ISSUE_MECHANISMS = [
    "egfr_low_gcn", "egfr_ligands_low", "egfr_ectodomain_mutation", "egfr_kinase_v843i",
    "egfr_methylation", "kras_exon2_mutation", "ras_extended_mutation", "kras_g13d",
    "kras_amplification", "ras_acquired_subclone", "braf_v600e", "braf_non_v600e",
    "mek_activation", "pik3ca_exon20", "pik3ca_exon9", "pten_loss", "erbb2_amplification_crc",
    "erbb2_mutation", "heregulin_erbb3", "met_amplification", "igf1r_activation",
    "stat3_activation", "emt_crc", "cancer_stem_cells_crc", "autophagy", "trap1_glycolysis",
    "sirt5_succinate", "fatty_acid_metabolism_crc", "glutamine_gls1", "methylglyoxal",
    "vitamin_d_adcc", "svct2_ascorbate", "msi_dmmr", "fcgr_polymorphism", "pdl1_t_cells",
    "caf_secretome", "angiogenesis_vegf", "p95her2", "her2_delta16", "her2_heterogeneity_loss",
    "her2_masking", "pi3k_pten_akt_trastuzumab", "egfr_her_ligands_coexpression",
    "igf1r_heterodimer_p27", "met_hgf_breast", "epha2_src", "epor", "beta2_adrenergic",
    "er_pathway", "hsp90_her2", "darpp32", "vasculogenic_mimicry_hypoxia", "bcsc_stemness",
    "epha5_loss_notch1", "cdk12_wnt", "il6_jak2_stat3", "telomerase", "msc_agap2as1_cpt1",
    "gse1", "hsf1_ldha_glycolysis", "oxphos", "fasn_lipid_rafts", "cd36_fatty_acid_uptake",
    "ifng_pdl1", "chi3l1", "ccl5_tregs", "complement_regulators", "high_p27", "tdm1_resistance",
    "hras_overexpression_lapatinib", "oncogenic_ras_lapatinib", "pik3ca_akt_lapatinib",
]
#: Those for which the seeds describe a reversal strategy.
WITH_STRATEGY = [
    "egfr_ectodomain_mutation", "kras_exon2_mutation", "braf_v600e", "mek_activation",
    "pik3ca_exon20", "pten_loss", "erbb2_amplification_crc", "met_amplification",
    "igf1r_activation", "stat3_activation", "autophagy", "glutamine_gls1", "methylglyoxal",
    "vitamin_d_adcc", "svct2_ascorbate", "msi_dmmr", "fcgr_polymorphism", "pdl1_t_cells",
    "caf_secretome", "angiogenesis_vegf", "p95her2", "her2_delta16", "her2_masking",
    "hsp90_her2", "bcsc_stemness", "epha5_loss_notch1", "telomerase", "hsf1_ldha_glycolysis",
    "hras_overexpression_lapatinib", "oncogenic_ras_lapatinib",
]


def test_shipped_data_validates_with_seed_quotes(kb) -> None:
    from herscape._config import seeds_dir

    if seeds_dir() is None:
        pytest.skip("../shared/seeds is absent: quotes not checked")
    assert kb.stats()["assertions"] > 0  # load_kb checked every quote


def test_done_when_counts(kb) -> None:
    s = kb.stats()
    assert s["mechanisms"] >= 60
    assert s["assertions"] >= 200
    assert s["strategies"] >= 90
    assert s["strategies_negative"] >= 10
    assert s["sources"] >= 150
    assert s["drugs"] >= 120


@pytest.mark.parametrize("mechanism", ISSUE_MECHANISMS)
def test_mechanism_has_evidence(kb, mechanism) -> None:
    assert mechanism in kb.mechanisms
    assertions = Counter(a.mechanism for a in kb.assertions.values())
    assert assertions[mechanism] >= 1, f"{mechanism} has no assertion"


@pytest.mark.parametrize("mechanism", WITH_STRATEGY)
def test_mechanism_has_strategy(kb, mechanism) -> None:
    strategies = Counter(s.mechanism for s in kb.strategies.values())
    assert strategies[mechanism] >= 1, f"{mechanism} has no strategy"


def test_every_record_is_traceable(kb) -> None:
    # Two kinds of source (issue 11): a seed line, or an identifier plus where it was read.
    for src in kb.sources.values():
        assert src.where or (src.read and (src.pmid or src.doi or src.nct or src.study_type == "label")), (
            f"source {src.id} has neither a seed reference nor an identified reading")
    for kind in ("mechanisms", "assertions", "strategies"):
        for rec in getattr(kb, kind).values():
            assert rec.sources, f"{kind} {rec.id} has no source"
            if not rec.where:
                unread = [s for s in rec.sources if not kb.sources[s].read]
                assert not unread, f"{kind} {rec.id} has no seed reference and cites unread {unread}"


def test_conflicts_are_kept(kb) -> None:
    g13d = [a for a in kb.assertions.values() if a.mechanism == "kras_g13d"]
    assert {a.effect for a in g13d} >= {"sensitivity", "resistance"} or len(g13d) >= 2


def test_export_json_matches_shipped_schema(kb) -> None:
    assert json.loads(schema_path().read_text()) == export_schema(), "regenerate the schema file"
    doc = json.loads(export_json(kb, kb_hash="test"))
    jsonschema.validate(doc, json.loads(schema_path().read_text()))
    assert len(doc["assertions"]) == kb.stats()["assertions"]


def test_export_tsv(kb) -> None:
    lines = export_tsv(kb).splitlines()
    header = lines[0].split("\t")
    assert header[:2] == ["record_type", "id"]
    assert all(len(line.split("\t")) == len(header) for line in lines)
    assert sum(1 for line in lines if line.startswith("strategy\t")) == kb.stats()["strategies"]


@pytest.mark.parametrize(("query", "expect"), [
    ("BEACON", ["26% vs 2%", "9 mo vs 5.4 mo"]),
    ("EGFR S492R", ["cetuximab", "panitumumab"]),
    ("Sym004", ["12.8 mo vs 7.3 mo"]),
    ("necitumumab", ["S468R"]),
    ("p95HER2", ["trastuzumab"]),
    ("MUC4", ["trastuzumab"]),
    ("HER2Δ16", ["delta16"]),
    ("CD36", ["lapatinib"]),
    ("U0126", ["lapatinib"]),
    ("Ras V12", ["HRAS G12V"]),
])
def test_kb_show_finds(query, expect, capsys) -> None:
    assert main(["kb", "show", query, "--format", "json"]) == 0
    text = capsys.readouterr().out
    records = json.loads(text)
    assert records
    blob = text.replace("\\u0394", "Δ")
    for fragment in expect:
        assert fragment in blob or fragment in _numbers_text(records), (query, fragment)


def _numbers_text(records) -> str:
    from herscape.knowledge import Numbers
    from herscape.knowledge._format import format_numbers

    return " ".join(format_numbers(Numbers(**r["numbers"])) for r in records if r.get("numbers"))


def test_kb_stats_json(capsys) -> None:
    assert main(["kb", "stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    for key in ("sources", "drugs", "mechanisms", "assertions", "strategies", "strategies_negative"):
        assert isinstance(stats[key], int)


def test_kb_show_unknown_exit_2(capsys) -> None:
    assert main(["kb", "show", "zzzz-not-a-thing"]) == 2
    assert "no knowledge record matches" in capsys.readouterr().err
