"""ETDRK4 (Cox & Matthews 2002) for v_t = L v + N(v) with a diagonal, real L, the φ-functions evaluated as contour
integrals (Kassam & Trefethen 2005), which avoids the cancellation in (e^z − 1 − z − …)/z^k for small z. Shared by
the reference-solution scripts (allen-cahn-reference.py, kuramoto-sivashinsky-reference.py)."""
import numpy as np


class ETDRK4:
    def __init__(self, L, dt, nonlinear, contour_points=64):
        """e^{dt L}, e^{dt L/2} and the weights Q, f1, f2, f3, each a mean over a circle of radius 1 around every
        dt·L (Kassam & Trefethen 2005, section 4). L is real, so the upper half circle and the real part suffice."""
        r = np.exp(1j * np.pi * (np.arange(1, contour_points + 1) - 0.5) / contour_points)
        LR = dt * L[:, None] + r[None, :]
        self.Q = dt * np.real(np.mean((np.exp(LR / 2) - 1) / LR, axis=1))
        self.f1 = dt * np.real(np.mean((-4 - LR + np.exp(LR) * (4 - 3 * LR + LR**2)) / LR**3, axis=1))
        self.f2 = dt * np.real(np.mean((2 + LR + np.exp(LR) * (-2 + LR)) / LR**3, axis=1))
        self.f3 = dt * np.real(np.mean((-4 - 3 * LR - LR**2 + np.exp(LR) * (4 - LR)) / LR**3, axis=1))
        self.E, self.E2 = np.exp(dt * L), np.exp(dt * L / 2)
        self.nonlinear = nonlinear

    def advance(self, v, steps):
        """v after `steps` steps of dt."""
        E, E2, Q, f1, f2, f3, nonlinear = self.E, self.E2, self.Q, self.f1, self.f2, self.f3, self.nonlinear
        for _ in range(steps):
            Nv = nonlinear(v)
            a = E2 * v + Q * Nv
            Na = nonlinear(a)
            b = E2 * v + Q * Na
            Nb = nonlinear(b)
            c = E2 * a + Q * (2 * Nb - Nv)
            Nc = nonlinear(c)
            v = E * v + Nv * f1 + 2 * (Na + Nb) * f2 + Nc * f3
        return v
