#!/usr/bin/env bash
# End to end through the real server process: POST a Burgers job, kill -9 the server while it trains, restart
# it, and check the job resumes, succeeds with a small error, and has a continuous loss history; then download
# the solution as JSON, CSV and .npy, cancel a job, and send bad specs.  Usage: scripts/e2e-service.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && swift build -c release --product pinn-server >&2)
server="$root/.build/release/pinn-server"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
export PINN_STORE_PATH="$work/pinn.sqlite" PINN_PORT=$port PINN_CHECKPOINT_SECONDS=0.5
pid=""
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; true' EXIT

start() { "$server" >>"$work/server.log" 2>&1 & pid=$!; for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && return; sleep 0.1; done; echo "server did not start"; cat "$work/server.log"; exit 1; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
fail() { echo "FAIL: $*"; cat "$work/server.log"; exit 1; }

start
# N-LAAF trained by Adam, then SSBroyden (dense H) with the slopes frozen and RAD every 250 iterations: the kill
# lands in the quasi-Newton phase, so H, its pending update and the resampled points come back from a checkpoint.
spec='{"problem": "burgers", "parameters": {"nu": 0.0318309886},
       "network": {"layers": [20, 20, 20], "adaptive": "neuron", "scale": 10, "slopeRecovery": false},
       "training": {"collocationPoints": 1000, "boundaryPoints": 100, "threads": 1, "logEvery": 1,
                    "resampling": {"every": 250, "candidates": 5000},
                    "phases": [{"optimizer": "adam", "iterations": 600}, {"optimizer": "ssbroyden", "iterations": 1400, "trainSlopes": false}]},
       "output": {"grid": {"x": 64, "t": 20}}}'
id=$(curl -sf -X POST "$base/v1/jobs" -d "$spec" | json 'd["id"]')
echo "job $id submitted"
# A client follows the job's event stream through the kill: when the connection drops it reconnects with
# Last-Event-ID until the stream ends, and writes the loss iterations it received.
python3 - "$base/v1/jobs/$id/events" "$work/followed.json" <<'PY' &
import json, sys, time, urllib.request
url, out = sys.argv[1], sys.argv[2]
last, losses, reconnects, ended = None, [], -1, None
while ended is None:
    reconnects += 1
    try:
        request = urllib.request.Request(url, headers={"Last-Event-ID": last} if last else {})
        with urllib.request.urlopen(request, timeout=60) as stream:
            event = {}
            for raw in stream:
                line = raw.decode().rstrip("\n")
                if line.startswith("id: "): event["id"] = line[4:]
                elif line.startswith("event: "): event["event"] = line[7:]
                elif line.startswith("data: "): event["data"] = json.loads(line[6:])
                elif line == "" and "event" in event:
                    last = event.get("id", last)
                    if event["event"] == "loss": losses.append(event["data"]["iteration"])
                    if event["event"] == "end": ended = event["data"]["status"]; break
                    event = {}
    except Exception:
        time.sleep(0.2)
json.dump({"losses": losses, "reconnects": reconnects, "status": ended}, open(out, "w"))
PY
follower=$!
for _ in $(seq 300); do
    it=$(curl -sf "$base/v1/jobs/$id" | json 'd["progress"]["iteration"]')
    [ "$it" -gt 900 ] && break; sleep 0.1
done
kill -9 $pid; wait $pid 2>/dev/null || true
echo "killed the server at iteration ≥ $it"
start
for _ in $(seq 900); do
    status=$(curl -sf "$base/v1/jobs/$id" | json 'd["status"]')
    case "$status" in succeeded) break ;; failed|cancelled) fail "job ended $status" ;; esac
    sleep 0.1
