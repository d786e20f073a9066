#!/usr/bin/env python3
"""Runs the benchmark of BENCHMARKS.md: the release CLI and the pandas
baseline side by side on generated data, per stage and end to end, with peak
memory, and checks that they agree. Called by bench/run.sh (which builds
the CLI and the venv first).

    bench/.venv/bin/python bench/bench.py [--runs R] [--browser] LINES [LINES ...]

For each size: `segscope demo --lines LINES` into bench/data/LINES (kept
between runs), then R alternating runs of `segscope run --timings` and of
bench/baseline.py (the median of each is reported; the machine is shared,
so the CLI and the baseline run interleaved and the ratio is what counts),
then bench/check.py on the last outputs. With --browser (and SEGSCOPE_DIST
set), e2e/bench/browser.mjs on the data. Prints a Markdown table and writes
everything as JSON to bench/results/LINES.json.
"""

import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLI = os.path.join(ROOT, "target", "release", "segscope")
PYTHON = sys.executable
STAGES = ["read", "parse", "demand", "classify", "cluster", "policy", "forecast",
          "working_capital", "cost", "frontier", "write"]
BASE_STAGES = ["parse", "demand", "classify", "cluster", "policy", "cost", "write"]


def timed(command):
    """Runs a command; its stdout, wall seconds and peak RSS in MiB (wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(command)}")
    return out.decode(), wall, usage.ru_maxrss / 1024


def generate(lines):
    data = os.path.join(HERE, "data", str(lines))
    if not os.path.exists(os.path.join(data, "cost_pools.csv")):
        subprocess.run([CLI, "demo", "--lines", str(lines), "--seed", "42", "--out", data], check=True)
    return data


def cli_run(data, out):
    command = [CLI, "run", "--orders", f"{data}/orders.csv", "--products", f"{data}/products.csv",
               "--customers", f"{data}/customers.csv", "--cost-pools", f"{data}/cost_pools.csv",
               "--config", os.path.join(HERE, "config.json"), "--out", out, "--timings"]
    stdout, wall, rss = timed(command)
    t = json.loads(stdout.strip().splitlines()[-1])
    stages = {s["stage"]: s["seconds"] for s in t["stages"]}
    cpu = {s["stage"]: s.get("cpu_seconds") or 0.0 for s in t["stages"]}
    return {"wall": wall, "total": t["total_seconds"], "cpu_total": sum(cpu.values()), "peak_rss_mib": rss,
            "stages": stages, "cpu": cpu, "peak_after": {s["stage"]: s["peak_rss_mib"] for s in t["stages"]}}


def baseline_run(data, out):
    stdout, wall, rss = timed([PYTHON, os.path.join(HERE, "baseline.py"), data, out])
    t = json.loads(stdout.strip().splitlines()[-1])
    return {"wall": wall, "total": t["total_seconds"], "cpu_total": t["total_cpu_seconds"], "peak_rss_mib": rss,
            "stages": {s["stage"]: s["seconds"] for s in t["stages"]},
            "cpu": {s["stage"]: s["cpu_seconds"] for s in t["stages"]}}


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def median_stage(runs, stage, key="stages"):
    return statistics.median(r[key].get(stage, 0.0) for r in runs)


def warm(data):
    """Reads every file of `data` once, so that the first timed program
    does not pay for reading from disk what the next one finds in the page
    cache (at 5M lines the CLI, which runs first, read its 635 MB from disk
    while the baseline found them cached)."""
    for name in os.listdir(data):
        with open(os.path.join(data, name), "rb") as f:
            while f.read(1 << 24):
                pass


def one_size(lines, runs, browser):
    data = generate(lines)
    csv_mib = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data)) / 2**20
    warm(data)
    out = os.path.join(HERE, "out", str(lines))
    cli, base = [], []
    for _ in range(runs):
        cli.append(cli_run(data, os.path.join(out, "cli")))
        base.append(baseline_run(data, os.path.join(out, "baseline")))
    check = subprocess.run([PYTHON, os.path.join(HERE, "check.py"), os.path.join(out, "cli"),
                            os.path.join(out, "baseline")], capture_output=True, text=True)
    result = {
        "lines": lines, "csv_mib": csv_mib, "runs": runs, "cli": cli, "baseline": base,
        "check": json.loads(check.stdout) if check.stdout else {"agree": False, "problems": [check.stderr]},
    }
    if browser:
        b = subprocess.run(["node", os.path.join(ROOT, "e2e", "bench", "browser.mjs"), "--data", data,
                            "--runs", str(runs)], capture_output=True, text=True, cwd=os.path.join(ROOT, "e2e"))
        result["browser"] = json.loads(b.stdout) if b.returncode == 0 else {"error": b.stderr[-2000:]}
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", f"{lines}.json"), "w") as f:
        json.dump(result, f, indent=1)
    return result


def table(results):
    rows = ["| stage | " + " | ".join(f"{r['lines']:,}: CLI wall / CPU s | baseline wall / CPU s"
                                     for r in results) + " |",
            "|---|" + "---|---|" * len(results)]
    for stage in STAGES:
        cells = []
        for r in results:
            base = (f"{median_stage(r['baseline'], stage):.3f} / {median_stage(r['baseline'], stage, 'cpu'):.2f}"
                    if stage in BASE_STAGES else "")
            cells.append(f"{median_stage(r['cli'], stage):.3f} / {median_stage(r['cli'], stage, 'cpu'):.2f} | {base}")
        rows.append(f"| {stage} | " + " | ".join(cells) + " |")
    cells = [f"**{median_of(r['cli'], 'total'):.3f}** / {median_of(r['cli'], 'cpu_total'):.2f} | "
             f"**{median_of(r['baseline'], 'total'):.3f}** / {median_of(r['baseline'], 'cpu_total'):.2f}"
             for r in results]
    rows.append("| end to end (in process) | " + " | ".join(cells) + " |")
    cells = [f"{median_of(r['cli'], 'wall'):.3f} | {median_of(r['baseline'], 'wall'):.3f}" for r in results]
    rows.append("| end to end (process wall, incl. start-up and imports) | " + " | ".join(cells) + " |")
    cells = [f"{median_of(r['cli'], 'peak_rss_mib'):.0f} MiB | {median_of(r['baseline'], 'peak_rss_mib'):.0f} MiB"
             for r in results]
    rows.append("| peak RSS | " + " | ".join(cells) + " |")
    summary = ["", "| lines | CSV MiB | CLI s | baseline s | baseline / CLI (wall) | baseline / CLI (CPU) "
               "| CLI peak / CSV | outputs agree |",
               "|---|---|---|---|---|---|---|---|"]
    for r in results:
        c, b = median_of(r["cli"], "total"), median_of(r["baseline"], "total")
        cpu_ratio = median_of(r["baseline"], "cpu_total") / max(median_of(r["cli"], "cpu_total"), 0.01)
        summary.append(f"| {r['lines']:,} | {r['csv_mib']:.1f} | {c:.3f} | {b:.3f} | **{b / c:.1f}×** | "
                       f"{cpu_ratio:.1f}× | "
                       f"{median_of(r['cli'], 'peak_rss_mib') / r['csv_mib']:.2f} | "
                       f"{'yes' if r['check'].get('agree') else 'NO: ' + '; '.join(r['check'].get('problems', []))} |")
    return "\n".join(rows + summary)


def main():
    args = sys.argv[1:]
    runs, browser = 1, False
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    if "--browser" in args:
        args.remove("--browser")
        browser = True
    sizes = [int(a) for a in args] or [100_000, 1_000_000, 5_000_000]
    results = [one_size(lines, runs, browser) for lines in sizes]
    print(table(results))
    for r in results:
        if "browser" in r:
            print(f"\nbrowser, {r['lines']:,} lines:\n" + json.dumps(r["browser"].get("median", r["browser"]), indent=1))
    if not all(r["check"].get("agree") for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
