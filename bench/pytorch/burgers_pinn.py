#!/usr/bin/env python3
"""Plain-autograd PyTorch reference PINN for the viscous Burgers equation.

    u_t + u u_x - nu u_xx = 0,   x in [-1, 1], t in [0, 1],   nu = 0.01 / pi
    u(x, 0) = -sin(pi x),        u(-1, t) = u(1, t) = 0

Written the way the Raissi-style PyTorch tutorials do it: a fully connected
tanh network, derivatives via torch.autograd.grad(..., create_graph=True),
mean-squared residual + initial + boundary losses, Adam.  Optionally with
(Jagtap-style) adaptive activations tanh(n * a * z) and the slope-recovery term,
and optionally followed by an L-BFGS phase (torch.optim.LBFGS with max_iter=1,
stepped --lbfgs-iterations times with a closure; adaptive slopes frozen and the
slope-recovery term dropped during it).

Human-readable progress goes to stderr; the last line on stdout is one JSON
object with the results.
"""

import argparse
import json
import math
import sys
import time

import numpy as np
import torch
from torch import nn

NU = 0.01 / math.pi
X_LO, X_HI = -1.0, 1.0
T_LO, T_HI = 0.0, 1.0


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Exact solution (Cole-Hopf + Gauss-Hermite quadrature), numpy float64
# --------------------------------------------------------------------------

def hermgauss_log(n):
    """Gauss-Hermite nodes s_j and log-weights log w_j (weight e^{-s^2}).

    numpy.polynomial.hermite.hermgauss(n) returns NaN weights for n >~ 370 (its
    unnormalised Hermite polynomials overflow at the outer nodes), so for n = 400
    we compute the same rule via the orthonormal Hermite *functions*
    psi_k(s) = h_k(s) e^{-s^2/2}, which stay O(1):  w_j = e^{-s_j^2} / (n psi_{n-1}(s_j)^2).
    Nodes: eigenvalues of the Jacobi matrix, polished by Newton on psi_n.
    For n <= 370 this agrees with hermgauss to rounding (checked in --check-reference).
    """
    off = np.sqrt(np.arange(1, n) / 2.0)
    s = np.linalg.eigvalsh(np.diag(off, 1) + np.diag(off, -1))

    def psi(x):  # returns psi_{n-1}(x), psi_n(x) by the stable three-term recurrence
        p_prev = np.zeros_like(x)
        p = np.pi ** -0.25 * np.exp(-0.5 * x * x)
        for k in range(n):
            p_prev, p = p, np.sqrt(2.0 / (k + 1)) * x * p - np.sqrt(k / (k + 1.0)) * p_prev
        return p_prev, p

    for _ in range(3):  # Newton: psi_n'(s) = sqrt(2n) psi_{n-1}(s) - s psi_n(s)
        pm1, pn = psi(s)
        s = s - pn / (np.sqrt(2.0 * n) * pm1 - s * pn)
    pm1, _ = psi(s)
    log_w = -s * s - np.log(n) - 2.0 * np.log(np.abs(pm1))
    return s, log_w


def burgers_exact(x, t, nu=NU, n_nodes=400):
    """Exact solution u(x, t) of the Burgers problem above (float64 numpy).

    Cole-Hopf:  u(x,t) = -int sin(pi(x-eta)) f(x-eta) exp(-eta^2/(4 nu t)) deta
                         / int f(x-eta) exp(-eta^2/(4 nu t)) deta,
    f(y) = exp(-cos(pi y) / (2 pi nu)).  With eta = sqrt(4 nu t) s both integrals
    become Gauss-Hermite sums  sum_j w_j g(s_j).  Since 1/(2 pi nu) = 50, f spans
    e^{+-50}; the sums are evaluated as weights p_j = exp(l_j - max l) with
    l_j = log w_j - cos(pi y_j)/(2 pi nu)  (log-sum-exp).  At t = 0: -sin(pi x).
    """
    x, t = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64))
    shape = x.shape
    x, t = x.reshape(-1), t.reshape(-1)
    s, log_w = _gh_cache(n_nodes)

    u = -np.sin(np.pi * x)  # t == 0 case
    pos = t > 0
    xp, tp = x[pos][:, None], t[pos][:, None]
    y = xp - np.sqrt(4.0 * nu * tp) * s[None, :]
    logits = log_w[None, :] - np.cos(np.pi * y) / (2.0 * np.pi * nu)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    u[pos] = -(p * np.sin(np.pi * y)).sum(axis=1) / p.sum(axis=1)
    return u.reshape(shape)


