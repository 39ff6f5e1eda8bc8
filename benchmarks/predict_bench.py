"""Speed of `herscape predict` against its targets, on this machine.

Targets (issue 5): one profile x one regimen in the ERBB model, standard error <= 0.01 on the
readouts, under 0.2 s. Targets (issue 12, tightening issue 6): a typical predict with the default
screen at most 0.5 s once warm and at most 1.5 s as a fresh CLI process (2 cores); the full screen
(plan + one or two add-on drugs) for one profile under 60 s on 2 cores.

"Warm" is a second query in the same process (the knowledge, the compiled model and the
reference profiles' simulations are loaded); "fresh" is a new `herscape predict` process, which
reads the reference simulations from the on-disk cache that an earlier run wrote.

    .venv/bin/python benchmarks/predict_bench.py

No other tool does what predict does (evidence + network model + strategy screen), so there is no
competitor to run side by side; the script prints each figure against its target.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from herscape.predict import Engine, predict, simulate_profile
from herscape.profile._read import profile_from_strings

CASES = [
    (["BRAF V600E", "KRAS wild-type", "NRAS wild-type"], [], "COADREAD", "cetuximab"),
    (["KRAS G12D"], [], "COADREAD", "panitumumab"),
    (["PIK3CA H1047R", "ERBB2 amplification"], [], "BRCA", "trastuzumab"),
    (["ERBB2 amplification"], ["p95HER2=positive"], "BRCA", "trastuzumab"),
    (["MET amplification"], [], "COADREAD", "cetuximab"),
]


def _timed(fn) -> tuple[float, float]:
    """Wall seconds and CPU seconds (all threads of this process and of finished children)."""
    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    c0, t0 = cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, cpu() - c0


def _median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs)


def main() -> None:
    load = os.getloadavg()[0]
    engine = Engine.default()
    first = CASES[0]
    p0 = profile_from_strings(first[0], markers=first[1], tumor_type=first[2])
    cold = _timed(lambda: predict(p0, first[3], engine=engine))
    warm_new = []
    for alts, markers, tumor, therapy in CASES[1:]:
        p = profile_from_strings(alts, markers=markers, tumor_type=tumor)
        warm_new.append(_timed(lambda p=p, t=therapy: predict(p, t, engine=engine)))
    repeat = _timed(lambda: predict(p0, first[3], engine=engine))
    p_full = profile_from_strings(["KRAS G12D"], tumor_type="COADREAD")
    full = _timed(lambda: predict(p_full, "cetuximab", engine=engine, screen="full"))
    exe = Path(sys.executable).with_name("herscape")
    cmd = [str(exe), "predict", "--tumor-type", "COADREAD", "--therapy", "cetuximab",
           "--alteration", "KRAS G13D", "--format", "json", "--out", "/dev/null"]
    fresh = [_timed(lambda: subprocess.run(cmd, check=True, capture_output=True)) for _ in range(3)]
    sims = []
    for alts in (["BRAF V600E"], ["PIK3CA H1047R"], ["MET amplification"], ["PTEN loss"]):
        p = profile_from_strings(alts, tumor_type="COADREAD")
        sims.append(_timed(lambda p=p: simulate_profile(p, "cetuximab", engine=engine)))
    rows = [
        ("model alone, one profile x one regimen (median of 4)", _median(sims), 0.2),
        ("first predict in a process (model compile, references)", cold, None),
        ("warm predict, new profile (median of 4)", _median(warm_new), 0.5),
        ("warm predict, same profile again", repeat, 0.5),
        ("fresh CLI process, default screen (median of 3)", _median(fresh), 1.5),
        ("full screen (one and two add-ons), one profile", full, 60.0),
    ]
    batch_rows, batch_secs, batch_rss = _batch_run(engine_rows=20_000)
    cores = os.cpu_count() or 1
    print(f"load average {load:.1f} on {cores} cores when started (wall figures grow with other "
          "jobs; CPU seconds do not)")
    print(f"{'measurement':58s} {'seconds':>8s} {'target':>8s}  {'verdict':7s} {'CPU s':>6s}")
    for name, (secs, cpu_s), target in rows:
        verdict = "" if target is None else ("meets" if secs <= target else "MISSES")
        tgt = "" if target is None else f"{target:.1f}"
        print(f"{name:58s} {secs:8.2f} {tgt:>8s}  {verdict:7s} {cpu_s:6.2f}")
    print(f"predict --batch --screen none: {batch_rows} rows (20 distinct queries) in "
          f"{batch_secs:.1f} s, peak memory {batch_rss / 1024:.0f} MB (flat: a fresh CLI alone "
          "uses about 200 MB)")


def _batch_run(engine_rows: int) -> tuple[int, float, int]:
    """A batch of ``engine_rows`` rows cycling over 20 queries, written to a temporary file:
    rows, wall seconds and the child's peak resident memory (KB)."""
    import tempfile

    alts = ["KRAS G12D", "BRAF V600E", "NRAS Q61K", "PIK3CA H1047R", "MET amplification",
            "EGFR S492R", "ERBB2 amplification", "PTEN loss", "KRAS G13D", "KRAS wild-type"]
    with tempfile.TemporaryDirectory() as tmp:
        queries = Path(tmp) / "q.tsv"
        with queries.open("w", encoding="utf-8") as fh:
            fh.write("id\ttumor_type\ttherapy\talterations\tmarkers\n")
            for i in range(engine_rows):
                therapy = "cetuximab" if i % 20 < 10 else "panitumumab"
                fh.write(f"r{i}\tCOADREAD\t{therapy}\t{alts[i % 10]}\t\n")
        exe = Path(sys.executable).with_name("herscape")
        cmd = [str(exe), "predict", "--batch", str(queries), "--screen", "none", "--format",
               "jsonl", "--out", str(Path(tmp) / "out.jsonl")]
        secs, _ = _timed(lambda: subprocess.run(cmd, check=True, capture_output=True))
    return engine_rows, secs, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


if __name__ == "__main__":
    main()
