#!/usr/bin/env python3
"""How the cost of one iteration grows (issue 12, item 3): ms per iteration (loss + gradient, N-LAAF with slope
recovery, the burgers preset) and peak resident memory against the collocation points (1k to 200k), the width
(20, 50, 100), the depth (4, 8, 12) and the threads (1, 2), in both precisions. One pinn-bench process per
measurement, so each peak (`/usr/bin/time -v`, "Maximum resident set size") is that configuration's own.

    python3 scripts/scaling.py [--bench .build/release/pinn-bench] [--out runs/scaling] [--quick]

Writes OUT/results.jsonl, OUT/table.md (also printed) and OUT/scaling.png (drawn by `pinn-bench figure`).
A benchmark: run it on an otherwise idle machine (about 6 minutes; --quick: Double only, fewer points).
"""
import argparse, json, os, re, subprocess, sys, time


def measure(bench, precision, threads, points, depth, width):
    repeats = 21 if points <= 20_000 else 7 if points <= 100_000 else 5
    command = ["/usr/bin/time", "-v", bench, "--mode", "neuron", "--precision", precision, "--threads", str(threads),
               "--points", str(points), "--layers", str(depth), "--width", str(width), "--repeats", str(repeats),
               "--json"]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{run.stdout}\n{run.stderr}")
    result = next(json.loads(line[len("RESULT "):]) for line in run.stdout.splitlines() if line.startswith("RESULT "))
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    return {"precision": precision, "threads": threads, "points": points, "depth": depth, "width": width,
            "ms_per_iteration": result["ms_per_iteration"], "peak_mb": peak_kb / 1024, "repeats": repeats}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", default=".build/release/pinn-bench")
    parser.add_argument("--out", default="runs/scaling")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not os.access(args.bench, os.X_OK):
        subprocess.run(["swift", "build", "-c", "release", "--product", "pinn-bench"], check=True)
    os.makedirs(args.out, exist_ok=True)
    precisions = ["double"] if args.quick else ["double", "float"]
    point_counts = [1_000, 10_000, 100_000] if args.quick else [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000]
    configurations = set()
    for precision in precisions:
        for threads in (1, 2):
            configurations |= {(precision, threads, n, 8, 20) for n in point_counts}
            configurations |= {(precision, threads, 10_000, 8, w) for w in (20, 50, 100)}
            configurations |= {(precision, threads, 10_000, d, 20) for d in (4, 8, 12)}
    load = lambda: open("/proc/loadavg").read().split()[:3]
    print(f"{time.strftime('%F %T')}: {len(configurations)} measurements, load average {' '.join(load())}",
          file=sys.stderr)
    results = []
    with open(os.path.join(args.out, "results.jsonl"), "w") as sink:
        for configuration in sorted(configurations, key=lambda c: (c[0], c[1], c[3], c[4], c[2])):
            result = measure(args.bench, *configuration)
            results.append(result)
            sink.write(json.dumps(result) + "\n")
            sink.flush()
            print(f"  {result}", file=sys.stderr)
    lines = [f"Measured {time.strftime('%F')} (`python3 scripts/scaling.py`), load average at the end "
             f"{' '.join(load())}. N-LAAF with slope recovery; ms per loss + gradient evaluation (median); peak "
             "resident memory of the whole pinn-bench process.", "",
             "| precision | threads | points | depth × width | ms / iteration | µs per point | peak MB |",
             "|---|---|---|---|---|---|---|"]
    for r in sorted(results, key=lambda r: (r["precision"], r["threads"], r["depth"], r["width"], r["points"])):
        lines.append(f"| {r['precision']} | {r['threads']} | {r['points']:,} | {r['depth']}×{r['width']} | "
                     f"{r['ms_per_iteration']:.2f} | {1000 * r['ms_per_iteration'] / r['points']:.2f} | "
                     f"{r['peak_mb']:.0f} |")
    table = "\n".join(lines) + "\n"
    open(os.path.join(args.out, "table.md"), "w").write(table)
    print(table)
    figure = os.path.join(args.out, "scaling.png")
    subprocess.run([args.bench, "figure", os.path.join(args.out, "results.jsonl"), figure], check=True)
    print(f"figure: {figure}", file=sys.stderr)


if __name__ == "__main__":
    main()
