#!/usr/bin/env python3
"""Jobs per minute for a batch of small jobs through the service (issue 12 item 4, issue 13's figure).

N identical small jobs (burgers, network 3×20, 2,000 collocation and 100 boundary points, one Adam phase of
--iterations, resampling off, a loss record every 100 iterations, a 16×5 output grid, a different seed each) are
submitted at once through the first server; the script polls their statuses every 0.2 s (one list request, through
the servers in turn) until every one has succeeded, and reports jobs per minute = N / (first submission → last job
seen succeeded) × 60, the median and max job time (submitted → finished, and started → finished, from the store's
own timestamps) and, with several servers, how many jobs each trained (the store's lease holder of each job, which
names the server process; cross-checked against each server's /metrics iteration counter). The submitting server
is woken at once by a submission; the others find queued jobs at their next store poll (WorkerPool's pollSeconds,
1 s, not a server setting), so with jobs much shorter than a second the first server trains most or all of them.

Configurations (--configs, comma-separated; default all):
  sqlite-1x2  one server, SQLite in a temp dir, 1 worker × 2 cores per job (not pinned)
  sqlite-2x1  one server, SQLite, 2 workers × 1 core per job (not pinned)
  pg-1, pg-2, pg-3
              1, 2, 3 servers on one throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh, started once,
              stopped at the end, also on failure or Ctrl-C), a fresh database per configuration; each server
              1 worker × 1 core, pinned with `taskset -c K` to core K = its index mod the machine's cores.
With more servers than cores the servers share cores: on a 2-core machine pg-3 runs three one-core servers on two
cores (servers 0 and 2 both on core 0), so it is oversubscribed and its figure is NOT what three cores would give;
the script says so in its output. PostgreSQL itself and this client are not pinned and take their share of the
same cores.

A benchmark: run it on an otherwise idle machine (it prints the load average at start and end) and build the
server in release mode first. Every job must succeed; any failure exits 1 with the tail of the server logs.
Usage: python3 scripts/small_jobs.py SERVER_BINARY [--jobs N] [--iterations N] [--configs LIST] [--json OUT]
  e.g. python3 scripts/small_jobs.py .build/release/pinn-server --json small-jobs.json
"""
import argparse, json, os, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from service_client import (call, free_port, metric, start_postgres_cluster, start_server, stop_postgres_cluster,
                            stop_servers, wait_until_healthy)

ROOT = os.path.dirname(HERE)
# name: (servers, workers per server, cores per job, store)
CONFIGS = {
    "sqlite-1x2": (1, 1, 2, "sqlite"),
    "sqlite-2x1": (1, 2, 1, "sqlite"),
    "pg-1": (1, 1, 1, "postgres"),
    "pg-2": (2, 1, 1, "postgres"),
    "pg-3": (3, 1, 1, "postgres"),
}
POLL_SECONDS = 0.2


class Failure(Exception):
    pass


def iterations_here(base):
    """This server process's pinn_iterations_total (its /metrics counter), None when it does not report it."""
    value = metric(base, "pinn_iterations_total")
    return None if value is None else int(value)


def job_spec(iterations, threads, seed):
    return json.dumps({"problem": "burgers", "network": {"layers": [20, 20, 20]},
                       "training": {"collocationPoints": 2000, "boundaryPoints": 100, "seed": seed,
                                    "threads": threads, "logEvery": 100, "resampling": None,
                                    "phases": [{"optimizer": "adam", "iterations": iterations}]},
                       "output": {"grid": {"x": 16, "t": 5}}})


def list_jobs(base):
    """Every job in the store by id → status document (the list, paged)."""
    jobs, path = {}, "/v1/jobs?limit=1000"
    while path:
        status, page, _ = call(base, "GET", path)
        if status != 200:
            raise Failure(f"GET {path}: {status} {page}")
        for job in page["jobs"]:
            jobs[job["id"]] = job
        path = page.get("next")
    return jobs


def pg_dir(url):
    return url.split("host=", 1)[1].split("&", 1)[0]


def pg_query(url, database, sql):
    result = subprocess.run(["psql", "-h", pg_dir(url), "-U", "postgres", "-d", database, "-At", "-F", "\t",
                             "-c", sql], check=True, capture_output=True, text=True)
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def store_rows(store, url, database, sqlite_path):
    """(id, created_at, started_at, finished_at, lease_holder) of every job, read from the store itself."""
    sql = "SELECT id, created_at, started_at, finished_at, lease_holder FROM jobs"
    if store == "postgres":
        rows = pg_query(url, database, sql)
    else:
        with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) as db:
            rows = db.execute(sql).fetchall()
    number = lambda v: float(v) if v not in (None, "") else None
    return [(r[0], number(r[1]), number(r[2]), number(r[3]), r[4] or None) for r in rows]


