#!/usr/bin/env bash
# Head-to-head: this engine vs the PyTorch reference (bench/pytorch/burgers_pinn.py) and the JAX reference
# (bench/jax/burgers_pinn.py), same machine, same session.
#
#   scripts/head-to-head.sh [--quick] [--precision float32|float64|both] [--targets 1e-2[,1e-3...]]
#                           [--threads N] [--seed N] [--full-schedule] [--no-jax] [--out DIR]
#
# All sides: Burgers, 8x20 tanh, N-LAAF (n = 10, slope recovery 0.1), 10,000 interior + 200 initial +
# 200 boundary points, the same precision and thread count (default 2), seed 1234 (ours uses its own random
# generator, so its initialisation and points differ; PyTorch and JAX draw the same points from numpy but
# initialise differently).
#   (a) ms per Adam iteration, per precision in this order: ours = median of BENCH_REPEATS loss+gradient
#       evaluations (pinn-bench; the Adam update itself, ~3,400 parameters, is not in it and is negligible);
#       PyTorch = median of TORCH_TIME_ITERATIONS full Adam steps (zero_grad, forward, residual, backward,
#       optimizer.step) after TORCH_WARMUP warm-up steps; JAX jit = median of JAX_TIME_ITERATIONS jitted
#       Adam steps, one call each (block_until_ready after each), after JAX_WARMUP warm-up calls; JAX scan =
#       JAX_SCAN_STEPS Adam steps fused in one jax.lax.scan call, median over JAX_SCAN_CALLS calls after one
#       warm-up call, divided by JAX_SCAN_STEPS. JAX compilation is excluded (reported in results.json).
#       Ratios = PyTorch / ours, JAX jit / ours, JAX scan / ours. --no-jax skips both JAX runs.
#       Also what a user pays: ours (pinn train) = the whole Adam iteration of `pinn train` on the same network and
#       points (TRAIN_ITERATIONS Adam iterations, logged every 10 as a default job is), the median over iterations
#       100…TRAIN_ITERATIONS of the wall-clock difference between consecutive records divided by 10; the ratios
#       against it are printed too.
# The machine is printed first and kept in settings.json and the table: CPU model, its vector extensions (AVX-512,
# AVX2/FMA) and the OpenBLAS kernels our executables run (`pinn kernels`), since results differ by kind of machine.
#   (b) (not with --quick) time to relative L2 < target on the 256x100 grid, with the same schedule:
#       Adam 2000 at lr 1e-3 (slopes trained, S(a) at 0.1), then L-BFGS 4000 (history 50, strong Wolfe,
#       slopes frozen, S(a) dropped). Errors are evaluated every 50 iterations on both sides.
#       PyTorch stops once every target is reached (--stop-at-target) unless --full-schedule is given;
#       ours always runs the whole schedule (that does not change the time to target). These runs take
#       minutes (float64 PyTorch the longest; if it never reaches the target it runs all 6,000 iterations).
#
# Environment: TORCH_VENV (default .venv-torch; created with bench/pytorch/install.sh if missing, which also
#   installs bench/jax/requirements.txt; an existing venv without jax gets it via install.sh --jax-only),
#   TORCH_TIME_ITERATIONS (50), TORCH_WARMUP (20), BENCH_REPEATS (21),
#   JAX_TIME_ITERATIONS (50), JAX_WARMUP (20), JAX_SCAN_STEPS (100), JAX_SCAN_CALLS (5), TRAIN_ITERATIONS (400).
# Raw outputs go to --out (default runs/head-to-head/<timestamp>); the table is also written to table.md there.
#
# Run it on an otherwise idle machine. PyTorch's OpenMP threads spin at barriers: with another job busy on
# the same cores, a 2-thread PyTorch step was measured ~50x slower (2.7 s instead of ~50 ms). Ours degrades
# far less, so a loaded machine inflates the ratio. The script prints the load average before each run.
# JAX's XLA CPU thread pool is limited to --threads by bench/jax/burgers_pinn.py (NPROC and the CPU affinity
# mask; see its docstring).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=0 full=0 jax=1 precisions="float32 float64" targets="1e-2" threads=2 seed=1234 out=""
while (($#)); do
    case "$1" in
        --quick) quick=1 ;;
        --full-schedule) full=1 ;;
        --no-jax) jax=0 ;;
        --precision)
            case "${2:-}" in
                float32|float64) precisions="$2" ;;
                both) precisions="float32 float64" ;;
                *) echo "--precision: float32, float64 or both" >&2; exit 2 ;;
            esac
            shift ;;
        --targets) targets="${2:?--targets needs a list}"; shift ;;
        --threads) threads="${2:?--threads needs N}"; shift ;;
        --seed) seed="${2:?--seed needs N}"; shift ;;
        --out) out="${2:?--out needs DIR}"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

