#!/usr/bin/env python3
"""The memory estimate of a job (`pinn validate`, what the server checks against maxJobMemoryBytes) against the
peak resident memory of `pinn train` running it, for jobs that stress each part of the estimate.

Peak RSS (GNU time's %M) includes the process's own baseline (runtime, libraries, OpenBLAS buffers), measured on a
one-iteration 2×2 job and subtracted. Prints a Markdown table; exits 1 if a job's growth exceeds its estimate
(the estimate is meant to be an upper bound). Usage: python3 scripts/memory-estimate.py [PINN_BINARY]
"""
import json, re, subprocess, sys, tempfile

PINN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/pinn"


def job(layers, points, threads=2, phases=None, precision="double", rad=None):
    return {"problem": "burgers", "network": {"layers": layers},
            "training": {"collocationPoints": points, "boundaryPoints": 200, "threads": threads, "precision": precision,
                         "resampling": rad, "logEvery": 10, "evaluateEvery": 0,
                         "phases": phases or [{"optimizer": "adam", "iterations": 20}]},
            "output": {"grid": {"x": 64, "t": 32}}}


JOBS = [
    ("baseline: 2×2, 100 points, 1 iteration", job([2, 2], 100, 1, [{"optimizer": "adam", "iterations": 1}])),
    ("8×20, 10k points (the default shape)", job([20] * 8, 10_000)),
    ("8×20, 200k points", job([20] * 8, 200_000)),
    ("8×20, 200k points, float", job([20] * 8, 200_000, precision="float")),
    ("4×100, 10k points", job([100] * 4, 10_000)),
    ("12×100, 50k points", job([100] * 12, 50_000)),
    ("3×500, 5k points", job([500] * 3, 5_000)),
    ("4×50 SSBroyden (n = 7,951: H is 506 MB)", job([50] * 4, 5_000, phases=[{"optimizer": "ssbroyden", "iterations": 5}])),
    ("8×20 L-BFGS m = 50, 20k points, RAD", job([20] * 8, 20_000, phases=[{"optimizer": "lbfgs", "iterations": 20}],
                                             rad={"every": 10, "candidates": 100_000})),
]


def measure(spec):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    validate = subprocess.run([PINN, "validate", f.name], capture_output=True, text=True, check=True)
    estimate = float(re.search(r"estimated memory while training: ([\d.]+) MiB", validate.stderr).group(1))
    out = tempfile.mkdtemp()
    timed = subprocess.run(["/usr/bin/time", "-f", "%M", PINN, "train", f.name, "--out", out, "--quiet"],
                           capture_output=True, text=True)
    if timed.returncode != 0:
        sys.exit(f"pinn train failed: {timed.stderr[-500:]}")
    return estimate, int(timed.stderr.strip().splitlines()[-1]) / 1024


def main():
    rows, failures = [], 0
    baseline = None
    for name, spec in JOBS:
        estimate, peak = measure(spec)
        if baseline is None:
            baseline = peak
            print(f"baseline peak RSS {peak:.1f} MiB (estimate {estimate:.1f} MiB)", file=sys.stderr)
            continue
        grown = peak - baseline
        ok = grown <= estimate
        failures += not ok
        rows.append(f"| {name} | {estimate:,.1f} | {peak:,.1f} | {grown:,.1f} | {estimate / max(grown, 1):.2f} |"
                    + ("" if ok else " **over** |"))
        print(rows[-1], file=sys.stderr)
    print(f"Baseline (a 2×2 job, one iteration): {baseline:.1f} MiB peak RSS.\n")
    print("| job | estimate (MiB) | peak RSS (MiB) | peak − baseline (MiB) | estimate / growth |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
