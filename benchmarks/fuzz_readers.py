"""Fuzz every profile reader, the alteration parser and the .bnet model reader.

Usage::

    .venv/bin/python benchmarks/fuzz_readers.py --inputs 100000 --minutes 8
    .venv/bin/python benchmarks/fuzz_readers.py --inputs 2000 --readers maf,vcf --seed 7

Two generators, both deterministic for a seed:

* **mutation fuzzing** of real seed files (``tests/data/profile`` and, when present,
  ``../shared/data/inputs``): input *i* of a reader is its seed file with 1-4 mutations drawn
  from ``random.Random(seed, reader, i)``: a line deleted, duplicated or swapped; a cell
  replaced by a hostile value (``inf``, ``1e309``, ``NaN``, ``-1``, an empty cell, a 10,000-
  character cell, ``\\t`` and ``\\r``, a lone surrogate's UTF-8 bytes, Latin-1 bytes, deep
  brackets); a column added or removed; bytes flipped; the file truncated.
* **hypothesis** (property-based): alteration strings from the grammar's words and arbitrary
  text, through :func:`herscape.profile.parse_alteration`.

Each input must either read or be rejected with a herscape error (``HerscapeError``) that
names the file; anything else (another exception, a hang past ``--hang`` seconds, a crash of
the process) is a failure, reported with the input written to ``--crashes``. Readers run in a
child process, so a crash inside a C library (htslib, through cyvcf2) is caught and reported
instead of ending the run. Prints per reader: inputs, accepted, rejected, rejections naming a
line, failures, time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "profile"
SHARED = ROOT.parent / "shared" / "data" / "inputs"

#: reader -> seed files (relative to DATA, or absolute) and the file suffix to write.
SEEDS: dict[str, tuple[list[Path], str]] = {
    "maf": ([DATA / "sample.maf", DATA / "maf.gauntlet.maf", SHARED / "oncokb_annotator/example_maf.txt"], ".maf"),
    "maf_detected": ([SHARED / "oncokb_annotator/example_maf.txt", DATA / "sample.maf"], ".txt"),
    "vcf": ([DATA / "vep.vcf", DATA / "snpeff.vcf", DATA / "vep_multiallelic.vcf"], ".vcf"),
    "cna_matrix": ([DATA / "cna_matrix.txt", SHARED / "oncokb_annotator/example_cna.txt"], ".txt"),
    "cna_long": ([DATA / "cna_long.tsv", SHARED / "oncokb_annotator/example_individual_cna.txt"], ".tsv"),
    "sv": ([DATA / "data_sv.txt", SHARED / "oncokb_annotator/example_sv.txt"], ".txt"),
    "fusions": ([DATA / "fusions.txt", DATA / "fusions_by_sample.tsv",
                 SHARED / "oncokb_annotator/example_fusions.txt"], ".txt"),
    "atypical": ([SHARED / "oncokb_annotator/example_atypical_alterations.txt"], ".txt"),
    "markers": ([DATA / "markers.tsv"], ".tsv"),
    "clinical": ([SHARED / "oncokb_annotator/example_clinical.txt",
                  DATA / "study" / "data_clinical_sample.txt"], ".txt"),
    "json": ([DATA / "profile.json"], ".json"),
    "bnet": (sorted((ROOT.parent / "shared" / "data" / "models").glob("*/*.bnet"))[:4], ".bnet"),
}
HOSTILE = ["inf", "-inf", "1e309", "NaN", "nan", "-1", "", "0", "2.5", "-2", "3", "NA", ".",
           "x" * 10_000, "\t", "\r", "::", "-", "p.", "p.G12", "G12D", "EGFR::EGFR", "[[[[", "{{{{",
           "\u00e9", "Infinity", "null", "true", "1" * 400, "Tumor_Sample_Barcode", "Hugo_Symbol",
           "'", '"', "\\", "%", "##fileformat=VCFv4.2", "#CHROM", "AD=abc,5", "0/1:abc,5"]
HOSTILE_BYTES = [b"\xed\xa0\x80", b"\xe9", b"\x00", b"\xff\xfe", b"\x1f\x8b"]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        i = rng.randrange(len(lines)) if lines else 0
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1 and lines:
            lines.insert(i, lines[i])
        elif op == 2 and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op in (3, 4) and lines:  # a cell replaced
            cells = lines[i].split(b"\t")
            k = rng.randrange(len(cells))
            cells[k] = HOSTILE[rng.randrange(len(HOSTILE))].encode("utf-8")
            lines[i] = b"\t".join(cells)
        elif op == 5 and lines:  # hostile bytes inserted
            pos = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + HOSTILE_BYTES[rng.randrange(len(HOSTILE_BYTES))] + lines[i][pos:]
        elif op == 6 and lines:  # a column added or removed
            cells = lines[i].split(b"\t")
            if rng.random() < 0.5 and len(cells) > 1:
                del cells[rng.randrange(len(cells))]
            else:
                cells.insert(rng.randrange(len(cells) + 1), HOSTILE[rng.randrange(len(HOSTILE))].encode())
            lines[i] = b"\t".join(cells)
        elif op == 7:  # truncated
            joined = b"\n".join(lines)
            lines = joined[: rng.randrange(len(joined) + 1)].split(b"\n")
        elif op == 8 and lines and lines[i]:  # a byte flipped
            pos = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:pos] + bytes([rng.randrange(256)]) + lines[i][pos + 1:]
    return b"\n".join(lines)


def _reader(name: str) -> Callable[[Path], object]:
    if name == "bnet":
        from herscape.network._bnet import read_bnet

        return read_bnet
    from herscape.profile import oncotree, read_profiles
    from herscape.profile._vocab import default_vocabulary

    vocab, tree = default_vocabulary(), oncotree()
    return lambda path: read_profiles([path], vocabulary=vocab, tree=tree)


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang


def _child(name: str, seeds: list[bytes], suffix: str, start: int, stop: int, seed: int,  # noqa: PLR0913 - a process target takes plain arguments
           hang: float, folder: str, conn) -> None:
    """Run inputs start..stop-1 of ``name``; report counts (and failures) through ``conn``."""
    from herscape.errors import HerscapeError

    read = _reader(name)
    signal.signal(signal.SIGALRM, _alarm)
    path = Path(folder) / f"input{suffix}"
    for i in range(start, stop):
        rng = random.Random(f"{seed}:{name}:{i}")
        data = _mutate(seeds[i % len(seeds)], rng)
        path.write_bytes(data)
        conn.send(("at", i))
        signal.setitimer(signal.ITIMER_REAL, hang)
        try:
            read(path)
            outcome, why = "accepted", None
        except HerscapeError as exc:
            outcome = "with_line" if exc.line is not None else "rejected"
            why = None if exc.source is not None else f"rejection names no file: {exc}"
        except _Hang:
            outcome, why = "failures", f"no answer within {hang} s"
        except Exception as exc:  # the fuzzer records every other exception
            outcome, why = "failures", f"{type(exc).__name__}: {exc}"[:300]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        conn.send(("result", i, outcome, why))
    conn.send(("done",))


def fuzz_reader(name: str, n: int, *, seed: int, hang: float, deadline: float,
                crashes: Path) -> dict[str, float]:
    """Fuzz one reader with ``n`` inputs (or until ``deadline``, a time.monotonic() value)."""
    paths, suffix = SEEDS[name]
    seeds = [p.read_bytes() for p in paths if p.is_file()]
    totals = {"inputs": 0, "accepted": 0, "rejected": 0, "with_line": 0, "failures": 0, "crashes": 0}
    if not seeds:
        return totals
    t0 = time.monotonic()
    ctx = mp.get_context("fork")
    start, chunk = 0, 2000
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as folder:
        while start < n and time.monotonic() < deadline:
            stop = min(n, start + chunk)
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_child, args=(name, seeds, suffix, start, stop, seed, hang,
                                                    folder, child))
            proc.start()
            child.close()
            at, done = start, False
            while True:
                try:
                    msg = parent.recv()
                except EOFError:
                    break
                if msg[0] == "at":
                    at = msg[1]
                elif msg[0] == "result":
                    _, i, outcome, why = msg
                    totals["inputs"] += 1
                    if outcome == "with_line":
                        totals["rejected"] += 1
                    totals[outcome] += 1
                    if why is not None:
                        totals["failures"] += outcome != "failures"
                        _save(crashes, name, i, _mutate(seeds[i % len(seeds)],
                                                        random.Random(f"{seed}:{name}:{i}")), why, suffix)
                else:
                    done = True
                    break
            proc.join()
            if not done:  # the child died (a crash in C): record the input, go on after it
                totals["inputs"] += 1
                totals["crashes"] += 1
                totals["failures"] += 1
                _save(crashes, name, at, _mutate(seeds[at % len(seeds)], random.Random(f"{seed}:{name}:{at}")),
                      f"process died with exit code {proc.exitcode}", suffix)
                start = at + 1
                continue
            start = stop
    totals["seconds"] = round(time.monotonic() - t0, 1)
    return totals


def _save(folder: Path, name: str, i: int, data: bytes, why: str, suffix: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}-{i}{suffix}").write_bytes(data)
    with open(folder / "failures.tsv", "a", encoding="utf-8") as fh:
        fh.write(f"{name}\t{i}\t{why.replace(chr(10), ' ')}\n")


def fuzz_alterations(n: int, *, seed: int) -> dict[str, float]:
    """Property-based fuzzing of the alteration parser with hypothesis: ValueError or a parse."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    from herscape.profile import parse_alteration

    words = ["KRAS", "HER2", "EGFR", "RAS", "MET", "ERBB2", "G12D", "p.Gly12Cys", "(c.34G>T)",
             "VAF", "12%", "wild-type", "wt", "exon", "exons", "2-4", "codon", "12", "ex19del",
             "del19", "ex14", "3+", "IHC", "2+", "FISH", "negative", "positive", "low", "ultralow",
             "-low", "+", "/", "T790M", "::", "ALK", "EML4", "-intragenic", "vIII", "fusion",
             "amplification", "MSI-H", "TMB=", "inf", "nan", "1e309", "=", "NM_004985.5:", "and", ","]
    text = st.one_of(st.lists(st.sampled_from(words), min_size=1, max_size=8).map(" ".join),
                     st.text(max_size=60))
    counts = {"inputs": 0, "accepted": 0, "rejected": 0, "failures": 0}

    @hseed(seed)
    @settings(max_examples=n, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(text)
    def run(s: str) -> None:
        counts["inputs"] += 1
        try:
            parse_alteration(s)
            counts["accepted"] += 1
        except ValueError:
            counts["rejected"] += 1

    t0 = time.monotonic()
    try:
        run()
    except Exception as exc:
        counts["failures"] += 1
        sys.stdout.write(f"alterations: {type(exc).__name__}: {exc}\n")
    counts["seconds"] = round(time.monotonic() - t0, 1)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=100_000, help="inputs per reader")
    ap.add_argument("--minutes", type=float, default=10.0, help="time bound for the whole run")
    ap.add_argument("--readers", default=",".join([*SEEDS, "alterations"]))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hang", type=float, default=5.0, help="seconds before an input counts as a hang")
    ap.add_argument("--crashes", type=Path, default=Path(tempfile.gettempdir()) / "herscape-fuzz")
    args = ap.parse_args(argv)
    names = [r for r in args.readers.split(",") if r]
    deadline = time.monotonic() + args.minutes * 60
    share = args.minutes * 60 / max(1, len(names))
    sys.stdout.write(f"{'reader':14} {'inputs':>8} {'accepted':>9} {'rejected':>9} "
                     f"{'with line':>9} {'failures':>8} {'seconds':>8}\n")
    bad = 0
    for k, name in enumerate(names):
        # each reader gets an equal share of the time left
        reader_deadline = min(deadline, time.monotonic() + max(share, (deadline - time.monotonic()) / (len(names) - k)))
        if name == "alterations":
            t = fuzz_alterations(args.inputs, seed=args.seed)
            t.setdefault("with_line", 0)
        else:
            t = fuzz_reader(name, args.inputs, seed=args.seed, hang=args.hang,
                            deadline=reader_deadline, crashes=args.crashes)
        bad += int(t.get("failures", 0))
        sys.stdout.write(f"{name:14} {t['inputs']:>8} {t['accepted']:>9} {t['rejected']:>9} "
                         f"{t.get('with_line', 0):>9} {t['failures']:>8} {t.get('seconds', 0):>8}\n")
        sys.stdout.flush()
    if bad:
        sys.stdout.write(f"{bad} failure(s); inputs and reasons in {args.crashes}/\n")
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