venv="${TORCH_VENV:-.venv-torch}"
time_iterations="${TORCH_TIME_ITERATIONS:-50}"
warmup="${TORCH_WARMUP:-20}"
repeats="${BENCH_REPEATS:-21}"
jax_time_iterations="${JAX_TIME_ITERATIONS:-50}"
jax_warmup="${JAX_WARMUP:-20}"
jax_scan_steps="${JAX_SCAN_STEPS:-100}"
jax_scan_calls="${JAX_SCAN_CALLS:-5}"
train_iterations="${TRAIN_ITERATIONS:-400}"
((train_iterations >= 110)) || { echo "TRAIN_ITERATIONS must be at least 110 (the first 100 are warm-up)" >&2; exit 2; }
out="${out:-runs/head-to-head/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"

# --- prerequisites -----------------------------------------------------------------------------------------
if [[ ! -x "$venv/bin/python" ]]; then
    echo "== installing the PyTorch venv at $venv" >&2
    bench/pytorch/install.sh "$venv"
fi
py="$venv/bin/python"
if ((jax)) && ! "$py" -c 'import jax' 2>/dev/null; then
    echo "== installing bench/jax/requirements.txt into $venv" >&2
    bench/pytorch/install.sh --jax-only "$venv"
fi
for product in pinn-bench pinn; do
    if [[ ! -x ".build/release/$product" ]]; then
        echo "== building $product (release)" >&2
        swift build -c release --product "$product" >&2
    fi
done

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
# The kind of machine: what the speed of every side depends on.
cpu_model="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
cpu_flags="$(grep -m1 '^flags' /proc/cpuinfo || true)"
has() { [[ " $cpu_flags " == *" $1 "* ]] && echo yes || echo no; }
isa="AVX-512 $(has avx512f), AVX2 $(has avx2), FMA $(has fma)"
kernels="$(.build/release/pinn kernels 2>/dev/null || echo unknown)"
echo "== machine: $cpu_model; $isa; OpenBLAS kernels $kernels; $(nproc) cores" >&2
note() { echo "== $* (load average $(load))" >&2; echo "$(date +%H:%M:%S) $* | load $(load)" >> "$out/log.txt"; }

cat > "$out/settings.json" <<EOF
{"quick": $quick, "full_schedule": $full, "jax": $jax, "precisions": "$precisions", "targets": "$targets",
 "threads": $threads, "seed": $seed, "torch_time_iterations": $time_iterations, "torch_warmup": $warmup,
 "bench_repeats": $repeats, "jax_time_iterations": $jax_time_iterations, "jax_warmup": $jax_warmup,
 "jax_scan_steps": $jax_scan_steps, "jax_scan_calls": $jax_scan_calls, "git": "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo +dirty)",
 "train_iterations": $train_iterations, "cpu": "$cpu_model", "isa": "$isa", "openblas_kernels": "$kernels",
 "nproc": $(nproc), "load_at_start": "$(load)"}
EOF

torch_common=(bench/pytorch/burgers_pinn.py --threads "$threads" --adaptive neuron --scale 10
              --slope-recovery-weight 0.1 --points 10000 --ic-points 200 --bc-points 200 --seed "$seed")
jax_common=(bench/jax/burgers_pinn.py --threads "$threads" --scale 10 --slope-recovery-weight 0.1
            --points 10000 --ic-points 200 --bc-points 200 --seed "$seed")

# --- (a) ms per Adam iteration, alternating ours / PyTorch / JAX jit / JAX scan per precision -----------------
for p in $precisions; do
    ours_p=$([[ $p == float32 ]] && echo float || echo double)
    note "ours $p: pinn-bench, $repeats repeats"
    .build/release/pinn-bench --mode neuron --precision "$ours_p" --threads "$threads" --points 10000 \
        --repeats "$repeats" --json > "$out/ours-bench-$p.txt"
    # The same network, points and Adam step through `pinn train`, logged every 10 iterations as a default job is
    # (no resampling, no error evaluation): what a user's job pays per iteration.
    mkdir -p "$out/ours-iterations-$p"
    cat > "$out/ours-iterations-$p/spec.json" <<EOF
{"problem": "burgers",
 "network": {"layers": [20, 20, 20, 20, 20, 20, 20, 20], "activation": "tanh", "adaptive": "neuron", "scale": 10,
             "slopeRecovery": true},
 "training": {"collocationPoints": 10000, "boundaryPoints": 200, "precision": "$ours_p", "threads": $threads,
              "seed": $seed, "slopeRecoveryWeight": 0.1, "logEvery": 10, "evaluateEvery": 0, "resampling": null,
              "phases": [{"optimizer": "adam", "iterations": $train_iterations, "learningRate": 1e-3}]},
 "output": {"grid": {"x": 16, "t": 5}}}
