#!/usr/bin/env python3
"""The reference solution of the allen-cahn preset, computed independently of the Swift code:

    u_t − d·u_xx + 5u³ − 5u = 0,   d = 1e−4,   x ∈ [−1, 1] periodic,   t ∈ [0, 1],   u(x, 0) = x²·cos(πx).

Method: Fourier pseudo-spectral in x and ETDRK4 in time (Cox & Matthews 2002), with the φ-functions evaluated as
contour integrals (Kassam & Trefethen 2005), which avoids the cancellation in (e^z − 1 − z − …)/z^k for small z.
With v = the real FFT of u on N nodes x_n = −1 + 2n/N and wavenumbers k_m = πm (m = 0…N/2),

    v_t = L v + N(v),   L = 5 − d k²,   N(v) = −5 F[u³].

Three choices make it converge to ~1e−12:
- The interfaces of the metastable plateaus are tanh profiles u = tanh(x/w), w = √(2d/5) ≈ 0.0063, whose Fourier
  coefficients decay like e^{−π²w m/2}: ~1e−14 only at m ≈ 1000. So N = 4080 (and 2040 for comparison).
- u(x, 0) = x² cos(πx) has a slope jump at x = ±1 (u_x = ∓2), so its coefficients decay like 1/m². Sampling it
  would alias an O(1/N²) error into the low modes that diffusion never removes; the solver starts instead from
  the exact Fourier coefficients (initial_coefficients), truncated at |m| < N/2. The truncated tail is damped by
  e^{−dπ²m²t}: by t = 0.01 it is below 1e−12 for N = 4080.
- N is a multiple of 255, so the preset's output points x_j = −1 + 2j/255 (256 of them, both ends: x = 1 is
  x = −1 again) are FFT nodes: u there is the spectral solution itself, no interpolation. The times t_i = i/100
  are hit exactly (dt divides 0.01). Row t = 0 is x²·cos(πx) evaluated directly.

Files written (both from one solve, so the values at shared points are the same doubles):
  Tests/PINNTests/Fixtures/allen_cahn_ref_256x101.csv
      the preset's output grid: columns t,x,u; t-major; 256 x (both ends) × 101 t; 17 significant digits.
  Sources/PINN/References/allen_cahn_2040x101.f64
      what the library (AllenCahnReference) loads: u at the 2040 periodic nodes x_n = −1 + 2n/2040 (n = 0…2039;
      every 8th is an output point) × the 101 times, t-major, float64 little-endian, no header. Fine enough in x
      for accurate interpolation between the output points, which the 256-point grid is not (w < 2/255).

    python3 scripts/allen-cahn-reference.py            # writes both files (≈ 10 s)
    python3 scripts/allen-cahn-reference.py --check    # also prints the convergence figures and the
                                                       # finite-difference residual the Swift test checks (≈ 20 s)
"""
import argparse, os, sys, time
import numpy as np

from etdrk4 import ETDRK4

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV_PATH = os.path.join(ROOT, "Tests", "PINNTests", "Fixtures", "allen_cahn_ref_256x101.csv")
BINARY_PATH = os.path.join(ROOT, "Sources", "PINN", "References", "allen_cahn_2040x101.f64")

D = 1e-4                  # diffusion coefficient d
X_POINTS = 256            # the preset's output points in x, both ends included
T_POINTS = 101            # the preset's output times, both ends included
T_OUTPUT = 0.01           # spacing of the output times
LIBRARY_NODES = 2040      # periodic x nodes of the library's grid (8 × 255)
MODES, STEPS = 4080, 200  # the shipped solve: N = 4080, dt = 0.01/200 = 5e−5


def axis(lo, hi, n):
    """Coordinates exactly as the Swift SolutionGrid computes them: lo + (hi − lo)·k/(n − 1), the last set to hi."""
    values = [lo + (hi - lo) * float(k) / float(n - 1) for k in range(n)]
    values[-1] = hi
    return np.array(values)


def periodic_nodes(n):
    """x_k = −1 + 2k/n, k = 0…n−1. For n a multiple of 255 these include the output points as the same doubles:
    2·(ck)/(255c) and 2k/255 are correctly rounded quotients of the same rational."""
    return np.array([-1.0 + 2.0 * float(k) / float(n) for k in range(n)])


def initial(x):
    return x**2 * np.cos(np.pi * x)


