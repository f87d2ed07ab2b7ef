#!/usr/bin/env bash
# The Python client package (clients/python, docs/python.md) against a live server: creates .venv-pyclient/,
# pip-installs the package from the checkout with its optional extras (tqdm, pandas, xarray), pytest and mypy,
# checks its type annotations (mypy --strict) and runs clients/python/tests. The tests' fixture
# (clients/python/tests/conftest.py) starts .build/release/pinn-server on a free port with a temporary store, kills
# and restarts it for the kill -9 test, and stops it at the end.
# Usage: scripts/python-client-test.sh [--no-build] [pytest arguments…]            (~10 s once built)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# Built with the test command's flags (scripts/test.sh), so neither build undoes the other.
if [[ "${1:-}" == "--no-build" ]]; then shift; else swift build -c release -Xswiftc -enable-testing --product pinn-server >&2; fi

venv="$root/.venv-pyclient"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# Reinstalled every run, so the tests see the checkout's code (dependencies already there are kept).
"$venv/bin/pip" install -q --disable-pip-version-check "./clients/python[all,test]" mypy types-requests

export PINN_SERVER_BINARY="${PINN_SERVER_BINARY:-$root/.build/release/pinn-server}"
cd "$root/clients/python"
# The package ships py.typed: its annotations must hold (mypy --strict, a few seconds with its cache).
"$venv/bin/python" -m mypy --strict --cache-dir "$root/.build/mypy-cache" src/pinn_client
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