EOF
    note "ours $p: pinn train, $train_iterations Adam iterations, logged every 10"
    .build/release/pinn train "$out/ours-iterations-$p/spec.json" --out "$out/ours-iterations-$p" --quiet \
        > "$out/ours-iterations-$p/stdout.txt"
    note "pytorch $p: $warmup warm-up + $time_iterations timed Adam steps"
    "$py" "${torch_common[@]}" --dtype "$p" --iterations 0 --time-iterations "$time_iterations" \
        --warmup "$warmup" > "$out/torch-timing-$p.json" 2> "$out/torch-timing-$p.log"
    if ((jax)); then
        note "jax $p jit: $jax_warmup warm-up + $jax_time_iterations timed Adam steps, one call each"
        "$py" "${jax_common[@]}" --dtype "$p" --warmup "$jax_warmup" --time-iterations "$jax_time_iterations" \
            > "$out/jax-jit-$p.json" 2> "$out/jax-jit-$p.log"
        note "jax $p scan: 1 warm-up + $jax_scan_calls timed calls of $jax_scan_steps fused Adam steps"
        "$py" "${jax_common[@]}" --dtype "$p" --fused "$jax_scan_steps" --warmup 1 \
            --time-iterations "$jax_scan_calls" > "$out/jax-scan-$p.json" 2> "$out/jax-scan-$p.log"
    fi
done

# --- (b) time to target with the default schedule --------------------------------------------------------------
if ((!quick)); then
    stop=(--stop-at-target)
    ((full)) && stop=()
    for p in $precisions; do
        ours_p=$([[ $p == float32 ]] && echo float || echo double)
        mkdir -p "$out/ours-train-$p"
        # The default Burgers schedule (Adam 2000 -> L-BFGS 4000, slopes frozen in L-BFGS). logEvery 25 (not 50)
        # so the summary can estimate the cost of one error evaluation from the Adam-phase log intervals.
        cat > "$out/ours-train-$p/spec.json" <<EOF
{"problem": "burgers", "training": {"precision": "$ours_p", "threads": $threads, "seed": $seed,
 "evaluateEvery": 50, "logEvery": 25}}
EOF
        note "ours $p: pinn train (Adam 2000 + L-BFGS 4000)"
        .build/release/pinn train "$out/ours-train-$p/spec.json" --out "$out/ours-train-$p" --quiet \
            > "$out/ours-train-$p/stdout.txt"
        note "pytorch $p: Adam 2000 + L-BFGS 4000${stop:+, stopping at the target}"
        "$py" "${torch_common[@]}" --dtype "$p" --iterations 2000 --lr 1e-3 --lbfgs-iterations 4000 \
            --lbfgs-history 50 --eval-every 50 --target "$targets" --time-iterations 0 "${stop[@]}" \
            > "$out/torch-train-$p.json" 2> "$out/torch-train-$p.log"
    done
fi
note "done"

# --- summary -----------------------------------------------------------------------------------------------------
python3 - "$out" "$precisions" "$targets" "$quick" "$threads" "$jax" <<'PY' | tee "$out/table.md"
import csv, json, os, statistics, sys

out, precisions, targets, quick, threads = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4] == "1", sys.argv[5]
with_jax = sys.argv[6] == "1"
targets = sorted({float(t) for t in targets.split(",") if t.strip()}, reverse=True)

def last_json(path):
    with open(path) as f:
        lines = [l for l in f if l.strip().startswith("{")]
    return json.loads(lines[-1])

def ours_ms(p):
    with open(os.path.join(out, f"ours-bench-{p}.txt")) as f:
        for line in f:
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])["ms_per_iteration"]
    raise SystemExit(f"no RESULT line in ours-bench-{p}.txt")

def ours_iteration_ms(p):
    """The median wall-clock time per iteration of `pinn train` over iterations 100…end (records every 10)."""
    d = os.path.join(out, f"ours-iterations-{p}")
    seconds = {int(r["iteration"]): float(r["seconds"]) for r in csv.DictReader(open(os.path.join(d, "losses.csv")))}
    steps = [(seconds[i + 10] - seconds[i]) / 10 for i in sorted(seconds) if i >= 100 and i + 10 in seconds]
    return 1e3 * statistics.median(steps)

