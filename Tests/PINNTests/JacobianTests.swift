import Foundation
import Testing
@testable import PINN

/// The Jacobian of the loss's residuals (`PINNLoss.linearize`, docs/design.md §8.6) against independent oracles:
/// every column against central differences of the residuals themselves, 2Jᵀρ against the engine's own gradient,
/// ρᵀρ against the loss. On a problem with every kind of term: two equations, a learned parameter, an initial
/// condition with two assignments, a periodic pair, observations, N-LAAF slopes with slope recovery.
@Suite struct JacobianTests {
    static let spec = """
        {"problem": {"name": "every-term", "inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]},
          "outputs": ["u", "v"], "parameters": {"nu": {"learn": true, "initial": 0.05}},
          "equations": ["u_t + u*u_x - nu*u_xx", "v_t - 0.1*v_xx + u*v"],
          "conditions": [{"on": "t = 0", "u": "-sin(pi*x)", "v": "cos(pi*x)"}, {"periodic": "x"}],
          "observations": [{"columns": ["x", "t", "u"], "rows": [[0.1, 0.5, -0.3], [-0.4, 0.2, 0.6], [0.7, 0.9, 0.1]]}]},
         "network": {"layers": [6, 6], "adaptive": "neuron", "slopeRecovery": true, "periodic": {}},
         "training": {"collocationPoints": 12, "boundaryPoints": 6, "seed": 5, "threads": 2, "slopeRecoveryWeight": 0.3,
                      "phases": [{"optimizer": "lm", "iterations": 1}]}}
        """

    static func loss<T: PINNScalar>(_: T.Type) throws -> (PINNLoss<T>, [T]) {
        var spec = try JobSpecParser.parse(Data(Self.spec.utf8))
        spec.training.precision = T.self == Float.self ? .float : .double
        let run = TrainingRun<T>(spec: spec, problem: try ProblemBuilder.make(spec))
        // Away from the initial slopes (all 1/n), so S(a) and its gradient are not at a special point.
        var theta = run.parameters
        for (k, i) in run.network.layout.slopes.enumerated() { theta[i] += T(0.01 * Double(k % 5)) }
        return (run.loss, theta)
    }

    static func linearize<T: PINNScalar>(_ loss: PINNLoss<T>, _ theta: [T], columns: [Int?]? = nil)
        -> (residuals: [Double], jacobian: [Double], columns: Int) {
        let columns = columns ?? theta.indices.map { $0 }
        let count = columns.compactMap { $0 }.count
        var (r, j) = ([Double](), [Double]())
        loss.linearize(theta, columns: columns, columnCount: count, residuals: &r, jacobian: &j)
        return (r, j, count)
    }

    @Test func everyColumnMatchesCentralDifferencesOfTheResiduals() throws {
        let (loss, theta) = try Self.loss(Double.self)
        let (rho, jacobian, n) = Self.linearize(loss, theta)
        let rows = rho.count
        #expect(rows == loss.residualRowCount)
        // Every term contributes: 12 points × 2 equations, 6 × 2 initial assignments, 6 pairs × 2 rows (values,
        // x-derivatives) × 2 fields, 3 observations, 1 slope recovery.
        #expect(rows == 24 + 12 + 24 + 3 + 1)
        let h = 1e-6
        var worst = 0.0
        for c in 0..<n {
            var plus = theta, minus = theta
            plus[c] += h
            minus[c] -= h
            let (up, _, _) = Self.linearize(loss, plus)
            let (down, _, _) = Self.linearize(loss, minus)
            let column = (0..<rows).map { (up[$0] - down[$0]) / (2 * h) }
            let scale = max(1, column.map(abs).max()!)
            for r in 0..<rows { worst = max(worst, abs(column[r] - jacobian[r * n + c]) / scale) }
        }
        #expect(worst < 1e-7, "worst relative difference \(worst)")
    }

    @Test func twiceJTransposeRhoIsTheLossGradientAndRhoSquaredTheLoss() throws {
        let (loss, theta) = try Self.loss(Double.self)
        let (rho, jacobian, n) = Self.linearize(loss, theta)
        var gradient = theta
        let value = loss.evaluate(theta, gradient: &gradient)
        let sum = rho.reduce(0) { $0 + $1 * $1 }
        #expect(abs(sum - value.total) <= 1e-13 * value.total, "ρᵀρ = \(sum), L = \(value.total)")
        let scale = gradient.map(abs).max()!
        for c in 0..<n {
            let jtr = (0..<rho.count).reduce(0) { $0 + jacobian[$1 * n + c] * rho[$1] }
            #expect(abs(2 * jtr - gradient[c]) <= 1e-12 * scale, "column \(c): 2Jᵀρ = \(2 * jtr), ∇L = \(gradient[c])")
        }
    }

    /// Frozen parameters are columns left out: the others are the same numbers.
    @Test func frozenColumnsAreLeftOut() throws {
        let (loss, theta) = try Self.loss(Double.self)
        let full = Self.linearize(loss, theta)
        let slopes = Set(loss.layout.slopes)
        var next = 0
        let columns: [Int?] = theta.indices.map { slopes.contains($0) ? nil : { defer { next += 1 }; return next }() }
        let reduced = Self.linearize(loss, theta, columns: columns)
        #expect(reduced.columns == theta.count - slopes.count)
        #expect(reduced.residuals == full.residuals)
        for r in 0..<full.residuals.count {
            for (i, c) in columns.enumerated() {
                guard let c else { continue }
                #expect(reduced.jacobian[r * reduced.columns + c] == full.jacobian[r * full.columns + i])
            }
        }
    }

    /// In Float the rows are the Float engine's, widened: close to Double's at Float's accuracy.
    @Test func floatRowsAgreeWithDoubleToFloatAccuracy() throws {
        let (single, thetaF) = try Self.loss(Float.self)
        let (double, _) = try Self.loss(Double.self)
        let f = Self.linearize(single, thetaF)
        let d = Self.linearize(double, thetaF.map { Double($0) })
        let scale = d.jacobian.map(abs).max()!
        let worst = zip(f.jacobian, d.jacobian).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4 * scale, "worst \(worst), scale \(scale)")
    }
}
