#!/usr/bin/env bash
# The `pinn` client commands (docs/cli.md) against a real pinn-server: submit --wait, get in every format, status,
# list, presets, cancel, delete, watch, Ctrl-C, studies, and the exit status of every kind of failure. Prints PASS/FAIL (or SKIP)
# per check and exits non-zero if any check failed. Routes the server does not have yet (404 "no route") are
# skipped with a note.  Usage: scripts/cli-client-test.sh [--no-build]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" != "--no-build" ]; then
    # One product per invocation: with several --product flags swift build builds only the last.
    swift build -c release --product pinn >&2 && swift build -c release --product pinn-server >&2 || { echo "FAIL: build"; exit 1; }
fi
pinn="$root/.build/release/pinn"
server="$root/.build/release/pinn-server"
work="$(mktemp -d)"
pid=""
pid2=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; [ -n "$pid2" ] && kill -9 "$pid2" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
unset PINN_SERVER

failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
skip() { echo "SKIP: $*"; }
# run ARGS…: runs pinn, keeping its exit status in $rc, its output in $work/out and $work/err.
run() { "$pinn" "$@" >"$work/out" 2>"$work/err"; rc=$?; }
# expect NAME CODE: passes when the last run exited with CODE; otherwise shows what it printed.
expect() {
    if [ "$rc" = "$2" ]; then pass "$1 (exit $rc)"; else
        fail "$1: exit $rc, expected $2"; sed 's/^/    stdout: /' "$work/out" | head -5; sed 's/^/    stderr: /' "$work/err" | head -5
    fi
}
# expect_text NAME FILE TEXT: passes when FILE contains TEXT (fixed string).
expect_text() { if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: \"$3\" not in $(head -c 300 "$2")"; fi; }

python=python3
if ! python3 -c 'import numpy' 2>/dev/null; then
    python3 -m venv "$work/venv" && "$work/venv/bin/pip" install -q numpy >&2 || { echo "FAIL: cannot install numpy"; exit 1; }
    python="$work/venv/bin/python"
