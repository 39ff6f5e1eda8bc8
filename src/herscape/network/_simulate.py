"""Stochastic simulation of a logical model with MaBoSS semantics.

A continuous-time Markov process over Boolean states, sampled with the Gillespie algorithm
(Stoll et al. 2012, BMC Syst Biol 6:116, https://doi.org/10.1186/1752-0509-6-116; Stoll et
al. 2017, Bioinformatics 33:2226): a node whose logic is true and that is OFF turns ON at its
``rate_up``, one whose logic is false and that is ON turns OFF at its ``rate_down``.
Probabilities are reported as MaBoSS's ``probtraj`` reports them: for each time window of
width ``time_tick`` the time-weighted occupancy averaged over trajectories; internal nodes are
simulated but not reported.

>>> from herscape.network import Model, Node, Var, Not, simulate
>>> m = Model(nodes=(Node("A", logic=Not(Var("B"))), Node("B", logic=Var("A"))),
...           initial={"A": 0.0, "B": 0.0})
>>> r = simulate(m, sample_count=2000, max_time=5.0, time_tick=1.0, seed=1)
>>> r.nodes_trajectory.shape
(5, 2)
>>> round(float(r.last_state_probabilities.sum()), 6)
1.0

Trajectory ``j`` draws from its own random stream seeded from ``(seed, j)`` and blocks of
trajectories are summed in a fixed order, so results depend on the seed and never on the
number of threads.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from herscape.errors import SimulationError
from herscape.network._compile import CompiledModel, compile_model
from herscape.network._model import Model, Mutation, RateScale, apply_mutations

__all__ = ["BLOCK_SIZE", "SimulationResult", "last_window", "simulate", "state_label"]

BLOCK_SIZE = 2048
"""Trajectories per kernel call; fixed so results do not depend on the thread count."""


def state_label(names: Sequence[str]) -> str:
    """MaBoSS's text for a joint state: ON nodes joined by ``" -- "``, or ``"<nil>"``.

    >>> state_label(["A", "B"]), state_label([])
    ('A -- B', '<nil>')
    """
    return " -- ".join(names) if names else "<nil>"


def _decode(words: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Boolean matrix (rows x nodes) from state words (rows x n_words)."""
    n = len(names)
    out = np.zeros((words.shape[0], n), dtype=bool)
    for i in range(n):
        out[:, i] = (words[:, i >> 6] >> np.uint64(i & 63)) & np.uint64(1)
    return out


