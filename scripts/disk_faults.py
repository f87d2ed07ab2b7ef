#!/usr/bin/env python3
"""A full disk and a read-only file system under a live server, for real: the store lives on a small tmpfs.

1. A job trains; the disk is filled to the last byte (dd to ENOSPC). Submissions get 507 naming the full store,
   reads keep working, and the training job stops and is failed with the reason (its history cannot be kept).
2. The space returns (the filler is deleted): the failure is recorded, the job's loss history is continuous to
   where it stopped, and a new job trains to success.
3. The file system is remounted read-only: submissions get 503 naming it, reads keep working; remounted
   read-write, submissions work again.
4. The server is stopped and the file checked: PRAGMA integrity_check is "ok", every job is there.

Needs root (mount). Usage: python3 scripts/disk_faults.py SERVER_BINARY [--skip-if-no-mount]
Prints what it saw at each step and exits 1 on any failure.
"""
import argparse, json, os, sqlite3, subprocess, sys, tempfile, time, urllib.error, urllib.request


def call(base, method, path, body=None):
    """(status, JSON body) — error statuses too."""
    request = urllib.request.Request(base + path, method=method, data=body.encode() if body else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), dict(error.headers)


def wait_for(condition, seconds, step=0.2):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--skip-if-no-mount", action="store_true")
    args = parser.parse_args()
    mount = tempfile.mkdtemp(prefix="pinn-disk-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount]).returncode != 0:
        if args.skip_if_no_mount:
            print("disk faults: SKIPPED (cannot mount a tmpfs here: needs root)")
            return 0
        sys.exit("disk faults: cannot mount a tmpfs (needs root)")
    port = 20000 + os.getpid() % 20000
    base = f"http://127.0.0.1:{port}"
    store = f"{mount}/pinn.sqlite"
    log_path = tempfile.mktemp(prefix="pinn-disk-", suffix=".log")
    env = dict(os.environ, PINN_PORT=str(port), PINN_STORE_PATH=store, PINN_CHECKPOINT_SECONDS="0.5",
               PINN_STORE_FAILURE_SECONDS="3", PINN_WORKERS="1", PINN_CORES_PER_JOB="1")
    log = open(log_path, "ab")
    server = subprocess.Popen([args.server], env=env, stdout=log, stderr=log)
    failures = []

    def check(condition, message):
        print(("  ok   " if condition else "  FAIL ") + message)
        if not condition:
            failures.append(message)

    def job(job_id):
        return call(base, "GET", f"/v1/jobs/{job_id}")[1]

    def spec(iterations):
        return json.dumps({"problem": "burgers", "network": {"layers": [12, 12]},
                           "training": {"collocationPoints": 500, "boundaryPoints": 50, "logEvery": 1, "threads": 1,
                                        "resampling": None,
                                        "phases": [{"optimizer": "adam", "iterations": iterations}]},
                           "output": {"grid": {"x": 16, "t": 5}}})

    try:
        if not wait_for(lambda: call(base, "GET", "/healthz")[0] == 200 if server.poll() is None else sys.exit(
                f"the server exited (log: {log_path})"), 20):
            sys.exit("the server did not start")
        print("1. the disk fills up while a job trains")
        status, body, _ = call(base, "POST", "/v1/jobs", spec(1_000_000))
        long_job = body["id"]
        check(wait_for(lambda: (job(long_job).get("latestLoss") or {}).get("iteration", 0) > 50, 60) is not None,
              "the job trains")
        # Fill every byte: dd stops at ENOSPC.
        subprocess.run(["dd", "if=/dev/zero", f"of={mount}/filler", "bs=64k"], stderr=subprocess.DEVNULL)
        free = os.statvfs(mount).f_bavail
        check(free == 0, f"the file system is full ({free} blocks free)")
        status, body, headers = call(base, "POST", "/v1/jobs", spec(10))
        message = (body or {}).get("error", {}).get("message", "")
        check(status == 507 and "is full" in message and headers.get("Retry-After") == "60",
              f"a submission gets {status}: {message[:90]}…")
        check(call(base, "GET", f"/v1/jobs/{long_job}")[0] == 200 and call(base, "GET", "/v1/jobs")[0] == 200,
              "reads still work")
        before = job(long_job)["progress"]["iteration"]
        time.sleep(6)   # past storeFailureSeconds (3 s): the job stops training
        after = job(long_job)["progress"]["iteration"]
        print(f"  (progress as stored: iteration {before} → {after}; nothing more can be stored)")

        print("2. the space returns")
        os.remove(f"{mount}/filler")
        failed = wait_for(lambda: (lambda j: j if j["status"] == "failed" else None)(job(long_job)), 30)
        check(failed is not None and "refused its history" in (failed or {}).get("failure", ""),
              f"the job is failed with the reason: {((failed or {}).get('failure') or '')[:110]}…")
        losses = call(base, "GET", f"/v1/jobs/{long_job}/losses")[1]["records"]
        iterations = sorted({r["iteration"] for r in losses})
        check(iterations == list(range(len(iterations))) and len(iterations) > 50,
              f"its loss history is continuous: iterations 0…{iterations[-1] if iterations else '-'}, no gap")
        status, body, _ = call(base, "POST", "/v1/jobs", spec(200))
        check(status == 202, f"a new submission is accepted ({status})")
        new_job = body.get("id")
        done = wait_for(lambda: (lambda j: j if j["status"] in ("succeeded", "failed") else None)(job(new_job)), 120)
        check(done is not None and done["status"] == "succeeded", "and trains to success")

        print("3. the file system becomes read-only")
        subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
        status, body, headers = call(base, "POST", "/v1/jobs", spec(10))
        message = (body or {}).get("error", {}).get("message", "")
        check(status == 503 and "read-only" in message, f"a submission gets {status}: {message[:90]}…")
        check(call(base, "GET", f"/v1/jobs/{new_job}")[0] == 200, "reads still work")
        subprocess.run(["mount", "-o", "remount,rw", mount], check=True)
        status = wait_for(lambda: (lambda s: s if s == 202 else None)(call(base, "POST", "/v1/jobs", spec(10))[0]), 15)
        check(status == 202, "writable again: a submission is accepted")
        _, listing, _ = call(base, "GET", "/v1/jobs")
        count = len(listing["jobs"])
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    print("4. the file after the faults")
    db = sqlite3.connect(store)
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "PRAGMA integrity_check: ok")
    stored = db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
    check(stored == count, f"every job is in the file ({stored} stored, {count} listed)")
    db.close()
    subprocess.run(["umount", mount])
    os.rmdir(mount)
    if failures:
        print(f"disk faults: {len(failures)} FAILED (server log: {log_path})")
        return 1
    print("disk faults: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
