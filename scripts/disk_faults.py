#!/usr/bin/env python3
"""A full disk and a read-only file system under a real server: the store lives on a small tmpfs.

1. A job trains; the disk is filled to the last byte (dd to ENOSPC). Submissions get 507 naming the full store,
   reads keep working, and the training job stops (its history cannot be kept).
2. The space returns (the filler is deleted): the job is failed with the reason, its loss history is continuous to
   where it stopped (what was held in memory is written), and a new job trains to success.
3. The server is restarted on the file system remounted read-only: it starts and says so, serves reads, answers
   submissions 503 naming the store; remounted read-write, it takes submissions again without a restart. (Linux
   refuses to remount a file system read-only while a file on it is open for writing, so a store going read-only
   under a running server is covered by the unit tests, StoreFaultTests and ServiceLimitsTests, via query_only.)
4. The server is stopped and the file checked: PRAGMA integrity_check is "ok", every job is there.

Needs root (mount). Usage: python3 scripts/disk_faults.py SERVER_BINARY [--skip-if-no-mount]
Prints what it saw at each step and exits 1 on any failure.
"""
import argparse, json, os, sqlite3, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklist import Checklist
from service_client import call, start_server, stop_servers, wait_for, wait_until_healthy


def spec(iterations):
    return json.dumps({"problem": "burgers", "network": {"layers": [20, 20, 20]},
                       "training": {"collocationPoints": 2000, "boundaryPoints": 100, "logEvery": 1, "threads": 1,
                                    "resampling": None, "phases": [{"optimizer": "adam", "iterations": iterations}]},
                       "output": {"grid": {"x": 16, "t": 5}}})


