"""The public surface of herscape.profile: explicit, sorted, importable, documented."""

from __future__ import annotations

import inspect

import herscape.profile as profile


def test_all_is_sorted_and_complete():
    names = profile.__all__
    assert len(names) == len(set(names))
    public = {n for n in dir(profile) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if inspect.ismodule(getattr(profile, n))}
    assert set(names) == public - modules
    constants = [n for n in names if n.isupper()]
    rest = [n for n in names if not n.isupper()]
    assert constants == sorted(constants) and rest == sorted(rest)


def test_every_public_name_is_documented():
    for name in profile.__all__:
        obj = getattr(profile, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name


def test_entry_points_take_data_first_and_options_by_keyword():
    for fn in (profile.read_profiles, profile.profile_from_strings, profile.parse_alteration):
        params = list(inspect.signature(fn).parameters.values())
        positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert len(positional) <= 1, fn.__name__
