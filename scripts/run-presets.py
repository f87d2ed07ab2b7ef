#!/usr/bin/env python3
"""Trains every preset at full size with the CLI and prints the table of docs/problems.md.

usage: python3 scripts/run-presets.py [--out runs/presets] [NAME ...]
Each run's files stay in OUT/NAME (summary.json, losses.csv, errors.csv, solution.csv).
"""
import argparse, json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pinn = os.path.join(root, ".build", "release", "pinn")

parser = argparse.ArgumentParser()
parser.add_argument("--out", default=os.path.join(root, "runs", "presets"))
parser.add_argument("names", nargs="*")
args = parser.parse_args()

if not os.path.exists(pinn):
    subprocess.run(["swift", "build", "-c", "release", "--product", "pinn"], cwd=root, check=True)
names = args.names or [line.split()[0] for line in
                       subprocess.run([pinn, "presets"], capture_output=True, text=True, check=True).stdout.splitlines()]

print("| preset | network | iterations (Adam + L-BFGS) | wall time | final loss | relative L2 | learned |")
print("|---|---|---|---|---|---|---|")
for name in names:
    out = os.path.join(args.out, name)
    spec = json.dumps({"problem": name})
    run = subprocess.run([pinn, "train", "-", "--out", out, "--quiet"], input=spec, text=True, capture_output=True)
    if run.returncode != 0:
        print(f"| {name} | failed: {run.stderr.strip()} | | | | | |")
        continue
    summary = json.load(open(os.path.join(out, "summary.json")))
    layers = summary["spec"]["network"]["layers"]
    network = f'{len(layers)}×{layers[0]} {summary["spec"]["network"]["activation"]}'
    iterations = " + ".join(str(n) for n in summary["iterationsPerPhase"])
    error = summary.get("relativeL2")
    learned = summary.get("learned") or {}
    print(f'| `{name}` | {network} | {iterations} | {summary["wallSeconds"]:.0f} s | {summary["finalLoss"]["total"]:.2e} | '
          f'{"—" if error is None else f"{error:.2e}"} | {", ".join(f"{k} = {v:.6g}" for k, v in learned.items()) or "—"} |',
          flush=True)
