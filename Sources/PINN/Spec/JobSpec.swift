/// A training job: the contract the CLI, the service and the tests share. Every member has a default, so
/// `{"problem": "burgers"}` alone is valid; `JobSpecParser` fills the defaults of the named preset (or, for an
/// inline problem, the general defaults) and validates. Names are fixed: add fields freely, rename none.
public struct JobSpec: Codable, Sendable, Equatable {
    /// The problem, in full (a preset is expanded to its definition, with the job's parameter overrides applied).
    public var problem: ProblemSpec
    public var network: NetworkSpec
    public var training: TrainingSpec
    public var output: OutputSpec

    public struct NetworkSpec: Codable, Sendable, Equatable {
        /// Widths of the hidden layers.
        public var layers: [Int]
        public var activation: Activation
        public var adaptive: AdaptiveMode
        /// The scale factor n of σ(n·a·z); slopes start at a = 1/n.
        public var scale: Double
        /// Adds w_a·S(a) to the loss (w_a = `training.slopeRecoveryWeight`, per phase overridable).
        public var slopeRecovery: Bool
        /// Inputs made exactly periodic by cos/sin features, by name, with their periods (nil or empty: none).
        /// The parser fills it from the problem's periodic conditions when the spec does not give it.
        public var periodic: [String: Double]? = nil
        /// Random Fourier features in front of the first layer (nil: none).
        public var fourier: FourierSpec? = nil
    }

    /// `{"features": m, "scale": σ, "seed": s}`: m frequencies, B ~ N(0, σ²); the seed defaults to the job's.
    public struct FourierSpec: Codable, Sendable, Equatable {
        public var features: Int
        public var scale: Double
        public var seed: UInt64?
    }

    public struct TrainingSpec: Codable, Sendable, Equatable {
        /// Points in the interior of the domain (the PDE residual, or the data of a fit).
        public var collocationPoints: Int
        /// Points of each condition term on the faces (e.g. the initial condition; the boundary condition),
        /// split evenly over that term's faces.
        public var boundaryPoints: Int
        public var sampler: SamplingMethod
        public var seed: UInt64
        /// `double` or `float`.
        public var precision: Precision
        /// Threads (cores) the job's points are sharded over.
        public var threads: Int
        public var phases: [PhaseSpec]
        /// Weight of each loss term by name (terms not named keep weight 1).
        public var weights: [String: Double]
        /// w_a, the slope-recovery weight while slopes train (phases may override).
        public var slopeRecoveryWeight: Double
        /// Record the loss terms every this many iterations (and always at the end of a phase).
        public var logEvery: Int
        /// Evaluate the error against the exact solution every this many iterations (0: only at the end).
        public var evaluateEvery: Int
        /// Residual-based adaptive resampling of the interior points (nil: the points stay as first drawn).
        public var resampling: ResamplingSpec?
        /// Causal weights on the interior terms' samples by time (nil: every sample weighs 1).
        public var causal: CausalSpec?
        /// What a non-finite loss during training does (nil: `fail`).
        public var onDivergence: DivergenceAction?
        /// Time-marching: [t₀, T] solved in this many equal windows one after the other, each trained with the whole
        /// schedule from the previous window's network (nil: one window, the whole interval at once).
        public var timeWindows: Int?

        /// The number of time windows (1 without time-marching).
        public var windowCount: Int { timeWindows ?? 1 }

        /// Iterations of the whole run: the schedule once per window.
        public var totalIterations: Int { phases.reduce(0) { $0 + $1.iterations } * windowCount }

