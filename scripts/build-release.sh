#!/usr/bin/env bash
# The release build of the executables. The Dockerfile runs exactly this, and so does .ci/run, so the image's
# build steps are exercised on every CI run even though Docker cannot run here.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product pinn-server
swift build -c release --product pinn
