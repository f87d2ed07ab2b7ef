#!/usr/bin/env bash
# Create a venv for the PyTorch reference and install requirements.txt into it.
# Usage: install.sh [VENV_PATH]   (default: <repo root>/.venv-torch)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || echo "$here")"
venv="${1:-$root/.venv-torch}"
req="$here/requirements.txt"
python="${PYTHON:-python3}"

echo "creating venv at $venv" >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip

if ! "$venv/bin/python" -m pip install -r "$req"; then
    echo "warning: CPU wheel (torch==...+cpu) not installable from the configured index;" >&2
    echo "         falling back to the plain PyPI torch of the same version" >&2
    fallback="$(mktemp)"
    sed -E 's/^(torch==[^+ ]+)\+cpu/\1/' "$req" > "$fallback"
    "$venv/bin/python" -m pip install -r "$fallback"
    rm -f "$fallback"
fi

"$venv/bin/python" - <<'PY'
import torch, numpy
print(f"torch {torch.__version__} (cuda build: {torch.version.cuda}), numpy {numpy.__version__}")
PY
