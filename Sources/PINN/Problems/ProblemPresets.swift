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
        kdv, kuramotoSivashinsky, kovasznay, discontinuousFit, burgersInverse,
    ]

    public static var names: [String] { all.map(\.name) }

    /// The normalised spec of a preset (parsed once).
    public static func spec(named name: String) -> JobSpec? { parsed[name] }

    private static let parsed: [String: JobSpec] = {
        var specs: [String: JobSpec] = [:]
        for preset in all {
            do {
                specs[preset.name] = try JobSpecParser.parsePresetDefinition(Data(preset.json.utf8))
            } catch {
                preconditionFailure("preset \(preset.name) does not parse: \(error)")
            }
        }
        return specs
    }()

    /// What a preset's definition starts from (its JSON lists what differs): the classic schedule of the
    /// adaptive-activation papers — 8×20 N-LAAF (n = 10) with slope recovery at weight 0.1 during 2,000 Adam
    /// iterations, then 4,000 L-BFGS iterations with the slopes frozen, on 10,000 interior points. Presets that have
    /// been re-tuned state the SSBroyden recipe in full; a problem a user writes inline gets `inlineDefaults`.
    public static func presetBase(for problem: ProblemSpec) -> JobSpec {
        var lbfgs = JobSpec.PhaseSpec.defaults(.lbfgs, iterations: 4000)
        lbfgs.trainSlopes = false
        return JobSpec(
            problem: problem,
            network: .init(layers: Array(repeating: 20, count: 8), activation: .tanh, adaptive: .neuron, scale: 10,
                           slopeRecovery: true),
            training: .init(collocationPoints: 10_000, boundaryPoints: 200, sampler: .lhs, seed: 1234,
                            precision: .double, threads: 2,
                            phases: [.defaults(.adam, iterations: 2000), lbfgs],
                            weights: [:], slopeRecoveryWeight: 0.1, logEvery: 10, evaluateEvery: 500),
            output: .init(grid: defaultGrid(problem)))
    }

    /// 256 points per space axis (64 with two space axes and time, 32 beyond), 100 in t.
    static func defaultGrid(_ problem: ProblemSpec) -> [String: Int] {
        let perAxis = problem.inputs.count <= 2 ? 256 : problem.inputs.count == 3 ? 64 : 32
        return Dictionary(uniqueKeysWithValues: problem.inputs.map { ($0, $0 == "t" ? 100 : perAxis) })
    }

    /// The job an inline problem gets before the user's network, training and output members apply: the recipe
    /// the re-tuned presets share (docs/training.md, docs/problems.md) — a fixed-tanh network trained from the start
    /// by the self-scaled Broyden method (SSBroyden) with residual-based adaptive resampling (RAD) — sized from the
    /// problem (`InlineRecipe`); periodic conditions get periodic input features (resolved by the parser).
    public static func inlineDefaults(for problem: ProblemSpec) -> JobSpec {
        let recipe = InlineRecipe(problem)
        return JobSpec(
            problem: problem,
            network: .init(layers: recipe.layers, activation: .tanh, adaptive: .fixed, scale: 10, slopeRecovery: false),
            training: .init(collocationPoints: recipe.collocationPoints, boundaryPoints: recipe.boundaryPoints,
                            sampler: .lhs, seed: 1234, precision: .double, threads: 2,
                            phases: [.defaults(.ssbroyden, iterations: recipe.iterations)],
                            weights: [:], slopeRecoveryWeight: 0.1, logEvery: 10, evaluateEvery: 100,
                            resampling: recipe.resampling),
            output: .init(grid: defaultGrid(problem)))
    }
}
