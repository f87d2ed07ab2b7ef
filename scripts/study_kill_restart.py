#!/usr/bin/env python3
"""A study survives kill -9 of the server, and its summary matches what its jobs report (issue 23's acceptance).

Starts a server on a temporary SQLite store (2 workers of 1 core, checkpoints every 0.3 s) and submits a study of
2 variations (network.adaptive fixed/layer) × 20 seeds = 40 tiny Burgers jobs. Kills the server with SIGKILL
twice mid-way — each time with some jobs succeeded, some running and some queued — and restarts it on the same
store. Once every job has ended, checks: every job succeeded; the study's report is `finished` and lists every
job exactly once, in the cell its values say; and, recomputed here from each job's own GET /v1/jobs/{id} and
/errors, each cell's final error (the last evaluation, equal to the status document's) has the median, min, max and
count the report gives, and each run's decade crossings the cell's `reached` counts. Also fetches errors.png.
About 30 s on 2 cores. Exits 1 on any failure.
Usage: python3 scripts/study_kill_restart.py SERVER_BINARY [--seeds 20] [--kills 2]
"""
import argparse, json, os, signal, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklist import Checklist
from service_client import call, call_json, free_port, start_server, wait_for, wait_until_healthy

VARIATION = "network.adaptive"
VALUES = ["fixed", "layer"]
# Each job long enough that the store shows it mid-training (progress reaches the store with the history, every
# second or so, and with each checkpoint): 400 iterations took 0.1 s on an idle machine with AVX-512 kernels, so no
# running job was ever seen past iteration 100 and the kills never came. 5,000 take ~1 s there.
ITERATIONS = 5000


