#!/usr/bin/env python3
"""Trains the default Burgers job once per adaptive mode, with and without slope recovery (plus the schedule the
issue warns about: slope recovery kept on through L-BFGS), and prints the markdown table of docs/performance.md:
final relative L2 error, iterations, wall time, and the wall time at which the error first reached 1e-2 / 1e-3.

    python3 scripts/compare-modes.py [--out runs/modes] [--only NAME ...]
Runs one job at a time (each uses the spec's 2 threads), so the times are comparable.
"""
import argparse, csv, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PINN = os.path.join(ROOT, ".build", "release", "pinn")

def variants():
    for mode in ["fixed", "global", "layer", "neuron"]:
        for recovery in ([False] if mode == "fixed" else [True, False]):
            name = mode + ("+SR" if recovery else "")
            yield name, {"problem": "burgers",
                         "network": {"adaptive": mode, "slopeRecovery": recovery},
                         "training": {"evaluateEvery": 250, "slopeRecoveryWeight": 1}}
    # The default: slope recovery at weight 0.1 during Adam.
    yield "neuron+SR(0.1) (default)", {"problem": "burgers", "training": {"evaluateEvery": 250}}
    yield "neuron+SR, float", {"problem": "burgers", "network": {"adaptive": "neuron", "slopeRecovery": True},
                               "training": {"evaluateEvery": 250, "precision": "float",
                                                            "slopeRecoveryWeight": 1}}
    # The schedule the issue warns about: slopes and S(a) (weight 1) stay on through L-BFGS.
    yield "neuron+SR, slopes trained in L-BFGS", {
        "problem": "burgers", "network": {"adaptive": "neuron", "slopeRecovery": True},
        "training": {"evaluateEvery": 250, "slopeRecoveryWeight": 1, "phases": [
            {"optimizer": "adam", "iterations": 2000, "learningRate": 0.001},
            {"optimizer": "lbfgs", "iterations": 4000, "trainSlopes": True}]}}

def first_time_below(run, threshold):
    seconds = {}
    with open(os.path.join(run, "losses.csv")) as f:
        for row in csv.DictReader(f):
            seconds[int(row["iteration"])] = float(row["seconds"])
    with open(os.path.join(run, "errors.csv")) as f:
        for row in csv.DictReader(f):
            if float(row["relativeL2"]) <= threshold:
                it = int(row["iteration"])
                near = min(seconds, key=lambda i: abs(i - it))
                return it, seconds[near]
    return None

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(ROOT, "runs", "modes"))
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "pinn"], cwd=ROOT, check=True)
    rows = []
    for name, spec in variants():
        if args.only and name not in args.only:
            continue
        run = os.path.join(args.out, name.replace(" ", "_").replace(",", "").replace("+", "_"))
        os.makedirs(run, exist_ok=True)
        with open(os.path.join(run, "spec.json"), "w") as f:
            json.dump(spec, f)
        subprocess.run([PINN, "train", os.path.join(run, "spec.json"), "--out", run, "--quiet"], check=False)
        with open(os.path.join(run, "summary.json")) as f:
            summary = json.load(f)
        def at(threshold):
            hit = first_time_below(run, threshold)
            return f"{hit[1]:.0f} s (it {hit[0]})" if hit else "not reached"
        rows.append(f"| {name} | {summary['relativeL2']:.2e} | {' + '.join(map(str, summary['iterationsPerPhase']))} "
                    f"| {summary['wallSeconds']:.0f} s | {at(1e-2)} | {at(1e-3)} | {', '.join(summary['stopReasons'])} |")
        print(rows[-1], flush=True)
    print("\n| variant | final rel. L2 | iterations (Adam + L-BFGS) | wall time | first ≤ 1e-2 | first ≤ 1e-3 | stop reasons |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))

if __name__ == "__main__":
    sys.exit(main())
