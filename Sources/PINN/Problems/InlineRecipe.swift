/// The default schedule of a problem written inline, sized from the problem, with the reasons `pinn validate`
/// prints. The recipe is the one every re-tuned preset uses (docs/problems.md): a fixed-tanh network of 4 hidden
/// layers trained from the start by SSBroyden, the points resampled by RAD every 250 iterations. Measured on
/// Burgers, heat, Poisson and Klein–Gordon (docs/problems.md) at 1e-5–1e-8, against 1e-2–1e-4 for the earlier
/// default (N-LAAF with Adam then L-BFGS). Sizing:
///
/// - width 20 for one field of ≤ 2 inputs, +10 per further input and per further field, at most 40: the dense
///   quasi-Newton matrix grows as the square of the parameters (4×40 with 3 inputs: ~5,100 parameters, 210 MB);
/// - 1,500 interior points per input: 3,000 for (x, t) as in the Burgers preset;
/// - 250 points per condition (split over its faces), 400 with three inputs;
/// - 5,000 SSBroyden iterations; RAD when the problem has an equation (not for a pure fit).
public struct InlineRecipe: Sendable {
    public let layers: [Int]
    public let collocationPoints: Int
    public let boundaryPoints: Int
    public let iterations: Int
    public let resampling: JobSpec.ResamplingSpec?
    /// The highest derivative order the equations use.
    public let order: Int
    /// Inputs of periodic conditions (they get periodic input features, `JobSpecParser`).
    public let periodic: [String]

    public init(_ problem: ProblemSpec) {
        let inputs = problem.inputs.count, fields = problem.outputs.count
        let width = min(40, 20 + 10 * max(0, inputs - 2) + 10 * max(0, fields - 1))
        layers = Array(repeating: width, count: 4)
        collocationPoints = 1_500 * inputs
        boundaryPoints = inputs >= 3 ? 400 : 250
        iterations = 5_000
        resampling = problem.equations.isEmpty ? nil : .init(every: 250, candidates: 50_000)
        order = Self.order(of: problem)
        periodic = Array(Set(problem.conditions.compactMap(\.periodic))).sorted()
    }

    /// The highest order among the field derivatives (`u_xxt`: 3) the equations name.
    static func order(of problem: ProblemSpec) -> Int {
        var order = 0
        for equation in problem.equations {
            let names = equation.residual.split { !($0.isLetter || $0.isNumber || $0 == "_") }
            for name in names {
                let parts = name.split(separator: "_", maxSplits: 1)
                guard parts.count == 2, problem.outputs.contains(String(parts[0])),
                      parts[1].allSatisfy({ problem.inputs.contains(String($0)) }) else { continue }
                order = max(order, parts[1].count)
            }
        }
        return order
    }

    /// What was chosen and why, one line each (`pinn validate` on an inline problem).
    public var explanation: [String] {
        let width = layers[0]
        return [
            "network: \(layers.count)×\(width) tanh, fixed slopes: 20 wide for one field of ≤ 2 inputs, +10 per further input or field (at most 40)",
            "training: SSBroyden \(iterations) iterations from the start, RAD every 250 iterations: the recipe of the re-tuned presets (docs/problems.md)",
            "points: \(collocationPoints) interior (1,500 per input), \(boundaryPoints) per condition",
            "derivatives up to order \(order) carried through the network",
        ] + (periodic.isEmpty ? [] : [
            "periodic in \(periodic.joined(separator: ", ")): cos/sin input features make the network exactly periodic, the periodic conditions leave the loss"
        ])
    }
}
