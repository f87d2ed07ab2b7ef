import Foundation
import PINN
import Testing

/// The benchmark viscosity ν = 0.01/π.
// Computed, not a global `let`: with this toolchain a lazily initialised global read from several threads at
// once (the grid is computed in parallel) crashed the test process once.
private var benchmark: BurgersExactSolution { BurgersExactSolution(nu: 0.01 / Double.pi) }

/// The reference grid (Cole–Hopf with 400-node Gauss–Hermite; checked independently against a spectral solver to 6e−13):
/// 256 x-points × 100 t-points spanning [−1, 1] × [0, 1].
private func referenceGrid() throws -> FixtureGrid { try FixtureGrid(named: "burgers_ref_256x100", xCount: 256, tCount: 100) }

@Test func burgersMatchesReferenceGrid() throws {
    let reference = try referenceGrid()
    let u = benchmark.grid(x: reference.x, t: reference.t)
    let maxError = zip(u, reference.u).map { abs($0 - $1) }.max() ?? .infinity
    #expect(maxError <= 1e-9, "max abs error against the reference: \(maxError)")
}

@Test func burgersGridAgreesWithPointwiseValues() {
    let x = [-1, -0.3, 0.02, 0.7, 1], t = [0, 0.25, 1.0]
    let u = benchmark.grid(x: x, t: t)
    for i in t.indices {
        for j in x.indices { #expect(u[i * x.count + j] == benchmark.value(x: x[j], t: t[i])) }
    }
}

@Test func burgersStartsFromMinusSine() {
    for x in stride(from: -1.0, through: 1.0, by: 0.125) {
        #expect(benchmark.value(x: x, t: 0) == -sin(Double.pi * x))
    }
}

/// The initial data is odd and the equation preserves oddness, so u(0, t) = 0 and u(−x, t) = −u(x, t);
/// by 2-periodicity the boundary values u(±1, t) vanish as well.
@Test func burgersIsOddAndVanishesAtCentreAndBoundary() {
    for t in [0.1, 0.5, 0.51, 1.0] {
        #expect(abs(benchmark.value(x: 0, t: t)) <= 1e-12)
        #expect(abs(benchmark.value(x: 1, t: t)) <= 1e-12)
        #expect(abs(benchmark.value(x: -1, t: t)) <= 1e-12)
        for x in [0.001, 0.05, 0.4, 0.9] {
            #expect(abs(benchmark.value(x: -x, t: t) + benchmark.value(x: x, t: t)) <= 1e-12)
        }
    }
}

/// The standard landmark: the slope of the shock at the centre at t = 1, u_x(0, 1) ≈ −83.9647.
@Test func burgersShockSlopeLandmark() {
    let h = 1e-6
    let slope = (benchmark.value(x: h, t: 1) - benchmark.value(x: -h, t: 1)) / (2 * h)
    #expect(abs(slope - -83.9647) <= 1e-3 * 83.9647, "u_x(0, 1) = \(slope)")
}

/// For another viscosity the solution must still satisfy u_t + u u_x − ν u_xx = 0. Central differences
/// (truncation O(h²), rounding O(ε/h) and O(ε/h²)) leave a residual far below the size of the individual terms.
@Test func burgersSatisfiesThePDEForAnotherViscosity() {
    let nu = 0.1 / Double.pi
    let solution = BurgersExactSolution(nu: nu)
    let h = 1e-4
    for (x, t) in [(-0.7, 0.2), (-0.2, 0.5), (0.1, 0.9), (0.35, 0.3), (0.8, 0.65)] {
        let u = solution.value(x: x, t: t)
        let uT = (solution.value(x: x, t: t + h) - solution.value(x: x, t: t - h)) / (2 * h)
        let uPlus = solution.value(x: x + h, t: t), uMinus = solution.value(x: x - h, t: t)
        let uX = (uPlus - uMinus) / (2 * h)
        let uXX = (uPlus - 2 * u + uMinus) / (h * h)
        let residual = uT + u * uX - nu * uXX
        let scale = abs(uT) + abs(u * uX) + abs(nu * uXX)
        #expect(abs(residual) <= 1e-5 * scale, "residual \(residual) against terms of size \(scale) at x = \(x), t = \(t)")
    }
}
