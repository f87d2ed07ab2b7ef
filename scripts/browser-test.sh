#!/usr/bin/env bash
# The dashboard in headless Chromium against an already running server (scripts/browser_test.py says what it
# checks). Installs Debian's chromium and chromium-driver with apt, and Selenium into .venv-browser/, when missing.
# Usage: scripts/browser-test.sh [--base-url http://127.0.0.1:8080] [--artifacts artifacts/browser] [--create-jobs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

"$root/scripts/install-dependencies.sh" chromium chromium-driver

venv="$root/.venv-browser"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import selenium' 2>/dev/null || "$venv/bin/pip" install -q 'selenium>=4.11,<5'

cd "$root"
exec "$venv/bin/python" scripts/browser_test.py "$@"
