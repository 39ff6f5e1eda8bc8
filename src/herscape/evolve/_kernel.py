"""Numba kernels of the hybrid branching process (private; see ``_engine.py`` for the API).

A lesion is a vector ``n`` of clone sizes (cells, float64), one entry per cell type. Each type
has a birth rate ``b`` and a death rate ``d`` per day under the current regimen; a division of a
type-``i`` cell makes a type-``j`` daughter with probability ``mu[i, j]`` (mutation at division).

Time advances in steps of ``dt`` days. Within a step:

- a clone of at least ``threshold`` cells grows deterministically, ``n e^{r dt}``;
- a smaller clone jumps exactly: the size at ``t + dt`` of a linear birth-death process started
  from ``n`` cells is drawn from its transition law (each cell's lineage is extinct with
  probability ``alpha``, else geometric with parameter ``beta``; Kendall 1948), so the small,
  stochastic part is exact at the step ends whatever ``dt`` (no tau-leaping error);
- mutants are emitted as a Poisson number with mean ``mu[i, j] b_i \\int n_i dt`` (the expected
  divisions from the step's start), each born at a uniform time in the step and grown exactly
  to its end (beyond a few per step, together at mid-step).

This is the hybrid scheme of Bozic et al. 2013 (eLife 2:e00747) and Reiter et al. 2013: exact
stochastic dynamics while a clone is small, deterministic growth with Poisson-timed mutation
above a threshold. A clone that shrinks below the threshold becomes stochastic again (its size is
rounded at random to an integer).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Phase end conditions of a schedule program (see _schedule.compile_program).
COND_NONE = 0
COND_PROGRESSION = 1
COND_BURDEN_BELOW = 2
COND_BURDEN_ABOVE = 3
COND_CTDNA_DETECTED = 4
COND_CTDNA_CLEARED = 5

#: Up to this many mutants per step get their own uniform birth time; more are founded at
#: mid-step and grown in one exact jump (their ages are off by at most half a step).
_EXACT_MUTANTS = 4

# Per-patient event slots written by run_patient.
EV_PFS = 0             # day of first progression (RECIST-like), nan if none
EV_BEST = 1            # best response of the first treatment line: 1 CR, 2 PR, 3 SD, 4 PD, 0 none
EV_CTDNA = 2           # day resistance was first detected in ctDNA, nan if never
EV_ERADICATED = 3      # day the last cell died, nan if not
EV_PROGRESSIONS = 4    # number of progression events
EV_OFF_T0 = 5          # first drug-free phase after treatment: start day
EV_OFF_T1 = 6          # ... end day
EV_OFF_LOGODDS0 = 7    # log odds of the resistant share of tumour DNA at the start
EV_OFF_LOGODDS1 = 8    # ... at the end
EV_RECORDS = 9         # rows written to the record array
EV_END = 10            # day the simulation stopped
EV_PHASE = 11          # index of the phase running at the end (-1: schedule finished)
EV_TTP_DETECT = 12     # day of the first progression after ctDNA detection (nan)
N_EVENTS = 13

# ctDNA parameter slots (see _ctdna.CtdnaParams.as_array).
SH_QD, SH_QB, SH_EPS, SH_PLASMA, SH_DRAW, SH_NORMAL, SH_MINMUT, SH_LOD = range(8)


@njit(cache=True, nogil=True)
def _x(r: float, t: float) -> float:
    """(e^{rt} - 1) / r, with its limit t at r = 0."""
    if abs(r * t) < 1e-9:
        return t
    return math.expm1(r * t) / r


@njit(cache=True, nogil=True)
def grow_one(lam: float, mu_d: float, t: float, rng) -> float:
    """Size at time ``t`` of the lineage of one cell (birth ``lam``, death ``mu_d`` per day)."""
    r = lam - mu_d
    x = _x(r, t)
    den = lam * x + 1.0
    alpha = mu_d * x / den
    if rng.random() < alpha:
        return 0.0
    beta = lam * x / den
    if beta <= 0.0:
        return 1.0
    return 1.0 + rng.negative_binomial(1, 1.0 - beta)


@njit(cache=True, nogil=True)
def _jump(k: int, lam: float, mu_d: float, t: float, rng) -> float:
    """Exact size at time ``t`` of a linear birth-death process started from ``k`` cells."""
    r = lam - mu_d
    x = _x(r, t)
    den = lam * x + 1.0
    alpha = mu_d * x / den
    beta = lam * x / den
    surv = rng.binomial(k, 1.0 - alpha) if alpha > 0.0 else k
    if surv == 0:
        return 0.0
    if beta <= 0.0:
        return float(surv)
    return float(surv + rng.negative_binomial(surv, 1.0 - beta))


@njit(cache=True, nogil=True)
def _to_integer(v: float, rng) -> float:
    """Round a deterministic size at random to an integer with the same mean."""
    f = math.floor(v)
    return f + (1.0 if rng.random() < v - f else 0.0)


@njit(cache=True, nogil=True)
def step_lesion(n, out, b, d, mu, msum, dt, threshold, rng):  # noqa: PLR0912, PLR0913 - numba kernel, arrays in
    """Advance one lesion by ``dt`` days: ``n`` (sizes now) -> ``out`` (sizes at ``t + dt``)."""
    k = n.shape[0]
    for i in range(k):
        out[i] = 0.0
    for i in range(k):
        ni = n[i]
        if ni <= 0.0:
            continue
        lam = b[i] * (1.0 - msum[i])
        r = lam - d[i]
        x = _x(r, dt)
        if ni >= threshold:
            new = ni * math.exp(r * dt)
            if new < threshold:
                new = _to_integer(new, rng)
            out[i] += new
        else:
            out[i] += _jump(int(ni), lam, d[i], dt, rng)
        if msum[i] <= 0.0:
            continue
        divisions = b[i] * ni * x
        for j in range(k):
            m = mu[i, j]
            if m <= 0.0:
                continue
            mean = m * divisions
            lam_j = b[j] * (1.0 - msum[j])
            if mean > 1e4:  # a flood of mutants: their expected total suffices
                out[j] += mean * _x(lam_j - d[j], dt) / dt
                continue
            count = rng.poisson(mean)
            if count <= _EXACT_MUTANTS:
                for _ in range(count):
                    out[j] += grow_one(lam_j, d[j], dt * rng.random(), rng)
            else:  # many mutants in one step: founded together at mid-step, one exact jump
                out[j] += _jump(count, lam_j, d[j], 0.5 * dt, rng)


@njit(cache=True, nogil=True)
def preexisting(size, b_s, d_s, b_r, d_r, un, rng):
    """Cells of a resistant type present when a clone of ``size`` cells is found.

    The parent clone grew deterministically at ``r_s = b_s - d_s``; resistant lineages were
    founded at its divisions at rate ``un`` per division (Iwasa et al. 2006; Bozic et al. 2013).
    A lineage founded ``tau`` days before is alive with probability ``1 - alpha_r(tau)`` and then
    geometric in size. The number of live lineages is Poisson; their ages are drawn from the
    density ``b_s un size e^{-r_s tau} (1 - alpha_r(tau))`` up to the clone's age (a grid
    uniform in ``e^{-r_s tau}``, on which the density is smooth).
    """
    r_s = b_s - d_s
    if size < 1.0 or un <= 0.0 or r_s <= 0.0:
        return 0.0
    # integrate over v = e^{-r_s tau} in (1/size, 1], where the density is b_s un size alive / r_s
    g = 33
    v_min = 1.0 / size
    vs = np.empty(g)
    cdf = np.empty(g)
    lam = b_r
    total = 0.0
    prev = 0.0
    scale = b_s * un * size / r_s
    for i in range(g):
        v = 1.0 - (1.0 - v_min) * i / (g - 1)
        vs[i] = v
        tau = -math.log(v) / r_s
        x = _x(lam - d_r, tau)
        dens = scale * (1.0 - d_r * x / (lam * x + 1.0))
        if i > 0:
            total += 0.5 * (dens + prev) * (1.0 - v_min) / (g - 1)
        cdf[i] = total
        prev = dens
    if total <= 0.0:
        return 0.0
    count = rng.poisson(total)
    cells = 0.0
    for _ in range(count):
        target = rng.random() * total
        j = np.searchsorted(cdf, target)
        if j <= 0:
            v = 1.0
        else:  # linear in v, where the density is smooth (not in tau)
            lo = cdf[j - 1]
            w = (target - lo) / (cdf[j] - lo) if cdf[j] > lo else 0.0
            v = vs[j - 1] + w * (vs[j] - vs[j - 1])
        tau = -math.log(max(v, v_min)) / r_s
        x = _x(lam - d_r, tau)
        beta = lam * x / (lam * x + 1.0)
        cells += 1.0 if beta <= 0.0 else 1.0 + rng.negative_binomial(1, 1.0 - beta)
    return cells


@njit(cache=True, nogil=True)
def run_scenario(n0, birth, death, mu, threshold, dt, grow_to, relabel,  # noqa: PLR0912, PLR0913, PLR0915 - one loop for numba
                 ph_reg, ph_stop_above, ph_fail_at, ph_max_days, watch, watch_frac, rng, out):
    """One lesion from diagnosis-size growth through treatment (the theory checks, benchmarks).

    Grow from ``n0`` under regimen 0 until the lesion has ``grow_to`` cells (restarting from
    ``n0`` whenever it dies out: the tumour is conditioned on survival), move type ``i`` to
    ``relabel[i]`` (to mark cells present at the start of treatment), then run the phases:
    phase ``p`` gives regimen ``ph_reg[p]`` until the lesion is extinct (eradicated, stop),
    the types growing under that regimen reach ``ph_fail_at[p]`` cells (failure, stop), the
    lesion reaches ``ph_stop_above[p]`` cells or ``ph_max_days[p]`` pass (next phase).

    ``out``: [eradicated (0/1), treatment days, day the ``watch`` types first made up
    ``watch_frac`` of the lesion in the first phase (nan if never), phases completed, then the
    final size of each type].
    """
    k = n0.shape[0]
    msum = mu.sum(axis=1)
    n = n0.copy()
    nxt = np.empty(k)
    while True:
        total = n.sum()
        while 0.0 < total < grow_to:
            step_lesion(n, nxt, birth[0], death[0], mu, msum, dt, threshold, rng)
            n[:] = nxt
            total = n.sum()
        if total > 0.0:
            break
        n[:] = n0
    moved = np.zeros(k)
    for i in range(k):
        moved[relabel[i]] += n[i]
    n[:] = moved
    t = 0.0
    watch_t = np.nan
    phase = 0
    out[0] = 0.0
    stop = False
    while phase < ph_reg.shape[0] and not stop:
        reg = ph_reg[phase]
        b = birth[reg]
        d = death[reg]
        t0 = t
        while True:
            total = n.sum()
            if total <= 0.0:
                out[0] = 1.0
                stop = True
                break
            growing = 0.0
            w = 0.0
            for i in range(k):
                if b[i] * (1.0 - msum[i]) > d[i]:
                    growing += n[i]
                if watch[i]:
                    w += n[i]
            if growing >= ph_fail_at[phase]:
                stop = True
                break
            if phase == 0 and watch_t != watch_t and w >= watch_frac * total:
                watch_t = t
            if (t > t0 and total >= ph_stop_above[phase]) or t - t0 >= ph_max_days[phase]:
                break
            step_lesion(n, nxt, b, d, mu, msum, dt, threshold, rng)
            n[:] = nxt
            t += dt
        if not stop:
            phase += 1
    out[1] = t
    out[2] = watch_t
    out[3] = phase
    for i in range(k):
        out[4 + i] = n[i]


@njit(cache=True, nogil=True)
def _diameter(cells: float, cells_per_cm3: float) -> float:
    """Diameter (cm) of a sphere of ``cells`` cells."""
    if cells <= 0.0:
        return 0.0
    return 2.0 * (3.0 * cells / cells_per_cm3 / (4.0 * math.pi)) ** (1.0 / 3.0)


@njit(cache=True, nogil=True)
def _sum_diameters(n, cells_per_cm3, visible_cm):
    """Sum of lesion diameters (cm) visible on imaging, and whether any lesion is visible."""
    s = 0.0
    any_visible = False
    for lesion in range(n.shape[0]):
        dia = _diameter(n[lesion].sum(), cells_per_cm3)
        if dia >= visible_cm:
            s += dia
            any_visible = True
    return s, any_visible


@njit(cache=True, nogil=True)
def _genomes(n, b, d, shed):
    """Tumour haploid genome equivalents in plasma per type (quasi-steady state)."""
    k = n.shape[1]
    ge = np.zeros(k)
    eps = shed[SH_EPS]
    for i in range(k):
        cells = 0.0
        for lesion in range(n.shape[0]):
            cells += n[lesion, i]
        if cells > 0.0:
            ge[i] = cells * (d[i] * shed[SH_QD] + b[i] * shed[SH_QB]) / (b[i] - d[i] + eps)
    return ge


@njit(cache=True, nogil=True)
def _expected_vaf(ge, carry, shed, vaf):
    """Expected mutant allele fraction of each marker in plasma."""
    tumour = ge.sum()
    total = tumour + shed[SH_NORMAL] * shed[SH_PLASMA]
    for m in range(carry.shape[0]):
        mut = 0.0
        for i in range(ge.shape[0]):
            mut += carry[m, i] * ge[i]
        vaf[m] = mut / total if total > 0.0 else 0.0


@njit(cache=True, nogil=True)
def _draw(vaf_expected, ge, shed, rng, vaf_out):
    """One blood draw: molecules at each marker locus ~ Poisson, mutant ~ Binomial; returns a
    detection flag per marker in ``vaf_out`` sign (negative: not detected) and the VAF value."""
    tumour = ge.sum()
    per_ml = (tumour / shed[SH_PLASMA]) + shed[SH_NORMAL]
    for m in range(vaf_expected.shape[0]):
        molecules = rng.poisson(per_ml * shed[SH_DRAW])
        mut = rng.binomial(molecules, min(1.0, vaf_expected[m])) if molecules > 0 else 0
        v = mut / molecules if molecules > 0 else 0.0
        detected = mut >= shed[SH_MINMUT] and v >= shed[SH_LOD]
        vaf_out[m] = v if detected else -1.0 - v


@njit(cache=True, nogil=True)
def _log_odds_resistant(ge, resist_type):
    r = 0.0
    s = 0.0
    for i in range(ge.shape[0]):
        if resist_type[i]:
            r += ge[i]
        else:
            s += ge[i]
    if r <= 0.0 or s <= 0.0:
        return np.nan
    return math.log(r / s)


@njit(cache=True, nogil=True)
def run_patient(n, birth, death, mu, threshold, dt, horizon,  # noqa: PLR0912, PLR0913, PLR0915 - one simulation loop, kept in one place for numba
                ph_reg, ph_dur, ph_cond, ph_thr, ph_next, ph_mark,
                img_every, dna_every, rec_every,
                carry, resmark, restype, shed, cells_per_cm3, visible_cm,
                rng, rec, events):
    """Simulate one patient (lesions x types in ``n``, changed in place) under a schedule
    program until ``horizon`` days, the end of the schedule or eradication.

    Imaging every ``img_every`` days gives RECIST-like assessments (sum of visible lesion
    diameters; PR at -30 % from the line's baseline, PD at +20 % and +0.5 cm over the nadir while
    on treatment); blood draws every ``dna_every`` days sample ctDNA. Every ``rec_every`` days a
    row ``[day, phase, cells per type..., expected VAF per marker..., sampled VAF per marker...,
    sum of diameters]`` goes to ``rec`` (as many rows as fit). ``events`` gets the EV_* slots.
    """
    n_les, k = n.shape
    n_mark = carry.shape[0]
    msum = mu.sum(axis=1)
    nxt = np.empty(k)
    vexp = np.zeros(n_mark)
    vdraw = np.full(n_mark, -1.0)
    for e in range(events.shape[0]):
        events[e] = np.nan
    events[EV_BEST] = 0.0
    events[EV_PROGRESSIONS] = 0.0
    t = 0.0
    phase = 0
    phase_start = 0.0
    baseline_cells = n.sum()
    line_base, _ = _sum_diameters(n, cells_per_cm3, visible_cm)
    nadir = line_base
    first_line = True
    first_assessed = False
    next_img = img_every
    next_dna = 0.0
    next_rec = 0.0
    rows = 0
    off_open = False
    hops = 0
    treated_before = False
    if ph_reg.shape[0] > 0 and ph_reg[0] != 0:
        treated_before = True
    while phase >= 0 and t <= horizon + 1e-9:
        reg = ph_reg[phase]
        b = birth[reg]
        d = death[reg]
        ge = _genomes(n, b, d, shed)
        _expected_vaf(ge, carry, shed, vexp)
        cond = ph_cond[phase]
        advance = False
        if t >= next_dna - 1e-9:
            next_dna += dna_every
            _draw(vexp, ge, shed, rng, vdraw)
            hit = False
            for m in range(n_mark):
                if resmark[ph_mark[phase], m] and vdraw[m] >= 0.0:
                    hit = True
            if hit and events[EV_CTDNA] != events[EV_CTDNA] and reg != 0:
                events[EV_CTDNA] = t
            if (cond == COND_CTDNA_DETECTED and hit) or (cond == COND_CTDNA_CLEARED and not hit):
                advance = True
        if t >= next_img - 1e-9:
            next_img += img_every
            total_d, visible = _sum_diameters(n, cells_per_cm3, visible_cm)
            if reg != 0:
                progressed = total_d >= 1.2 * nadir and total_d - nadir >= 0.5 and total_d > 0.0
                if first_line:
                    if progressed:
                        code = 4.0
                    elif not visible:
                        code = 1.0
                    elif total_d <= 0.7 * line_base:
                        code = 2.0
                    else:
                        code = 3.0
                    if not first_assessed or code < events[EV_BEST]:
                        events[EV_BEST] = code
                    first_assessed = True
                if progressed:
                    if events[EV_PFS] != events[EV_PFS]:
                        events[EV_PFS] = t
                    if events[EV_CTDNA] == events[EV_CTDNA] and \
                            events[EV_TTP_DETECT] != events[EV_TTP_DETECT]:
                        events[EV_TTP_DETECT] = t
                    events[EV_PROGRESSIONS] += 1.0
                    first_line = False
                    nadir = total_d
                    if cond == COND_PROGRESSION:
                        advance = True
                else:
                    nadir = min(nadir, total_d)
        cells = n.sum()
        if cond == COND_BURDEN_BELOW and cells <= ph_thr[phase] * baseline_cells:
            advance = True
        if cond == COND_BURDEN_ABOVE and cells >= ph_thr[phase] * baseline_cells:
            advance = True
        if t - phase_start >= ph_dur[phase] - 1e-9:
            advance = True
        due = t >= next_rec - 1e-9
        if due:
            next_rec += rec_every
        if due and rows < rec.shape[0]:
            rec[rows, 0] = t
            rec[rows, 1] = phase
            for i in range(k):
                s = 0.0
                for lesion in range(n_les):
                    s += n[lesion, i]
                rec[rows, 2 + i] = s
            for m in range(n_mark):
                rec[rows, 2 + k + m] = vexp[m]
                rec[rows, 2 + k + n_mark + m] = vdraw[m]
            rec[rows, 2 + k + 2 * n_mark], _ = _sum_diameters(n, cells_per_cm3, visible_cm)
            rows += 1
        if cells <= 0.0:
            events[EV_ERADICATED] = t
            break
        if advance and hops > ph_reg.shape[0]:
            advance = False  # every phase ends at once (a loop of met conditions): let time run
        if advance:
            hops += 1
            if reg == 0 and off_open:
                events[EV_OFF_T1] = t
                events[EV_OFF_LOGODDS1] = _log_odds_resistant(ge, restype[ph_mark[phase]])
                off_open = False
            phase = ph_next[phase]
            phase_start = t
            if phase < 0:
                break
            new_reg = ph_reg[phase]
            if new_reg != 0 and reg == 0:
                # a new treatment line: RECIST baseline and nadir restart here
                line_base, _ = _sum_diameters(n, cells_per_cm3, visible_cm)
                nadir = line_base
            if new_reg == 0 and treated_before and events[EV_OFF_T0] != events[EV_OFF_T0]:
                events[EV_OFF_T0] = t
                ge0 = _genomes(n, birth[0], death[0], shed)
                events[EV_OFF_LOGODDS0] = _log_odds_resistant(ge0, restype[ph_mark[phase]])
                off_open = True
            if new_reg != 0:
                treated_before = True
            continue
        if t >= horizon - 1e-9:
            break
        # step to the next visit, record, phase end or horizon, at most dt (the jumps are exact
        # whatever the step; the step only sets how often burden conditions are checked)
        h = min(dt, next_img - t, next_dna - t, next_rec - t, horizon - t)
        if ph_dur[phase] < np.inf:
            h = min(h, phase_start + ph_dur[phase] - t)
        h = max(h, 1e-6)
        for lesion in range(n_les):
            step_lesion(n[lesion], nxt, b, d, mu, msum, h, threshold, rng)
            n[lesion, :] = nxt
        t += h
        hops = 0
    if off_open:
        reg = ph_reg[phase] if phase >= 0 else 0
        events[EV_OFF_T1] = t
        ge1 = _genomes(n, birth[reg], death[reg], shed)
        events[EV_OFF_LOGODDS1] = _log_odds_resistant(ge1, restype[ph_mark[max(phase, 0)]])
    events[EV_RECORDS] = rows
    events[EV_END] = t
    events[EV_PHASE] = phase


@njit(cache=True, nogil=True)
def initial_state(fractions, pre, mu, burden, lesions, b0, d0, rng):
    """Cells per lesion and type at diagnosis: ``lesions`` equal lesions of ``burden`` cells in
    all; clones of the profile by ``fractions``; each pre-existing type (``pre``) sampled from
    every parent clone with :func:`preexisting` (untreated rates ``b0``, ``d0``)."""
    k = fractions.shape[0]
    n = np.zeros((lesions, k))
    per = burden / lesions
    for les in range(lesions):
        for j in range(k):
            if not pre[j]:
                n[les, j] = fractions[j] * per
        for j in range(k):
            if not pre[j]:
                continue
            for i in range(k):
                if mu[i, j] > 0.0 and n[les, i] >= 1.0:
                    n[les, j] += preexisting(n[les, i], b0[i], d0[i], b0[j], d0[j], mu[i, j], rng)
    return n
