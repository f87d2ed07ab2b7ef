#!/usr/bin/env bash
# Executes every notebook of examples/notebooks/ against a live server, so they cannot rot (in .ci/run). Creates
# .venv-notebooks/ with the client package (clients/python, with tqdm, pandas, xarray), nbclient and ipykernel from
# PyPI, starts .build/release/pinn-server on a free port with a temporary store, runs each notebook top to bottom
# with nbclient (any cell that raises fails the run; the notebooks hold assertions on their results), and stops the
# server. The notebooks are stored without outputs; the executed copies go to artifacts/notebooks/.
# Usage: scripts/notebooks-test.sh [--no-build]                        (~1 min once built)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${1:-}" == "--no-build" ]]; then shift; else swift build -c release -Xswiftc -enable-testing --product pinn-server >&2; fi

venv="$root/.venv-notebooks"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "./clients/python[all]" 'nbclient>=0.7' nbformat ipykernel

work="$(mktemp -d)"
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# In the temporary directory, so no config/server.json applies; without the caller's PINN_* settings.
(cd "$work" && env $(env | grep -o '^PINN_[A-Z_]*' | sed 's/^/-u /') \
    "$root/.build/release/pinn-server" --port "$port" --store-path "$work/pinn.sqlite" >"$work/server.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "pinn-server did not start"; cat "$work/server.log"; exit 1; }

mkdir -p artifacts/notebooks
PINN_SERVER="http://127.0.0.1:$port" "$venv/bin/python" - examples/notebooks/*.ipynb <<'PY'
import sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

failed = []
for path in sys.argv[1:]:
    notebook = nbformat.read(path, as_version=4)
    if any(cell.get("outputs") or cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code"):
        failed.append(path)
        print(f"{path}: stored with outputs (clear them: jupyter nbconvert --clear-output --inplace {path})")
        continue
    start = time.monotonic()
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
        print(f"{path}: ok ({time.monotonic() - start:.1f} s)")
    except CellExecutionError as error:
        failed.append(path)
        print(f"{path}: FAILED\n{error}")
    nbformat.write(notebook, "artifacts/notebooks/" + path.rsplit("/", 1)[-1])
sys.exit(1 if failed else 0)
PY
echo "notebooks: ok"
