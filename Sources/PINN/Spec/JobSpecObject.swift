/// The kinds of JSON object in a job spec and the members each accepts: the one list `SpecReader` checks an object
/// against (any other member is an error, so a typo never trains with a default), and the one `DocumentationTests`
/// finds in docs/job-spec.md and docs/problems.md. A member the reader learns is added here, and then must be
/// documented.
public enum JobSpecObject: String, CaseIterable, Sendable {
    /// The job spec itself.
    case job
    case network, training
    /// One entry of `training.phases`.
    case phase
    /// `training.resampling` (RAD).
    case resampling
    /// `training.causal`, causal weights.
    case causal
    case output
    /// An inline problem, `"problem": {…}` (docs/problems.md).
    case problem
    /// An entry of `problem.equations` written as an object rather than a string.
    case equation
    /// An entry of `problem.conditions`: these fixed members, and assignments such as `"u": "0"` under any other name.
    case condition
    /// An entry of `problem.observations`.
    case observation
    /// A parameter written as an object, `{"learn": true, "initial": 0.05}`.
    case parameter
    /// `problem.exact` naming a built-in reference solution, `{"reference": "burgers"}`.
    case exactReference
    /// `network.fourier`, random Fourier features.
    case fourier

    public var members: [String] {
        switch self {
        case .job: ["problem", "parameters", "network", "training", "output"]
        case .network: ["layers", "activation", "adaptive", "scale", "slopeRecovery", "periodic", "fourier"]
        case .fourier: ["features", "scale", "seed"]
        case .training: ["collocationPoints", "boundaryPoints", "sampler", "seed", "precision", "threads", "phases",
                         "weights", "slopeRecoveryWeight", "logEvery", "evaluateEvery", "resampling", "causal",
                         "onDivergence", "timeWindows"]
        case .phase: ["optimizer", "iterations", "learningRate", "decayRate", "decaySteps", "history", "trainSlopes",
                      "slopeRecoveryWeight"]
        case .resampling: ["every", "candidates", "exponent", "constant", "until"]
        case .causal: ["chunks", "epsilon", "every"]
        case .output: ["grid"]
        case .problem: ["name", "inputs", "domain", "outputs", "parameters", "equations", "conditions", "observations",
                        "exact"]
        case .equation: ["name", "residual", "weight", "points"]
        case .condition: ["name", "on", "periodic", "residual", "weight", "points"]
        case .observation: ["name", "columns", "rows", "csv", "sampleExact", "noise", "weight"]
        case .parameter: ["learn", "initial"]
        case .exactReference: ["reference", "nu"]
        }
    }
}
