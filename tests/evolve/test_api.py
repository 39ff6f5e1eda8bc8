"""The public surface of herscape.evolve: __all__ is exact and sorted; data files load."""

from __future__ import annotations

import herscape.evolve as ev


def test_all_is_the_sorted_public_names():
    public = {n for n in dir(ev) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if type(getattr(ev, n)).__name__ == "module"}
    assert sorted(ev.__all__) == sorted(public - modules)
    assert len(ev.__all__) == len(set(ev.__all__))


def test_presets_and_mapping_carry_sources():
    for p in ev.presets():
        assert p.birth > p.death > 0 and p.death_treated > p.birth
        assert all(text.strip() for text in p.sources.values())
    m = ev.load_mapping()
    assert m.effect(0.5) == 0.0 and m.effect(1.0) == 1.0 and m.effect(5.0) == m.si_max
    assert 0 < m.effect(0.9) < 1