_GH = {}


def _gh_cache(n):
    if n not in _GH:
        _GH[n] = hermgauss_log(n)
    return _GH[n]


def reference_grid(nx=256, nt=100):
    x = np.linspace(X_LO, X_HI, nx)
    t = np.linspace(T_LO, T_HI, nt)
    X, T = np.meshgrid(x, t, indexing="ij")  # shape (nx, nt)
    return X, T, burgers_exact(X, T)


def check_reference():
    """Sanity checks for the exact solution; returns a dict of findings."""
    X, T, U = reference_grid()
    out = {}
    # 1) t = 0 equals the initial condition
    out["t0_max_abs_err"] = float(np.abs(U[:, 0] + np.sin(np.pi * X[:, 0])).max())
    # 2) boundary values
    out["boundary_max_abs"] = float(max(np.abs(U[0, :]).max(), np.abs(U[-1, :]).max()))
    # 3) our log-space Gauss-Hermite rule vs numpy's hermgauss where the latter works
    s_np, w_np = np.polynomial.hermite.hermgauss(300)
    s_lg, lw_lg = hermgauss_log(300)
    out["gh300_nodes_max_abs_diff_vs_numpy"] = float(np.abs(s_np - s_lg).max())
    out["gh300_weights_max_rel_diff_vs_numpy"] = float(np.abs(np.exp(lw_lg) / w_np - 1).max())
    with np.errstate(all="ignore"):
        out["numpy_hermgauss_400_finite"] = bool(np.isfinite(np.polynomial.hermite.hermgauss(400)[1]).all())
    # 4) convergence in the number of Gauss-Hermite nodes
    out["nodes400_vs_300_max_abs_diff"] = float(np.abs(U - burgers_exact(X, T, n_nodes=300)).max())
    out["nodes400_vs_600_max_abs_diff"] = float(np.abs(U - burgers_exact(X, T, n_nodes=600)).max())
    # 5) independent check with a dense trapezoid rule in eta (t = 0.25, 0.5, 1)
    diffs = []
    for tv in (0.25, 0.5, 1.0):
        xs = np.linspace(-1, 1, 257)
        sig = math.sqrt(4 * NU * tv)
        eta = np.linspace(-12 * sig, 12 * sig, 200001)
        y = xs[:, None] - eta[None, :]
        lg = -np.cos(np.pi * y) / (2 * np.pi * NU) - eta[None, :] ** 2 / (4 * NU * tv)
        lg -= lg.max(axis=1, keepdims=True)
        p = np.exp(lg)
        ut = -np.trapezoid(p * np.sin(np.pi * y), eta, axis=1) / np.trapezoid(p, eta, axis=1)
        diffs.append(float(np.abs(ut - burgers_exact(xs, tv)).max()))
    out["trapezoid_check_max_abs_diff"] = max(diffs)
    # 6) shock: max |u| at t = 1 and its location; steepest slope at x = 0
    i_max = int(np.abs(U[:, -1]).argmax())
    out["t1_max_abs_u"] = float(np.abs(U[:, -1]).max())
    out["t1_argmax_x"] = float(X[i_max, -1])
    xf = np.linspace(-0.05, 0.05, 20001)
    uf = burgers_exact(xf, 1.0)
    out["t1_max_abs_u_fine"] = float(np.abs(uf).max())
    out["t1_argmax_x_fine"] = float(xf[np.abs(uf).argmax()])
    # Basdevant et al. (1986) benchmark: max |u_x| = 152.00516 at x=0, t=1.6037/pi
    h = 1e-6
    ts = 1.6037 / math.pi
    out["max_slope_at_t_1.6037/pi"] = float(
        abs(burgers_exact(h, ts) - burgers_exact(-h, ts)) / (2 * h)
    )
    out["max_slope_reference_basdevant"] = 152.00516
    return out


# --------------------------------------------------------------------------
# Network
# --------------------------------------------------------------------------

