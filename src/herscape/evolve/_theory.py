"""Closed forms the simulator is checked against (and that the docs quote).

>>> round(bozic_eradication(1e9, n12=1), 3)
0.263
>>> round(preexistence_probability(1e5, b=1.0, d=0.5, un=1e-5), 3)
0.75

Rates are per day, sizes in cells, ``u`` per base pair per division, ``n`` resistance targets.
Sources: Bozic et al. 2013, eLife 2:e00747 (PMID 23805382), equations for p1/p2 and equation (1)
with its four factors; Iwasa, Nowak & Michor 2006, Genetics 172:2557 (pre-existing resistance);
Avanzini et al. 2020, Sci Adv 6:eabc4308 (ctDNA shedding and clearance).
"""

from __future__ import annotations

import math

__all__ = [
    "bozic_eradication",
    "monotherapy_eradication",
    "preexistence_probability",
    "shedding_mean",
    "withdrawal_half_life",
]


def preexistence_probability(size: float, *, b: float, d: float, un: float) -> float:
    """Probability that resistant cells exist when a tumour growing at ``b``, ``d`` reaches
    ``size`` cells: ``1 - exp(M u n log(s) / (1 - s))``, ``s = 1 - d/b`` (Bozic 2013, p1)."""
    s = 1.0 - d / b
    return 1.0 - math.exp(size * un * math.log(s) / (1.0 - s))


def monotherapy_eradication(size: float, *, b: float, d: float, d_treated: float,
                            un: float) -> float:
    """Probability that one drug eradicates a lesion of ``size`` cells:
    ``exp(-M u n) exp(M u n s / s')`` with ``s' = 1 - d'/b`` (Bozic 2013, p1-up x p1-down)."""
    s = 1.0 - d / b
    s_t = 1.0 - d_treated / b
    return math.exp(-size * un) * math.exp(size * un * s / s_t)


def bozic_eradication(size: float, *, b: float = 0.14, d: float = 0.13, d_treated: float = 0.17,
                      u: float = 1e-9, n1: int = 50, n2: int = 50, n12: int = 0) -> float:
    """Bozic 2013 equation (1): probability that simultaneous dual therapy eradicates a lesion.

    ``p_erad = p1up p1down p2up p2down``: no one-step (cross-resistance) or two-step resistant
    lineage arises and survives, before or during treatment.
    """
    s = 1.0 - d / b
    s_t = 1.0 - d_treated / b
    m = size
    p1_up = math.exp(-m * u * n12)
    p1_down = math.exp(m * u * n12 * s / s_t)
    c = (s_t - s) / (s * s_t)
    log_a = math.log(1.0 / (s * m) + u * (n2 + n12) * c)
    log_b = math.log(1.0 / (s * m) + u * (n1 + n12) * c)
    p2_up = math.exp(m * u * u * c * (n1 * (n2 + n12) * log_a + n2 * (n1 + n12) * log_b))
    paths = 2 * n1 * n2 + n12 * (n1 + n2)
    p2_down = math.exp(-m * u * u * paths * s / s_t**2)
    return p1_up * p1_down * p2_up * p2_down


def shedding_mean(cells: float, *, b: float, d: float, q_d: float, q_b: float = 0.0,
                  half_life_min: float = 30.0) -> float:
    """Mean tumour haploid genome equivalents in plasma for a clone growing at ``b - d``:
    ``N (d q_d + b q_b) / (r + eps)``, ``eps = ln 2 / half-life`` (Avanzini 2020)."""
    eps = math.log(2.0) / (half_life_min / (24.0 * 60.0))
    return cells * (d * q_d + b * q_b) / (b - d + eps)


def withdrawal_half_life(r_sensitive: float, r_resistant: float) -> float:
    """Half-life (days) of the resistant-to-sensitive ratio once the drug stops:
    ``ln 2 / (r_S - r_R)``; infinite when resistance costs nothing."""
    gap = r_sensitive - r_resistant
    return math.inf if gap <= 0 else math.log(2.0) / gap
