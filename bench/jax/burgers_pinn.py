#!/usr/bin/env python3
"""JAX reference PINN for the viscous Burgers equation (timing peer of bench/pytorch/burgers_pinn.py).

    u_t + u u_x - nu u_xx = 0,   x in [-1, 1], t in [0, 1],   nu = 0.01 / pi
    u(x, 0) = -sin(pi x),        u(-1, t) = u(1, t) = 0

The same problem, network, losses and optimiser as the PyTorch script with `--adaptive neuron`:
8x20 tanh MLP (`--layers`), inputs scaled to [-1, 1], Xavier-normal weights, zero biases, N-LAAF
tanh(n * a * z) with one trainable slope per hidden neuron (n = `--scale` = 10, a starts at 1/n),
slope recovery S(a) = 1 / mean_k exp(mean_i a_i^k) weighted `--slope-recovery-weight` (0.1), and

    loss = mean(r^2) + mean((u(x,0) - u_0)^2) + mean(u(+-1,t)^2) + w * S(a)

over 10,000 Latin-hypercube interior points, 200 initial and 200 boundary points (100 per side).  The points
come from numpy's default_rng(seed) with the same calls as the PyTorch script, so for the same seed they are
the same points; the weights come from jax.random, so the initialisation differs (as it does between the
PyTorch script and our engine).  Adam is hand-written with torch.optim.Adam's defaults and update formula
(betas 0.9/0.999, eps 1e-8 added to sqrt(v)/sqrt(1-beta2^t), step lr/(1-beta1^t)).

Written as a JAX user would: the network is a pure function of a parameter pytree; the loss goes through
jax.value_and_grad; one Adam step is one jax.jit-compiled function.  Residual derivatives
(`--derivatives`):

  jvp   (default) forward mode over the whole batch: (u, u_x, u_xx) from a jvp of a jvp along x and u_t from
        a jvp along t, on the batched network (points are independent, so a tangent of ones in one input
        column gives every point's own derivative).  No vmap.
  grad  reverse mode per point, vmapped: u_x, u_t = jax.grad(u, argnums=(x, t)), u_xx = grad of u_x in x.

jvp was the faster of the two on this machine (2026-12-03, 8x20, 10,000 points, 2 threads, jit mode, medians of 20-30
steps, alternating runs): float32 57 and 53 ms per Adam step (jvp) against 77 and 66 ms (grad); float64 95 ms
against 102 ms.  So jvp is the default.

Timing modes:
  default ("jit")  each Adam step is one call of the jitted step, block_until_ready after each; the median
                   over --time-iterations calls after --warmup calls.
  --fused K ("scan") K Adam steps fused into one jitted jax.lax.scan call; ms per step = call time / K,
                   median over --time-iterations calls after --warmup calls.
Both functions are compiled ahead of time (jit(...).lower(...).compile()); the compile time is reported
separately (`compile_seconds`) and is not in the timings.

Threads (`--threads N`, applied before jax is imported): XLA's CPU client sizes its intra-op thread pool
(the `tf_XLAEigen` threads) from the environment variable NPROC if set, else from the process's CPU affinity
mask.  This script sets NPROC=N and pins itself to the first N allowed CPUs (os.sched_setaffinity, what
`taskset -c` does), so both the pool and the CPUs are N.  Measured with jax 0.10.2 on 2 cores (a 2000x2000
matmul loop; CPU time / wall time and the number of tf_XLAEigen threads): NPROC=1 -> 1 thread, ratio 1.00;
taskset -c 0 -> 1 thread, 1.00; XLA_FLAGS=--xla_cpu_multi_thread_eigen=false -> still 2 threads, 1.92;
"intra_op_parallelism_threads=1" in XLA_FLAGS (an often-quoted recipe) -> silently ignored, 2 threads, 1.92.
XLA_FLAGS is therefore left alone.  0 keeps JAX's defaults (all allowed CPUs).

Human-readable progress goes to stderr; the last line on stdout is one JSON object.
"""

import argparse
import json
import math
import os
import sys
import time

