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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY_PATH = os.path.join(ROOT, "Sources", "PINN", "References", "kuramoto_sivashinsky_510x101.f64")
ALPHA, BETA, GAMMA = 100 / 16, 100 / 16**2, 100 / 16**4
T_POINTS, T_OUTPUT = 101, 0.01
NODES, STEPS = 510, 400


def etdrk4_coefficients(L, dt, contour_points=64):
    r = np.exp(1j * np.pi * (np.arange(1, contour_points + 1) - 0.5) / contour_points)
    LR = dt * L[:, None] + r[None, :]
    Q = dt * np.real(np.mean((np.exp(LR / 2) - 1) / LR, axis=1))
    f1 = dt * np.real(np.mean((-4 - LR + np.exp(LR) * (4 - 3 * LR + LR**2)) / LR**3, axis=1))
    f2 = dt * np.real(np.mean((2 + LR + np.exp(LR) * (-2 + LR)) / LR**3, axis=1))
    f3 = dt * np.real(np.mean((-4 - 3 * LR - LR**2 + np.exp(LR) * (4 - LR)) / LR**3, axis=1))
    return np.exp(dt * L), np.exp(dt * L / 2), Q, f1, f2, f3


def solve(modes, steps_per_output, nodes=NODES):
    """u at x_n = 2πn/nodes (nodes divides modes) and t_i = i/100: T_POINTS × nodes, t-major."""
    assert modes % nodes == 0
    dt = T_OUTPUT / steps_per_output
    k = np.arange(modes // 2 + 1).astype(float)
    L = BETA * k**2 - GAMMA * k**4
    E, E2, Q, f1, f2, f3 = etdrk4_coefficients(L, dt)
    g = -0.5j * ALPHA * k

    def nonlinear(v):
        u = np.fft.irfft(v, n=modes)
        return g * np.fft.rfft(u * u)

    x = 2 * np.pi * np.arange(modes) / modes
    v = np.fft.rfft(np.cos(x) * (1 + np.sin(x)))
    grid = np.empty((T_POINTS, nodes))
    grid[0] = np.fft.irfft(v, n=modes)[:: modes // nodes]
    for i in range(1, T_POINTS):
        for _ in range(steps_per_output):
            Nv = nonlinear(v)
            a = E2 * v + Q * Nv
            Na = nonlinear(a)
            b = E2 * v + Q * Na
            Nb = nonlinear(b)
            c = E2 * a + Q * (2 * Nb - Nv)
            Nc = nonlinear(c)
            v = E * v + Nv * f1 + 2 * (Na + Nb) * f2 + Nc * f3
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
