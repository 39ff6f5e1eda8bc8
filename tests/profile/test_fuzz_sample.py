"""A fast sample of benchmarks/fuzz_readers.py (issue 13, item 8): mutated real files through
every reader, and hypothesis-generated alteration strings. The full run (100,000 inputs per
reader) is the benchmark; its figures are in benchmarks/README.md."""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herscape.profile import parse_alteration

_SPEC = importlib.util.spec_from_file_location(
    "fuzz_readers", Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_readers.py")
fuzz = importlib.util.module_from_spec(_SPEC)  # type: ignore[arg-type]
_SPEC.loader.exec_module(fuzz)  # type: ignore[union-attr]


@pytest.mark.parametrize("reader", sorted(fuzz.SEEDS))
def test_mutated_inputs_read_or_are_rejected_cleanly(reader, tmp_path):
    totals = fuzz.fuzz_reader(reader, 120, seed=11, hang=20.0, deadline=float("inf"),
                              crashes=tmp_path)
    failures = (tmp_path / "failures.tsv").read_text() if (tmp_path / "failures.tsv").exists() else ""
    assert totals["failures"] == 0, failures
    assert totals["inputs"] in {0, 120}


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(st.text(max_size=40),
                 st.lists(st.sampled_from(["KRAS", "HER2", "RAS", "G12D", "wt", "exon", "2-4",
                                           "3+", "IHC", "FISH", "negative", "VAF", "12%", "/",
                                           "T790M", "::", "ALK", "-low", "inf", "="]),
                          min_size=1, max_size=6).map(" ".join)))
def test_alteration_parser_raises_only_value_error(text):
    with contextlib.suppress(ValueError):  # a reason for the user; any other exception fails
        parse_alteration(text)
