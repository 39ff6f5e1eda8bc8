"""Allele fractions stated on the command line, applied to a profile's mutations."""

from __future__ import annotations

from dataclasses import replace

from herscape.errors import UsageError
from herscape.profile import Mutation, Profile, parse_alteration

__all__ = ["with_allele_fractions"]


def with_allele_fractions(profile: Profile, fractions: dict[str, float]) -> Profile:
    """The profile with ``allele_fraction`` set on the mutations named in ``fractions``
    (alteration text -> fraction); a name that matches no mutation of the profile is an error."""
    wanted = {}
    for text, vaf in fractions.items():
        feats = parse_alteration(text).features
        if len(feats) != 1:
            msg = f"--allele-fraction names one mutation; {text!r} is not one"
            raise UsageError(msg, field="--allele-fraction", value=text)
        wanted[str(feats[0])] = (text, vaf)
    seen = set()
    out = []
    for f in profile.features:
        if isinstance(f, Mutation) and str(f) in wanted:
            out.append(replace(f, allele_fraction=wanted[str(f)][1]))
            seen.add(str(f))
        else:
            out.append(f)
    missing = [wanted[k][0] for k in wanted if k not in seen]
    if missing:
        msg = (f"--allele-fraction names {missing[0]!r}, which is not a mutation of the profile "
               "(add it with --alteration)")
        raise UsageError(msg, field="--allele-fraction", value=missing[0])
    return replace(profile, features=tuple(out))