done
[ "$status" = succeeded ] || fail "job did not finish after the restart"
wait $follower || fail "the event follower failed"
curl -sf "$base/v1/jobs/$id/losses" | python3 -c '
import json, sys
stored = [r["iteration"] for r in json.load(sys.stdin)["records"]]
followed = json.load(open(sys.argv[1]))
got = sorted(set(followed["losses"]))
assert followed["status"] == "succeeded", followed["status"]
assert followed["reconnects"] >= 1, "the stream was not interrupted by the kill"
assert got == sorted(set(stored)), f"event stream missed {sorted(set(stored) - set(got))[:10]}"
n = followed["reconnects"]
print(f"event stream followed through the kill: {n} reconnect(s), {len(got)} loss iterations, no gap")' "$work/followed.json" \
    || fail "event stream across the restart"
error=$(curl -sf "$base/v1/jobs/$id" | json 'd["error"]["relativeL2"]')
python3 -c "import sys; sys.exit(0 if $error < 2e-2 else 1)" || fail "relative L2 $error"
curl -sf "$base/v1/jobs/$id/losses" | python3 -c '
import json, sys
its = sorted({r["iteration"] for r in json.load(sys.stdin)["records"]})
assert its == list(range(its[-1] + 1)), "loss history has gaps"
print(f"loss history continuous over {len(its)} iterations")'
curl -sf "$base/v1/jobs/$id/slopes" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["adaptive"] == "neuron" and len(d["records"]) > 100 and len(d["records"][-1]["layerMeans"]) == 3, "slopes"
records = d["records"]
print("slopes read back:", len(records), "records, final n·a per layer", [round(x, 3) for x in records[-1]["layerMeans"]])'
[ "$(curl -sf "$base/v1/jobs/$id/losses?format=csv" | head -1)" = "iteration,phase,total,pde,initial,boundary,slopeRecovery,seconds" ] || fail "losses CSV"
curl -sf "$base/v1/jobs/$id/solution" | json 'len(d["u"]) == 20 and len(d["u"][0]) == 64 or sys.exit("bad JSON grid")' >/dev/null
[ "$(curl -sf "$base/v1/jobs/$id/solution?format=csv" | head -1)" = "t,x,u,exact_u,error_u" ] || fail "CSV header"
[ "$(curl -sf -H 'Accept: application/x-npy' "$base/v1/jobs/$id/solution" | head -c 6 | tail -c 5)" = "NUMPY" ] || fail "npy magic"
echo "solution downloaded as JSON, CSV and .npy; relative L2 $error"

# The default Burgers job (`{"problem": "burgers"}`, ~40 s on 2 cores): its error is concentrated at the shock
# (x = 0, t ≳ 0.3), in the grid the error picture is drawn from; the pictures are PNGs of the requested size.
default=$(curl -sf -X POST "$base/v1/jobs" -d '{"problem": "burgers"}' | json 'd["id"]')
for _ in $(seq 2400); do [ "$(curl -sf "$base/v1/jobs/$default" | json 'd["status"]')" = succeeded ] && break; sleep 0.1; done
[ "$(curl -sf "$base/v1/jobs/$default" | json 'd["status"]')" = succeeded ] || fail "the default Burgers job did not succeed"
curl -sf "$base/v1/jobs/$default/solution" | python3 -c '
import json, sys
d = json.load(sys.stdin)
t, x, error = d["t"], d["x"], d["error"]["u"]
cells = [(abs(error[i][j]), t[i], x[j]) for i in range(len(t)) for j in range(len(x))]
at_shock = lambda tt, xx: abs(xx) <= 0.02 and tt >= 0.3
band = [e for e, tt, xx in cells if at_shock(tt, xx)]
share = sum(e * e for e in band) / sum(e * e for e, _, _ in cells)      # of the squared error
density = share / (len(band) / len(cells))                              # ... per share of the grid
largest = sorted(cells, reverse=True)[:10]
on_shock = sum(at_shock(tt, xx) for _, tt, xx in largest)
l2 = d["relativeL2"]
print(f"default Burgers job: relative L2 {l2:.2e}; the shock (|x| <= 0.02, t >= 0.3, {len(band) / len(cells):.1%} of the grid) "
      f"holds {share:.0%} of the squared error ({density:.0f}x its share), and {on_shock} of the 10 largest errors")
