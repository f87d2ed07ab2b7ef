import Foundation

/// The problems a job can name. Each preset is an ordinary job spec in JSON (docs/problems.md): the problem
/// written in the expression language, plus the network and training settings that differ from the general
/// defaults. `{"problem": "heat"}` means exactly that spec; users can fetch it, edit it and submit it inline.
public enum ProblemPresets {
    public struct Preset: Sendable {
        public let name: String
        /// One line: the equation and where its parameters come from.
        public let summary: String
        /// The spec as written (JSON text).
        public let json: String
    }

    public static let defaultName = "burgers"

    public static let all: [Preset] = [
        burgers, heat, diffusionSource, poisson1D, poisson2D, helmholtz2D, wave1D, kleinGordon, allenCahn,
        discontinuousFit, burgersInverse,
    ]

    public static var names: [String] { all.map(\.name) }

    /// The normalised spec of a preset (parsed once).
    public static func spec(named name: String) -> JobSpec? { parsed[name] }

    private static let parsed: [String: JobSpec] = {
        var specs: [String: JobSpec] = [:]
        for preset in all {
            do {
                specs[preset.name] = try JobSpecParser.parse(Data(preset.json.utf8))
            } catch {
                preconditionFailure("preset \(preset.name) does not parse: \(error)")
            }
        }
        return specs
    }()

    /// The job an inline problem gets before the user's network, training and output members apply: the
    /// schedule measured best on Burgers (docs/training.md) — N-LAAF (n = 10) with slope recovery at weight 0.1
    /// during 2,000 Adam iterations, then 4,000 L-BFGS iterations with the slopes frozen.
    public static func inlineDefaults(for problem: ProblemSpec) -> JobSpec {
        var lbfgs = JobSpec.PhaseSpec.defaults(.lbfgs, iterations: 4000)
        lbfgs.trainSlopes = false
        let perAxis = problem.inputs.count <= 2 ? 256 : problem.inputs.count == 3 ? 64 : 32
        return JobSpec(
            problem: problem,
            network: .init(layers: Array(repeating: 20, count: 8), activation: .tanh, adaptive: .neuron, scale: 10,
                           slopeRecovery: true),
            training: .init(collocationPoints: 10_000, boundaryPoints: 200, sampler: .lhs, seed: 1234,
                            precision: .double, threads: 2,
                            phases: [.defaults(.adam, iterations: 2000), lbfgs],
                            weights: [:], slopeRecoveryWeight: 0.1, logEvery: 10, evaluateEvery: 500),
            output: .init(grid: Dictionary(uniqueKeysWithValues: problem.inputs.map { ($0, $0 == "t" ? 100 : perAxis) })))
    }
}
