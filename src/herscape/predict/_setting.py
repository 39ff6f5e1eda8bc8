"""The treatment setting of a query, and whether a record's stated setting applies to it.

The profile states its setting through markers (``sidedness=left|right``,
``hormone_receptor=positive|negative``, or ``ESR1``/``PGR`` status) and its prior therapies:
no prior therapy stated leaves the line unknown (never assumed first); one or more stated make
the plan second line or later; a plan that repeats the drug class of a prior therapy that
progressed is a rechallenge.

A record's setting (``knowledge._schema.Setting``) applies unless it contradicts what the
profile states: an unknown profile value never excludes evidence, it only keeps the record
general. A record whose stated setting matches something the profile states is
*setting-specific* and outranks a general one (docs/predict.md, verdict rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from herscape.knowledge import KnowledgeBase, Regimen
from herscape.predict._regimens import drug_family
from herscape.profile import MarkerFeature, Profile

__all__ = ["ProfileSetting", "failure_setting_applies", "profile_setting", "setting_match"]

_PRETREATED = {"second", "second_or_later", "later"}
#: settings that follow or surround a first treatment, not progression on it
_AROUND_INDUCTION = {"maintenance", "adjuvant", "neoadjuvant", "perioperative"}


@dataclass(frozen=True, slots=True)
class ProfileSetting:
    """What the profile says about the setting; ``None`` = not stated."""

    line: str | None = None  # first | second | later
    rechallenge: bool | None = None
    sidedness: str | None = None
    hormone_receptor: str | None = None
    prior: tuple[str, ...] = ()
    #: names (lower case: id, name, synonyms) of the drugs the tumour progressed on
    progressed_on: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "rechallenge": self.rechallenge, "sidedness": self.sidedness,
                "hormone_receptor": self.hormone_receptor, "prior": list(self.prior)}


def _marker(profile: Profile, *names: str) -> str | None:
    for f in profile.features:
        if isinstance(f, MarkerFeature) and f.marker in names:
            return f.value.lower()
    return None


def _hormone_receptor(profile: Profile) -> str | None:
    stated = _marker(profile, "hormone_receptor")
    if stated in ("positive", "negative"):
        return stated
    er, pr = _marker(profile, "ESR1", "ER"), _marker(profile, "PGR", "PR")
    pos = {"positive", "high"}
    if er in pos or pr in pos:
        return "positive"
    if er in {"negative", "low"} and pr in {"negative", "low"}:
        return "negative"
    return None


def profile_setting(profile: Profile, planned: Regimen, kb: KnowledgeBase) -> ProfileSetting:
    """The setting of ``planned`` for ``profile`` (see the module doc)."""
    priors = [p for p in profile.prior_therapies]
    line = None
    if priors:
        line = "second" if len({p.therapy.lower() for p in priors}) == 1 else "later"
    rechallenge = None
    progressed_on: set[str] = set()
    if priors:
        plan_fam = {drug_family(kb.drugs[d]) for d in planned.drugs if drug_family(kb.drugs[d])[1]}
        rechallenge = False
        for p in priors:
            if p.outcome != "progressed":
                continue
            try:
                drugs = kb.regimen(p.therapy).drugs
            except Exception:
                continue
            for d in drugs:
                drug = kb.drugs[d]
                progressed_on.update(n.lower() for n in (d, drug.name, *drug.synonyms))
            if drugs & planned.drugs or plan_fam & {drug_family(kb.drugs[d]) for d in drugs}:
                rechallenge = True
    side = _marker(profile, "sidedness")
    return ProfileSetting(line=line, rechallenge=rechallenge,
                          sidedness=side if side in ("left", "right") else None,
                          hormone_receptor=_hormone_receptor(profile),
                          prior=tuple(str(p) for p in priors),
                          progressed_on=frozenset(progressed_on))


_RECHALLENGE_ONLY = "benefit shown without prior progression on the class; this is a rechallenge"


def _line(setting, ps: ProfileSetting) -> tuple[bool, str | None]:
    line = str(setting.line.value) if setting.line is not None else None
    if line is None or ps.line is None:
        return True, None
    if line in _AROUND_INDUCTION and ps.line in _PRETREATED:
        return False, f"evidence from {line} therapy; the profile states progression on prior therapy"
    if line == "first" and ps.line != "first":
        return False, "evidence from first-line therapy; the profile states prior therapy"
    if line in _PRETREATED and ps.line == "first":
        return False, f"evidence from {line.replace('_', ' ')} line; this is first line"
    if line == "first" or line in _PRETREATED:
        return True, f"{'first' if line == 'first' else 'pretreated'} line"
    return True, None


def _rechallenge(setting, effect: str, ps: ProfileSetting, generic: bool) -> tuple[bool, str | None]:
    # a pretreated population that had already received a drug the tumour progressed on (HER2CLIMB:
    # tucatinib with trastuzumab after trastuzumab) is the tested setting for continuing that class;
    # maintenance after induction with the drug (ERMES) is not
    line = setting.line.value if setting.line is not None else None
    if (ps.rechallenge and line in _PRETREATED
            and any(p.lower() in ps.progressed_on for p in setting.prior)):
        return True, "after the class the tumour progressed on"
    if setting.rechallenge is not None and ps.rechallenge is not None:
        if setting.rechallenge != ps.rechallenge:
            return False, ("evidence from rechallenge; the plan is not a rechallenge"
                           if setting.rechallenge else _RECHALLENGE_ONLY)
        return True, "rechallenge" if setting.rechallenge else None
    if ps.rechallenge and generic and effect == "sensitivity" and not setting.rechallenge:
        return False, _RECHALLENGE_ONLY
    return True, None


def _stated(name: str, wanted: str | None, have: str | None, words: str) -> tuple[bool, str | None]:
    if not wanted or not have:
        return True, None
    if wanted != have:
        return False, f"evidence for {words.format(wanted)}; this one is {words.format(have)}"
    return True, f"{name}={have}"


def setting_match(setting, effect: str, ps: ProfileSetting, *,
                  generic: bool = True) -> tuple[bool, str | None, bool]:
    """Whether a record's ``setting`` applies to ``ps``: (applies, reason, setting_specific).

    ``reason`` says why it does not apply, or (when specific) what it matched. ``generic``: the
    record was matched only through the drug's target or absences (population evidence); such
    benefit evidence does not carry over to a rechallenge unless it states one (evidence about an
    alteration acquired on the class, such as EGFR S492R for panitumumab, does).
    """
    if setting is None or isinstance(setting, str):
        if ps.rechallenge and generic and effect == "sensitivity":
            return False, _RECHALLENGE_ONLY, False
        return True, None, False
    checks = (
        _line(setting, ps),
        _rechallenge(setting, effect, ps, generic),
        _stated("sidedness", setting.sidedness, ps.sidedness, "{}-sided primaries"),
        _stated("hormone_receptor", setting.hormone_receptor, ps.hormone_receptor, "HR-{} disease"),
    )
    matched = []
    for ok, why in checks:
        if not ok:
            return False, why, False
        if why:
            matched.append(why)
    specific = any(m.startswith(("sidedness", "hormone_receptor", "rechallenge")) for m in matched)
    return True, ", ".join(matched) or None, specific


#: stages of a curative setting (the profile cannot state one yet)
_CURATIVE_STAGES = {"early", "locally_advanced"}


def failure_setting_applies(setting, setting_specific: bool) -> bool:
    """Whether a failed trial's setting is one the profile can be in (verdict rule 11).

    A failure around a curative treatment (adjuvant, neoadjuvant, perioperative, maintenance, or
    an early or locally advanced stage: New EPOC, N0147, ALTTO) says nothing of the metastatic
    disease the profile most often describes, and a profile cannot state a curative setting, so
    it is listed, never decisive. A failure in a subgroup the setting names (right-sided primary,
    HR-negative) applies only where the profile states that subgroup (``setting_specific``):
    what the profile does not say is never assumed.
    """
    if setting is None or isinstance(setting, str):
        return True
    line = str(setting.line.value) if setting.line is not None else None
    if line in _AROUND_INDUCTION or setting.stage in _CURATIVE_STAGES:
        return False
    return setting_specific or not (setting.sidedness or setting.hormone_receptor)