NU = 0.01 / math.pi
X_LO, X_HI = -1.0, 1.0
T_LO, T_HI = 0.0, 1.0


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--layers", default=",".join(["20"] * 8), help="hidden layer widths (default 8x20)")
    p.add_argument("--scale", type=float, default=10.0, help="n in tanh(n*a*z); a starts at 1/n")
    p.add_argument("--slope-recovery-weight", type=float, default=0.1, help="0 disables")
    p.add_argument("--points", type=int, default=10000, help="interior collocation points (LHS)")
    p.add_argument("--ic-points", type=int, default=200)
    p.add_argument("--bc-points", type=int, default=200, help="split evenly over x=-1 and x=1")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--threads", type=int, default=0,
                   help="limit XLA's CPU thread pool to N (affinity + NPROC, see above; 0: JAX's default)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--derivatives", choices=["jvp", "grad"], default="jvp",
                   help="residual derivatives: batched forward-mode jvp-of-jvp (default) or per-point "
                        "reverse-mode grad, vmapped")
    p.add_argument("--fused", type=int, default=0, metavar="K",
                   help="time K Adam steps fused in one lax.scan call (0: one jitted call per step)")
    p.add_argument("--warmup", type=int, default=20, help="untimed calls before timing")
    p.add_argument("--time-iterations", type=int, default=50, help="timed calls (each is K steps with --fused K)")
    p.add_argument("--check-residual", action="store_true",
                   help="only compare the residual of u = sin(pi x) exp(-t) (computed by the network code "
                        "path's derivative machinery) with the analytic one, and exit")
    args = p.parse_args(argv)
    args.layers = [int(w) for w in args.layers.split(",") if w.strip()]
    return args


def limit_threads(n):
    """Must run before jax is imported.  Returns a description of what was done."""
    if n <= 0:
        return {"affinity": sorted(os.sched_getaffinity(0)), "NPROC": os.environ.get("NPROC")}
    allowed = sorted(os.sched_getaffinity(0))
    if n > len(allowed):
        log(f"warning: --threads {n} but only {len(allowed)} CPUs are allowed; using {len(allowed)}")
    os.sched_setaffinity(0, allowed[:n])
    os.environ["NPROC"] = str(min(n, len(allowed)))
    return {"affinity": sorted(os.sched_getaffinity(0)), "NPROC": os.environ["NPROC"]}


# --------------------------------------------------------------------------------------------------------
# Everything below needs jax; main() imports it after limit_threads().
# --------------------------------------------------------------------------------------------------------

def latin_hypercube(n, dims, rng):
    """n points in [0,1]^dims, one per stratum in every dimension (same calls as the PyTorch script)."""
    import numpy as np
    u = (rng.random((n, dims)) + np.arange(n)[:, None]) / n
    for d in range(dims):
        u[:, d] = u[rng.permutation(n), d]
    return u


def make_training_points(n_f, n_ic, n_bc, rng, dtype):
    import numpy as np
    import jax.numpy as jnp
    xt = latin_hypercube(n_f, 2, rng)
    x_f = X_LO + (X_HI - X_LO) * xt[:, :1]
    t_f = T_LO + (T_HI - T_LO) * xt[:, 1:]
    x_0 = rng.uniform(X_LO, X_HI, (n_ic, 1))
    t_0 = np.zeros_like(x_0)
    u_0 = -np.sin(np.pi * x_0)
    n_left = n_bc // 2
    x_b = np.concatenate([np.full((n_left, 1), X_LO), np.full((n_bc - n_left, 1), X_HI)])
    t_b = rng.uniform(T_LO, T_HI, (n_bc, 1))
    to = lambda a: jnp.asarray(a, dtype=dtype)
    return {
        "xt_f": to(np.concatenate([x_f, t_f], axis=1)),   # (N, 2)
        "xt_0": to(np.concatenate([x_0, t_0], axis=1)),
        "u_0": to(u_0[:, 0]),
        "xt_b": to(np.concatenate([x_b, t_b], axis=1)),
    }


def init_params(key, layers, scale, dtype):
    """Xavier-normal weights (std = sqrt(2 / (fan_in + fan_out))), zero biases, slopes a = 1/n."""
    import jax
    import jax.numpy as jnp
    widths = [2] + list(layers) + [1]
    keys = jax.random.split(key, len(widths) - 1)
    W = [jax.random.normal(k, (m, n), dtype) * math.sqrt(2.0 / (m + n))
         for k, m, n in zip(keys, widths[:-1], widths[1:])]
    b = [jnp.zeros((n,), dtype) for n in widths[1:]]
    a = [jnp.full((w,), 1.0 / scale, dtype) for w in layers]
    return {"W": W, "b": b, "a": a}