def ours_train(p):
    d = os.path.join(out, f"ours-train-{p}")
    errors = [(int(r["iteration"]), float(r["relativeL2"])) for r in csv.DictReader(open(os.path.join(d, "errors.csv")))]
    losses = [(int(r["iteration"]), int(r["phase"]), float(r["seconds"])) for r in csv.DictReader(open(os.path.join(d, "losses.csv")))]
    # `seconds` is the trainer's wall clock since the start of training, recorded at iteration i *before* the
    # error evaluation of iteration i, so it includes the evaluations at 0, 50, ..., i-50 (one forward pass
    # over the 25,600-point grid each). Estimate one evaluation's cost from the Adam phase: log intervals of 25
    # iterations that start at a multiple of 50 contain an evaluation, the others do not.
    adam = [(i, s) for i, ph, s in losses if ph == 0]
    with_eval, without = [], []
    for (i0, s0), (i1, s1) in zip(adam, adam[1:]):
        if i1 - i0 != 25 or i0 == 0:
            continue
        (with_eval if i0 % 50 == 0 else without).append(s1 - s0)
    per_eval = max(0.0, statistics.median(with_eval) - statistics.median(without)) if with_eval and without else None
    summary = json.load(open(os.path.join(d, "summary.json")))
    res = {"final_rel_l2": summary.get("relativeL2"), "wall_seconds": summary.get("wallSeconds"),
           "seconds_per_eval_est": per_eval, "hits": {}}
    for tgt in targets:
        hit = next(((i, e) for i, e in errors if e < tgt), None)
        if hit is None:
            res["hits"][tgt] = None
            continue
        i = hit[0]
        # the record just before the evaluation at i (the last one at i: at a phase start there are two);
        # every evaluation iteration is a multiple of logEvery or the end of the run, which is always logged
        at = [(ph, s) for it, ph, s in losses if it == i] or [(ph, s) for it, ph, s in losses if it > i][:1]
        phase, secs = at[-1]
        evals_before = sum(1 for it, _ in errors if it < i)
        res["hits"][tgt] = {"iteration": i, "phase": "adam" if phase == 0 else "lbfgs", "seconds": secs,
                            "evals_included": evals_before,
                            "eval_seconds_est": None if per_eval is None else evals_before * per_eval}
    return res

def fmt(x, spec=".1f"):
    return "—" if x is None else format(x, spec)

rows, notes, results = [], [], {}
header = ["precision", "ours ms/Adam it", "ours (pinn train) ms/it", "PyTorch ms/Adam it"]
if with_jax:
    header += ["JAX jit ms/Adam it", "JAX scan ms/Adam it"]
header += ["ratio PyTorch/ours"]
if with_jax:
    header += ["ratio JAX jit/ours", "ratio JAX scan/ours"]
header += ["ratio PyTorch/pinn train"]
if with_jax:
    header += ["ratio JAX scan/pinn train"]
if not quick:
    for tgt in targets:
        header += [f"ours s to {tgt:g} (iter)", f"PyTorch s to {tgt:g} (iter)", "ratio"]
