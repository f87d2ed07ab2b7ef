#!/usr/bin/env bash
# The seed paper's deep-learning benchmark on Fashion-MNIST (docs/paper.md §5): an MLP 784-256-256-10 with tanh,
# fixed / global / L-LAAF / N-LAAF, each with and without slope recovery, 3 seeds, 10 epochs of Adam.
# Writes docs/paper/fashion-mnist/{results.md,results.csv,losses.png,runs.json}; runs two trainings at a time
# (one per core). 21 runs × 10 epochs: 1.5 s of CPU per epoch and run on an idle core (~5 min in all), 2–3× that
# on a loaded machine. Runs are single-threaded and seeded: `pinn classify` of one run's spec gives the same history
# bit for bit. Extra arguments go to
# `pinn classify-experiment` (e.g. --epochs 2 --seeds 1 --out /tmp/fm for a quick look; --replot to redraw).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-dependencies.sh
swift build -c release --product pinn
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-$(.build/release/pinn kernels)}"
exec .build/release/pinn classify-experiment config/experiments/fashion-mnist.json "$@"