class Run(Checklist):
    """One server on the store in `mount`, taken through the faults step by step; its checks are the Checklist."""

    def __init__(self, server_binary, mount):
        super().__init__()
        self.binary = server_binary
        self.mount = mount
        self.store = f"{mount}/pinn.sqlite"
        port = 20000 + os.getpid() % 20000
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = tempfile.mktemp(prefix="pinn-disk-", suffix=".log")
        self.env = dict(os.environ, PINN_PORT=str(port), PINN_STORE_PATH=self.store, PINN_CHECKPOINT_SECONDS="0.5",
                        PINN_STORE_FAILURE_SECONDS="3", PINN_WORKERS="1", PINN_CORES_PER_JOB="1")
        self.server = None

    def start(self):
        self.server = start_server([self.binary], self.env, self.log_path)

    def stop(self):
        if self.server:
            stop_servers([self.server], seconds=30)

    def started(self):
        """Whether the server, just started, answers GET /healthz within 20 s."""
        return wait_until_healthy(self.server, self.base, 20, step=0.05)

    def job(self, job_id):
        return call(self.base, "GET", f"/v1/jobs/{job_id}")[1]

    def finished(self, job_id):
        job = self.job(job_id)
        return job if job["status"] in ("succeeded", "failed", "cancelled") else None

    def full_disk(self):
        print("1. the disk fills up while a job trains")
        status, body, _ = call(self.base, "POST", "/v1/jobs", spec(1_000_000))
        job_id = body["id"]
        self.check(wait_for(lambda: self.job(job_id)["progress"]["iteration"] > 50, 60, step=0.2) is not None,
                   "the job trains")
        subprocess.run(["dd", "if=/dev/zero", f"of={self.mount}/filler", "bs=64k"], stderr=subprocess.DEVNULL)
        free = os.statvfs(self.mount).f_bavail
        self.check(free == 0, f"the file system is full ({free} blocks free)")
        # The jobs table's last page may still hold a spec or two; then nothing fits.
        accepted = 0
        status, body, headers = call(self.base, "POST", "/v1/jobs", spec(10))
        while status == 202 and accepted < 20:
            accepted += 1
            status, body, headers = call(self.base, "POST", "/v1/jobs", spec(10))
        message = (body or {}).get("error", {}).get("message", "")
        self.check(status == 507 and "is full" in message and headers.get("Retry-After") == "60",
                   f"a submission gets {status} (after {accepted} that still fitted): {message[:80]}…")
        self.check(call(self.base, "GET", f"/v1/jobs/{job_id}")[0] == 200
                   and call(self.base, "GET", f"/v1/jobs/{job_id}/losses?every=100")[0] == 200, "reads still work")
        before = self.job(job_id)["progress"]["iteration"]
        time.sleep(6)   # past storeFailureSeconds (3 s): the job stops training
        print(f"  (progress as stored: iteration {before} → {self.job(job_id)['progress']['iteration']})")

        print("2. the space returns")
        os.remove(f"{self.mount}/filler")
        failed = wait_for(lambda: self.finished(job_id), 30, step=0.2)
        reason = (failed or {}).get("failure") or ""
        self.check(failed is not None and failed["status"] == "failed" and "refused its history" in reason,
                   f"the job is failed with the reason: {reason[:110]}…")
        stopped = int(reason.split("stopped at iteration ")[1].split(" ")[0]) if "stopped at iteration " in reason else -1
        complete = wait_for(lambda: (lambda r: r if r[-1]["iteration"] >= stopped else None)(
            call(self.base, "GET", f"/v1/jobs/{job_id}/losses")[1]["records"]), 30, step=0.2)
        iterations = sorted({r["iteration"] for r in complete or []})
        self.check(bool(iterations) and iterations == list(range(len(iterations))) and iterations[-1] >= stopped > 50,
                   f"its loss history is continuous: iterations 0…{iterations[-1] if iterations else '-'}, no gap, "
                   f"past where it stopped ({stopped})")
        status, body, _ = call(self.base, "POST", "/v1/jobs", spec(200))
        self.check(status == 202, f"a new submission is accepted ({status})")
        done = wait_for(lambda: self.finished(body["id"]), 180, step=0.2)
        self.check(done is not None and done["status"] == "succeeded",
                   f"and trains to success ({(done or {}).get('status')})")

    def read_only(self):
        print("3. the server starts on a read-only file system")
        count = len(call(self.base, "GET", "/v1/jobs")[1]["jobs"])
        self.stop()
        subprocess.run(["mount", "-o", "remount,ro", self.mount], check=True)
        self.start()
        self.check(self.started(), "it starts")
        self.check("is read-only: reads are served" in open(self.log_path).read(), "and says the store is read-only")
        status, listing, _ = call(self.base, "GET", "/v1/jobs")
        self.check(status == 200 and len(listing["jobs"]) == count, f"reads work ({len(listing['jobs'])} jobs)")
        status, body, headers = call(self.base, "POST", "/v1/jobs", spec(10))
        message = (body or {}).get("error", {}).get("message", "")
        self.check(status == 503 and "read-only" in message and self.store in message and "Retry-After" in headers,
                   f"a submission gets {status}: {message[:90]}…")
        subprocess.run(["mount", "-o", "remount,rw", self.mount], check=True)
        status = wait_for(lambda: (lambda s: s if s == 202 else None)(call(self.base, "POST", "/v1/jobs", spec(10))[0]),
                          10, step=0.5)
        self.check(status == 202, "remounted read-write, submissions are accepted again, without a restart")
        return count + 1

    def file_check(self, count):
        print("4. the file after the faults")
        db = sqlite3.connect(self.store)
        self.check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "PRAGMA integrity_check: ok")
        stored = db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
        self.check(stored == count, f"every job is in the file ({stored} of {count})")
        db.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--skip-if-no-mount", action="store_true")
    args = parser.parse_args()
    mount = tempfile.mkdtemp(prefix="pinn-disk-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount]).returncode != 0:
        os.rmdir(mount)
        if args.skip_if_no_mount:
            print("disk faults: SKIPPED (cannot mount a tmpfs here: needs root)")
            return 0
        sys.exit("disk faults: cannot mount a tmpfs (needs root)")
    run = Run(args.server, mount)
    try:
        run.start()
        if not run.started():
            sys.exit(f"the server did not start (log: {run.log_path})")
        run.full_disk()
        count = run.read_only()
        run.stop()
        run.file_check(count)
    finally:
        run.stop()
        subprocess.run(["mount", "-o", "remount,rw", mount], stderr=subprocess.DEVNULL)
        subprocess.run(["umount", "-l", mount])
        os.rmdir(mount)
    return run.summary("disk faults", f"server log: {run.log_path}")


if __name__ == "__main__":
    sys.exit(main())