fi
json() { "$python" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

# The server on a free port with a store of its own.
"$server" --port 0 --store-path "$work/pinn.sqlite" --checkpoint-seconds 0.5 >"$work/server.log" 2>&1 & pid=$!
port=""
for _ in $(seq 100); do
    port=$(sed -n 's#.*listening on http://[^:]*:\([0-9]*\).*#\1#p' "$work/server.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: the server did not start"; cat "$work/server.log"; exit 1; }
base="http://127.0.0.1:$port"
echo "server at $base"

# MARK: - Usage and no server (exit 2)
run status some-id;                                  expect "no server → usage error" 2
expect_text "no server message" "$work/err" "pinn: no server: give --server URL or set PINN_SERVER"
run presets;                                         expect "presets without a server: local list" 0
expect_text "local presets list burgers" "$work/out" "burgers"
run --help;                                          expect "--help" 0
expect_text "--help explains Ctrl-C" "$work/out" "keeps running on the server"
export PINN_SERVER="$base"
run status;                                          expect "status without ID" 2
run list --bogus;                                    expect "unknown option" 2
run get some-id model --format csv;                  expect "model only as json" 2
run get some-id nonsense;                            expect "unknown result" 2
run submit "$work/missing.json";                     expect "unreadable spec file" 2

# MARK: - Submit and wait
"$python" - "$root/config/burgers-small.json" >"$work/spec.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["training"]["phases"] = [{"optimizer": "adam", "iterations": 200, "learningRate": 0.001}]
spec["training"]["threads"] = 1
spec["network"]["adaptive"] = "layer"   # slopes to download (fixed activations have none)
spec["training"]["evaluateEvery"] = 50
print(json.dumps(spec))
EOF
run submit "$work/spec.json" --wait;                 expect "submit --wait of a succeeding job" 0
id=$(head -1 "$work/out")
expect_text "summary line" "$work/out" "job $id succeeded: 200/200 iterations"
expect_text "progress line (not a terminal: plain lines)" "$work/err" "% "

run status "$id";                                    expect "status" 0
expect_text "status shows succeeded" "$work/out" "succeeded"
run status "$id" --json;                             expect "status --json" 0
[ "$(json 'd["status"]' <"$work/out")" = succeeded ] && pass "status --json is the JobView" || fail "status --json"
grid=$(json '"%d %d" % (d["spec"]["output"]["grid"]["t"], d["spec"]["output"]["grid"]["x"])' <"$work/out")
run --server "$base" status "$id";                   expect "--server before the command" 0
run list;                                            expect "list" 0
expect_text "list shows the job" "$work/out" "$id"
run list --status succeeded --json;                  expect "list --status --json" 0
[ "$(json 'd["jobs"][0]["id"]' <"$work/out")" = "$id" ] && pass "list --json" || fail "list --json"
run presets;                                         expect "presets from the server" 0
expect_text "server presets list heat" "$work/out" "heat"

# MARK: - Downloads
run get "$id" solution --format npy -o "$work/u.npy"; expect "get solution npy -o" 0
"$python" -c "import numpy, sys; u = numpy.load('$work/u.npy'); nt, nx = map(int, '$grid'.split()); sys.exit(0 if u.shape == (nt, nx) and u.dtype == numpy.float64 else f'shape {u.shape}, expected {(nt, nx)}')" \
    && pass "solution.npy has shape (nt, nx) = ($grid) of the output grid" || fail "solution.npy shape"
"$pinn" get "$id" solution --format npy --nx 16 --nt 5 >"$work/small.npy"; rc=$?; expect "get solution npy to a pipe, --nx --nt passed on" 0
"$python" -c "import numpy, sys; sys.exit(0 if numpy.load('$work/small.npy').shape == (5, 16) else 'shape')" \
    && pass "--nx 16 --nt 5 → (5, 16)" || fail "--nx/--nt grid"
run get "$id" solution;                              expect "get solution json" 0
[ "$(json 'len(d["u"])' <"$work/out")" = "${grid% *}" ] && pass "solution json rows" || fail "solution json rows"
run get "$id" solution --format csv;                 expect "get solution csv" 0
expect_text "solution csv header" "$work/out" "t,x,u"
run get "$id" losses --format csv;                   expect "get losses csv" 0
[ "$(head -1 "$work/out")" = "iteration,phase,total,pde,initial,boundary,slopeRecovery,seconds" ] && pass "losses csv header" || fail "losses csv header: $(head -1 "$work/out")"
run get "$id" losses --every 50 -o "$work/losses.json"; expect "get losses json --every" 0
[ "$(json 'd["terms"]' <"$work/losses.json")" = "['pde', 'initial', 'boundary']" ] && pass "losses json" || fail "losses json"
run get "$id" slopes --format csv;                   expect "get slopes csv" 0
if script -eqc "true" /dev/null >/dev/null 2>&1; then
    script -eqc "'$pinn' get '$id' solution --format npy" /dev/null >"$work/tty" 2>&1; rc=$?
    expect "npy refused on a terminal" 2
    script -eqc "'$pinn' watch '$id'" /dev/null >"$work/tty" 2>&1; rc=$?
    expect "watch on a terminal" 0
    expect_text "the redrawn progress bar" "$work/tty" $'\r[##########] 100% succeeded'
else
    skip "terminal checks (no script(1))"
fi

# Routes being added (errors, model, pictures): tested when the server has them.
route() { curl -s -o /dev/null -w '%{http_code}' "$base/v1/jobs/$id/$1"; }
optional() {  # optional NAME ROUTE ARGS…: runs `pinn get ID ARGS…` unless the server answers 404 for ROUTE
    local name=$1 path=$2; shift 2
    if [ "$(route "$path")" = 404 ]; then skip "$name: the server has no /v1/jobs/ID/$path yet"; return 1; fi
    run get "$id" "$@"; expect "$name" 0
}
optional "get errors json" errors errors -o "$work/errors.json" \
    && { [ "$(json 'd["records"][-1]["relativeL2"] > 0' <"$work/errors.json")" = True ] && pass "errors json" || fail "errors json"; }
optional "get errors csv" errors errors --format csv && expect_text "errors csv header" "$work/out" "iteration,phase,relativeL2"
optional "get model" model model -o "$work/model.json" \
    && { [ "$(json 'd["format"]' <"$work/model.json")" = "pinn-model/1" ] && pass "model json" || fail "model json"; }
for what in solution losses slopes errors; do
    optional "get $what png" "$what.png" "$what" --format png --width 400 --height 300 -o "$work/$what.png" \
        && { [ "$(head -c 8 "$work/$what.png" | tail -c 7 | head -c 3)" = PNG ] && pass "$what.png is a PNG" || fail "$what.png is not a PNG"; }
done

# MARK: - The server refuses (exit 4), is unreachable (exit 3)
echo '{"problem": "burgers", "training": {"phases": [{"optimizer": "sgd"}]}}' >"$work/bad.json"
run submit "$work/bad.json";                         expect "invalid spec" 4
expect_text "invalid spec: the field is named" "$work/err" "training.phases[0].optimizer:"
run submit - <"$work/bad.json";                      expect "invalid spec from standard input" 4
run status no-such-job;                              expect "unknown job" 4
expect_text "unknown job message" "$work/err" "pinn: no job with id"
run get no-such-job losses;                          expect "get of an unknown job" 4
free=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
run status "$id" --server "http://127.0.0.1:$free"; expect "nothing listening → unreachable" 3
expect_text "unreachable message" "$work/err" "pinn: cannot reach 127.0.0.1:$free"
run submit "$work/spec.json" --wait --server "127.0.0.1:$free"; expect "submit to an unreachable server" 3

# MARK: - A long job: Ctrl-C while watching, cancel, watch of a cancelled job
long='{"problem": "burgers", "training": {"threads": 1, "phases": [{"optimizer": "adam", "iterations": 1000000}]}}'
long_id=$(echo "$long" | "$pinn" submit -); rc=$?; expect "submit - (standard input)" 0
for _ in $(seq 100); do
    [ "$("$pinn" status "$long_id" --json | json 'd["status"]')" = running ] && break
    sleep 0.1
done
"$pinn" watch "$long_id" >"$work/watch1.out" 2>"$work/watch1.err" & watcher=$!
sleep 2
kill -INT "$watcher"; wait "$watcher"; rc=$?;        expect "Ctrl-C while watching" 130
expect_text "Ctrl-C: the job keeps running" "$work/watch1.err" "keeps running on the server"
[ "$("$pinn" status "$long_id" --json | json 'd["status"]')" = running ] && pass "the job still runs after Ctrl-C" || fail "job stopped by Ctrl-C"
"$pinn" watch "$long_id" >"$work/watch2.out" 2>"$work/watch2.err" & watcher=$!
sleep 1.5
run cancel "$long_id";                               expect "cancel a running job" 0
wait "$watcher"; rc=$?;                              expect "watch of a job that gets cancelled" 1
expect_text "watch summary says cancelled" "$work/watch2.out" "job $long_id cancelled"
[ "$("$pinn" status "$long_id" --json | json 'd["status"]')" = cancelled ] && pass "status cancelled" || fail "status after cancel"
run watch "$long_id";                                expect "watch of a cancelled job" 1
run cancel "$long_id";                               expect "cancel of a finished job" 4
run delete "$long_id";                               expect "delete a cancelled job" 0
run status "$long_id";                               expect "status of a deleted job (404)" 4

# MARK: - Studies: submit, status, get (json and png), list, an invalid study, cancel, delete
cat >"$work/study.json" <<'EOF'
{"name": "cli study", "base": {"problem": "burgers", "network": {"layers": [8, 8]},
 "training": {"collocationPoints": 200, "boundaryPoints": 40, "threads": 1, "evaluateEvery": 10, "resampling": null,
              "phases": [{"optimizer": "adam", "iterations": 40, "learningRate": 0.01}]},
 "output": {"grid": {"x": 17, "t": 5}}},
 "variations": {"network.adaptive": ["fixed", "layer"]}, "seeds": 1}
EOF
study=$("$pinn" study submit "$work/study.json" 2>"$work/err"); rc=$?; expect "study submit" 0
expect_text "study submit says how many jobs" "$work/err" "2 jobs in 2 cell(s)"
for _ in $(seq 600); do
    [ "$("$pinn" study status "$study" --json | json 'd["status"]')" = finished ] && break
    sleep 0.2
done
run study status "$study";                           expect "study status" 0
expect_text "study status: one row per cell" "$work/out" "network.adaptive=layer"
expect_text "study status: finished" "$work/out" "finished"
run study get "$study";                              expect "study get (json)" 0
[ "$(json 'sum(len(c["runs"]) for c in d["cells"])' <"$work/out")" = 2 ] && pass "study get: two runs" || fail "study get runs"
run study get "$study" --format png -o "$work/study.png"; expect "study get --format png" 0
[ "$(head -c 8 "$work/study.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && pass "study png is a PNG" || fail "study png"
run study get "$study" --format csv;                 expect "study get --format csv is a usage error" 2
run study list;                                      expect "study list" 0
expect_text "study list names it" "$work/out" "$study"
sed 's/"layer"/"sideways"/' "$work/study.json" >"$work/bad-study.json"
run study submit "$work/bad-study.json";             expect "invalid study" 4
expect_text "invalid study: the variation is named" "$work/err" 'variations["network.adaptive"][1]:'
run study cancel "$study";                           expect "study cancel" 0
run study delete "$study";                           expect "study delete" 0
run study status "$study";                           expect "status of a deleted study (404)" 4
run study frobnicate "$study";                       expect "unknown study command" 2

# MARK: - The server fails (exit 5): a 5xx answer from a stand-in server
"$python" - "$work/port5xx" <<'EOF' & stand_in=$!
import http.server, sys
class Failing(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"error": {"status": 500, "message": "internal error: disk full"}}'
        self.send_response(500); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Failing)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.handle_request()
server.handle_request()
EOF
for _ in $(seq 50); do [ -s "$work/port5xx" ] && break; sleep 0.1; done
run status x --server "127.0.0.1:$(cat "$work/port5xx")"; expect "5xx answer" 5
expect_text "5xx message" "$work/err" "internal error: disk full"
run list --server "127.0.0.1:$(cat "$work/port5xx")"; expect "5xx answer to list" 5
kill "$stand_in" 2>/dev/null; wait "$stand_in" 2>/dev/null

# MARK: - A server with API tokens: PINN_TOKEN / --token, 401 and 404 (exit 4), --shared
alice=alice-cli-test-0123456789 bob=bob-cli-test-abcdefghijkl
PINN_TOKENS="alice:$alice,bob:$bob" "$server" --port 0 --store-path "$work/tokens.sqlite" --workers 1 \
    >"$work/server2.log" 2>&1 & pid2=$!
port2=""
for _ in $(seq 100); do
    port2=$(sed -n 's#.*listening on http://[^:]*:\([0-9]*\).*#\1#p' "$work/server2.log")
    [ -n "$port2" ] && break
    sleep 0.1
done
if [ -z "$port2" ]; then fail "the server with tokens did not start"; else
    export PINN_SERVER="http://127.0.0.1:$port2"
    grep -qF "$alice" "$work/server2.log" && fail "the server logged a token" || pass "the server logs no token"
    run list;                                            expect "no token → 401" 4
    expect_text "401 says a token is needed" "$work/err" "needs an API token"
    expect_text "401 names --token and PINN_TOKEN" "$work/err" "--token TOKEN or PINN_TOKEN"
    run list --token "${alice}x";                        expect "a wrong token → 401" 4
    private_id=$(PINN_TOKEN="$alice" "$pinn" submit - <<<'{"problem": "heat"}'); rc=$?; expect "PINN_TOKEN=alice submit" 0
    shared_id=$("$pinn" submit - --shared --token "$alice" <<<'{"problem": "heat"}'); rc=$?; expect "submit --shared --token" 0
    PINN_TOKEN="$bob" run status "$private_id";          expect "bob's status of alice's job → 404" 4
    expect_text "404 as for an unknown id" "$work/err" "no job with id"
    PINN_TOKEN="$bob" run status "$shared_id" --json;    expect "bob's status of alice's shared job" 0
    expect_text "the shared job names its owner" "$work/out" '"owner":"alice"'
    PINN_TOKEN="$bob" run list;                          expect "bob's list" 0
    grep -qF "${private_id:0:8}" "$work/out" && fail "bob's list shows alice's private job" || pass "bob's list hides alice's private job"
    PINN_TOKEN="$bob" run cancel "$shared_id";           expect "bob cannot cancel alice's shared job (403)" 4
    PINN_TOKEN="$alice" run cancel "$shared_id";         expect "alice cancels her job" 0
    kill -TERM "$pid2"; wait "$pid2" 2>/dev/null; pid2=""
fi

kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""
if [ "$failures" -eq 0 ]; then echo "cli client: all checks passed"; else echo "cli client: $failures check(s) FAILED"; exit 1; fi
