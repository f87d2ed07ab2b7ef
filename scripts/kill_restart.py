#!/usr/bin/env python3
"""kill -9 the server at random moments, many times in a row, and check that nothing is lost.

Submits several jobs (one trains at a time, the rest wait), then repeats: wait a random 0.2–2.5 s (training,
checkpointing every 0.3 s and flushing histories every second, so kills land mid-checkpoint and mid-write too),
kill -9, restart. After every restart: every job is present; none went back from running/succeeded to an
earlier state except running → queued never happens (queued ones stay queued or run, running ones resume);
no history lost (each job's loss rows never decrease). At the end every job succeeds and every loss history is
continuous (logEvery 1: iterations 0..N with no gap). Prints a summary line per cycle and a table; exits 1 on any
failure.  Usage: python3 scripts/kill_restart.py SERVER_BINARY [--cycles 20] [--seed 1]
"""
import argparse, json, os, random, signal, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from service_client import call_json, start_server, wait_until_healthy

ORDER = {"queued": 0, "running": 1, "succeeded": 2}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="kill-restart-")
    port = 20000 + rng.randrange(20000)
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PINN_PORT=str(port), PINN_STORE_PATH=f"{work}/pinn.sqlite", PINN_CHECKPOINT_SECONDS="0.3")

    def start():
        process = start_server([args.server], env, f"{work}/server.log")
        if not wait_until_healthy(process, base, 10, step=0.05):
            sys.exit(f"the server did not start (log: {work}/server.log)")
        return process

    def fail(message):
        print(f"FAIL: {message} (store and log in {work})")
        server.kill()
        sys.exit(1)

    server = start()
    schedules = [
        [{"optimizer": "adam", "iterations": 4000}],
        [{"optimizer": "adam", "iterations": 500}, {"optimizer": "ssbroyden", "iterations": 2000}],
        [{"optimizer": "adam", "iterations": 500}, {"optimizer": "lbfgs", "iterations": 2000}],
        [{"optimizer": "adam", "iterations": 3000}],
    ]
    jobs = []
    for phases in schedules:
        spec = {"problem": "burgers", "network": {"layers": [20, 20, 20], "adaptive": "layer"},
                "training": {"collocationPoints": 1000, "boundaryPoints": 100, "threads": 1, "logEvery": 1,
                             "evaluateEvery": 50, "resampling": {"every": 200, "candidates": 2000}, "phases": phases},
                "output": {"grid": {"x": 32, "t": 8}}}
        jobs.append(call_json(base, "POST", "/v1/jobs", json.dumps(spec))["id"])

    def snapshot():
        state = {}
        for job in jobs:
            status = call_json(base, "GET", f"/v1/jobs/{job}")["status"]
            rows = len(call_json(base, "GET", f"/v1/jobs/{job}/losses")["records"])
            state[job] = (status, rows)
        return state

    before = snapshot()
    print("| cycle | killed after | statuses (queued/running/succeeded) | loss rows before kill | after restart |")
    print("|---|---|---|---|---|")
    for cycle in range(1, args.cycles + 1):
        wait = rng.uniform(0.2, 2.5)
        time.sleep(wait)
        try:
            before = snapshot()
        except Exception as error:
            fail(f"cycle {cycle}: the server stopped answering before the kill: {error}")
        server.send_signal(signal.SIGKILL)
        server.wait()
        server = start()
        after = snapshot()
        for job in jobs:
            if job not in after:
                fail(f"cycle {cycle}: job {job} is gone")
            (s0, r0), (s1, r1) = before[job], after[job]
            if s1 not in ORDER:
                fail(f"cycle {cycle}: job {job} is {s1}")
            if ORDER[s1] < ORDER[s0]:
                fail(f"cycle {cycle}: job {job} went from {s0} back to {s1}")
            if r1 < r0:
                fail(f"cycle {cycle}: job {job} lost loss rows: {r0} before the kill, {r1} after")
        counts = [sum(1 for s, _ in after.values() if s == name) for name in ("queued", "running", "succeeded")]
        rows0, rows1 = sum(r for _, r in before.values()), sum(r for _, r in after.values())
        print(f"| {cycle} | {wait:.2f} s | {counts[0]}/{counts[1]}/{counts[2]} | {rows0} | {rows1} |")
        if all(status == "succeeded" for status, _ in after.values()):
            break

    deadline = time.time() + 300
    while time.time() < deadline and not all(call_json(base, "GET", f"/v1/jobs/{j}")["status"] == "succeeded"
                                             for j in jobs):
        if any(call_json(base, "GET", f"/v1/jobs/{j}")["status"] in ("failed", "cancelled") for j in jobs):
            fail("a job failed: " + "; ".join(str(call_json(base, "GET", f"/v1/jobs/{j}").get("failure"))
                                              for j in jobs))
        time.sleep(0.2)
    total_rows = 0
    for job in jobs:
        status = call_json(base, "GET", f"/v1/jobs/{job}")
        if status["status"] != "succeeded":
            fail(f"job {job} ended {status['status']}: {status.get('failure')}")
        iterations = sorted({r["iteration"] for r in call_json(base, "GET", f"/v1/jobs/{job}/losses")["records"]})
        if iterations != list(range(iterations[-1] + 1)):
            missing = sorted(set(range(iterations[-1] + 1)) - set(iterations))
            fail(f"job {job}: the loss history has gaps at {missing[:10]}")
        total_rows += len(iterations)
    server.send_signal(signal.SIGTERM)
    server.wait()
    print(f"kill-restart: {cycle} kill -9 cycles; {len(jobs)} jobs all succeeded with continuous loss histories "
          f"({total_rows} iterations); store {work}")


if __name__ == "__main__":
    main()
