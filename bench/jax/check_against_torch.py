#!/usr/bin/env python3
"""Cross-check bench/jax/burgers_pinn.py against bench/pytorch/burgers_pinn.py with identical parameters.

Builds the PyTorch N-LAAF model (torch.manual_seed(seed), Xavier normal), copies its weights, biases and
slopes into the JAX parameter pytree, uses the same points (both scripts draw them from
numpy.default_rng(seed) with the same calls), and compares in float64 by default:
  1. the loss and the gradient of every parameter at the initial point;
  2. the loss over --steps Adam steps (PyTorch's torch.optim.Adam vs the hand-written JAX Adam).
Needs torch and jax in the same venv.  Takes a few seconds to a minute (--steps, --points).

    .venv-torch/bin/python bench/jax/check_against_torch.py [--steps 50] [--dtype float64] [--points 10000]
"""

import argparse
import importlib.util
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    p.add_argument("--points", type=int, default=10000)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--derivatives", choices=["jvp", "grad"], default="jvp")
    args = p.parse_args()

    import numpy as np
    import torch
    tb = load("torch_burgers", os.path.join(here, "..", "pytorch", "burgers_pinn.py"))
    jb = load("jax_burgers", os.path.join(here, "burgers_pinn.py"))
    import jax
    if args.dtype == "float64":
        jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    tdt = torch.float64 if args.dtype == "float64" else torch.float32
    jdt = jnp.float64 if args.dtype == "float64" else jnp.float32
    torch.set_default_dtype(tdt)
    torch.manual_seed(args.seed)
    layers = [20] * 8
    model = tb.PINN(layers, "neuron", 10.0)
    tdata = tb.make_training_points(args.points, 200, 200, "lhs", np.random.default_rng(args.seed))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    jargs = jb.parse_args(["--dtype", args.dtype, "--derivatives", args.derivatives])
    fns = jb.build_functions(jargs, jdt)
    jdata = jb.make_training_points(args.points, 200, 200, np.random.default_rng(args.seed), jdt)
    same_points = bool(np.array_equal(np.asarray(jdata["xt_f"][:, 0]), tdata["x_f"].detach().numpy()[:, 0])
                       and np.array_equal(np.asarray(jdata["xt_b"][:, 1]), tdata["t_b"].numpy()[:, 0]))

    # A copy: jnp.asarray of a numpy array can share its memory on CPU, and torch's optimizer updates the
    # parameters in place.
    to_j = lambda t: jnp.asarray(t.detach().numpy().copy(), jdt)
    params = {"W": [to_j(l.weight.T) for l in model.linears], "b": [to_j(l.bias) for l in model.linears],
              "a": [to_j(a) for a in model.a]}

    # 1. loss and gradient at the initial point
    loss_t = tb.compute_loss(model, tdata, 0.1, "combined")
    opt.zero_grad()
    loss_t.backward()
    loss_j, g = jax.jit(jax.value_and_grad(fns["loss_fn"]))(params, jdata)
    tg = {"W": [l.weight.grad.T for l in model.linears], "b": [l.bias.grad for l in model.linears],
          "a": [a.grad for a in model.a]}
    rel = []
    for key in ("W", "b", "a"):
        for gj, gt in zip(g[key], tg[key]):
            gt = gt.numpy()
            rel.append(float(np.abs(np.asarray(gj) - gt).max() / max(np.abs(gt).max(), 1e-300)))
    out = {"dtype": args.dtype, "points": args.points, "same_points": same_points,
           "loss_torch": float(loss_t.detach()), "loss_jax": float(loss_j),
           "loss_rel_diff": abs(float(loss_j) - float(loss_t.detach())) / abs(float(loss_t.detach())),
           "grad_max_rel_diff": max(rel)}

    # 2. Adam trajectories from the same start
    state = {"step": jnp.asarray(0, jnp.int32), "m": jax.tree_util.tree_map(jnp.zeros_like, params),
             "v": jax.tree_util.tree_map(jnp.zeros_like, params)}
    step = jax.jit(fns["adam_step"])
    lt, lj = [], []
    opt.zero_grad()
    for _ in range(args.steps):
        lt.append(float(tb.train_step(model, opt, tdata, 0.1, "combined")))
        params, state, l = step(params, state, jdata)
        lj.append(float(l))
    diffs = [abs(a - b) / abs(a) for a, b in zip(lt, lj)]
    out.update({"adam_steps": args.steps, "adam_loss_torch_last": lt[-1] if lt else None,
                "adam_loss_jax_last": lj[-1] if lj else None,
                "adam_loss_max_rel_diff": max(diffs) if diffs else None})
    for k, v in out.items():
        print(f"{k:24s} {v}", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
