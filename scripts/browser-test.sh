#!/usr/bin/env bash
# The dashboard in headless Chromium against an already running server (scripts/browser_test.py says what it
# checks). Installs Debian's chromium and chromium-driver with apt, and Selenium into .venv-browser/, when missing.
# Usage: scripts/browser-test.sh [--base-url http://127.0.0.1:8080] [--artifacts artifacts/browser] [--create-jobs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

packages=(chromium chromium-driver python3 python3-venv)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

venv="$root/.venv-browser"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import selenium' 2>/dev/null || "$venv/bin/pip" install -q 'selenium>=4.11,<5'

cd "$root"
exec "$venv/bin/python" scripts/browser_test.py "$@"
