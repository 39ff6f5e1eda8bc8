"""Schedule language: every form of issue 14, and errors that name file, line and field."""

from __future__ import annotations

import pytest

from herscape.errors import UsageError
from herscape.evolve import parse_schedule, read_schedule
from herscape.knowledge import load_kb


@pytest.mark.parametrize("text", [
    "cetuximab until progression; off for 4 months; cetuximab",          # rechallenge
    "cetuximab",                                                          # continuous
    "cetuximab until progression; encorafenib + cetuximab",               # sequential
    "trastuzumab + lapatinib",                                            # combination
    "cetuximab for 3 months; off for 1 months; repeat",                   # fixed holidays
    "cetuximab until burden below 50%; off until burden above 100%; repeat",  # adaptive
    "cetuximab until ctdna detected; panitumumab",                       # switch on ctDNA
    "cetuximab until progression; off until ctdna cleared; cetuximab",   # ctDNA rechallenge
])
def test_round_trip(text):
    assert str(parse_schedule(text)) == text


def test_phases_read_as_meant():
    s = parse_schedule("cetuximab until progression; off 4 months; cetuximab")
    assert [p.drugs for p in s.phases] == ["cetuximab", "", "cetuximab"]
    assert s.phases[1].days == pytest.approx(4 * 30.44)
    assert s.phases[0].until == "progression"
    assert s.repeat_from is None
    a = parse_schedule("cetuximab until burden below 50%; off until burden above 100%; repeat")
    assert a.phases[0].threshold == 0.5 and a.phases[1].threshold == 1.0 and a.repeat_from == 0


@pytest.mark.parametrize(("text", "line", "field", "match"), [
    ("cetuximab until nothing", 1, "until", "unknown condition"),
    ("cetuximab for 3 lightyears", 1, "for", "a length is"),
    ("cetuximab\nfoo-mab until progression", 2, "drugs", "foo-mab"),
    ("cetuximab; repeat; off", 1, "repeat", "last phase"),
    ("cetuximab\nrepeat from 4", 2, "repeat", "repeat from N"),
    ("cetuximab; repeat", 1, "repeat", "phases that end"),
    ("cetuximab until burden below half", 1, "until", "percentage"),
    ("", None, "schedule", "no phases"),
    ("cetuximab\npanitumumab", 1, "phase", "never ends"),
])
def test_errors_name_line_and_field(text, line, field, match):
    kb = load_kb()
    with pytest.raises(UsageError, match=match) as info:
        parse_schedule(text, check_drugs=kb.regimen)
    assert info.value.line == line
    assert info.value.field == field
    assert info.value.source == "--schedule"


def test_yaml_file(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("- drugs: cetuximab\n  until: progression\n- drugs: off\n  for: 4 months\n"
                    "- drugs: cetuximab\n", encoding="utf-8")
    s = read_schedule(str(path))
    assert str(s) == "cetuximab until progression; off for 4 months; cetuximab"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- drugs: cetuximab\n- drugs: off\n  for: 4 months\n  untill: progression\n",
                   encoding="utf-8")
    with pytest.raises(UsageError, match="unknown key 'untill'") as info:
        read_schedule(str(bad))
    assert info.value.source == str(bad) and info.value.line == 2 and info.value.field == "untill"


def test_text_file_and_missing_file(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("# rechallenge\ncetuximab until progression\noff 4 months\ncetuximab\n",
                    encoding="utf-8")
    assert len(read_schedule(str(path)).phases) == 3
    with pytest.raises(UsageError, match="does not exist"):
        read_schedule(str(tmp_path / "nope.yaml"))
