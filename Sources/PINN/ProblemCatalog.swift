/// The problems a job can name, with the defaults that make `{"problem": NAME}` a good job on its own.
/// The defaults were chosen by measurement; docs/training.md records the runs behind them. Burgers: N-LAAF
/// (n = 10) with slope recovery at weight 0.1 during Adam, then L-BFGS with the slopes frozen and S(a) dropped —
/// at weight 1, or kept through L-BFGS, S(a) drives the slopes up and the error with them.
public enum ProblemCatalog {
    public static let defaultProblem = "burgers"
    public static let names = ["burgers", "discontinuous-fit"]

    /// The valid range of each constant a job may override.
    public static func parameterRanges(for name: String) -> [String: ClosedRange<Double>] {
        name == "burgers" ? ["nu": 1e-4...10] : [:]
    }

    /// The names of a problem's loss terms, in order (the columns of its loss history).
    public static func termNames(for name: String) -> [String] { shapes[name]?.terms ?? [] }

    /// The names of a problem's inputs (the axes of its grids).
    public static func inputNames(for name: String) -> [String] { shapes[name]?.inputs ?? [] }

    /// Term and input names of every preset, built once: building a problem also sets up its exact solution.
    private static let shapes: [String: (terms: [String], inputs: [String])] = {
        var shapes: [String: (terms: [String], inputs: [String])] = [:]
        for name in names {
            guard let spec = defaultSpec(for: name), let problem = try? make(spec) else { continue }
            shapes[name] = (problem.terms.map(\.name), problem.inputs)
        }
        return shapes
    }()

    /// The full spec a bare `{"problem": name}` means.
    public static func defaultSpec(for name: String) -> JobSpec? {
        switch name {
        case "burgers":
            return JobSpec(
                problem: name, parameters: ["nu": BurgersProblem.defaultNu],
                network: .init(layers: Array(repeating: 20, count: 8), activation: .tanh, adaptive: .neuron,
                               scale: 10, slopeRecovery: true),
                training: .init(collocationPoints: 10_000, boundaryPoints: 200, sampler: .lhs, seed: 1234,
                                precision: .double, threads: 2,
                                phases: [
                                    .init(optimizer: .adam, iterations: 2000, learningRate: 1e-3, decayRate: 1,
                                          decaySteps: 1000, history: 50, trainSlopes: true, slopeRecoveryWeight: nil),
                                    .init(optimizer: .lbfgs, iterations: 4000, learningRate: 1, decayRate: 1,
                                          decaySteps: 1000, history: 50, trainSlopes: false, slopeRecoveryWeight: nil),
                                ],
                                weights: [:], slopeRecoveryWeight: 0.1, logEvery: 10, evaluateEvery: 500),
                output: .init(grid: ["x": 256, "t": 100]))
        case "discontinuous-fit":
            return JobSpec(
                problem: name, parameters: [:],
                network: .init(layers: Array(repeating: 50, count: 4), activation: .tanh, adaptive: .neuron,
                               scale: 10, slopeRecovery: true),
                training: .init(collocationPoints: 300, boundaryPoints: 2, sampler: .uniform, seed: 1234,
                                precision: .double, threads: 1,
                                phases: [.init(optimizer: .adam, iterations: 15_000, learningRate: 2e-4, decayRate: 1,
                                               decaySteps: 1000, history: 50, trainSlopes: true,
                                               slopeRecoveryWeight: nil)],
                                weights: [:], slopeRecoveryWeight: 1, logEvery: 10, evaluateEvery: 1000),
                output: .init(grid: ["x": 1000]))
        default:
            return nil
        }
    }

    /// The problem a spec describes, with its parameters and term weights applied.
    public static func make(_ spec: JobSpec) throws(JobSpecError) -> Problem {
        var problem: Problem
        switch spec.problem {
        case "burgers": problem = BurgersProblem.make(nu: spec.parameters["nu"] ?? BurgersProblem.defaultNu)
        case "discontinuous-fit": problem = DiscontinuousFitProblem.make()
        default:
            throw JobSpecError(issues: [.init(field: "problem", message: "unknown problem \"\(spec.problem)\"")])
        }
        for t in problem.terms.indices {
            problem.terms[t].weight = spec.training.weights[problem.terms[t].name] ?? 1
        }
        return problem
    }
}