def median(values):
    """The median as the service computes it: the mean of the middle two of an even count."""
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 == 1 else (s[n // 2 - 1] + s[n // 2]) / 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--kills", type=int, default=2)
    args = parser.parse_args()
    started = time.time()
    work = tempfile.mkdtemp(prefix="study-kill-restart-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PINN_PORT=str(port), PINN_STORE_PATH=f"{work}/pinn.sqlite", PINN_CHECKPOINT_SECONDS="0.3")
    # 2 jobs at a time of 1 core each; no rate limit (the checks below call in bursts).
    command = [args.server, "--workers", "2", "--cores-per-job", "1", "--rate-limit-per-second", "0"]

    def start():
        process = start_server(command, env, f"{work}/server.log")
        if not wait_until_healthy(process, base, 15, step=0.05):
            process.kill()
            sys.exit(f"FAIL: the server did not start (log: {work}/server.log)")
        return process

    server = start()
    study_spec = {
        "name": "kill -9 acceptance",
        "base": {"problem": "burgers", "network": {"layers": [8, 8]},
                 "training": {"collocationPoints": 200, "boundaryPoints": 20, "threads": 1, "evaluateEvery": 20,
                              "phases": [{"optimizer": "adam", "iterations": ITERATIONS}]},
                 "output": {"grid": {"x": 16, "t": 5}}},
        "variations": {VARIATION: VALUES},
        "seeds": args.seeds,
    }
    report = call_json(base, "POST", "/v1/studies", json.dumps(study_spec))
    study = report["id"]
    expected = len(VALUES) * args.seeds
    print(f"study {study}: {expected} jobs in {len(report['cells'])} cells")

    def counts():
        return call_json(base, "GET", f"/v1/studies/{study}")["counts"]

    # Kill k of n when at least k/(n+1) of the jobs have succeeded, while some wait and some are mid-training (past
    # iteration 100, so they resume from a checkpoint).
    for kill in range(1, args.kills + 1):
        target = expected * kill // (args.kills + 1)

        def midway():
            now = call_json(base, "GET", f"/v1/studies/{study}")
            c = now["counts"]
            training = [run["iteration"] for cell in now["cells"] for run in cell["runs"]
                        if run["status"] == "running" and run["iteration"] >= 100]
            return dict(c, iterations=training) if c["succeeded"] >= target and training and c["queued"] > 0 else None

        state = wait_for(midway, 60, step=0.02)
        if state is None:
            last = counts()
            server.kill()
            sys.exit(f"FAIL: kill {kill}: never caught the study mid-way (counts {last}; log {work}/server.log)")
        server.send_signal(signal.SIGKILL)
        server.wait()
        print(f"kill -9 #{kill} at {time.time() - started:.1f} s: {state['succeeded']} succeeded, "
              f"{state['running']} running (at iterations {state['iterations']}), {state['queued']} queued")
        server = start()

    def ended():
        c = counts()
        return c if c["queued"] == 0 and c["running"] == 0 else None

    final_counts = wait_for(ended, 120, step=0.2)
    checks = Checklist()
    checks.check(final_counts is not None, f"every job ended ({final_counts})")
    report = call_json(base, "GET", f"/v1/studies/{study}")
    checks.check(report["status"] == "finished", f"the study is finished ({report['status']})")
    checks.check(report["jobs"] == expected, f"the study has its {expected} jobs ({report['jobs']})")
    checks.check(report["counts"]["succeeded"] == expected, f"every job succeeded ({report['counts']})")

    runs = [(cell, run) for cell in report["cells"] for run in cell["runs"]]
    ids = [run["id"] for _, run in runs]
    checks.check(len(ids) == expected and len(set(ids)) == expected, f"the report lists {expected} distinct runs ({len(ids)})")
    listed = {job["id"] for job in call_json(base, "GET", "/v1/jobs?limit=1000")["jobs"]}
    checks.check(set(ids) <= listed, "every run is a job of GET /v1/jobs")
    for cell in report["cells"]:
        seeds = sorted(run["seed"] for run in cell["runs"])
        checks.check(seeds == list(range(args.seeds)), f"cell {cell['label']}: one run per seed 0…{args.seeds - 1}")

    # Recompute each cell's numbers from the jobs' own documents.
    mismatches = []
    for cell in report["cells"]:
        finals, crossings = [], []
        for run in cell["runs"]:
            job = call_json(base, "GET", f"/v1/jobs/{run['id']}")
            errors = call_json(base, "GET", f"/v1/jobs/{run['id']}/errors")["records"]
            if job["status"] != "succeeded":
                mismatches.append(f"job {run['id']} is {job['status']}: {job.get('failure')}")
                continue
            if job["spec"]["network"].get("adaptive") != cell["values"][VARIATION] \
                    or job["spec"]["training"]["seed"] != run["seed"]:
                mismatches.append(f"job {run['id']}: spec {job['spec']['network']}/{job['spec']['training']['seed']}"
                                  f" is not cell {cell['values']} seed {run['seed']}")
            if not errors:
                mismatches.append(f"job {run['id']} has no error history")
                continue
            final = errors[-1]["relativeL2"]
            iterations = [record["iteration"] for record in errors]
            if iterations != sorted(set(iterations)):
                mismatches.append(f"job {run['id']}: error history out of order or repeated: {iterations}")
            if job["error"]["relativeL2"] != final:
                mismatches.append(f"job {run['id']}: status error {job['error']['relativeL2']} != last /errors {final}")
            if run["finalError"] != final:
                mismatches.append(f"job {run['id']}: report's finalError {run['finalError']} != the job's {final}")
            finals.append(final)
            # The decades this run reached: its first evaluation at or below each 10^-d.
            reached = 0
            for record in errors:
                while reached < 15 and record["relativeL2"] <= float(f"1e-{reached + 1}"):
                    reached += 1
            crossings.append(reached)
            if [c["decade"] for c in run["decades"]] != list(range(1, reached + 1)):
                mismatches.append(f"job {run['id']}: report's decades {run['decades']} != {reached} reached")
        spread = cell["finalError"]
        mine = {"median": median(finals), "min": min(finals), "max": max(finals), "count": len(finals)} if finals else None
        if spread != mine:
            mismatches.append(f"cell {cell['label']}: report {spread} != recomputed {mine}")
        for decade in cell["decades"]:
            want = sum(1 for r in crossings if r >= decade["decade"])
            if decade["reached"] != want or decade["runs"] != len(cell["runs"]):
                mismatches.append(f"cell {cell['label']} decade {decade['decade']}: reached {decade['reached']}/"
                                  f"{decade['runs']} != {want}/{len(cell['runs'])}")
        print(f"  cell {cell['label']}: final error median {spread['median']:.3e} min {spread['min']:.3e} "
              f"max {spread['max']:.3e} over {spread['count']} runs; decades reached "
              + ", ".join(f"1e-{d['decade']}: {d['reached']}" for d in cell["decades"]))
    checks.check(not mismatches, "each cell's final-error median/min/max/count and decade counts equal those "
                                 "recomputed from the jobs' own /v1/jobs/{id} and /errors"
                                 + ("".join("\n         " + m for m in mismatches[:10])))

    with urllib.request.urlopen(base + f"/v1/studies/{study}/errors.png", timeout=30) as response:
        png = response.read()
    checks.check(png[:8] == b"\x89PNG\r\n\x1a\n", f"errors.png is a PNG ({len(png)} bytes)")
    status, _, _ = call(base, "GET", f"/v1/studies/{study}/errors.png?x=iteration")
    checks.check(status == 200, f"errors.png?x=iteration answers 200 ({status})")

    server.send_signal(signal.SIGTERM)
    server.wait()
    print(f"({time.time() - started:.1f} s; store and log in {work})")
    sys.exit(checks.summary("study kill-restart", f"store and log in {work}"))


if __name__ == "__main__":
    main()