class PINN(nn.Module):
    """Fully connected tanh net with optional adaptive activations tanh(n*a*z)."""

    def __init__(self, layers, adaptive="fixed", scale=10.0):
        super().__init__()
        widths = [2] + list(layers) + [1]
        self.linears = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:])
        )
        for lin in self.linears:
            nn.init.xavier_normal_(lin.weight)
            nn.init.zeros_(lin.bias)

        self.adaptive = adaptive
        self.scale = scale
        a0 = 1.0 / scale  # so that n * a = 1 initially
        if adaptive == "global":
            self.a = nn.Parameter(torch.tensor(a0))
        elif adaptive == "layer":
            self.a = nn.Parameter(torch.full((len(layers),), a0))
        elif adaptive == "neuron":
            self.a = nn.ParameterList(nn.Parameter(torch.full((w,), a0)) for w in layers)
        elif adaptive != "fixed":
            raise ValueError(f"unknown adaptive mode {adaptive!r}")

        self.register_buffer("lo", torch.tensor([X_LO, T_LO]))
        self.register_buffer("hi", torch.tensor([X_HI, T_HI]))

    def forward(self, x, t):
        h = torch.cat([x, t], dim=1)
        h = 2.0 * (h - self.lo) / (self.hi - self.lo) - 1.0
        for k, lin in enumerate(self.linears[:-1]):
            z = lin(h)
            if self.adaptive == "fixed":
                h = torch.tanh(z)
            elif self.adaptive == "global":
                h = torch.tanh(self.scale * self.a * z)
            else:  # layer: scalar a[k]; neuron: vector a[k] broadcast over the batch
                h = torch.tanh(self.scale * self.a[k] * z)
        return self.linears[-1](h)

    def slope_parameters(self):
        """The adaptive-activation slopes a (empty for fixed tanh)."""
        if self.adaptive in ("global", "layer"):
            return [self.a]
        if self.adaptive == "neuron":
            return list(self.a)
        return []

    def slope_recovery(self):
        """S(a) = 1 / mean_k exp(mean_i a_i^k)."""
        if self.adaptive == "global":
            return 1.0 / torch.exp(self.a)
        if self.adaptive == "layer":
            return 1.0 / torch.exp(self.a).mean()
        if self.adaptive == "neuron":
            return 1.0 / torch.stack([torch.exp(a_k.mean()) for a_k in self.a]).mean()
        return None


# --------------------------------------------------------------------------
# Training data
# --------------------------------------------------------------------------

def latin_hypercube(n, dims, rng):
    """n points in [0,1]^dims, one per stratum in every dimension."""
    u = (rng.random((n, dims)) + np.arange(n)[:, None]) / n
    for d in range(dims):
        u[:, d] = u[rng.permutation(n), d]
    return u


def make_training_points(n_f, n_ic, n_bc, sampling, rng):
    if sampling == "lhs":
        xt = latin_hypercube(n_f, 2, rng)
    else:
        xt = rng.random((n_f, 2))
    x_f = X_LO + (X_HI - X_LO) * xt[:, :1]
    t_f = T_LO + (T_HI - T_LO) * xt[:, 1:]

    x_0 = rng.uniform(X_LO, X_HI, (n_ic, 1))
    t_0 = np.zeros_like(x_0)
    u_0 = -np.sin(np.pi * x_0)

    n_left = n_bc // 2
    x_b = np.concatenate([np.full((n_left, 1), X_LO), np.full((n_bc - n_left, 1), X_HI)])
    t_b = rng.uniform(T_LO, T_HI, (n_bc, 1))

    to_t = lambda a: torch.tensor(a, dtype=torch.get_default_dtype())
    return {
        "x_f": to_t(x_f).requires_grad_(True),
        "t_f": to_t(t_f).requires_grad_(True),
        "x_0": to_t(x_0), "t_0": to_t(t_0), "u_0": to_t(u_0),
        "x_b": to_t(x_b), "t_b": to_t(t_b),
    }


# --------------------------------------------------------------------------
# Loss
# --------------------------------------------------------------------------

def pde_residual(model, x, t, grad_style="combined"):
    u = model(x, t)
    ones = torch.ones_like(u)
    if grad_style == "separate":  # literally as in the Raissi port: one grad call each
        u_t = torch.autograd.grad(u, t, ones, create_graph=True)[0]
        u_x = torch.autograd.grad(u, x, ones, create_graph=True)[0]
    else:  # u_x and u_t from one backward pass
        u_x, u_t = torch.autograd.grad(u, (x, t), ones, create_graph=True)
    u_xx = torch.autograd.grad(u_x, x, torch.ones_like(u_x), create_graph=True)[0]
    return u_t + u * u_x - NU * u_xx