def log_tails(logs, lines=30):
    out = []
    for k, path in enumerate(logs):
        try:
            with open(path, errors="replace") as f:
                tail = f.readlines()[-lines:]
        except OSError:
            tail = ["(no log)\n"]
        out.append(f"--- server {k} log, last {len(tail)} lines ---\n" + "".join(tail))
    return "\n".join(out)


def run_config(name, args, cluster, cores):
    count, workers, per_job, store = CONFIGS[name]
    work = tempfile.mkdtemp(prefix=f"pinn-small-{name}-")
    servers, logs = [], []
    database = "pinn_small_" + name.replace("-", "_")
    url = None
    note = None
    try:
        if store == "postgres":
            subprocess.run(["createdb", "-h", pg_dir(cluster), "-U", "postgres", database], check=True,
                           capture_output=True, text=True)
            url = cluster.replace("/pinn_test?", f"/{database}?")
            pins = [k % cores for k in range(count)]
            if count > cores:
                note = (f"{name}: {count} servers on {cores} cores — OVERSUBSCRIBED (cores {pins}): servers share "
                        f"cores, so this is not the figure {count} cores would give")
        else:
            pins = [None]
        ports = [free_port() for _ in range(count)]
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        sqlite_path = f"{work}/pinn.sqlite"
        for k, port in enumerate(ports):
            env = dict(os.environ, PINN_PORT=str(port), PINN_WORKERS=str(workers), PINN_CORES_PER_JOB=str(per_job),
                       PINN_RATE_LIMIT_PER_SECOND="0", PINN_MAX_QUEUED_JOBS=str(max(100, args.jobs)),
                       PINN_STORE_PATH=sqlite_path if store == "sqlite" else f"{work}/unused-{k}.sqlite")
            env.pop("PINN_STORE", None)
            if url:
                env["PINN_STORE"] = url
            command = [args.server] if pins[k] is None else ["taskset", "-c", str(pins[k]), args.server]
            logs.append(f"{work}/server-{k}.log")
            servers.append(start_server(command, env, logs[-1], cwd=ROOT, start_new_session=True))
        for k, base in enumerate(bases):
            if not wait_until_healthy(servers[k], base, 30):
                raise Failure(f"{name}: server {k} did not start (exit code {servers[k].poll()})")
        before = [iterations_here(b) or 0 for b in bases]

        started = time.time()
        submitted = {}
        for seed in range(args.jobs):
            status, body, _ = call(bases[0], "POST", "/v1/jobs", job_spec(args.iterations, per_job, 1000 + seed))
            if status != 202:
                raise Failure(f"{name}: submission {seed} refused: {status} {body}")
            submitted[body["id"]] = time.time()
        seen_done, polls, turn = {}, 0, 0
        deadline = started + args.timeout
        while len(seen_done) < len(submitted):
            if time.time() > deadline:
                raise Failure(f"{name}: {len(submitted) - len(seen_done)} jobs unfinished after {args.timeout} s")
            time.sleep(POLL_SECONDS)
            jobs = list_jobs(bases[turn % count])
            turn += 1
            polls += 1
            now = time.time()
            for i in submitted:
                job = jobs.get(i)
                if job is None:
                    raise Failure(f"{name}: job {i} missing from the list through server {(turn - 1) % count}")
                if job["status"] in ("failed", "cancelled"):
                    raise Failure(f"{name}: job {i} {job['status']}: {job.get('failure')}")
                if job["status"] == "succeeded" and i not in seen_done:
                    seen_done[i] = now
        wall = max(seen_done.values()) - started
        after = [iterations_here(b) or 0 for b in bases]
        holders = {}
        for k, server in enumerate(servers):
            holders[server.pid] = k
        stop_servers(servers)
        codes = [s.returncode for s in servers]

        rows = store_rows(store, url, database, sqlite_path)
        ours = [r for r in rows if r[0] in submitted]
        if len(ours) != len(submitted):
            raise Failure(f"{name}: the store holds {len(ours)} of the {len(submitted)} jobs")
        job_seconds = [r[3] - r[1] for r in ours]
        train_seconds = [r[3] - r[2] for r in ours]
        per_server = [0] * count
        unknown = 0
        for r in ours:
            try:
                per_server[holders[int(r[4].split(":")[-2])]] += 1
            except (AttributeError, IndexError, KeyError, ValueError):
                unknown += 1
        by_iterations = [(a - b) / args.iterations for a, b in zip(after, before)]
        result = {"configuration": name, "servers": count, "workers": workers, "coresPerJob": per_job,
                  "store": store, "pinnedCores": pins if store == "postgres" else None, "oversubscribed": note,
                  "jobs": args.jobs, "iterations": args.iterations, "seconds": wall,
                  "jobsPerMinute": args.jobs / wall * 60,
                  "storeSpanSeconds": max(r[3] for r in ours) - min(r[1] for r in ours),
                  "medianJobSeconds": statistics.median(job_seconds), "maxJobSeconds": max(job_seconds),
                  "medianTrainingSeconds": statistics.median(train_seconds), "maxTrainingSeconds": max(train_seconds),
                  "jobsPerServer": per_server, "jobsWithUnknownServer": unknown,
                  "jobsPerServerFromMetrics": by_iterations, "polls": polls, "serverExitCodes": codes,
                  "perJob": [{"id": r[0], "createdAt": r[1], "startedAt": r[2], "finishedAt": r[3],
                              "leaseHolder": r[4], "submittedClient": submitted[r[0]] - started,
                              "seenSucceededClient": seen_done[r[0]] - started} for r in ours]}
        return result
    except Failure as failure:
        stop_servers(servers)
        raise Failure(f"{failure}\n{log_tails(logs)}")
    finally:
        stop_servers(servers)
        shutil.rmtree(work, ignore_errors=True)


