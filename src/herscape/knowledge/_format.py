"""Human-readable forms of knowledge values, shared by the CLI and the reports."""

from __future__ import annotations

from herscape.knowledge._schema import Numbers, SeedRef

__all__ = ["format_numbers", "format_where"]

_PAIRS = (
    ("orr", "ORR", "%"),
    ("dcr", "DCR", "%"),
    ("pfs", "PFS", " mo"),
    ("os", "OS", " mo"),
)


def _num(value: float) -> str:
    return f"{value:g}"


def format_numbers(numbers: Numbers | None) -> str:
    """``'n=29; ORR 26% vs 2%; OS 9 vs 5.4 mo; HR 0.52 (0.39-0.70); P=0.0001'``, or ``''``."""
    if numbers is None:
        return ""
    parts: list[str] = []
    if numbers.n is not None:
        ctrl = f" vs {numbers.n_control}" if numbers.n_control is not None else ""
        parts.append(f"n={numbers.n}{ctrl}")
    for key, label, unit in _PAIRS:
        value = getattr(numbers, key)
        control = getattr(numbers, f"{key}_control")
        if value is None and control is None:
            continue
        left = _num(value) + unit if value is not None else "?"
        right = f" vs {_num(control)}{unit}" if control is not None else ""
        parts.append(f"{label} {left}{right}")
    if numbers.hr is not None:
        ci = f" ({_num(numbers.ci_low)}-{_num(numbers.ci_high)})" if numbers.ci_low and numbers.ci_high else ""
        endpoint = f" {numbers.hr_endpoint.upper()}" if numbers.hr_endpoint else ""
        parts.append(f"HR{endpoint} {_num(numbers.hr)}{ci}")
    if numbers.odds_ratio is not None:
        parts.append(f"OR {_num(numbers.odds_ratio)}")
    if numbers.p is not None:
        parts.append(f"P={_num(numbers.p)}")
    if numbers.frequency is not None:
        parts.append(f"frequency {_num(numbers.frequency)}%")
    if numbers.text:
        parts.append(numbers.text)
    return "; ".join(parts)


def format_where(refs: list[SeedRef]) -> str:
    """``'seed 000 line 130 (RAF mutations and RAF inhibitors)'`` for each reference."""
    return "; ".join(f"seed {r.seed} line {r.line} ({r.section})" for r in refs)
