"""Human-readable forms of knowledge values, shared by the CLI and the reports."""

from __future__ import annotations

from herscape.knowledge._schema import Approval, DrugStatus, Numbers, Reading, SeedRef

__all__ = ["format_approval", "format_numbers", "format_reading", "format_status", "format_where"]

_PAIRS = (
    ("orr", "ORR", "%"),
    ("dcr", "DCR", "%"),
    ("cbr", "CBR", "%"),
    ("pcr", "pCR", "%"),
    ("pfs", "PFS", " mo"),
    ("efs", "EFS", " mo"),
    ("dfs", "DFS", " mo"),
    ("os", "OS", " mo"),
)


def _num(value: float) -> str:
    return f"{value:g}"


def _p(value: float | None, bound: str | None) -> str | None:
    if value is None:
        return None
    return f"P {bound} {_num(value)}" if bound else f"P={_num(value)}"


def _hr(hr: float | None, endpoint: str | None, low: float | None, high: float | None) -> str | None:
    if hr is None:
        return None
    ci = f" ({_num(low)}-{_num(high)})" if low is not None and high is not None else ""
    return f"HR{' ' + endpoint.upper() if endpoint else ''} {_num(hr)}{ci}"


def format_numbers(numbers: Numbers | None) -> str:
    """``'n=29; ORR 26% vs 2%; OS 9 vs 5.4 mo; HR 0.52 (0.39-0.70); P=0.0001'``, or ``''``.

    A p-value stated as a bound reads ``P < 0.001``; a landmark rate reads with what it measures
    (``3-year IDFS 88.3% vs 77.0%``); a second hazard ratio follows the first with its own P.
    """
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
    if numbers.rate is not None or numbers.rate_control is not None:
        left = f"{_num(numbers.rate)}%" if numbers.rate is not None else "?"
        right = f" vs {_num(numbers.rate_control)}%" if numbers.rate_control is not None else ""
        parts.append(f"{numbers.rate_endpoint} {left}{right}")
    parts += filter(None, [_hr(numbers.hr, numbers.hr_endpoint, numbers.ci_low, numbers.ci_high)])
    if numbers.odds_ratio is not None:
        parts.append(f"OR {_num(numbers.odds_ratio)}")
    parts += filter(None, [_p(numbers.p, numbers.p_bound),
                           _hr(numbers.hr2, numbers.hr2_endpoint, numbers.ci2_low, numbers.ci2_high),
                           _p(numbers.p2, numbers.p2_bound)])
    if numbers.frequency is not None:
        parts.append(f"frequency {_num(numbers.frequency)}%")
    if numbers.text:
        parts.append(numbers.text)
    return "; ".join(parts)


def format_where(refs: list[SeedRef]) -> str:
    """``'seed 000 line 130 (RAF mutations and RAF inhibitors)'`` for each reference."""
    return "; ".join(f"seed {r.seed} line {r.line} ({r.section})" for r in refs)


_PHASE_NAMES = {"phase_i": "phase I", "phase_ii": "phase II", "phase_iii": "phase III"}


def format_reading(reading: Reading) -> str:
    """``'abstract https://pubmed.ncbi.nlm.nih.gov/37870968/ (read 2026-12-02)'``."""
    return f"{reading.what.replace('_', ' ')} {reading.url} (read {reading.date})"


def format_approval(approval: Approval) -> str:
    """``'FDA 2020: HER2-positive breast cancer after 2 anti-HER2 regimens [BRCA; ERBB2 ...]'``."""
    bits = [approval.tumor_type, *filter(None, [approval.biomarker, approval.regimen])]
    tags = (" (accelerated)" if approval.accelerated else "") + (
        " (withdrawn" + (f" {approval.withdrawn_year}" if approval.withdrawn_year else "") + ")"
        if approval.withdrawn else "")
    return f"{approval.agency.value} {approval.year}{tags}: {approval.indication} [{'; '.join(bits)}]"


def format_status(status: DrugStatus | None) -> str:
    """One line for a report beside a regimen's drug: ``'approved (FDA 2004, EMA 2004)'``,
    ``'investigational (phase II)'``, ``'discontinued 2011 (no benefit in phase III)'``;
    ``'status not recorded'`` for None."""
    if status is None:
        return "status not recorded"
    state = status.state
    if state == "approved":
        first: dict[str, int] = {}
        for a in status.approvals_for():
            first[a.agency.value] = min(a.year, first.get(a.agency.value, a.year))
        if not first:
            return "approved (indications not itemised)"
        return "approved (" + ", ".join(f"{k} {v}" for k, v in sorted(first.items())) + ")"
    if state == "discontinued":
        stop = status.discontinued
        year = f" {stop.year}" if stop is not None and stop.year else ""
        why = f" ({stop.reason})" if stop is not None else " (all approvals withdrawn)"
        return f"discontinued{year}{why}"
    if state == "not_a_drug":
        return "not a drug (tool compound, class or regimen name)"
    return f"investigational ({_PHASE_NAMES.get(status.phase.value, status.phase.value)})"
