#!/usr/bin/env bash
# The fingerprint of a job's trajectory: trains SPEC with the release CLI and prints one SHA-256 over its loss,
# error and slope histories (without the wall-clock column) and its final parameters. Two builds that print the same
# fingerprint trained the same trajectory bit for bit — a check for refactors of the engine (docs/design.md §8).
# Compare on one machine: OpenBLAS chooses its kernels by instruction set, so AVX2 and AVX-512 machines differ.
#   scripts/history-hash.sh [SPEC.json] [PINN_BINARY]      (defaults: config/burgers.json, .build/release/pinn)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
spec="${1:-$root/config/burgers.json}"
pinn="${2:-$root/.build/release/pinn}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$pinn" train "$spec" --out "$out" --quiet >&2
python3 - "$out" <<'PY'
import csv, hashlib, os, sys
out, digest = sys.argv[1], hashlib.sha256()
for name in ("losses.csv", "errors.csv", "slopes.csv"):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        continue
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            row.pop("seconds", None)
            digest.update((name + ":" + ",".join(f"{k}={v}" for k, v in row.items()) + "\n").encode())
with open(os.path.join(out, "parameters.json"), "rb") as f:
    digest.update(f.read())
print(digest.hexdigest())
PY
