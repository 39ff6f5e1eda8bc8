"""Gillespie kernel: one compiled function that runs a block of trajectories.

The kernel is generic: a model reaches it only as flat arrays (see
:class:`herscape.network._compile.CompiledModel`), so numba compiles it once per install
(``cache=True``) and never per model.

State
    A Boolean state is ``n_words`` little-endian ``uint64`` words; node ``i`` is bit ``i % 64``
    of word ``i // 64``.
Rates
    Each node ``i`` reads a sorted list of variables (node indices, always including ``i``).
    The bits of those variables, variable ``b`` at bit ``b``, index a table of floats that holds
    the node's current transition rate: ``rate_down`` when the node is ON, ``rate_up`` when it is
    OFF, with ``@logic`` and every parameter already substituted. Each node's current index is
    kept and, when a node flips, toggled in the nodes that read it (one XOR and one load each).
Choice of the next transition
    Rates are kept in groups of ``group`` nodes (:func:`group_size`, about sqrt(n)) with a sum
    per group; after a flip only the nodes that read the flipped node are re-evaluated and only
    their groups re-summed (exactly, so no rounding drift builds up), so a step costs
    O(dependents + n / group + group) and allocates nothing.
Window occupancy
    The time node ``i`` spends ON inside each window is accumulated with O(1) work per flip: a
    flip up at time ``t`` in window ``k`` adds ``end_k - t`` to ``partial[i, k]`` and one full
    window to ``step[i, k + 1]`` (a flip down subtracts both); the occupancy of window ``w`` is
    ``partial[i, w] + cumsum(step[i])[w]``.
Joint states
    Each change of the observed state after ``record_from`` (by default the start of the last
    window) appends a segment (observed state, start, end) to a fixed-capacity buffer; the
    caller reruns a block whose segments did not fit, which gives identical results.
Random numbers
    Trajectory ``j`` draws from its own xoshiro256** stream seeded by splitmix64 from
    ``(seed, j)``, so results do not depend on how trajectories are split among threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["group_size", "run_block", "seed_stream"]


def group_size(n_nodes: int) -> int:
    """Nodes per partial rate sum for a model of ``n_nodes`` nodes (about its square root).

    >>> group_size(32), group_size(133)
    (6, 12)
    """
    return max(4, round(n_nodes**0.5))


_U1 = np.uint64(1)
_U11 = np.uint64(11)
_U17 = np.uint64(17)
_U30 = np.uint64(30)
_U31 = np.uint64(31)
_U45 = np.uint64(45)
_U7 = np.uint64(7)
_U5 = np.uint64(5)
_U9 = np.uint64(9)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SM1 = np.uint64(0xBF58476D1CE4E5B9)
_SM2 = np.uint64(0x94D049BB133111EB)
_INV53 = 1.0 / 9007199254740992.0


@njit(nogil=True, cache=True, inline="always")
def _rotl(x: np.uint64, k: np.uint64) -> np.uint64:
    return (x << k) | (x >> (np.uint64(64) - k))


@njit(nogil=True, cache=True)
def _splitmix(x: np.uint64) -> tuple[np.uint64, np.uint64]:
    """One splitmix64 step: returns (new counter, output)."""
    x = x + _GOLDEN
    z = x
    z = (z ^ (z >> _U30)) * _SM1
    z = (z ^ (z >> np.uint64(27))) * _SM2
    return x, z ^ (z >> _U31)


@njit(nogil=True, cache=True)
def seed_stream(seed: np.uint64, index: np.uint64, rng: np.ndarray) -> None:
    """Fill ``rng`` (4 words of xoshiro256** state) for trajectory ``index`` of run ``seed``."""
    x = seed * _GOLDEN + index
    x, z = _splitmix(x)
    x = x ^ z
    for w in range(4):
        x, z = _splitmix(x)
        rng[w] = z
    if rng[0] == 0 and rng[1] == 0 and rng[2] == 0 and rng[3] == 0:
        rng[0] = _U1


@njit(nogil=True, cache=True, inline="always")
def _next(rng: np.ndarray) -> np.uint64:
    """Next 64 random bits from xoshiro256** (state updated in place)."""
    s0 = rng[0]
    s1 = rng[1]
    s2 = rng[2]
    s3 = rng[3]
    result = _rotl(s1 * _U5, _U7) * _U9
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _U45)
    rng[0] = s0
    rng[1] = s1
    rng[2] = s2
    rng[3] = s3
    return result


@njit(nogil=True, cache=True, inline="always")
def _uniform(rng: np.ndarray) -> float:
    """Next double in (0, 1]."""
    return (float(_next(rng) >> _U11) + 1.0) * _INV53


@njit(nogil=True, cache=True, inline="always")
def _bit(state: np.ndarray, i: int) -> int:
    return int((state[i >> 6] >> np.uint64(i & 63)) & _U1)


@njit(nogil=True, cache=True, inline="always")
def _table_index(state: np.ndarray, i: int, var_ptr: np.ndarray, var_idx: np.ndarray) -> int:
    """Index of node ``i``'s rate table in ``state``."""
    index = 0
    start = var_ptr[i]
    for p in range(start, var_ptr[i + 1]):
        v = var_idx[p]
        index |= int((state[v >> 6] >> np.uint64(v & 63)) & _U1) << (p - start)
    return index