def initial_coefficients(modes):
    """The real-FFT coefficients of the projection of u(x, 0) onto |m| < N/2: v_m = N (−1)^m c_m, m = 0…N/2, with

        c_m = ½∫_{−1}^{1} x² cos(πx) e^{−iπmx} dx = ¼ (I(m+1) + I(m−1)),   I(n) = ∫_{−1}^{1} x² cos(πnx) dx = 4(−1)^n/(πn)²,  I(0) = ⅔.

    (The factor (−1)^m because the FFT counts phases from x = −1.) The Nyquist mode is left out, v_{N/2} = 0."""
    n = np.abs(np.arange(-1, modes // 2 + 2)).astype(float)
    I = np.where(n == 0, 2.0 / 3.0, 4.0 * np.cos(np.pi * n) / (np.pi * np.maximum(n, 1.0)) ** 2)
    m = np.arange(modes // 2 + 1)
    c = 0.25 * (I[m + 2] + I[m])
    v = modes * np.where(m % 2 == 0, 1.0, -1.0) * c
    v[-1] = 0.0
    return v.astype(complex)


def solve(modes, steps_per_output, nodes=LIBRARY_NODES):
    """u at the periodic nodes x_k = −1 + 2k/nodes (a divisor of modes) and the output times t_i = i/100:
    an array T_POINTS × nodes, t-major. dt = 0.01/steps_per_output."""
    assert modes % nodes == 0 and nodes % (X_POINTS - 1) == 0
    dt = T_OUTPUT / steps_per_output
    k = np.pi * np.arange(modes // 2 + 1)
    L = 5.0 - D * k**2

    def nonlinear(v):
        u = np.fft.irfft(v, n=modes)
        return -5.0 * np.fft.rfft(u * u * u)

    stepper = ETDRK4(L, dt, nonlinear)
    v = initial_coefficients(modes)
    grid = np.empty((T_POINTS, nodes))
    grid[0] = initial(periodic_nodes(nodes))   # t = 0 is the initial condition itself, not its truncated series
    for i in range(1, T_POINTS):
        v = stepper.advance(v, steps_per_output)
        grid[i] = np.fft.irfft(v, n=modes)[:: modes // nodes]
    return grid


def output_grid(grid):
    """The preset's 256 × 101 output grid from the periodic nodes: every (nodes/255)th node, then x = 1 ≡ x = −1."""
    stride = grid.shape[1] // (X_POINTS - 1)
    points = grid[:, ::stride]
    return np.concatenate([points, points[:, :1]], axis=1)


def fd_residual(grid, d=D):
    """The PDE residual of a periodic-node grid by finite differences, as the Swift test computes it: on the times
    t_2 … t_98, u_t by 4th-order central differences over t_{i±1}, t_{i±2} (h_t = 0.01), u_xx by 4th-order central
    differences with periodic wrap-around (h_x = 2/nodes). Returns ‖r‖₂ / ‖|u_t| + |d u_xx| + |5u³ − 5u|‖₂ per time
    row (the first is t_2) and over all of them, and max |r| per row."""
    ht, hx = T_OUTPUT, 2.0 / grid.shape[1]
    ut = (grid[:-4] - 8 * grid[1:-3] + 8 * grid[3:-1] - grid[4:]) / (12 * ht)
    q = grid[2:-2]
    uxx = (-np.roll(q, 2, 1) + 16 * np.roll(q, 1, 1) - 30 * q + 16 * np.roll(q, -1, 1) - np.roll(q, -2, 1)) / (12 * hx**2)
    reaction = 5 * q**3 - 5 * q
    r = ut - d * uxx + reaction
    scale = np.abs(ut) + np.abs(d * uxx) + np.abs(reaction)
    return (np.linalg.norm(r, axis=1) / np.linalg.norm(scale, axis=1), np.linalg.norm(r) / np.linalg.norm(scale),
            np.abs(r).max(axis=1))


def write_csv(grid, path):
    t = axis(0.0, 1.0, T_POINTS)
    x = axis(-1.0, 1.0, X_POINTS)
    stride = grid.shape[1] // (X_POINTS - 1)
    assert np.array_equal(x[:-1], periodic_nodes(grid.shape[1])[::stride])   # the output points are nodes
    u = output_grid(grid)
    with open(path, "w") as f:
        f.write("t,x,u\n")
        for i in range(T_POINTS):
            for j in range(X_POINTS):
                f.write(f"{t[i]:.17g},{x[j]:.17g},{u[i, j]:.17g}\n")


def write_binary(grid, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    grid.astype("<f8").tofile(path)


def compare(label, coarse, fine):
    difference = coarse - fine
    print(f"  {label}: max |Δu| = {np.abs(difference).max():.2e}, "
          f"relative L2 = {np.linalg.norm(difference) / np.linalg.norm(fine):.2e}")


def timed_solve(modes, steps):
    start = time.time()
    grid = solve(modes, steps)
    print(f"N = {modes}, dt = {T_OUTPUT / steps:.0e}: {time.time() - start:.0f} s", flush=True)
    return grid


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="also solve at N = 2040, dt = 1e-4 and N = 4080, dt = 1e-4 and print the differences")
    args = parser.parse_args()
    grid = timed_solve(MODES, STEPS)
    write_csv(grid, CSV_PATH)
    write_binary(grid, BINARY_PATH)
    print(f"wrote {os.path.relpath(CSV_PATH, ROOT)} and {os.path.relpath(BINARY_PATH, ROOT)}")
    if not args.check:
        return
    for modes, steps in [(2040, 100), (MODES, 100)]:
        other = timed_solve(modes, steps)
        print(f"N = {modes}, dt = {T_OUTPUT / steps:.0e} against N = {MODES}, dt = {T_OUTPUT / STEPS:.0e}:")
        compare("on the output grid (256 × 101)", output_grid(other), output_grid(grid))
        compare(f"on the library grid ({LIBRARY_NODES} × 101)", other, grid)
    rows, overall, largest = fd_residual(grid)
    late = slice(3, None)   # t ≥ 0.05
    print("finite-difference residual of the library grid, t = 0.02 … 0.98 (relative: ‖r‖ / ‖|u_t| + |d u_xx| + |5u³ − 5u|‖):")
    print(f"  all rows {overall:.2e}; largest row {rows.max():.2e} (t = {0.02 + 0.01 * rows.argmax():.2f}), "
          f"from t = 0.05 on {rows[late].max():.2e}; max |r| {largest.max():.2e}, from t = 0.05 on {largest[late].max():.2e}")
    print(f"  the same grid against d = 1.1e-4 (the test's sensitivity check): all rows {fd_residual(grid, 1.1e-4)[1]:.2e}")


if __name__ == "__main__":
    sys.exit(main())
