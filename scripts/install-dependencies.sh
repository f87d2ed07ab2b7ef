#!/usr/bin/env bash
# Installs the Debian 12 packages pinn-service builds against, when they are missing. Used by the README's
# commands, by .ci/run and by the Dockerfile, so the three cannot drift apart. Extra package names given as arguments
# are installed too (scripts/browser-test.sh adds chromium). libpq-dev is linked by every build (the PostgreSQL store);
# postgresql only provides initdb/postgres for scripts/postgres-test-cluster.sh: no server is started or needed.
# nodejs and eslint check the dashboard's JavaScript (scripts/dashboard-test.sh); the build does not run them.
# dataset-fashion-mnist puts Fashion-MNIST's IDX files in /usr/share/datasets/fashion-mnist: the tests of the dataset
# loader read them and scripts/fashion-mnist.sh trains on them (docs/paper.md §5).
set -euo pipefail
packages=(libopenblas-dev libsqlite3-dev libmicrohttpd-dev libpq-dev zlib1g-dev pkg-config curl python3 python3-venv postgresql
          nodejs eslint dataset-fashion-mnist "$@")
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
