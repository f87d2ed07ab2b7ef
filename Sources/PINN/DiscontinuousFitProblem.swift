import Foundation

/// The seed paper's function-fitting experiment (Jagtap et al.): plain regression, no PDE, of
/// u(x) = 0.2·sin(6x) for x ≤ 0 and 1 + 0.1·x·cos(18x) for x > 0, on x ∈ [−3, 3].
public enum DiscontinuousFitProblem {
    public static func target(_ x: Double) -> Double { x <= 0 ? 0.2 * sin(6 * x) : 1 + 0.1 * x * cos(18 * x) }

    public static func make() -> Problem {
        Problem(name: "discontinuous-fit", inputs: ["x"], outputs: ["u"], lower: [-3], upper: [3],
                terms: [LossTermDefinition(name: "data", region: .interior,
                                           residual: ValueResidual { target($0[0]) })],
                exact: ClosedFormSolution(inputs: 1) { [target($0[0])] })
    }
}