def table(results):
    lines = ["| configuration | servers × workers × cores | jobs | seconds | jobs/min | median job s (max) "
             "| median training s | jobs per server |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        spread = " / ".join(str(n) for n in r["jobsPerServer"]) if r["servers"] > 1 else "–"
        if r["jobsWithUnknownServer"]:
            spread += f" (+{r['jobsWithUnknownServer']} unknown)"
        mark = " ⚠ oversubscribed" if r["oversubscribed"] else ""
        lines.append(f"| {r['configuration']}{mark} | {r['servers']} × {r['workers']} × {r['coresPerJob']} "
                     f"| {r['jobs']} | {r['seconds']:.1f} | {r['jobsPerMinute']:.1f} "
                     f"| {r['medianJobSeconds']:.1f} ({r['maxJobSeconds']:.1f}) | {r['medianTrainingSeconds']:.2f} "
                     f"| {spread} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("server")
    parser.add_argument("--jobs", type=int, default=24)
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--json")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one configuration may take at most")
    args = parser.parse_args()
    args.server = os.path.abspath(args.server)
    names = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in names if c not in CONFIGS]
    if unknown or not names:
        parser.error(f"unknown configuration(s) {unknown}; choose from {', '.join(CONFIGS)}")
    if args.jobs < 1 or args.iterations < 1:
        parser.error("--jobs and --iterations must be at least 1")
    if not os.access(args.server, os.X_OK):
        parser.error(f"{args.server}: not an executable")
    cores = os.cpu_count() or 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        pass

    def interrupted(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)

    load_start = os.getloadavg()
    print(f"small jobs: {args.jobs} jobs × {args.iterations} Adam iterations (burgers, 3×20, 2000 + 100 points), "
          f"{cores} cores; load average at start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}")
    if load_start[0] > 0.5:
        print("  note: the machine is not idle (1-minute load above 0.5); the figures are disturbed")
    for name in names:
        count, _, _, store = CONFIGS[name]
        if store == "postgres" and count > cores:
            print(f"  note: {name} runs {count} one-core servers on {cores} cores: it is oversubscribed "
                  f"(cores {[k % cores for k in range(count)]}), not a {count}-core measurement")
    cluster = None
    results = []
    try:
        if any(CONFIGS[n][3] == "postgres" for n in names):
            cluster = start_postgres_cluster()
        for name in names:
            print(f"{name} …", flush=True)
            r = run_config(name, args, cluster, cores)
            results.append(r)
            spread = f", jobs per server {r['jobsPerServer']} (metrics: " \
                     f"{[round(x, 2) for x in r['jobsPerServerFromMetrics']]})" if r["servers"] > 1 else ""
            print(f"  {r['seconds']:.1f} s, {r['jobsPerMinute']:.1f} jobs/min{spread}", flush=True)
    except Failure as failure:
        print(f"small jobs: FAILED: {failure}")
        return 1
    except subprocess.CalledProcessError as error:
        print(f"small jobs: FAILED: {' '.join(error.cmd)}: {error.returncode}\n{error.stderr}")
        return 1
    except KeyboardInterrupt:
        print("small jobs: interrupted")
        return 130
    finally:
        if cluster:
            stop_postgres_cluster(cluster)
        load_end = os.getloadavg()
        if results:
            print()
            print(table(results))
            print()
            for r in results:
                if r["oversubscribed"]:
                    print(f"⚠ {r['oversubscribed']}")
            print(f"load average at start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}, "
                  f"at end {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}")
            if args.json:
                with open(args.json, "w") as f:
                    json.dump({"jobs": args.jobs, "iterations": args.iterations, "cores": cores,
                               "loadAverageStart": load_start, "loadAverageEnd": load_end,
                               "results": results}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