for p in precisions:
    o = ours_ms(p)
    t = last_json(os.path.join(out, f"torch-timing-{p}.json"))
    tm = t["ms_per_iteration_median"]
    ot_ms = ours_iteration_ms(p)
    row = [p, f"{o:.2f}", f"{ot_ms:.2f}", f"{tm:.2f} (mean {t['ms_per_iteration']:.2f})"]
    results[p] = {"ours_ms": o, "ours_train_ms": ot_ms, "torch_ms_median": tm, "torch_ms_mean": t["ms_per_iteration"],
                  "torch_version": t.get("torch_version"), "ratio": tm / o}
    if with_jax:
        jj = last_json(os.path.join(out, f"jax-jit-{p}.json"))
        js = last_json(os.path.join(out, f"jax-scan-{p}.json"))
        jjm, jsm = jj["ms_per_iteration_median"], js["ms_per_iteration_median"]
        row += [f"{jjm:.2f} (mean {jj['ms_per_iteration']:.2f})", f"{jsm:.2f} (mean {js['ms_per_iteration']:.2f})"]
        results[p].update(jax_version=jj.get("jax_version"), jax_derivatives=jj.get("derivatives"),
                          jax_jit_ms_median=jjm, jax_jit_ms_mean=jj["ms_per_iteration"],
                          jax_jit_compile_seconds=jj.get("compile_seconds"),
                          jax_scan_ms_median=jsm, jax_scan_ms_mean=js["ms_per_iteration"],
                          jax_scan_fused_steps=js.get("fused_steps"),
                          jax_scan_compile_seconds=js.get("compile_seconds"),
                          ratio_jax_jit=jjm / o, ratio_jax_scan=jsm / o)
    row += [f"{tm / o:.2f}×"]
    if with_jax:
        row += [f"{jjm / o:.2f}×", f"{jsm / o:.2f}×"]
    row += [f"{tm / ot_ms:.2f}×"]
    if with_jax:
        row += [f"{jsm / ot_ms:.2f}×"]
    if not quick:
        ot = ours_train(p)
        tt = last_json(os.path.join(out, f"torch-train-{p}.json"))
        results[p].update(ours_train=ot, torch_train={k: v for k, v in tt.items() if k != "rel_l2_history"})
        for tgt in targets:
            oh = ot["hits"][tgt]
            ts, ti, tph = tt.get(f"seconds_to_{tgt:g}"), tt.get(f"iter_to_{tgt:g}"), tt.get(f"phase_to_{tgt:g}")
            row += [f"{oh['seconds']:.1f} ({oh['iteration']}, {oh['phase']})" if oh else "not reached",
                    f"{ts:.1f} ({ti}, {tph})" if ts is not None else "not reached",
                    f"{ts / oh['seconds']:.2f}×" if oh and ts is not None else "—"]
            if oh and oh["eval_seconds_est"] is not None:
                notes.append(f"{p}, {tgt:g}: ours includes {oh['evals_included']} error evaluation(s), "
                             f"≈ {oh['eval_seconds_est']:.2f} s ({ot['seconds_per_eval_est'] * 1e3:.1f} ms each, "
                             f"estimated): ≈ {oh['seconds'] - oh['eval_seconds_est']:.1f} s without them")
        stopped = " (stopped at the target)" if tt.get("stopped_at_target") else ""
        notes.append(f"{p}: final rel L2 ours {fmt(ot['final_rel_l2'], '.3e')} after the full schedule "
                     f"({ot['wall_seconds']:.0f} s); PyTorch {tt['rel_l2']:.3e} after {tt['iterations']} Adam + "
                     f"{tt['lbfgs_iterations']} L-BFGS iterations{stopped} ({tt['train_seconds']:.0f} s training, "
                     f"{tt['lbfgs_closure_evaluations']} L-BFGS closure evaluations)")
    rows.append(row)

settings = json.load(open(os.path.join(out, "settings.json")))
print(f"\n### Burgers head-to-head: 8×20 tanh N-LAAF (n = 10), 10,000 + 200 + 200 points, {threads} threads\n")
print(f"Machine: {settings['cpu']}; {settings['isa']}; OpenBLAS kernels {settings['openblas_kernels']}; "
      f"{settings['nproc']} cores.\n")
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for row in rows:
    print("| " + " | ".join(row) + " |")
print()
torch_version = next(iter(results.values()))["torch_version"] if results else "?"
print(f"- ms/Adam it: medians; ours = one loss+gradient evaluation (pinn-bench), PyTorch {torch_version} = one "
      "whole Adam step; ours (pinn train) = the whole Adam iteration of `pinn train` (loss, gradient, update, "
      f"a history record every 10), median over iterations 100…{settings['train_iterations']}.")
if with_jax and results:
    r0 = next(iter(results.values()))
    print(f"- JAX {r0.get('jax_version')} ({r0.get('jax_derivatives')} derivatives): jit = one jitted Adam step per "
          f"call; scan = {r0.get('jax_scan_fused_steps')} Adam steps fused in one lax.scan call, ms per step = "
          "call time / steps. Compilation excluded: "
          + ", ".join(f"{p} {r['jax_jit_compile_seconds']:.1f} s (jit) / {r['jax_scan_compile_seconds']:.1f} s (scan)"
                      for p, r in results.items()) + ".")
if not quick:
    print("- s to target: training seconds until the first evaluation (every 50 iterations) below the target, "
          "across Adam 2000 → L-BFGS; PyTorch excludes its evaluation time, ours includes it (see below). "
          "One seed each; on Burgers a different seed moves the iteration of the hit noticeably.")
for n in notes:
    print(f"- {n}")
start = settings["load_at_start"]
try:
    busy = float(start.split()[0]) > 0.5
except ValueError:
    busy = False
print(f"- load average at the start: {start} on {settings['nproc']} cores"
      + (" — **the machine was not idle; these timings (PyTorch's especially) are not trustworthy**" if busy else "")
      + f"; during the runs: {os.path.join(out, 'log.txt')}")
json.dump(results, open(os.path.join(out, "results.json"), "w"), indent=1)
PY
echo "raw outputs: $out" >&2