sys.exit(0 if density > 5 and on_shock == 10 else "the error is not concentrated at the shock")' || fail "shock"
for picture in solution exact error losses errors; do
    curl -sf "$base/v1/jobs/$default/$picture.png?width=900&height=500" | python3 -c '
import struct, sys
png = sys.stdin.buffer.read()
assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR", "not a PNG"
assert struct.unpack(">II", png[16:24]) == (900, 500), struct.unpack(">II", png[16:24])' || fail "$picture.png"
done
echo "pictures: solution, exact, error, losses, errors are 900×500 PNGs"
# The model export evaluated by the documented numpy function agrees with /predict and the solution grid.
venv="$root/.venv-examples"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "$root/clients/python"   # the example uses the client package
"$venv/bin/python" "$root/examples/python/model_numpy.py" --server "$base" "$default" || fail "model export"

# An inverse problem written inline: learn k in u_xx + k·u = 0 from samples of sin(2x) (k = 4), starting at 1.
inverse=$(curl -sf -X POST "$base/v1/jobs" -d '{"problem": {"name": "inverse-poisson", "inputs": ["x"], "domain": {"x": [0, 3]},
  "outputs": ["u"], "parameters": {"k": {"learn": true, "initial": 1}}, "equations": ["u_xx + k*u"],
  "observations": [{"sampleExact": 64}], "exact": {"u": "sin(2*x)"}},
  "network": {"layers": [16, 16]}, "training": {"collocationPoints": 128, "threads": 1,
  "phases": [{"optimizer": "adam", "iterations": 500, "learningRate": 0.005}, {"optimizer": "lbfgs", "iterations": 500, "trainSlopes": false}]}}' | json 'd["id"]') \
  || fail "inline problem rejected"
for _ in $(seq 600); do [ "$(curl -sf "$base/v1/jobs/$inverse" | json 'd["status"]')" = succeeded ] && break; sleep 0.1; done
curl -sf "$base/v1/jobs/$inverse/losses" | python3 -c '
import json, sys
k = json.load(sys.stdin)["records"][-1]["learned"]["k"]
sys.exit(0 if abs(k - 4) < 0.01 else f"learned k = {k}, expected 4")' || fail "inverse problem"
[ "$(curl -sf "$base/v1/jobs/$inverse/losses?format=csv" | head -1)" = "iteration,phase,total,pde,data,slopeRecovery,seconds,k" ] || fail "learned column"
curl -sf "$base/v1/presets/heat" | json 'd["problem"]["equations"][0]["residual"]' | grep -q "u_t - k\*u_xx" || fail "preset"
echo "inline inverse problem learned k; presets served"

long=$(curl -sf -X POST "$base/v1/jobs" -d '{"problem": "burgers", "training": {"phases": [{"optimizer": "adam", "iterations": 100000}]}}' | json 'd["id"]')
sleep 1
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/v1/jobs/$long/cancel")" = 202 ] || fail "cancel"
for _ in $(seq 50); do [ "$(curl -sf "$base/v1/jobs/$long" | json 'd["status"]')" = cancelled ] && break; sleep 0.1; done
[ "$(curl -sf "$base/v1/jobs/$long" | json 'd["status"]')" = cancelled ] || fail "cancelled job still running"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$base/v1/jobs/$long")" = 200 ] || fail "delete"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/jobs/$long")" = 404 ] || fail "a deleted job still answers"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/v1/jobs" -d '{"problem": "navier"}')" = 400 ] || fail "bad spec"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/v1/jobs" -d '{nope')" = 400 ] || fail "bad JSON"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/jobs/missing")" = 404 ] || fail "404"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X PATCH "$base/v1/jobs")" = 405 ] || fail "405"
curl -sf "$base/healthz" >/dev/null || fail "server stopped serving"
kill -TERM $pid; wait $pid || true; pid=""
echo "service end-to-end: ok"