def _unique_rows(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique rows of a uint64 matrix and the inverse index (rows sorted by value)."""
    if words.shape[1] == 1:
        uniq, inverse = np.unique(words[:, 0], return_inverse=True)
        return uniq.reshape(-1, 1), inverse.ravel()
    uniq, inverse = np.unique(words, axis=0, return_inverse=True)
    return uniq, inverse.ravel()


def _labels(words: np.ndarray, names: Sequence[str]) -> list[str]:
    """MaBoSS-style labels of the states in the rows of ``words``."""
    bits = _decode(words, names)
    _rows, cols = np.nonzero(bits)  # row-major: each state's ON nodes in model order
    on_names = np.asarray(names, dtype=object)[cols].tolist()
    ends = np.cumsum(bits.sum(axis=1)).tolist()
    labels = []
    start = 0
    for end in ends:
        labels.append(" -- ".join(on_names[start:end]) if end > start else "<nil>")
        start = end
    return labels


@dataclass(frozen=True, slots=True, eq=False)
class SimulationResult:
    """What a simulation gives, as MaBoSS gives it.

    Attributes
    ----------
    nodes_trajectory
        Probability of each observed node per window (rows: window start time; columns: nodes).
        Empty in final-only mode.
    last_node_probabilities
        Node probabilities over the last window (final-only mode: at ``max_time``), like
        cmaboss ``get_last_nodes_probtraj``.
    last_state_probabilities
        Joint observed states over the last window (final-only mode: at ``max_time``),
        indexed by MaBoSS-style labels (``"A -- B"``, ``"<nil>"``), most probable first.
    fixed_points
        Trajectories that ended in a state with total rate 0: one row per state with its
        ``probability``, MaBoSS-style ``state`` label over all nodes, and one 0/1 column per node.
    settings
        What was run: model name, sample count, times, seed, threads, mutations, scales.
    """

    nodes_trajectory: pd.DataFrame
    last_node_probabilities: pd.Series
    last_state_probabilities: pd.Series
    fixed_points: pd.DataFrame
    settings: dict[str, Any]
    _observed_names: tuple[str, ...] = field(repr=False, default=())
    _seg_states: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 1), np.uint64))
    _seg_times: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 2)))

    def state_trajectory(self) -> pd.DataFrame:
        """Probability of each observed joint state per window (MaBoSS ``get_probtraj``).

        Computed on demand from the state changes recorded by
        ``simulate(..., record_states=True)``.

        Returns
        -------
        pandas.DataFrame
            Rows: window start times; columns: state labels (zero-probability states omitted).
        """
        if self.settings["final_only"] or not self.settings["record_states"]:
            msg = "state_trajectory() needs a simulation run with record_states=True, final_only=False"
            raise SimulationError(msg)
        tick = float(self.settings["time_tick"])
        n_windows = len(self.nodes_trajectory.index)
        uniq, inverse = _unique_rows(self._seg_states)
        t0, t1 = self._seg_times[:, 0], self._seg_times[:, 1]
        # split each segment into the windows it overlaps, then sum per (window, state)
        first = np.minimum((t0 / tick).astype(np.int64), n_windows - 1)
        last = np.clip(np.ceil(t1 / tick).astype(np.int64) - 1, first, n_windows - 1)
        spans = last - first + 1
        seg = np.repeat(np.arange(t0.shape[0]), spans)
        window = first[seg] + np.arange(seg.shape[0]) - np.repeat(np.cumsum(spans) - spans, spans)
        dur = np.minimum(t1[seg], (window + 1) * tick) - np.maximum(t0[seg], window * tick)
        flat = np.bincount(
            window * uniq.shape[0] + inverse[seg],
            weights=np.clip(dur, 0.0, None),
            minlength=n_windows * uniq.shape[0],
        )
        table = flat.reshape(n_windows, uniq.shape[0]) / (tick * int(self.settings["sample_count"]))
        table = np.round(table, 12)
        labels = _labels(uniq, self._masked_names())
        import pandas as pd

        return pd.DataFrame(table, index=self.nodes_trajectory.index, columns=labels)

    def _masked_names(self) -> list[str]:
        observed = set(self._observed_names)
        return [n if n in observed else "" for n in self.settings["node_names"]]


def _resolve(value: Any, default: Any, name: str, kind: type) -> Any:
    out = default if value is None else value
    if kind is int and (isinstance(out, bool) or int(out) != out or out < 1):
        msg = f"{name} must be a positive integer, got {out!r}"
        raise SimulationError(msg, field=name, value=out)
    if kind is float and not (math.isfinite(float(out)) and float(out) > 0):
        msg = f"{name} must be a positive finite number, got {out!r}"
        raise SimulationError(msg, field=name, value=out)
    return kind(out)


def _run_blocks(  # noqa: PLR0913 - the kernel settings, passed through
    cm: CompiledModel, n: int, seed: int, max_time: float, tick: float, n_windows: int,
    final_only: bool, record_from: float, threads: int,
) -> tuple[np.ndarray, ...]:  # fmt: skip
    """Run all trajectories in fixed-size blocks over a thread pool, merged in block order.

    Returns
    -------
    tuple
        Summed ``partial`` and ``step`` occupancy accumulators, segment states and times, final
        states and fixed-point flags of all trajectories.
    """
    # numba (and loading the cached kernel) costs ~0.5 s, so only simulations pay for it
    from herscape.network._kernel import group_size, run_block

    args = cm.kernel_args()
    group = group_size(len(cm.names))
    seed64 = np.uint64(seed % (1 << 64))

    def block(first: int) -> tuple[np.ndarray, ...]:
        count = min(BLOCK_SIZE, n - first)
        capacity = 2 * count + 16 if record_from > 0 else 32 * count
        while True:
            out = run_block(
                first, count, seed64, *args, max_time, tick, n_windows, final_only,
                record_from, capacity, group,
            )  # fmt: skip
            n_seg = int(out[4])
            if n_seg <= capacity:  # else: run the block again with room for every segment
                return (out[0], out[1], out[2][:n_seg], out[3][:n_seg], out[5], out[6])
            capacity = n_seg

    starts = range(0, n, BLOCK_SIZE)
    finals = np.zeros((n, cm.n_words), dtype=np.uint64)
    fixed = np.zeros(n, dtype=bool)
    partial = step = None
    seg_states: list[np.ndarray] = []
    seg_times: list[np.ndarray] = []
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(starts)))) as pool:
        # results arrive in block order whatever the threads, so the sums are reproducible
        for first, out in zip(starts, pool.map(block, starts), strict=True):
            partial = out[0] if partial is None else partial + out[0]
            step = out[1] if step is None else step + out[1]
            seg_states.append(out[2])
            seg_times.append(out[3])
            finals[first : first + out[4].shape[0]] = out[4]
            fixed[first : first + out[5].shape[0]] = out[5]
    return (
        partial, step, np.concatenate(seg_states), np.concatenate(seg_times), finals, fixed,
    )  # fmt: skip


def _fixed_point_frame(finals: np.ndarray, fixed: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    n = finals.shape[0]
    columns = ["probability", "state", *names]
    if not fixed.any():
        return pd.DataFrame(columns=columns)
    uniq, inverse = _unique_rows(finals[fixed])
    counts = np.bincount(inverse, minlength=uniq.shape[0])
    bits = _decode(uniq, names).astype(np.int8)
    frame = pd.DataFrame(bits, columns=list(names))
    frame.insert(0, "state", _labels(uniq, names))
    frame.insert(0, "probability", counts / n)
    return frame.sort_values(["probability", "state"], ascending=[False, True]).reset_index(
        drop=True
    )


def _state_series(words: np.ndarray, weights: np.ndarray, names: Sequence[str],
                  total: float) -> pd.Series:  # fmt: skip
    import pandas as pd

    uniq, inverse = _unique_rows(words)
    mass = np.round(np.bincount(inverse, weights=weights, minlength=uniq.shape[0]) / total, 12)
    keep = mass > 0
    series = pd.Series(mass[keep], index=_labels(uniq[keep], names), name="probability")
    order = np.lexsort((series.index.to_numpy(dtype=str), -series.to_numpy()))
    return series.iloc[order]


def simulate(  # noqa: PLR0913 - the MaBoSS settings are all legitimately per-call options
    model: Model,
    *,
    mutations: Sequence[Mutation] = (),
    scales: Sequence[RateScale] = (),
    sample_count: int | None = None,
    max_time: float | None = None,
    time_tick: float | None = None,
    seed: int | None = None,
    threads: int | None = None,
    final_only: bool = False,
    record_states: bool = False,
) -> SimulationResult:
    """Sample trajectories of a model and report probabilities as MaBoSS does.

    Parameters
    ----------
    model
        The logical model.
    mutations
        Nodes forced ON or OFF (see :class:`~herscape.network.Mutation` for the ``"logic"``
        and ``"instant"`` semantics).
    scales
        Multipliers of node up/down rates.
    sample_count, max_time, time_tick, seed
        Number of trajectories, simulated time, window width and random seed; ``None`` takes
        the model's settings (its ``.cfg``).
    threads
        Worker threads; ``None`` uses every CPU. Results never depend on it.
    final_only
        Record only the state at ``max_time`` (faster; no trajectory, MaBoSS
        ``run(only_last_state=True)``).
    record_states
        Also keep the joint observed state in every window, for
        :meth:`SimulationResult.state_trajectory` (memory grows with the number of state
        changes; the last window's joint states are always kept).

    Returns
    -------
    SimulationResult
        Node and joint-state probabilities, fixed points and the settings used.

    Raises
    ------
    SimulationError
        For bad settings or a model whose rates cannot be evaluated.
    ModelError
        If a mutation or scale names an unknown node.

    Examples
    --------
    >>> from herscape.network import Model, Node, Var, Mutation
    >>> m = Model(nodes=(Node("A", logic=Var("B")), Node("B", logic=Var("B"))),
    ...           initial={"A": 0.0, "B": 0.0})
    >>> r = simulate(m, mutations=[Mutation("B", True)], max_time=20, time_tick=1,
    ...              sample_count=500, seed=3)
    >>> r.last_node_probabilities.round(2).to_dict()
    {'A': 1.0, 'B': 1.0}
    """
    import pandas as pd  # only full results need it; the screen's last_window() does not

    s = model.settings
    n = _resolve(sample_count, s.sample_count, "sample_count", int)
    t_max = _resolve(max_time, s.max_time, "max_time", float)
    tick = _resolve(time_tick, s.time_tick, "time_tick", float)
    seed_value = int(s.seed if seed is None else seed)
    n_threads = _resolve(threads, os.cpu_count() or 1, "threads", int)
    if s.discrete_time:
        msg = "discrete_time = 1 is not supported; the engine simulates continuous time"
        raise SimulationError(msg, field="discrete_time", value=True)
    perturbed = apply_mutations(model, mutations, scales) if (mutations or scales) else model
    cm = compile_model(perturbed)
    n_windows = max(1, math.floor(t_max / tick + 1e-9))  # MaBoSS drops a partial last window
    record_from = 0.0 if record_states else (n_windows - 1) * tick
    partial, step, seg_states, seg_times, finals, fixed = _run_blocks(
        cm, n, seed_value, t_max, tick, n_windows, final_only, record_from, n_threads
    )

    names = cm.names
    observed = tuple(names[i] for i in cm.observed)
    observed_set = set(cm.observed.tolist())
    masked = [nm if i in observed_set else "" for i, nm in enumerate(names)]
    settings = {
        "model": model.name,
        "node_names": names,
        "sample_count": n,
        "max_time": t_max,
        "time_tick": tick,
        "seed": seed_value,
        "threads": n_threads,
        "final_only": final_only,
        "record_states": record_states,
        "mutations": [str(m) for m in mutations],
        "scales": [f"{sc.node}*{sc.up:g}/{sc.down:g}" for sc in scales],
    }
    fixed_points = _fixed_point_frame(finals, fixed, names)
    if final_only:
        bits = _decode(finals, names)[:, cm.observed]
        last_nodes = pd.Series(bits.mean(axis=0), index=list(observed), name="probability")
        obs_words = finals & cm.obs_mask
        last_states = _state_series(obs_words, np.ones(n), masked, float(n))
        return SimulationResult(
            nodes_trajectory=pd.DataFrame(columns=list(observed), dtype=float),
            last_node_probabilities=last_nodes,
            last_state_probabilities=last_states,
            fixed_points=fixed_points,
            settings=settings,
            _observed_names=observed,
        )
    occupancy = (partial + np.cumsum(step, axis=1)[:, :-1]) / (tick * n)
    occupancy = np.round(occupancy, 12)  # drop the rounding noise of the window sums
    times = np.round(np.arange(n_windows) * tick, 12)
    trajectory = pd.DataFrame(
        np.clip(occupancy.T, 0.0, 1.0), index=pd.Index(times, name="time"), columns=list(observed)
    )
    last_nodes = trajectory.iloc[-1].rename("probability")
    lo, hi = (n_windows - 1) * tick, n_windows * tick
    seg_times[seg_times[:, 1] >= t_max, 1] = max(hi, t_max)  # the state holds to the window end
    in_last = seg_times[:, 1] > lo
    dur = np.minimum(seg_times[in_last, 1], hi) - np.maximum(seg_times[in_last, 0], lo)
    last_states = _state_series(seg_states[in_last], dur, masked, tick * n)
    return SimulationResult(
        nodes_trajectory=trajectory,
        last_node_probabilities=last_nodes,
        last_state_probabilities=last_states,
        fixed_points=fixed_points,
        settings=settings,
        _observed_names=observed,
        _seg_states=seg_states,
        _seg_times=seg_times,
    )


def last_window(
    model: Model,
    *,
    scales: Sequence[RateScale] = (),
    sample_count: int,
    seed: int,
    threads: int | None = None,
    any_on: Sequence[Sequence[str]] = (),
) -> tuple[dict[str, float], list[float]]:
    """The last window of :func:`simulate` alone: node probabilities, and the probability of
    each group of ``any_on`` nodes having at least one node ON (and of each earlier group off).

    The node probabilities are ``simulate(...).last_node_probabilities`` exactly; the group
    probabilities are what summing ``last_state_probabilities`` over the matching states gives
    (up to the order of the floating-point sum). It builds no trajectory table, fixed points,
    state labels or pandas objects: a strategy screen runs dozens of short simulations, and that
    bookkeeping cost as much as the kernel.

    Returns
    -------
    tuple
        ``{node: probability}`` for the observed nodes, and for each group of ``any_on`` the
        probability that one of its observed nodes is ON while no node of an earlier group is.
    """
    s = model.settings
    n = _resolve(sample_count, s.sample_count, "sample_count", int)
    t_max = _resolve(None, s.max_time, "max_time", float)
    tick = _resolve(None, s.time_tick, "time_tick", float)
    n_threads = _resolve(threads, os.cpu_count() or 1, "threads", int)
    if s.discrete_time:
        msg = "discrete_time = 1 is not supported; the engine simulates continuous time"
        raise SimulationError(msg, field="discrete_time", value=True)
    cm = compile_model(apply_mutations(model, (), scales) if scales else model)
    n_windows = max(1, math.floor(t_max / tick + 1e-9))
    lo, hi = (n_windows - 1) * tick, n_windows * tick
    partial, step, seg_states, seg_times, _, _ = _run_blocks(
        cm, n, int(seed), t_max, tick, n_windows, False, lo, n_threads
    )
    names = cm.names
    observed = [names[i] for i in cm.observed]
    # as simulate(): the last column of the occupancy table, rounded and clipped the same way
    last = (partial[:, -1] + np.cumsum(step, axis=1)[:, n_windows - 1]) / (tick * n)
    last = np.clip(np.round(last, 12), 0.0, 1.0)
    nodes = dict(zip(observed, last.tolist(), strict=True))
    seg_times[seg_times[:, 1] >= t_max, 1] = max(hi, t_max)
    in_last = seg_times[:, 1] > lo
    dur = np.minimum(seg_times[in_last, 1], hi) - np.maximum(seg_times[in_last, 0], lo)
    states = seg_states[in_last]
    position = {nm: i for i, nm in enumerate(names)}
    taken = np.zeros(states.shape[0], dtype=bool)
    out = []
    for group in any_on:
        mask = np.zeros(cm.n_words, dtype=np.uint64)
        for name in group:
            i = position[name]
            mask[i >> 6] |= np.uint64(1) << np.uint64(i & 63)
        hit = ((states & (mask & cm.obs_mask)) != 0).any(axis=1) & ~taken
        out.append(float(dur[hit].sum() / (tick * n)))
        taken |= hit
    return nodes, out