@njit(nogil=True, cache=True)
def _draw_initial(
    state: np.ndarray,
    rng: np.ndarray,
    base_state: np.ndarray,
    coin_mask: np.ndarray,
    choice_ptr: np.ndarray,
    choice_cum: np.ndarray,
    choice_state: np.ndarray,
) -> None:
    """Draw an initial state: ``base_state``, fair coins, then one choice per random group."""
    n_words = state.shape[0]
    for w in range(n_words):
        state[w] = base_state[w]
        if coin_mask[w] != 0:
            state[w] |= _next(rng) & coin_mask[w]
    for g in range(choice_ptr.shape[0] - 1):
        c0 = choice_ptr[g]
        c1 = choice_ptr[g + 1]
        chosen = c1 - 1
        u = _uniform(rng) * choice_cum[c1 - 1]
        for c in range(c0, c1):
            if u <= choice_cum[c]:
                chosen = c
                break
        for w in range(n_words):
            state[w] |= choice_state[chosen, w]


@njit(nogil=True, cache=True, inline="always")
def _resum(rates: np.ndarray, gsum: np.ndarray, g: int, group: int) -> None:
    """Sum group ``g`` of ``rates`` afresh (no drift from incremental updates)."""
    s = 0.0
    for i in range(g * group, (g + 1) * group):
        s += rates[i]
    gsum[g] = s


@njit(nogil=True, cache=True)
def _occupy(
    partial: np.ndarray,
    step: np.ndarray,
    o: int,
    t: float,
    sign: float,
    tick: float,
    n_windows: int,
) -> None:
    """Account for observed node ``o`` switching ON (``sign=1``) or OFF (``-1``) at time ``t``."""
    k = int(t / tick)
    if k >= n_windows:
        return
    partial[o, k] += sign * ((k + 1) * tick - t)
    step[o, k + 1] += sign * tick


