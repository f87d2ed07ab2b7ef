#!/usr/bin/env python3
"""The reference solution of the kuramoto-sivashinsky preset (the jaxpi / PirateNets set-up), computed
independently of the Swift code:

    u_t + α·u·u_x + β·u_xx + γ·u_xxxx = 0,   α = 100/16, β = 100/16², γ = 100/16⁴,
    x ∈ [0, 2π] periodic,   t ∈ [0, 1],   u(x, 0) = cos(x)·(1 + sin(x)).

(The classic KS equation on [0, 32π] with u₀ = cos(x/16)(1 + sin(x/16)), x and t rescaled by 16 and 100.)
Method: Fourier pseudo-spectral in x and ETDRK4 in time (Cox & Matthews 2002) with the φ-functions as contour
integrals (Kassam & Trefethen 2005), as scripts/allen-cahn-reference.py. With v = the real FFT of u on N nodes
x_n = 2πn/N and wavenumbers k = 0…N/2,

    v_t = L v + N(v),   L = β k² − γ k⁴,   N(v) = −(α/2)·i k·F[u²].

u₀ has only the modes 1 and 2 and the solution stays smooth up to t = 1, so N = 510 (k ≤ 255) resolves it (at
t = 1 the coefficients at k ≥ 100 are below 1e-8 of the largest; doubling N changes u by ~1e-11). N is a multiple
of 255, so the preset's 256 output points x_j = 2πj/255 are nodes. dt = 2.5e-5: halving it changes u
by at most 5e-9 (`--check`), far below the errors a PINN reaches.

Writes Sources/PINN/References/kuramoto_sivashinsky_510x101.f64: u at the 510 periodic nodes × the 101 times
t_i = i/100, t-major, float64 little-endian, no header.

    python3 scripts/kuramoto-sivashinsky-reference.py            # writes the file (a few seconds)
    python3 scripts/kuramoto-sivashinsky-reference.py --check    # also prints the convergence in N and dt
"""
import argparse, os, sys
import numpy as np

from etdrk4 import ETDRK4

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY_PATH = os.path.join(ROOT, "Sources", "PINN", "References", "kuramoto_sivashinsky_510x101.f64")
ALPHA, BETA, GAMMA = 100 / 16, 100 / 16**2, 100 / 16**4
T_POINTS, T_OUTPUT = 101, 0.01
NODES, STEPS = 510, 400


def solve(modes, steps_per_output, nodes=NODES):
    """u at x_n = 2πn/nodes (nodes divides modes) and t_i = i/100: T_POINTS × nodes, t-major."""
    assert modes % nodes == 0
    dt = T_OUTPUT / steps_per_output
    k = np.arange(modes // 2 + 1).astype(float)
    L = BETA * k**2 - GAMMA * k**4
    g = -0.5j * ALPHA * k

    def nonlinear(v):
        u = np.fft.irfft(v, n=modes)
        return g * np.fft.rfft(u * u)

    stepper = ETDRK4(L, dt, nonlinear)
    x = 2 * np.pi * np.arange(modes) / modes
    v = np.fft.rfft(np.cos(x) * (1 + np.sin(x)))
    grid = np.empty((T_POINTS, nodes))
    grid[0] = np.fft.irfft(v, n=modes)[:: modes // nodes]
    for i in range(1, T_POINTS):
        v = stepper.advance(v, steps_per_output)
        grid[i] = np.fft.irfft(v, n=modes)[:: modes // nodes]
    return grid, v


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    grid, v = solve(NODES, STEPS)
    os.makedirs(os.path.dirname(BINARY_PATH), exist_ok=True)
    grid.astype("<f8").tofile(BINARY_PATH)
    print(f"wrote {os.path.relpath(BINARY_PATH, ROOT)}; max |u| = {np.abs(grid).max():.3f}, "
          f"|v_k| at k ≥ 100 below {np.abs(v[100:]).max() / np.abs(v).max():.1e} of the largest")
    if args.check:
        for modes, steps in [(2 * NODES, STEPS), (NODES, 2 * STEPS)]:
            other, _ = solve(modes, steps)
            d = other - grid
            print(f"N = {modes}, dt = {T_OUTPUT / steps:.0e} against N = {NODES}, dt = {T_OUTPUT / STEPS:.0e}: "
                  f"max |Δu| = {np.abs(d).max():.2e}, relative L2 = {np.linalg.norm(d) / np.linalg.norm(grid):.2e}")


if __name__ == "__main__":
    sys.exit(main())
