#!/usr/bin/env bash
# Create a venv for the PyTorch reference and install requirements.txt into it, then the JAX reference's
# (bench/jax/requirements.txt) into the same venv.
# Usage: install.sh [VENV_PATH]   (default: <repo root>/.venv-torch)
# NO_JAX=1 skips JAX. With the venv already there, only the JAX requirements: install.sh --jax-only [VENV_PATH]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || echo "$here")"
jax_only=0
if [[ "${1:-}" == "--jax-only" ]]; then jax_only=1; shift; fi
venv="${1:-$root/.venv-torch}"
req="$here/requirements.txt"
jax_req="$here/../jax/requirements.txt"
python="${PYTHON:-python3}"

install_jax() {
    echo "installing bench/jax/requirements.txt into $venv" >&2
    "$venv/bin/python" -m pip install -r "$jax_req"
    "$venv/bin/python" -c 'import jax, numpy; print(f"jax {jax.__version__} ({jax.default_backend()}), numpy {numpy.__version__}")'
}

if ((jax_only)); then
    install_jax
    exit 0
fi

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

if [[ "${NO_JAX:-0}" != 1 ]]; then
    install_jax
fi