def compute_loss(model, data, slope_weight, grad_style):
    r = pde_residual(model, data["x_f"], data["t_f"], grad_style)
    loss_f = r.pow(2).mean()
    loss_ic = (model(data["x_0"], data["t_0"]) - data["u_0"]).pow(2).mean()
    loss_bc = model(data["x_b"], data["t_b"]).pow(2).mean()
    loss = loss_f + loss_ic + loss_bc
    if slope_weight > 0 and model.adaptive != "fixed":
        loss = loss + slope_weight * model.slope_recovery()
    return loss


def train_step(model, optimizer, data, slope_weight, grad_style):
    optimizer.zero_grad()
    loss = compute_loss(model, data, slope_weight, grad_style)
    loss.backward()
    optimizer.step()
    return loss


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------

class Evaluator:
    def __init__(self):
        X, T, U = reference_grid()
        dt = torch.get_default_dtype()
        self.x = torch.tensor(X.reshape(-1, 1), dtype=dt)
        self.t = torch.tensor(T.reshape(-1, 1), dtype=dt)
        self.u = U.reshape(-1)
        self.norm = np.linalg.norm(self.u)

    @torch.no_grad()
    def rel_l2(self, model):
        pred = model(self.x, self.t).reshape(-1).double().numpy()
        return float(np.linalg.norm(pred - self.u) / self.norm)


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def build(args):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model = PINN(args.layers, args.adaptive, args.scale)
    data = make_training_points(args.points, args.ic_points, args.bc_points, args.sampling, rng)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    return model, data, optimizer


def timing_run(args):
    """Warm up, then time args.time_iterations full Adam steps on a fresh model."""
    model, data, opt = build(args)
    step = lambda: train_step(model, opt, data, args.slope_recovery_weight, args.grad_style)
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.time_iterations):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times_ms = np.array(times) * 1e3
    return {
        "ms_per_iteration": float(times_ms.mean()),
        "ms_per_iteration_median": float(np.median(times_ms)),
        "ms_per_iteration_min": float(times_ms.min()),
        "time_iterations": args.time_iterations,
        "warmup_iterations": args.warmup,
    }


def slope_term(model, weight):
    """Current value of the slope-recovery part of the loss (None if not in the loss)."""
    if model.adaptive == "fixed" or weight <= 0:
        return None
    with torch.no_grad():
        return float(weight * model.slope_recovery())


def slope_term_str(model, weight):
    st = slope_term(model, weight)
    return "" if st is None else f" (slope term {st:.4e})"


