#!/usr/bin/env python3
"""The cost of one Levenberg–Marquardt iteration, split (docs/performance.md, "Levenberg–Marquardt"): for each network
and point count, trains a few `lm` iterations of Burgers with the CLI and prints, per iteration, the seconds spent
forming J (the engine's passes), forming JᵀJ and Jᵀρ (dsyrk over the threads) and factorising and solving (dpotrf,
dpotrs), with the GFLOP/s of the product (N·n² flops) and of the factorisation (n³/3 per solve).

    python3 scripts/lm_cost.py [--pinn .build/release/pinn] [--iterations 5] [--threads 2]
"""
import argparse
import json
import subprocess
import tempfile
import os

CONFIGS = [([20] * 4, 3000), ([20] * 4, 10000), ([20] * 8, 3000), ([20] * 8, 10000)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pinn", default=".build/release/pinn")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(f"{'network':>8} {'points':>6} {'rows N':>7} {'n':>5} {'J ms':>8} {'JᵀJ ms':>8} {'GFLOP/s':>8} "
          f"{'solve ms':>9} {'GFLOP/s':>8} {'s/iter':>7}")
    for layers, points in CONFIGS:
        spec = {"problem": "burgers",
                "network": {"layers": layers, "activation": "tanh", "adaptive": "fixed", "slopeRecovery": False},
                "training": {"collocationPoints": points, "boundaryPoints": 250, "seed": 1, "threads": args.threads,
                             "phases": [{"optimizer": "lm", "iterations": args.iterations}]},
                "output": {"grid": {"x": 16, "t": 5}}}
        with tempfile.TemporaryDirectory() as out:
            path = os.path.join(out, "spec.json")
            with open(path, "w") as f:
                json.dump(spec, f)
            subprocess.run([args.pinn, "train", path, "--out", out, "--quiet"], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "summary.json")) as f:
                phase = json.load(f)["phases"][0]
        c = phase["levenbergMarquardt"]
        k = c["iterations"]
        solves = k + c["rejectedSteps"]
        n = 2 * layers[0] + layers[0] + sum(w * w + w for w in layers[1:]) + layers[-1] + 1
        rows = c["residualRows"]
        product = c["productSeconds"] / k
        solve = c["solveSeconds"] / solves
        print(f"{len(layers)}×{layers[0]:<5} {points:>6} {rows:>7} {n:>5} {1e3 * c['jacobianSeconds'] / k:>8.1f} "
              f"{1e3 * product:>8.1f} {rows * n * n / product / 1e9:>8.1f} {1e3 * solve:>9.1f} "
              f"{n ** 3 / 3 / solve / 1e9:>8.1f} {phase['seconds'] / k:>7.2f}")


if __name__ == "__main__":
    main()
