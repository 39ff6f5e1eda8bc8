"""Therapy schedules: a small text (or YAML) language and its compiled phase program.

>>> s = parse_schedule("cetuximab until progression; off 4 months; cetuximab")
>>> [str(p) for p in s.phases]
['cetuximab until progression', 'off for 4 months', 'cetuximab']

One phase per ``;`` or line: ``DRUGS`` (drug names joined by ``+``, or ``off``), then optionally
``for N days|weeks|months`` (a fixed length; ``off 4 months`` may drop the ``for``) and/or
``until CONDITION``; a phase with neither runs to the end of the simulation. Conditions:
``progression`` (RECIST-like, on treatment), ``burden below P%`` / ``burden above P%`` (of the
burden at the start), ``ctdna detected`` / ``ctdna cleared`` (resistance mutations in a blood
draw). A last phase ``repeat`` (or ``repeat from N``) loops back. Examples:

- continuous: ``cetuximab``; simultaneous combination: ``trastuzumab + lapatinib``
- sequential: ``cetuximab until progression; encorafenib + cetuximab``
- fixed holidays: ``cetuximab for 3 months; off 1 month; repeat``
- adaptive: ``cetuximab until burden below 50%; off until burden above 100%; repeat``
- switch on ctDNA: ``cetuximab until ctdna detected; panitumumab``
- rechallenge: ``cetuximab until progression; off until ctdna cleared; cetuximab``

YAML: a list of mappings with keys ``drugs``, ``for``, ``until`` (and a final ``repeat: N``).
Errors name the file (or ``--schedule``), the line and the field; exit code 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from herscape.errors import UsageError

__all__ = ["CONDITIONS", "Phase", "Schedule", "parse_schedule", "read_schedule"]

DAYS_PER_MONTH = 30.44
_UNITS = {"day": 1.0, "days": 1.0, "week": 7.0, "weeks": 7.0, "month": DAYS_PER_MONTH,
          "months": DAYS_PER_MONTH}
#: Conditions that end a phase.
CONDITIONS = ("progression", "burden below", "burden above", "ctdna detected", "ctdna cleared")
_OFF = {"off", "none", "holiday", "no treatment"}


@dataclass(frozen=True)
class Phase:
    """One phase: the drugs (empty: off), a length in days and/or an end condition.

    ``threshold`` is the burden fraction of the start (0.5 for ``50%``) for burden conditions.
    """

    drugs: str
    days: float | None = None
    until: str | None = None
    threshold: float | None = None
    line: int = 1

    @property
    def off(self) -> bool:
        return not self.drugs

    def __str__(self) -> str:
        parts = [self.drugs or "off"]
        if self.days is not None:
            months = self.days / DAYS_PER_MONTH
            parts.append(f"for {months:g} months" if abs(months - round(months)) < 1e-9
                         else f"for {self.days:g} days")
        if self.until is not None:
            cond = self.until
            if self.threshold is not None:
                cond += f" {self.threshold * 100:g}%"
            parts.append(f"until {cond}")
        return " ".join(parts)


@dataclass(frozen=True)
class Schedule:
    """Phases in order; ``repeat_from`` (0-based) loops back after the last, ``None`` stops."""

    phases: tuple[Phase, ...]
    repeat_from: int | None = None
    text: str = ""

    def __str__(self) -> str:
        out = "; ".join(str(p) for p in self.phases)
        if self.repeat_from is not None:
            out += "; repeat" + (f" from {self.repeat_from + 1}" if self.repeat_from else "")
        return out


def _error(msg: str, source: str, line: int, field: str, value) -> UsageError:
    return UsageError(msg, source=source, line=line, field=field, value=value)


_LENGTH = re.compile(r"^(?:for\s+)?(\d+(?:\.\d+)?)\s*([a-z]+)$")


def _length(text: str, source: str, line: int) -> float:
    m = _LENGTH.match(text.strip().lower())
    if not m or m.group(2) not in _UNITS:
        msg = f"a length is 'for N days|weeks|months'; got {text!r}"
        raise _error(msg, source, line, "for", text)
    days = float(m.group(1)) * _UNITS[m.group(2)]
    if days <= 0:
        msg = f"a phase length must be positive; got {text!r}"
        raise _error(msg, source, line, "for", text)
    return days


def _condition(text: str, source: str, line: int) -> tuple[str, float | None]:
    t = " ".join(text.strip().lower().split())
    for cond in ("burden below", "burden above"):
        if t.startswith(cond):
            rest = t[len(cond):].strip().rstrip("%").strip()
            try:
                pct = float(rest)
            except ValueError:
                msg = f"'{cond}' needs a percentage of the starting burden, e.g. '{cond} 50%'"
                raise _error(msg, source, line, "until", text) from None
            if pct <= 0:
                msg = f"the burden percentage must be positive; got {text!r}"
                raise _error(msg, source, line, "until", text)
            return cond, pct / 100.0
    if t in ("progression", "ctdna detected", "ctdna cleared"):
        return t, None
    msg = f"unknown condition {text!r}; expected one of: {', '.join(CONDITIONS)}"
    raise _error(msg, source, line, "until", text)


def _drugs(text: str, source: str, line: int, check: Callable[[str], object] | None) -> str:
    t = " ".join(text.strip().split())
    if t.lower() in _OFF:
        return ""
    if not t:
        msg = "a phase needs drugs (names joined by '+') or 'off'"
        raise _error(msg, source, line, "drugs", text)
    canon = " + ".join(p.strip() for p in t.split("+"))
    if check is not None:
        try:
            check(canon.replace(" + ", "+"))
        except UsageError as exc:
            raise _error(exc.message, source, line, "drugs", text) from exc
    return canon


_PHASE = re.compile(r"^(?P<drugs>.+?)(?:\s+(?P<len>(?:for\s+)?\d+(?:\.\d+)?\s*[a-z]+))?"
                    r"(?:\s+until\s+(?P<until>.+))?$", re.IGNORECASE)


def _phase_text(text: str, source: str, line: int, check) -> Phase:
    m = _PHASE.match(text.strip())
    if not m:  # pragma: no cover - the pattern accepts any non-empty text
        msg = f"cannot read phase {text!r}"
        raise _error(msg, source, line, "phase", text)
    drugs = m.group("drugs")
    if re.search(r"\buntil\b", drugs, re.IGNORECASE) or re.search(r"\bfor\b", drugs,
                                                                    re.IGNORECASE):
        msg = f"cannot read phase {text!r}: expected 'DRUGS [for N months] [until CONDITION]'"
        raise _error(msg, source, line, "phase", text)
    days = _length(m.group("len"), source, line) if m.group("len") else None
    until, thr = _condition(m.group("until"), source, line) if m.group("until") else (None, None)
    return Phase(_drugs(drugs, source, line, check), days, until, thr, line)


def _repeat(text: str, n_phases: int, source: str, line: int) -> int | None:
    m = re.match(r"^repeat(?:\s+from\s+(\d+))?$", text.strip().lower())
    if not m:
        return None
    start = int(m.group(1)) - 1 if m.group(1) else 0
    if not 0 <= start < n_phases:
        msg = f"'repeat from N' needs 1 <= N <= {n_phases}; got {text!r}"
        raise _error(msg, source, line, "repeat", text)
    return start


def _finish(phases: list[Phase], repeat_from: int | None, source: str, text: str) -> Schedule:
    if not phases:
        msg = "the schedule has no phases"
        raise UsageError(msg, source=source, field="schedule", value=text)
    for i, ph in enumerate(phases[:-1]):
        if ph.days is None and ph.until is None:
            msg = (f"phase {i + 1} ({ph}) never ends, so the phases after it never run: give it "
                   "'for N months' or 'until CONDITION'")
            raise UsageError(msg, source=source, line=ph.line, field="phase", value=str(ph))
    if repeat_from is not None:
        loop = phases[repeat_from:]
        if all(p.days is None and p.until is None for p in loop):
            msg = "a repeated schedule needs phases that end (a length or an 'until' condition)"
            raise UsageError(msg, source=source, line=loop[-1].line, field="repeat", value=text)
        if all(p.off for p in phases):
            msg = "a schedule that only holds treatment off is not a schedule"
            raise UsageError(msg, source=source, field="drugs", value=text)
    return Schedule(tuple(phases), repeat_from, text)


def parse_schedule(text: str, *, source: str = "--schedule",
                   check_drugs: Callable[[str], object] | None = None) -> Schedule:
    """Parse the text form (phases separated by ``;`` or new lines; ``#`` starts a comment).

    ``check_drugs`` is called with each phase's regimen (for example ``kb.regimen``) so that an
    unknown drug is reported with its line.
    """
    phases: list[Phase] = []
    repeat_from = None
    for lineno, raw in enumerate(text.splitlines() or [""], start=1):
        body = raw.split("#", 1)[0]
        for part in body.split(";"):
            if not part.strip():
                continue
            if repeat_from is not None:
                msg = "'repeat' must be the last phase"
                raise _error(msg, source, lineno, "repeat", part.strip())
            rep = _repeat(part, len(phases), source, lineno)
            if rep is not None:
                repeat_from = rep
                continue
            phases.append(_phase_text(part, source, lineno, check_drugs))
    return _finish(phases, repeat_from, source, text)


def _yaml_lines(text: str) -> list[int]:
    """1-based line of each top-level list item of a YAML document."""
    node = yaml.compose(text)
    if node is None or not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def _parse_yaml(text: str, source: str, check) -> Schedule:
    try:
        data = yaml.safe_load(text)
        lines = _yaml_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UsageError(f"not valid YAML: {exc}", source=source,
                         line=mark.line + 1 if mark else None, field="schedule") from exc
    if not isinstance(data, list):
        msg = "a YAML schedule is a list of phases (mappings with drugs, for, until)"
        raise UsageError(msg, source=source, line=1, field="schedule")
    phases: list[Phase] = []
    repeat_from = None
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item, dict):
            msg = f"phase {i + 1} must be a mapping with drugs, for, until; got {item!r}"
            raise UsageError(msg, source=source, line=line, field="phase", value=item)
        unknown = set(item) - {"drugs", "for", "until", "repeat"}
        if unknown:
            field = sorted(unknown)[0]
            msg = f"unknown key {field!r} in phase {i + 1} (allowed: drugs, for, until, repeat)"
            raise UsageError(msg, source=source, line=line, field=field, value=item[field])
        if "repeat" in item:
            if i != len(data) - 1 or set(item) != {"repeat"}:
                msg = "'repeat: N' must be alone, in the last item"
                raise UsageError(msg, source=source, line=line, field="repeat")
            repeat_from = _repeat(f"repeat from {item['repeat']}", len(phases), source, line)
            continue
        if "drugs" not in item:
            msg = f"phase {i + 1} has no 'drugs' (use 'off' for a drug holiday)"
            raise UsageError(msg, source=source, line=line, field="drugs")
        raw = item["drugs"]
        # YAML 1.1 reads a bare `off` (or `no`) as false: it means a drug holiday here
        drugs = _drugs("off" if raw is False else str(raw), source, line, check)
        days = _length(str(item["for"]), source, line) if item.get("for") is not None else None
        until, thr = (_condition(str(item["until"]), source, line) if item.get("until")
                      is not None else (None, None))
        phases.append(Phase(drugs, days, until, thr, line or i + 1))
    return _finish(phases, repeat_from, source, text)


def read_schedule(spec: str, *, check_drugs: Callable[[str], object] | None = None) -> Schedule:
    """A schedule from ``spec``: a path to a ``.yaml``/``.yml`` or text file, or the text itself."""
    path = Path(spec)
    looks_like_file = spec.endswith((".yaml", ".yml", ".txt", ".schedule"))
    if looks_like_file and not path.is_file():
        msg = f"schedule file {spec!r} does not exist"
        raise UsageError(msg, source=spec, field="schedule", value=spec)
    if looks_like_file:
        text = path.read_text(encoding="utf-8")
        if spec.endswith((".yaml", ".yml")):
            return _parse_yaml(text, spec, check_drugs)
        return parse_schedule(text, source=spec, check_drugs=check_drugs)
    return parse_schedule(spec, check_drugs=check_drugs)