@njit(nogil=True, cache=True)
def run_block(  # noqa: PLR0913, PLR0912, PLR0915 - one flat kernel keeps numba's work per model nil
    first: int,
    count: int,
    seed: np.uint64,
    var_ptr: np.ndarray,
    var_idx: np.ndarray,
    tab_ptr: np.ndarray,
    tab: np.ndarray,
    dep_ptr: np.ndarray,
    dep_idx: np.ndarray,
    dep_bit: np.ndarray,
    base_state: np.ndarray,
    coin_mask: np.ndarray,
    choice_ptr: np.ndarray,
    choice_cum: np.ndarray,
    choice_state: np.ndarray,
    obs_index: np.ndarray,
    obs_mask: np.ndarray,
    max_time: float,
    tick: float,
    n_windows: int,
    final_only: bool,
    record_from: float,
    seg_capacity: int,
    group: int,
):
    """Run trajectories ``first .. first + count - 1`` and return their raw accumulators.

    Parameters
    ----------
    first, count
        Global index of the first trajectory and number of trajectories.
    seed
        Run seed; trajectory ``j`` is seeded from ``(seed, j)``.
    var_ptr, var_idx, tab_ptr, tab
        Rate tables (see the module docstring).
    dep_ptr, dep_idx, dep_bit
        For node ``j``, the nodes whose rate reads ``j`` (including ``j``) and the bit ``j``
        sets in their table index.
    base_state, coin_mask, choice_ptr, choice_cum, choice_state
        Initial state: fixed bits, nodes ON with probability 1/2 (one random bit each), then
        per random group cumulative weights and the bits each choice sets.
    obs_index, obs_mask
        Column of each observed node in the occupancy arrays (``-1`` if internal), and the
        observed bits as state words.
    max_time, tick, n_windows
        Simulated time, window length and number of windows.
    final_only
        Only record final states (no occupancy, no segments).
    record_from, seg_capacity
        Record observed-state segments that end after this time, at most ``seg_capacity`` of
        them (the count returned may exceed it: then run the block again with more room; the
        result is the same since every trajectory has its own random stream).
    group
        Nodes per partial rate sum.

    Returns
    -------
    tuple
        ``partial`` and ``step`` occupancy accumulators (observed nodes x windows(+1)),
        segment states and times (observed state changes, ``min(n_seg, seg_capacity)`` rows
        used), ``n_seg``, the final state of each trajectory and whether it ended in a fixed
        point.
    """
    n_nodes = var_ptr.shape[0] - 1
    n_words = base_state.shape[0]
    n_obs = 0
    for i in range(n_nodes):
        if obs_index[i] >= 0:
            n_obs += 1
    n_groups = (n_nodes + group - 1) // group
    if final_only:
        partial = np.zeros((n_obs, 0), dtype=np.float64)
        step = np.zeros((n_obs, 0), dtype=np.float64)
    else:
        partial = np.zeros((n_obs, n_windows), dtype=np.float64)
        step = np.zeros((n_obs, n_windows + 1), dtype=np.float64)
    if final_only:
        seg_capacity = 0
    seg_state = np.zeros((seg_capacity, n_words), dtype=np.uint64)
    seg_time = np.zeros((seg_capacity, 2), dtype=np.float64)
    n_seg = 0
    finals = np.zeros((count, n_words), dtype=np.uint64)
    fixed = np.zeros(count, dtype=np.bool_)
    state = np.zeros(n_words, dtype=np.uint64)
    rates = np.zeros(n_groups * group, dtype=np.float64)
    index = np.zeros(n_nodes, dtype=np.int64)
    group_of = np.arange(n_nodes) // group
    gsum = np.zeros(n_groups, dtype=np.float64)
    rng = np.zeros(4, dtype=np.uint64)

    for j in range(count):
        seed_stream(seed, np.uint64(first + j), rng)
        _draw_initial(state, rng, base_state, coin_mask, choice_ptr, choice_cum, choice_state)
        if not final_only:
            for i in range(n_nodes):
                o = obs_index[i]
                if o >= 0 and _bit(state, i):
                    _occupy(partial, step, o, 0.0, 1.0, tick, n_windows)
        for i in range(n_nodes):
            index[i] = _table_index(state, i, var_ptr, var_idx)
            rates[i] = tab[tab_ptr[i] + index[i]]
        total = 0.0
        for g in range(n_groups):
            s = 0.0
            for i in range(g * group, (g + 1) * group):
                s += rates[i]
            gsum[g] = s
            total += s
        t = 0.0
        seg_start = 0.0
        is_fixed = False
        while True:
            if total <= 0.0:
                is_fixed = True
                break
            dt = -np.log(_uniform(rng)) / total
            if t + dt >= max_time:
                break
            t += dt
            # choose the transition
            u = (1.0 - _uniform(rng)) * total
            g = 0
            while g < n_groups - 1 and u >= gsum[g]:
                u -= gsum[g]
                g += 1
            while gsum[g] <= 0.0 and g > 0:  # rounding pushed us past the last busy group
                g -= 1
            node = g * group
            last = min((g + 1) * group, n_nodes) - 1
            while node < last and (u >= rates[node] or rates[node] <= 0.0):
                u -= rates[node]
                node += 1
            while rates[node] <= 0.0 and node > g * group:  # rounding pushed us past the end
                node -= 1
            o = obs_index[node]
            if o >= 0 and not final_only:
                if t > record_from:
                    if n_seg < seg_capacity:
                        for w in range(n_words):
                            seg_state[n_seg, w] = state[w] & obs_mask[w]
                        seg_time[n_seg, 0] = seg_start
                        seg_time[n_seg, 1] = t
                    n_seg += 1
                seg_start = t
                sign = -1.0 if _bit(state, node) else 1.0
                _occupy(partial, step, o, t, sign, tick, n_windows)
            state[node >> 6] ^= _U1 << np.uint64(node & 63)
            # re-evaluate the nodes that read the flipped one, then their groups
            # (dependents are sorted, so a group is complete once a later one is touched)
            dirty = -1
            for p in range(dep_ptr[node], dep_ptr[node + 1]):
                d = dep_idx[p]
                index[d] ^= dep_bit[p]
                r = tab[tab_ptr[d] + index[d]]
                if r != rates[d]:
                    rates[d] = r
                    dg = group_of[d]
                    if dg != dirty:
                        if dirty >= 0:
                            _resum(rates, gsum, dirty, group)
                        dirty = dg
            if dirty >= 0:
                _resum(rates, gsum, dirty, group)
                total = 0.0
                for g2 in range(n_groups):
                    total += gsum[g2]
        if not final_only:
            if n_seg < seg_capacity:
                for w in range(n_words):
                    seg_state[n_seg, w] = state[w] & obs_mask[w]
                seg_time[n_seg, 0] = seg_start
                seg_time[n_seg, 1] = max_time
            n_seg += 1
        for w in range(n_words):
            finals[j, w] = state[w]
        fixed[j] = is_fixed
    return partial, step, seg_state, seg_time, n_seg, finals, fixed
