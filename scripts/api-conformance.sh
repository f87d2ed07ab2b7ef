#!/usr/bin/env bash
# API conformance: schemathesis (PyPI) generates requests from docs/openapi.yaml, sends them to a live pinn-server
# and runs every check (no 5xx, every answer matches the documented status codes, content types, headers and
# schemas, invalid requests are rejected, valid ones accepted). docs/reliability.md, "API conformance".
#
#   scripts/api-conformance.sh [--examples N]      N test cases per operation and phase (default 20)
#   scripts/api-conformance.sh --with-token        the server with an API token (auth: all), every request with it
#
# Needs .build/release/pinn-server (scripts/build-release.sh; this script does not build), python3 and curl.
# Installs schemathesis into .venv-schemathesis/ when missing. The server runs on a free port with a temporary
# store, one worker and one core per job, seeded with a finished job, a finished study and a running job (which keeps
# the worker busy, so the jobs schemathesis submits stay queued). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

examples=20
# A fixed seed: the same requests on every run, so CI is reproducible; --seed N (or random) explores others.
seed=1
with_token=false
while [ $# -gt 0 ]; do
    case "$1" in
        --examples) examples="${2:?--examples needs a number}"; shift 2 ;;
        --examples=*) examples="${1#--examples=}"; shift ;;
        --seed) seed="${2:?--seed needs a number or random}"; shift 2 ;;
        --with-token) with_token=true; shift ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "api-conformance: unknown argument $1 (usage: scripts/api-conformance.sh [--examples N])" >&2; exit 2 ;;
    esac
done
case "$examples" in ''|*[!0-9]*|0) echo "api-conformance: --examples must be a positive integer" >&2; exit 2 ;; esac

server_bin=.build/release/pinn-server
[ -x "$server_bin" ] || { echo "api-conformance: $server_bin is missing; run scripts/build-release.sh first" >&2; exit 2; }

schemathesis_version=4.32.5
venv=.venv-schemathesis
if ! "$venv/bin/st" --version 2>/dev/null | grep -qF "$schemathesis_version"; then
    echo "api-conformance: installing schemathesis $schemathesis_version into $venv/"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

work="$(mktemp -d)"
server=""
stop_server() {
    [ -n "$server" ] || return 0
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
}
trap 'stop_server; rm -rf "$work"' EXIT

start=$(date +%s)
# With --with-token: a random token, in the environment only (never on a command line); curl and schemathesis send it.
auth=()
if $with_token; then
    token="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
    export PINN_TOKENS="conformance:$token"
    auth=(-H "Authorization: Bearer $token")
fi
# --port 0: the server picks a free port and logs it. No per-client rate limit: schemathesis is one client sending
# well over the default 100 requests/s, and the limit itself is tested apart (RateLimiterTests); with it, most
# operations would only ever see 429s.
"$server_bin" --port 0 --store-path "$work/pinn.sqlite" --workers 1 --cores-per-job 1 --max-queued-jobs 4 \
    --checkpoint-seconds 1 --rate-limit-per-second 0 >"$work/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 100); do
    port="$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\).*|\1|p' "$work/server.log")"
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { echo "api-conformance: the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"

submit() { curl -sf "${auth[@]}" -X POST -H 'Content-Type: application/json' -d "$1" "$base/v1/jobs" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }
field() { curl -sf "${auth[@]}" "$base/v1/jobs/$1" | python3 -c "import json, sys; print(json.load(sys.stdin)$2)"; }

# A finished job with every history (N-LAAF slopes, errors against the exact solution) and a stored result.
finished="$(submit '{"problem": "burgers", "network": {"layers": [8, 8], "adaptive": "neuron"},
    "training": {"collocationPoints": 200, "boundaryPoints": 20, "logEvery": 2, "evaluateEvery": 10, "resampling": null,
                 "threads": 1, "phases": [{"optimizer": "adam", "iterations": 40}]},
    "output": {"grid": {"x": 16, "t": 5}}}')"
for _ in $(seq 300); do [ "$(field "$finished" '["status"]')" = succeeded ] && break; sleep 0.1; done
[ "$(field "$finished" '["status"]')" = succeeded ] || { echo "api-conformance: the seed job did not finish" >&2; exit 1; }
# A finished study of two such jobs (two cells), so the study routes answer with a report and a picture.
study="$(curl -sf "${auth[@]}" -X POST -H 'Content-Type: application/json' -d '{"name": "conformance",
    "base": {"problem": "burgers", "network": {"layers": [8, 8]},
             "training": {"collocationPoints": 200, "boundaryPoints": 20, "logEvery": 2, "evaluateEvery": 10, "resampling": null,
                          "threads": 1, "phases": [{"optimizer": "adam", "iterations": 40}]},
             "output": {"grid": {"x": 16, "t": 5}}},
    "variations": {"network.adaptive": ["fixed", "layer"]}}' "$base/v1/studies" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
study_status() { curl -sf "${auth[@]}" "$base/v1/studies/$study" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])'; }
for _ in $(seq 300); do [ "$(study_status)" = finished ] && break; sleep 0.1; done
[ "$(study_status)" = finished ] || { echo "api-conformance: the seed study did not finish" >&2; exit 1; }
# A running job with checkpoints ("final": false) that occupies the only worker until the server stops.
running="$(submit '{"problem": "burgers", "network": {"layers": [8], "adaptive": "layer"},
    "training": {"collocationPoints": 100, "boundaryPoints": 20, "logEvery": 500, "evaluateEvery": 5000, "resampling": null,
                 "threads": 1, "phases": [{"optimizer": "adam", "iterations": 1000000}]},
    "output": {"grid": {"x": 16, "t": 5}}}')"
for _ in $(seq 100); do
    curl -sf "${auth[@]}" -o /dev/null "$base/v1/jobs/$running/model" && break
    sleep 0.1
done

export PINN_CONFORMANCE_JOB="$finished"   # scripts/schemathesis.toml: the job predict is asked about
export PINN_CONFORMANCE_STUDY="$study"    # and the study its study routes read
echo "api-conformance: schemathesis $schemathesis_version against $base, $examples examples per operation"
set +e
# From the temporary directory: schemathesis and Hypothesis keep caches in the working directory.
repo="$PWD"
(cd "$work" && HYPOTHESIS_STORAGE_DIRECTORY="$work/hypothesis" "$repo/$venv/bin/st" \
    --config-file "$repo/scripts/schemathesis.toml" run "$repo/docs/openapi.yaml" --url "$base" \
    --checks all --max-examples "$examples" --generation-database none --no-color "${auth[@]}" \
    $([ "$seed" = random ] || echo "--seed $seed"))
status=$?
set -e
stop_server
elapsed=$(( $(date +%s) - start ))
if [ "$status" -eq 0 ]; then
    echo "api-conformance: ok (${elapsed} s)"
else
    echo "api-conformance: FAILED (schemathesis exit status $status, ${elapsed} s); the server log's end:" >&2
    tail -20 "$work/server.log" >&2
fi
exit "$status"
