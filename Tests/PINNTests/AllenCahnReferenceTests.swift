import Foundation
import PINN
import Testing

/// The Allen–Cahn reference, u_t − d·u_xx + 5u³ − 5u = 0 with d = 10⁻⁴, checked without the script that made it:
/// the initial condition, the PDE by finite differences, periodicity, and that the preset is scored against the
/// fixture's numbers exactly.
@Suite struct AllenCahnReferenceTests {
    /// The preset's output grid as scripts/allen-cahn-reference.py wrote it: 256 x (both ends) × 101 t.
    static func fixture() throws -> FixtureGrid {
        try FixtureGrid(named: "allen_cahn_ref_256x101", xCount: 256, tCount: 101)
    }

    /// u at node n and time row i of the library's grid.
    static func u(_ grid: GridReferenceSolution, _ i: Int, _ n: Int) -> Double {
        grid.values[i * grid.nodes + (n + grid.nodes) % grid.nodes]
    }

    @Test func theGridCoversTheBoxWith2040NodesAnd101Times() throws {
        let grid = try AllenCahnReference.load()
        #expect(grid.x == (-1...1) && grid.nodes == 2040)
        #expect(grid.t == (0...1) && grid.times == 101)
        #expect(grid.values.allSatisfy { $0.isFinite })
    }

    /// (a) Row t = 0 is u(x, 0) = x²·cos(πx) at x_n = −1 + 2n/2040 (the script evaluates it directly; the two
    /// cosines may differ in the last bit).
    @Test func theGridStartsFromXSquaredCosPiX() throws {
        let grid = try AllenCahnReference.load()
        for n in 0..<grid.nodes {
            let x = -1 + 2 * Double(n) / Double(grid.nodes)
            #expect(abs(Self.u(grid, 0, n) - x * x * cos(Double.pi * x)) <= 1e-12, "at x = \(x)")
        }
    }

    /// The residual of u_t − d·u_xx + 5u³ − 5u on the grid by 4th-order central differences, in t over
    /// t_{i±1}, t_{i±2} (h_t = 0.01, rows i = 2 … 98) and in x over x_{n±1}, x_{n±2} wrapping around the period
    /// (h_x = 2/2040):
    ///
    ///     u_t ≈ (u_{i−2} − 8u_{i−1} + 8u_{i+1} − u_{i+2}) / (12 h_t),
    ///     u_xx ≈ (−u_{n−2} + 16u_{n−1} − 30u_n + 16u_{n+1} − u_{n+2}) / (12 h_x²).
    ///
    /// Returns ‖r‖₂ / ‖|u_t| + |d·u_xx| + |5u³ − 5u|‖₂ for each row (first: row 2) and over all rows together.
    static func finiteDifferenceResidual(_ grid: GridReferenceSolution, d: Double) -> (rows: [Double], all: Double) {
        let ht = (grid.t.upperBound - grid.t.lowerBound) / Double(grid.times - 1)
        let hx = (grid.x.upperBound - grid.x.lowerBound) / Double(grid.nodes)
        var rows: [Double] = []
        var residualSum = 0.0, scaleSum = 0.0
        for i in 2...(grid.times - 3) {
            var residual = 0.0, scale = 0.0
            for n in 0..<grid.nodes {
                let v = u(grid, i, n)
                let ut = (u(grid, i - 2, n) - 8 * u(grid, i - 1, n) + 8 * u(grid, i + 1, n) - u(grid, i + 2, n)) / (12 * ht)
                let uxx = (-u(grid, i, n - 2) + 16 * u(grid, i, n - 1) - 30 * v + 16 * u(grid, i, n + 1) - u(grid, i, n + 2))
                    / (12 * hx * hx)
                let reaction = 5 * v * v * v - 5 * v
                let r = ut - d * uxx + reaction
                let size = abs(ut) + abs(d * uxx) + abs(reaction)
                residual += r * r
                scale += size * size
            }
            rows.append((residual / scale).squareRoot())
            residualSum += residual
            scaleSum += scale
        }
        return (rows, (residualSum / scaleSum).squareRoot())
    }

    /// (b) The grid satisfies the PDE to the accuracy of the differences. Measured with numpy on the same
    /// formulas (scripts/allen-cahn-reference.py --check): 9.5e−6 over all rows; per row 9.7e−5 at t = 0.02, where
    /// the slope jump of u(x, 0) at x = ±1 is still smoothing out, and at most 2.9e−6 from t = 0.05 on. The bounds
    /// are about 3× those. The check has teeth: the same grid against d = 1.1·10⁻⁴ gives 1.3e−3 over all rows.
    @Test func theGridSatisfiesThePDEByFiniteDifferences() throws {
        let grid = try AllenCahnReference.load()
        let residual = Self.finiteDifferenceResidual(grid, d: 1e-4)
        #expect(residual.all <= 3e-5, "relative residual over all rows: \(residual.all)")
        let fromFivePercent = residual.rows.dropFirst(3)   // rows t = 0.05 … 0.98
        #expect(fromFivePercent.max()! <= 1e-5, "largest relative residual of a row from t = 0.05: \(fromFivePercent.max()!)")
        let wrongDiffusion = Self.finiteDifferenceResidual(grid, d: 1.1e-4)
        #expect(wrongDiffusion.all >= 10 * 3e-5, "a 10% error in d went unnoticed: \(wrongDiffusion.all)")
    }

    /// (c) The preset's error is scored on its 256 × 101 output grid, whose points are nodes of the reference's
    /// grid: evaluated there, the exact solution returns the fixture's numbers bit for bit.
    @Test func thePresetIsScoredAgainstTheFixtureExactly() throws {
        let spec = try #require(ProblemPresets.spec(named: "allen-cahn"))
        let problem = try ProblemBuilder.make(spec)
        let exact = try #require(problem.exact)
        let output = SolutionGrid(problem: problem, sizes: spec.output.grid)
        let fixture = try Self.fixture()
        try #require(output.count == fixture.u.count)
        for k in 0..<output.count {
            try #require(output.points[2 * k] == fixture.x[k % 256] && output.points[2 * k + 1] == fixture.t[k / 256],
                         "the output grid's point \(k) is not the fixture's")
        }
        let values = exact.values(at: output.points)
        let mismatches = values.indices.filter { values[$0] != fixture.u[$0] }
        #expect(mismatches.isEmpty, "\(mismatches.count) values differ, the first at point \(mismatches.first ?? 0)")
    }

    /// (d) Periodicity: u(−1, t) = u(1, t) at every stored time, in the fixture and in the solution.
    @Test func theSolutionIsPeriodicInX() throws {
        let fixture = try Self.fixture()
        let reference = AllenCahnReference()
        for (i, t) in fixture.t.enumerated() {
            #expect(fixture.u[i * 256] == fixture.u[i * 256 + 255], "fixture at t = \(t)")
            let ends = reference.values(at: [-1, t, 1, t])
            #expect(ends[0] == ends[1], "reference at t = \(t)")
        }
        // Between the stored times too, and across the seam: x and x + 2 are the same point.
        for t in [0.005, 0.333, 0.999] {
            let values = reference.values(at: [-1, t, 1, t, -0.9993, t, 1.0007, t])
            #expect(values[0] == values[1] && abs(values[2] - values[3]) <= 1e-12, "at t = \(t)")
        }
    }
}