def training_run(args, evaluator):
    """Adam for args.iterations steps, then (optionally) L-BFGS for args.lbfgs_iterations steps.

    Iterations are counted across both phases (L-BFGS step k is iteration args.iterations + k).
    The relative L2 error is evaluated every args.eval_every iterations and at the end; the
    training clock (train_seconds) covers only the optimizer steps, not the evaluations.
    """
    model, data, opt = build(args)
    total = args.iterations + args.lbfgs_iterations
    train_seconds = 0.0
    hits = {tgt: None for tgt in args.targets}  # target -> (iteration, train seconds, phase)
    history = []  # [iteration, rel_l2, train seconds]
    loss = None

    def evaluate(it, phase, weight):
        """Evaluates if due; returns True when training should stop (--stop-at-target)."""
        if not args.eval_every or not (it % args.eval_every == 0 or it == total):
            return False
        err = evaluator.rel_l2(model)  # not counted in train_seconds
        history.append([it, err, train_seconds])
        log(f"{phase:5s} iter {it:6d}  loss {loss.item():.4e}{slope_term_str(model, weight)}  rel_l2 {err:.4e}  "
            f"train {train_seconds:7.1f}s ({1e3 * train_seconds / it:.1f} ms/it)")
        for tgt in hits:
            if hits[tgt] is None and err < tgt:
                hits[tgt] = (it, train_seconds, phase)
        return args.stop_at_target and all(h is not None for h in hits.values())

    # ---- phase 1: Adam (slopes trained, slope recovery at args.slope_recovery_weight) ----
    it, stopped = 0, False
    for _ in range(args.iterations):
        t0 = time.perf_counter()
        loss = train_step(model, opt, data, args.slope_recovery_weight, args.grad_style)
        train_seconds += time.perf_counter() - t0
        it += 1
        if evaluate(it, "adam", args.slope_recovery_weight):
            stopped = True
            break
    adam_iterations, adam_seconds = it, train_seconds
    weight_in_effect = args.slope_recovery_weight

    # ---- phase 2: L-BFGS, written the usual way: max_iter=1 and one step() per iteration ----
    # max_eval must be given explicitly with max_iter=1.  Since pytorch PR #135026 (torch 2.13, used
    # here, has it) the strong-Wolfe search may use only max_eval - 1 evaluations, and the default max_eval is
    # max_iter * 5 // 4 = 1.  The search then tries t = 1 once and returns t = 0 if the loss went up.
    # After a t = 0 step the state never changes again (y = 0, so there is no new curvature pair, and
    # the direction stays the same), and L-BFGS stalls for good.  max_eval = 26 gives max_ls = 25, the
    # line search torch had before that change (ours allows 25 evaluations per line search).
    # --lbfgs-max-eval 0 keeps torch's default, to reproduce the stall.
    lbfgs_done, lbfgs_evals, lbfgs_stop = 0, 0, None
    if args.lbfgs_iterations > 0 and not stopped:
        for a in model.slope_parameters():  # freeze the slopes; S(a) drops out of the loss
            a.requires_grad_(False)
        weight_in_effect = 0.0
        params = [p for p in model.parameters() if p.requires_grad]
        lbfgs = torch.optim.LBFGS(params, lr=args.lbfgs_lr, max_iter=1, max_eval=args.lbfgs_max_eval or None,
                                  history_size=args.lbfgs_history, line_search_fn="strong_wolfe")

        def closure():
            nonlocal lbfgs_evals
            lbfgs_evals += 1
            lbfgs.zero_grad()
            value = compute_loss(model, data, 0.0, args.grad_style)
            value.backward()
            return value

        lbfgs_stop = "maxIterations"
        for _ in range(args.lbfgs_iterations):
            t0 = time.perf_counter()
            loss = lbfgs.step(closure)  # the loss at the start of this step
            train_seconds += time.perf_counter() - t0
            it += 1
            lbfgs_done += 1
            if not torch.isfinite(loss):
                lbfgs_stop = "nonFiniteLoss"
                log(f"lbfgs iter {it:6d}: non-finite loss, stopping")
                break
            if evaluate(it, "lbfgs", 0.0):
                lbfgs_stop = "targetReached"
                break
    lbfgs_seconds = train_seconds - adam_seconds

    final = evaluator.rel_l2(model)
    res = {
        "iterations": adam_iterations,
        "lbfgs_iterations": lbfgs_done,
        "lbfgs_closure_evaluations": lbfgs_evals,
        "lbfgs_stop_reason": lbfgs_stop,
        "lbfgs_max_eval": (args.lbfgs_max_eval or None) if args.lbfgs_iterations else None,
        "stopped_at_target": stopped or lbfgs_stop == "targetReached",
        "final_loss": None if loss is None else float(loss.item()),
        "final_slope_term": slope_term(model, weight_in_effect),
        "rel_l2": final,
        "targets": args.targets,
        "hits": hits,
        "train_seconds": train_seconds,
        "adam_seconds": adam_seconds,
        "lbfgs_seconds": lbfgs_seconds,
        "train_ms_per_iteration": (1e3 * adam_seconds / adam_iterations) if adam_iterations else None,
        "lbfgs_ms_per_iteration": (1e3 * lbfgs_seconds / lbfgs_done) if lbfgs_done else None,
        "lbfgs_ms_per_evaluation": (1e3 * lbfgs_seconds / lbfgs_evals) if lbfgs_evals else None,
        "rel_l2_history": history,
    }
    if model.adaptive == "global":
        res["final_n_a"] = float(model.scale * model.a.item())
    elif model.adaptive == "layer":
        res["final_n_a"] = (model.scale * model.a.detach()).tolist()
    elif model.adaptive == "neuron":
        res["final_n_a_layer_means"] = [float(model.scale * a.detach().mean()) for a in model.a]
    return res