def build_functions(args, dtype):
    import jax
    import jax.numpy as jnp

    scale = args.scale
    lo = jnp.asarray([X_LO, T_LO], dtype)
    hi = jnp.asarray([X_HI, T_HI], dtype)

    def net(params, xt):
        """u for points xt of shape (..., 2) -> (...)."""
        h = 2.0 * (xt - lo) / (hi - lo) - 1.0
        for W, b, a in zip(params["W"][:-1], params["b"][:-1], params["a"]):
            h = jnp.tanh(scale * a * (h @ W + b))
        return (h @ params["W"][-1] + params["b"][-1])[..., 0]

    def derivatives_jvp(u_fn, xt):
        """(u, u_x, u_t, u_xx) for a batched u_fn: (N, 2) -> (N,), by forward mode."""
        ex = jnp.zeros_like(xt).at[:, 0].set(1.0)
        et = jnp.zeros_like(xt).at[:, 1].set(1.0)
        u_and_ux = lambda z: jax.jvp(u_fn, (z,), (ex,))
        (u, u_x), (_, u_xx) = jax.jvp(u_and_ux, (xt,), (ex,))
        _, u_t = jax.jvp(u_fn, (xt,), (et,))
        return u, u_x, u_t, u_xx

    def derivatives_grad(u_fn, xt):
        """The same by reverse mode per point, vmapped; u_fn must also work on a single point (2,) -> ()."""
        u_pt = lambda x, t: u_fn(jnp.stack([x, t]))
        du = jax.grad(u_pt, argnums=(0, 1))
        d2 = jax.grad(lambda x, t: jax.grad(u_pt, 0)(x, t), 0)

        def one(x, t):
            u_x, u_t = du(x, t)
            return u_pt(x, t), u_x, u_t, d2(x, t)
        return jax.vmap(one)(xt[:, 0], xt[:, 1])

    derivatives = derivatives_jvp if args.derivatives == "jvp" else derivatives_grad

    def residual_of(u_fn, xt):
        u, u_x, u_t, u_xx = derivatives(u_fn, xt)
        return u_t + u * u_x - NU * u_xx

    def slope_recovery(params):
        """S(a) = 1 / mean_k exp(mean_i a_i^k)."""
        return 1.0 / jnp.mean(jnp.stack([jnp.exp(jnp.mean(a)) for a in params["a"]]))

    w = args.slope_recovery_weight

    def loss_fn(params, data):
        r = residual_of(lambda z: net(params, z), data["xt_f"])
        loss = jnp.mean(r ** 2)
        loss = loss + jnp.mean((net(params, data["xt_0"]) - data["u_0"]) ** 2)
        loss = loss + jnp.mean(net(params, data["xt_b"]) ** 2)
        if w > 0:
            loss = loss + w * slope_recovery(params)
        return loss

    lr, b1, b2, eps = args.lr, 0.9, 0.999, 1e-8

    def adam_step(params, state, data):
        """One Adam step (torch.optim.Adam's formula); returns the loss at the start of the step."""
        loss, g = jax.value_and_grad(loss_fn)(params, data)
        step = state["step"] + 1
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, state["m"], g)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, state["v"], g)
        stepf = step.astype(dtype)
        bc1 = 1 - b1 ** stepf
        bc2_sqrt = jnp.sqrt(1 - b2 ** stepf)
        params = jax.tree_util.tree_map(
            lambda p, m, v: p - (lr / bc1) * m / (jnp.sqrt(v) / bc2_sqrt + eps), params, m, v)
        return params, {"step": step, "m": m, "v": v}, loss

    def fused_steps(params, state, data, k):
        def body(carry, _):
            p, s = carry
            p, s, loss = adam_step(p, s, data)
            return (p, s), loss
        (params, state), losses = jax.lax.scan(body, (params, state), None, length=k)
        return params, state, losses[-1]

    return {"net": net, "residual_of": residual_of, "loss_fn": loss_fn, "adam_step": adam_step,
            "fused_steps": fused_steps}


