#!/usr/bin/env bash
# The dashboard's JavaScript (Sources/PINNService/Dashboard/Web), in a few seconds: ESLint passes with no warning
# (Debian's eslint; it parses every file as an ES module, so a syntax error fails here; its rules are package.json's
# "eslintConfig": no undeclared or unused names, no function over 80 lines, …), then the unit tests of the pure
# functions (node --test, Tests/DashboardTests). Part of the README's test command (scripts/test.sh); the page as a
# whole is checked in a browser by scripts/browser-test.sh. Needs nodejs and eslint (scripts/install-dependencies.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
web=Sources/PINNService/Dashboard/Web
tests=Tests/DashboardTests
# Debian's eslint loads its modules from /usr/share/nodejs, where Debian's node looks and a node from elsewhere
# (nodesource) does not.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
eslint --max-warnings 0 "$web" "$tests"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
node --test "$tests"/*.test.js > "$report" || { cat "$report"; exit 1; }
echo "dashboard: eslint clean; node --test: $(grep -E '^# (pass|fail) ' "$report" | sed 's/^# //' | paste -sd, -)"