def parse_targets(text):
    try:
        values = sorted({float(v) for v in text.split(",") if v.strip()}, reverse=True)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}")
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"targets must be positive: {text!r}")
    return values


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--layers", default=",".join(["20"] * 8),
                   help="hidden layer widths, comma separated (default 8x20)")
    p.add_argument("--adaptive", choices=["fixed", "global", "layer", "neuron"], default="fixed")
    p.add_argument("--scale", type=float, default=10.0, help="n in tanh(n*a*z); a starts at 1/n")
    p.add_argument("--slope-recovery-weight", type=float, default=0.1, help="0 disables")
    p.add_argument("--points", type=int, default=10000, help="interior collocation points")
    p.add_argument("--ic-points", type=int, default=200)
    p.add_argument("--bc-points", type=int, default=200, help="split evenly over x=-1 and x=1")
    p.add_argument("--sampling", choices=["lhs", "uniform"], default="lhs")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch default)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--iterations", type=int, default=0, help="Adam iterations of the training run")
    p.add_argument("--lbfgs-iterations", type=int, default=0,
                   help="L-BFGS iterations after Adam (0: none); slopes frozen, slope recovery dropped")
    p.add_argument("--lbfgs-history", type=int, default=50, help="L-BFGS history_size")
    p.add_argument("--lbfgs-lr", type=float, default=1.0, help="L-BFGS lr (step scale before the line search)")
    p.add_argument("--lbfgs-max-eval", type=int, default=26,
                   help="L-BFGS max_eval per step() (default 26: strong-Wolfe search with max_ls = 25; "
                        "0: torch's default max_iter*5//4 = 1, which stalls, see training_run)")
    p.add_argument("--eval-every", type=int, default=100,
                   help="rel-L2 every K iterations, counted across both phases (0: final only)")
    p.add_argument("--target", dest="targets", type=parse_targets, default=[1e-2],
                   help="rel-L2 threshold(s) to record, comma separated, e.g. 1e-2,1e-3 (default 1e-2)")
    p.add_argument("--stop-at-target", action="store_true",
                   help="stop training once every target has been reached (needs --eval-every > 0)")
    p.add_argument("--time-iterations", type=int, default=200, help="timed iterations (0: skip timing)")
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--grad-style", choices=["combined", "separate"], default="combined",
                   help="u_x,u_t in one autograd.grad call (combined) or one call each (separate)")
    p.add_argument("--check-reference", action="store_true",
                   help="only verify the exact solution and print the findings")
    args = p.parse_args(argv)
    args.layers = [int(w) for w in args.layers.split(",") if w.strip()]
    return args


def main(argv=None):
    args = parse_args(argv)

    if args.check_reference:
        t0 = time.perf_counter()
        res = check_reference()
        res["seconds"] = time.perf_counter() - t0
        for k, v in res.items():
            log(f"{k:32s} {v}")
        print(json.dumps(res))
        return

    torch.set_num_interop_threads(1)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float32 if args.dtype == "float32" else torch.float64)

    log(f"torch {torch.__version__}, dtype {args.dtype}, threads {torch.get_num_threads()}, "
        f"layers {args.layers}, points {args.points}, adaptive {args.adaptive}")

    result = {
        "dtype": args.dtype,
        "threads": torch.get_num_threads(),
        "layers": args.layers,
        "points": args.points,
        "adaptive": args.adaptive,
        "scale": args.scale if args.adaptive != "fixed" else None,
        "slope_recovery_weight": args.slope_recovery_weight if args.adaptive != "fixed" else None,
        "sampling": args.sampling,
        "grad_style": args.grad_style,
        "lr": args.lr,
        "seed": args.seed,
        "torch_version": torch.__version__,
    }

    if args.time_iterations > 0:
        timing = timing_run(args)
        log(f"timing: {timing['ms_per_iteration']:.2f} ms/iteration mean, "
            f"{timing['ms_per_iteration_median']:.2f} median, {timing['ms_per_iteration_min']:.2f} min "
            f"over {args.time_iterations} iterations after {args.warmup} warm-up")
        result.update(timing)
    else:
        result["ms_per_iteration"] = None

    evaluator = Evaluator()
    train = training_run(args, evaluator)
    hits = train.pop("hits")
    log(f"final rel_l2 {train['rel_l2']:.4e} after {train['iterations']} Adam + "
        f"{train['lbfgs_iterations']} L-BFGS iterations ({train['lbfgs_closure_evaluations']} L-BFGS closure "
        f"evaluations), {train['train_seconds']:.1f} s training")
    for tgt, hit in hits.items():
        key = f"{tgt:g}"
        result[f"iter_to_{key}"] = hit[0] if hit else None
        result[f"seconds_to_{key}"] = hit[1] if hit else None
        result[f"phase_to_{key}"] = hit[2] if hit else None
        log(f"target {key}: " + (f"reached at iteration {hit[0]} ({hit[2]}) after {hit[1]:.1f} s training"
                                 if hit else "not reached"))
    result.update(train)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