def check_residual(args, fns, dtype):
    """Residual machinery on u = sin(pi x) exp(-t) against u_t + u u_x - nu u_xx in closed form."""
    import numpy as np
    import jax
    import jax.numpy as jnp
    rng = np.random.default_rng(args.seed)
    xt = jnp.asarray(np.stack([rng.uniform(X_LO, X_HI, 1000), rng.uniform(T_LO, T_HI, 1000)], 1), dtype)
    u_fn = lambda z: jnp.sin(jnp.pi * z[..., 0]) * jnp.exp(-z[..., 1])
    got = jax.jit(lambda z: fns["residual_of"](u_fn, z))(xt)
    x, t = np.asarray(xt[:, 0], np.float64), np.asarray(xt[:, 1], np.float64)
    u = np.sin(np.pi * x) * np.exp(-t)
    u_x = np.pi * np.cos(np.pi * x) * np.exp(-t)
    u_xx = -np.pi ** 2 * u
    want = -u + u * u_x - NU * u_xx
    err = float(np.abs(np.asarray(got, np.float64) - want).max())
    return {"check": "residual of sin(pi x) exp(-t)", "derivatives": args.derivatives, "dtype": args.dtype,
            "max_abs_error": err, "max_abs_residual": float(np.abs(want).max())}


def main(argv=None):
    args = parse_args(argv)
    thread_setup = limit_threads(args.threads)

    import numpy as np
    import jax
    if args.dtype == "float64":
        jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    dtype = jnp.float32 if args.dtype == "float32" else jnp.float64

    fns = build_functions(args, dtype)
    if args.check_residual:
        res = check_residual(args, fns, dtype)
        log(json.dumps(res))
        print(json.dumps(res))
        return

    rng = np.random.default_rng(args.seed)
    data = make_training_points(args.points, args.ic_points, args.bc_points, rng, dtype)
    params = init_params(jax.random.PRNGKey(args.seed), args.layers, args.scale, dtype)
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    state = {"step": jnp.asarray(0, jnp.int32), "m": zeros, "v": jax.tree_util.tree_map(jnp.zeros_like, params)}
    n_params = sum(int(p.size) for p in jax.tree_util.tree_leaves(params))
    mode = "scan" if args.fused > 0 else "jit"
    k = max(args.fused, 1)
    log(f"jax {jax.__version__} ({jax.default_backend()}), dtype {args.dtype}, threads {thread_setup}, "
        f"layers {args.layers}, {n_params} parameters, points {args.points}+{args.ic_points}+{args.bc_points}, "
        f"derivatives {args.derivatives}, mode {mode}" + (f" ({k} steps per call)" if mode == "scan" else ""))

    if mode == "scan":
        fn = jax.jit(lambda p, s, d: fns["fused_steps"](p, s, d, k), donate_argnums=(0, 1))
    else:
        fn = jax.jit(fns["adam_step"], donate_argnums=(0, 1))
    t0 = time.perf_counter()
    compiled = fn.lower(params, state, data).compile()
    compile_seconds = time.perf_counter() - t0
    log(f"compiled in {compile_seconds:.2f} s")

    loss = None
    for _ in range(args.warmup):
        params, state, loss = compiled(params, state, data)
        loss.block_until_ready()
    times = []
    for _ in range(args.time_iterations):
        t0 = time.perf_counter()
        params, state, loss = compiled(params, state, data)
        loss.block_until_ready()
        times.append(time.perf_counter() - t0)
    ms = np.array(times) * 1e3 / k
    steps = (args.warmup + args.time_iterations) * k
    final_loss = None if loss is None else float(loss)
    result = {
        "ms_per_iteration_median": float(np.median(ms)) if len(ms) else None,
        "ms_per_iteration": float(ms.mean()) if len(ms) else None,
        "ms_per_iteration_min": float(ms.min()) if len(ms) else None,
        "jax_version": jax.__version__,
        "dtype": args.dtype,
        "threads": args.threads,
        "nproc_env": thread_setup["NPROC"],
        "affinity": thread_setup["affinity"],
        "mode": mode,
        "fused_steps": k,
        "derivatives": args.derivatives,
        "compile_seconds": compile_seconds,
        "warmup_calls": args.warmup,
        "time_iterations": args.time_iterations,
        "adam_steps": steps,
        "final_loss": final_loss,
        "layers": args.layers,
        "points": args.points,
        "parameters": n_params,
        "seed": args.seed,
        "lr": args.lr,
    }
    if len(ms):
        log(f"timing ({mode}): {result['ms_per_iteration']:.2f} ms/step mean, "
            f"{result['ms_per_iteration_median']:.2f} median, {result['ms_per_iteration_min']:.2f} min over "
            f"{args.time_iterations} calls of {k} step(s) after {args.warmup} warm-up call(s)")
    log(f"loss at the start of Adam step {steps}: {final_loss}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