        /// As synthesized, but `resampling` is written even when off (`null`), so a normalised spec says so: left
        /// out, an inline problem would take the inline recipe's resampling.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(collocationPoints, forKey: .collocationPoints)
            try object.encode(boundaryPoints, forKey: .boundaryPoints)
            try object.encode(sampler, forKey: .sampler)
            try object.encode(seed, forKey: .seed)
            try object.encode(precision, forKey: .precision)
            try object.encode(threads, forKey: .threads)
            try object.encode(phases, forKey: .phases)
            try object.encode(weights, forKey: .weights)
            try object.encode(slopeRecoveryWeight, forKey: .slopeRecoveryWeight)
            try object.encode(logEvery, forKey: .logEvery)
            try object.encode(evaluateEvery, forKey: .evaluateEvery)
            try object.encode(resampling, forKey: .resampling)
            try object.encodeIfPresent(causal, forKey: .causal)
            try object.encodeIfPresent(onDivergence, forKey: .onDivergence)
            try object.encodeIfPresent(timeWindows, forKey: .timeWindows)
        }
    }

    /// The most time windows a job may march through (`training.timeWindows`).
    public static let maxTimeWindows = 100

    /// `fail`: the job fails, naming the iteration. `rollback`: the phase returns to the last good state (kept every
    /// `logEvery` iterations), divides the optimiser's step by ten (Adam's learning rate, its momentum reset) and goes on; after
    /// `DivergenceAction.maxRollbacks` rollbacks in a phase the job fails as with `fail`.
    public enum DivergenceAction: String, Codable, Sendable, CaseIterable {
        case fail, rollback
        public static let maxRollbacks = 3
        public static let stepFactor = 0.1
    }

    /// RAD (Wu et al., CMAME 403, 2023): every `every` iterations, draw `candidates` uniform points, evaluate the
    /// residual r there, and take each interior term's points anew (without replacement) with density
    /// p(x) ∝ |r(x)|^k / mean(|r|^k) + c.
    public struct ResamplingSpec: Codable, Sendable, Equatable {
        public var every: Int
        public var candidates: Int
        /// k: larger concentrates the points where the residual is large.
        public var exponent: Double
        /// c: the uniform share that keeps every region sampled.
        public var constant: Double
        /// No resample at or after this iteration (nil: until the end), so the last stretch converges on fixed
        /// points instead of recovering from a fresh draw.
        public var until: Int?

        public init(every: Int = 500, candidates: Int = 50_000, exponent: Double = 1, constant: Double = 1,
                    until: Int? = nil) {
            (self.every, self.candidates, self.exponent, self.constant, self.until) = (every, candidates, exponent, constant, until)
        }

        /// Whether a resample is due at the top of `iteration`.
        public func isDue(at iteration: Int) -> Bool {
            iteration > 0 && iteration % every == 0 && iteration < (until ?? .max)
        }
    }

    /// Causal weighting (Wang, Sankaran & Perdikaris, "Respecting causality for training physics-informed neural
    /// networks", CMAME 421, 2024; arXiv 2203.07404): the time axis is cut into `chunks` equal intervals and every
    /// `every` iterations (and after each resample) each interior sample in interval i weighs
    /// w_i = exp(−ε Σ_{k<i} L_k), L_k the mean squared residual of the samples in interval k, so later times count
    /// only once earlier ones are fitted (`CausalWeighting`, docs/design.md §11).
    public struct CausalSpec: Codable, Sendable, Equatable {
        public var chunks: Int
        /// ε: larger holds later times back longer.
        public var epsilon: Double
        public var every: Int

        public init(chunks: Int = 32, epsilon: Double = 1, every: Int = 250) {
            (self.chunks, self.epsilon, self.every) = (chunks, epsilon, every)
        }

        /// Whether the weights are recomputed at the top of `iteration` (also after every resample).
        public func isDue(at iteration: Int) -> Bool { iteration % every == 0 }
    }

    public enum Precision: String, Codable, Sendable, CaseIterable { case double, float }

    public struct PhaseSpec: Codable, Sendable, Equatable {
        public var optimizer: OptimizerKind
        public var iterations: Int
        /// Adam's step size (ignored by the line-search optimisers).
        public var learningRate: Double
        /// Adam: multiply the learning rate by `decayRate` every `decaySteps` iterations (1: no decay).
        public var decayRate: Double
        public var decaySteps: Int
        /// L-BFGS history length.
        public var history: Int
        /// Whether the slopes a train in this phase; frozen slopes keep their values and S(a) drops out.
        public var trainSlopes: Bool
        /// Overrides `training.slopeRecoveryWeight` in this phase.
        public var slopeRecoveryWeight: Double?

        /// A phase of `kind` with every other member at its default: the one home of the phase defaults, for
        /// presets, inline problems and user specs alike.
        public static func defaults(_ kind: OptimizerKind, iterations: Int = 1000) -> PhaseSpec {
            PhaseSpec(optimizer: kind, iterations: iterations, learningRate: 1e-3, decayRate: 1, decaySteps: 1000,
                      history: 50, trainSlopes: true, slopeRecoveryWeight: nil)
        }
    }

    /// Adam; L-BFGS; a dense quasi-Newton method (BFGS, self-scaled BFGS, self-scaled Broyden) that keeps an
    /// n × n inverse Hessian (docs/design.md §11); or Levenberg–Marquardt with the exact Jacobian of the residuals
    /// (docs/design.md §8.6).
    public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
        case adam, lbfgs, bfgs, ssbfgs, ssbroyden, lm

        /// The dense update of a quasi-Newton kind; nil for Adam and L-BFGS.
        public var denseUpdate: DenseQuasiNewton.Update? { DenseQuasiNewton.Update(rawValue: rawValue) }
    }

    public struct OutputSpec: Codable, Sendable, Equatable {
        /// Grid points per input (by name), spanning the domain's bounds inclusively.
        public var grid: [String: Int]
    }

    private enum CodingKeys: String, CodingKey { case problem, parameters, network, training, output }

    public init(problem: ProblemSpec, network: NetworkSpec, training: TrainingSpec, output: OutputSpec) {
        self.problem = problem
        self.network = network
        self.training = training
        self.output = output
    }

    /// Specs stored before problems were data named a preset and listed constant overrides; they decode to the
    /// preset's definition with the overrides applied.
    public init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: CodingKeys.self)
        if let name = try? object.decode(String.self, forKey: .problem) {
            guard var problem = ProblemPresets.spec(named: name)?.problem else {
                throw DecodingError.dataCorruptedError(forKey: .problem, in: object, debugDescription: "unknown preset \(name)")
            }
            for (key, value) in try object.decodeIfPresent([String: Double].self, forKey: .parameters) ?? [:] {
                problem.parameters[key] = .constant(value)
            }
            self.problem = problem
        } else {
            problem = try object.decode(ProblemSpec.self, forKey: .problem)
        }
        network = try object.decode(NetworkSpec.self, forKey: .network)
        training = try object.decode(TrainingSpec.self, forKey: .training)
        output = try object.decode(OutputSpec.self, forKey: .output)
    }

    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(problem, forKey: .problem)
        try object.encode(network, forKey: .network)
        try object.encode(training, forKey: .training)
        try object.encode(output, forKey: .output)
    }
}

