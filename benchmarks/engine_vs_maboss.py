"""Wall time of the herscape engine against cmaboss on the same models and settings.

Runs both engines alternately in one process on each model's own ``.cfg`` settings (with a
seeded pseudo-random generator for cmaboss), at the same number of trajectories and threads,
prints the wall times, their ratio and the largest difference between the two engines'
last-window node probabilities in units of the Monte Carlo standard error (pooled
``sqrt(p (1 - p) 2 / n)``). With ``--cli`` it also times a fresh ``herscape simulate``
process (Python start-up, imports, model reading, loading the cached compiled kernel).

Usage::

    .venv/bin/python benchmarks/engine_vs_maboss.py                      # all four, 100k
    .venv/bin/python benchmarks/engine_vs_maboss.py --models fumia --samples 10000
    .venv/bin/python benchmarks/engine_vs_maboss.py --threads 2 --cli

Needs ``cmaboss`` (a test dependency) and ``../shared/data/models``.
"""

from __future__ import annotations

import argparse
import importlib
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from herscape.network import simulate
from herscape.network._maboss import read_maboss

MODELS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "models"
CASES = {
    "metastasis": ("metastasis_cohen2015", "metastasis"),
    "braf": ("braf_beal2021", "BRAF_Model"),
    "fumia": ("fumia2013", "Fumia2013"),
    "montagud": ("montagud2022", "Montagud2022_Prostate_Cancer"),
    "flobak": ("flobak2015", "Flobak"),
    "sizek": ("sizek2019", "sizek"),
    "zanudo": ("zanudo2017", "Zanudo"),
    "cellfate": ("cellfate_calzone2010", "cellfate"),
}
SEED = 1


def _maboss(n_nodes: int):
    for limit, name in ((64, "cmaboss"), (128, "cmaboss_128n"), (256, "cmaboss_256n")):
        if n_nodes <= limit:
            return importlib.import_module(name)
    raise SystemExit(f"no cmaboss module for {n_nodes} nodes")


def run_maboss(bnd: Path, cfg: Path, n_nodes: int, samples: int, threads: int):
    """Time one cmaboss run; returns (seconds, {node: last-window probability})."""
    start = time.perf_counter()
    sim = _maboss(n_nodes).MaBoSSSim(network=str(bnd), config=str(cfg))
    sim.update_parameters(
        sample_count=samples, thread_count=threads, use_physrandgen=0, seed_pseudorandom=SEED
    )
    result = sim.run()
    probs, _times, names, _err = result.get_last_nodes_probtraj()
    elapsed = time.perf_counter() - start
    return elapsed, dict(zip(names, np.asarray(probs)[0], strict=True))


def run_ours(bnd: Path, cfg: Path, samples: int, threads: int):
    """Time one herscape run (reading included); returns (seconds, {node: probability})."""
    start = time.perf_counter()
    model = read_maboss(bnd, cfg)
    result = simulate(model, sample_count=samples, threads=threads, seed=SEED)
    elapsed = time.perf_counter() - start
    return elapsed, result.last_node_probabilities.to_dict()


def run_cli(bnd: Path, cfg: Path, samples: int, threads: int) -> float:
    """Time a fresh ``herscape simulate`` process writing JSON to a pipe."""
    exe = shutil.which("herscape", path=str(Path(sys.executable).parent)) or "herscape"
    cmd = [exe, "simulate", str(bnd), str(cfg), "--samples", str(samples), "--threads",
           str(threads), "--seed", str(SEED), "--format", "json"]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def max_z(ours: dict, theirs: dict, n: int) -> float:
    """Largest |difference| over the pooled Monte Carlo standard error."""
    worst = 0.0
    for node, p in theirs.items():
        q = ours[node]
        pooled = min(max((p + q) / 2, 0.0), 1.0)
        se = math.sqrt(pooled * (1 - pooled) * 2 / n) + 1e-12
        worst = max(worst, abs(p - q) / se)
    return worst


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per (model, threads)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="metastasis,braf,fumia,montagud")
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--fumia-samples", type=int, default=None,
                        help="trajectories for Fumia (default: --samples)")  # fmt: skip
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=1, help="best of N alternated runs")
    parser.add_argument("--cli", action="store_true", help="also time a fresh CLI process")
    args = parser.parse_args(argv)

    # load the cached compiled kernel once, outside the timings
    warm_bnd = MODELS / "metastasis_cohen2015" / "metastasis.bnd"
    t0 = time.perf_counter()
    run_ours(warm_bnd, warm_bnd.with_suffix(".cfg"), 10, 1)
    print(f"first call (kernel cache load or compile): {time.perf_counter() - t0:.2f} s")
    header = f"{'model':<11}{'nodes':>6}{'thr':>4}{'samples':>9}{'maboss s':>10}{'ours s':>9}"
    header += f"{'ratio':>8}{'max z':>7}" + (f"{'cli s':>8}{'cli ratio':>10}" if args.cli else "")
    print(header)
    for key in args.models.split(","):
        folder, stem = CASES[key]
        bnd, cfg = MODELS / folder / f"{stem}.bnd", MODELS / folder / f"{stem}.cfg"
        n_nodes = len(read_maboss(bnd, cfg).nodes)
        samples = args.fumia_samples if key == "fumia" and args.fumia_samples else args.samples
        for threads in (int(t) for t in args.threads.split(",")):
            t_maboss = t_ours = t_cli = math.inf
            for _ in range(args.repeats):  # alternate the engines; keep each one's best time
                elapsed, p_maboss = run_maboss(bnd, cfg, n_nodes, samples, threads)
                t_maboss = min(t_maboss, elapsed)
                elapsed, p_ours = run_ours(bnd, cfg, samples, threads)
                t_ours = min(t_ours, elapsed)
                if args.cli:
                    t_cli = min(t_cli, run_cli(bnd, cfg, samples, threads))
            line = (
                f"{key:<11}{n_nodes:>6}{threads:>4}{samples:>9}{t_maboss:>10.2f}"
                f"{t_ours:>9.3f}{t_maboss / t_ours:>8.1f}{max_z(p_ours, p_maboss, samples):>7.2f}"
            )
            if args.cli:
                line += f"{t_cli:>8.2f}{t_maboss / t_cli:>10.1f}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
