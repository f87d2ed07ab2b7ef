#!/usr/bin/env bash
# The test command of the README: every unit, gradient-check and training test, optimised build
# (training tests run real networks; a debug build would only make them slower). -enable-testing lets the
# store's tests reach its internal SQLite layer (@testable import) in an optimised build. First, in a few seconds,
# the dashboard's JavaScript: ESLint and the node --test unit tests of its pure functions (scripts/dashboard-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
scripts/dashboard-test.sh
swift test -c release -Xswiftc -enable-testing "$@"