extension JobSpec {
    /// The network this spec trains: the problem's inputs and outputs around the hidden layers of `network`.
    public var architecture: NetworkArchitecture {
        architecture(inputs: problem.inputs.count, outputs: problem.outputs.count)
    }

    /// The network for a problem given apart from the spec (a test's hand-written problem).
    public func architecture(inputs: Int, outputs: Int) -> NetworkArchitecture {
        NetworkArchitecture(inputs: inputs, outputs: outputs, hidden: network.layers, activation: network.activation,
                            adaptive: network.adaptive, scale: network.scale, features: inputFeatures(inputs: inputs))
    }

    /// The input features `network.periodic` and `network.fourier` ask for, nil when neither does (or when the
    /// problem's inputs are not known here: a hand-written problem of a test).
    private func inputFeatures(inputs: Int) -> InputFeatures? {
        let periodic = network.periodic ?? [:]
        guard !periodic.isEmpty || network.fourier != nil, problem.inputs.count == inputs else { return nil }
        return InputFeatures(periods: problem.inputs.map { periodic[$0] },
                             fourier: network.fourier.map {
                                 FourierFeatures(count: $0.features, scale: $0.scale, seed: $0.seed ?? training.seed)
                             })
    }

    /// The loss terms a job trains, in order: the problem's, less the periodic conditions that hold by construction
    /// (`periodicByConstruction`). Loss histories name their columns by these.
    public var termNames: [String] {
        let dropped = Set(problem.conditions.filter { $0.periodic.map(periodicByConstruction.contains) ?? false }.map(\.name))
        return problem.termNames.filter { !dropped.contains($0) }
    }

    /// The inputs in which the network is exactly periodic with a period that divides the domain's length: their
    /// periodic conditions hold by construction and are left out of the loss.
    public var periodicByConstruction: Set<String> {
        Set((network.periodic ?? [:]).compactMap { name, period in
            guard let bounds = problem.domain[name], bounds.count == 2 else { return nil }
            let cycles = (bounds[1] - bounds[0]) / period
            return cycles >= 1 - 1e-9 && abs(cycles - cycles.rounded()) <= 1e-9 * cycles ? name : nil
        })
    }
}
