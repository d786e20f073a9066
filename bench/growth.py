#!/usr/bin/env python3
"""Growth from 1M to 5M lines (BENCHMARKS.md, issue #7's near-linear
growth): R alternating runs of the release CLI on bench/data/1000000 and
bench/data/5000000 (written by `bench/run.sh 1000000 5000000`), the medians
of each and their ratio, with and without the read stage (the first read
of a 635 MB file is the disk's time, not the engine's).

    python3 bench/growth.py [--runs R]     # default 4

Alternating runs because the machine's speed moves between minutes: a
ratio from runs minutes apart says more about the machine than about the
engine.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLI = os.path.join(ROOT, "target", "release", "segscope")
SIZES = [1_000_000, 5_000_000]


def run(lines, out):
    """One `segscope run --timings`: total seconds and seconds per stage."""
    data = os.path.join(HERE, "data", str(lines))
    args = [CLI, "run", "--config", os.path.join(HERE, "config.json"), "--out", out, "--timings"]
    for flag, name in [("--orders", "orders"), ("--products", "products"),
                       ("--customers", "customers"), ("--cost-pools", "cost_pools")]:
        args += [flag, os.path.join(data, name + ".csv")]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    timings = json.loads(done.stdout.strip().splitlines()[-1])
    return timings["total_seconds"], {s["stage"]: s["seconds"] for s in timings["stages"]}


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 4
    missing = [n for n in SIZES if not os.path.isdir(os.path.join(HERE, "data", str(n)))]
    if missing or not os.path.exists(CLI):
        sys.exit(f"needs {CLI} and bench/data/{{1000000,5000000}}: run bench/run.sh 1000000 5000000 first")
    results = {n: [] for n in SIZES}
    out = tempfile.mkdtemp(prefix="segscope-growth-")
    try:
        for _ in range(runs):
            for n in SIZES:
                results[n].append(run(n, out))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    medians = {}
    for n, xs in results.items():
        total = statistics.median(t for t, _ in xs)
        without_read = statistics.median(t - st["read"] for t, st in xs)
        medians[n] = (total, without_read)
        stages = " ".join(f"{k}={statistics.median(st[k] for _, st in xs):.3f}" for k in xs[0][1])
        print(f"{n:>9,} lines: {' '.join(f'{t:.2f}' for t, _ in xs)} s; median {total:.3f} s, "
              f"{without_read:.3f} s without the read")
        print(f"           stages (median s): {stages}")
    (a, a_nr), (b, b_nr) = medians[SIZES[0]], medians[SIZES[1]]
    print(f"growth for x5 lines: x{b / a:.2f}, x{b_nr / a_nr:.2f} without the read")


if __name__ == "__main__":
    main()
