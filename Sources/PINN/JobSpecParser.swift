import Foundation

/// Reads a job spec from JSON: starts from the named problem's defaults, applies every member the user gave,
/// and checks each against its type and range. Unknown members are errors (a typo must not silently train
/// with a default). All problems are reported at once.
public enum JobSpecParser {
    /// Limits that keep one job from exhausting the machine; the service may tighten them.
    public struct Limits: Sendable {
        public var maxPoints = 1_000_000
        public var maxLayers = 32
        public var maxWidth = 1024
        public var maxIterations = 1_000_000
        public var maxThreads = 64
        public var maxGridPoints = 4096
        /// Loss terms of a problem (equations, conditions and observations together).
        public var maxTerms = 32
        public var maxOutputs = 8
        /// Rows of inline observations, over all observation sets.
        public var maxObservations = 100_000
        /// Memory for a dense quasi-Newton phase's inverse Hessian (8·n² bytes for n trainable parameters).
        public var maxQuasiNewtonBytes = 1 << 29
        public init() {}
    }

    public static func parse(_ data: Data, limits: Limits = Limits()) throws(JobSpecError) -> JobSpec {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw JobSpecError(issues: [.init(field: "$", message: "not valid JSON (\(error.localizedDescription))")])
        }
        return try parse(json: json, limits: limits)
    }

    public static func parse(json: Any, limits: Limits = Limits()) throws(JobSpecError) -> JobSpec {
        var reader = SpecReader(limits: limits)
        let spec = reader.read(json)
        if !reader.issues.isEmpty { throw JobSpecError(issues: reader.issues) }
        return spec!
    }
}

/// The job-level members: the problem (a preset or inline), its parameter overrides, network, training, output.
extension SpecReader {
    mutating func read(_ json: Any) -> JobSpec? {
        guard let root = object(json, "", allowed: ["problem", "parameters", "network", "training", "output"]) else {
            issues = [.init(field: "$", message: "a job spec must be a JSON object such as {\"problem\": \"burgers\"}")]
            return nil
        }
        var spec: JobSpec
        switch root["problem"] {
        case nil:
            spec = ProblemPresets.spec(named: ProblemPresets.defaultName)!
        case let name as String:
            guard let preset = ProblemPresets.spec(named: name) else {
                fail("problem", "unknown preset \"\(name)\" (known: \(ProblemPresets.names.joined(separator: ", "))); "
                     + "or give the problem inline as an object")
                return nil
            }
            spec = preset
        case let definition as [String: Any]:
            guard let problem = readProblem(definition) else { return nil }
            spec = ProblemPresets.inlineDefaults(for: problem)
        case .some(let other):
            fail("problem", "must be a preset name or a problem object, got \(describe(other))")
            return nil
        }
        if let value = root["parameters"] { readParameterOverrides(value, into: &spec.problem) }
        if let value = root["network"] { readNetwork(value, into: &spec.network) }
        if let value = root["training"] { readTraining(value, into: &spec) }
        if let value = root["output"] { readOutput(value, into: &spec) }
        guard issues.isEmpty else { return nil }
        // Compile the problem now, so a spec that cannot train is rejected at submission.
        do {
            _ = try ProblemBuilder.make(spec, limits: limits)
        } catch {
            issues += error.issues
        }
        checkQuasiNewtonMemory(spec)
        return spec
    }

    /// `parameters` at the top level changes the values of the problem's parameters (a constant's value, or a
    /// learned parameter's initial value); it cannot add new ones.
    mutating func readParameterOverrides(_ value: Any, into problem: inout ProblemSpec) {
        guard let object = object(value, "parameters", allowed: problem.parameters.keys.sorted()) else { return }
        for (key, value) in object {
            guard let old = problem.parameters[key] else { continue }
            guard let x = number(value, "parameters.\(key)", -1e12...1e12) else { continue }
            switch old {
            case .constant: problem.parameters[key] = .constant(x)
            case .learned: problem.parameters[key] = .learned(initial: x)
            }
        }
    }

    mutating func readNetwork(_ value: Any, into network: inout JobSpec.NetworkSpec) {
        guard let object = object(value, "network", allowed: ["layers", "activation", "adaptive", "scale", "slopeRecovery"]) else { return }
        if let value = object["layers"] {
            if let array = value as? [Any], (1...limits.maxLayers).contains(array.count) {
                let widths = array.enumerated().map { integer($1, "network.layers[\($0)]", 1...limits.maxWidth) }
                if widths.allSatisfy({ $0 != nil }) { network.layers = widths.map { $0! } }
            } else {
                fail("network.layers", "must be an array of 1...\(limits.maxLayers) hidden-layer widths")
            }
        }
        if let value = object["activation"], let a = choice(value, "network.activation", Activation.self) { network.activation = a }
        if let value = object["adaptive"], let a = choice(value, "network.adaptive", AdaptiveMode.self) { network.adaptive = a }
        if let value = object["scale"], let n = number(value, "network.scale", 1...100) { network.scale = n }
        if let value = object["slopeRecovery"], let b = bool(value, "network.slopeRecovery") { network.slopeRecovery = b }
    }

    /// A dense quasi-Newton phase keeps an n × n inverse Hessian: reject a job whose H would not fit the budget.
    mutating func checkQuasiNewtonMemory(_ spec: JobSpec) {
        guard let p = spec.training.phases.firstIndex(where: { $0.optimizer.denseUpdate != nil }) else { return }
        let architecture = NetworkArchitecture(inputs: spec.problem.inputs.count, outputs: spec.problem.outputs.count,
                                               hidden: spec.network.layers, activation: spec.network.activation,
                                               adaptive: spec.network.adaptive, scale: spec.network.scale)
        let learned = spec.problem.parameters.values.filter { if case .learned = $0 { true } else { false } }.count
        let n = ParameterLayout(architecture).count + learned
        let bytes = DenseQuasiNewton.memoryBytes(parameterCount: n)
        if bytes > limits.maxQuasiNewtonBytes {
            fail("training.phases[\(p)].optimizer", "\(spec.training.phases[p].optimizer.rawValue) keeps an n × n inverse "
                 + "Hessian: \(n) parameters need \(bytes >> 20) MiB, over the limit of \(limits.maxQuasiNewtonBytes >> 20) MiB; "
                 + "use lbfgs or a smaller network")
        }
    }

    mutating func readResampling(_ value: Any, into spec: inout JobSpec) {
        let field = "training.resampling"
        if value is NSNull { spec.training.resampling = nil; return }
        guard let object = object(value, field, allowed: ["every", "candidates", "exponent", "constant"]) else { return }
        var rad = JobSpec.ResamplingSpec()
        if let v = object["every"], let n = integer(v, "\(field).every", 1...limits.maxIterations) { rad.every = n }
        if let v = object["candidates"], let n = integer(v, "\(field).candidates", 1...limits.maxPoints) { rad.candidates = n }
        if let v = object["exponent"], let x = number(v, "\(field).exponent", 0...10) { rad.exponent = x }
        if let v = object["constant"], let x = number(v, "\(field).constant", 0...1e6) { rad.constant = x }
        if rad.candidates < spec.training.collocationPoints {
            fail("\(field).candidates", "must be at least training.collocationPoints (\(spec.training.collocationPoints)): "
                 + "the new points are drawn from the candidates without replacement")
        }
        spec.training.resampling = rad
    }

    mutating func readTraining(_ value: Any, into spec: inout JobSpec) {
        let fields = ["collocationPoints", "boundaryPoints", "sampler", "seed", "precision", "threads", "phases",
                      "weights", "slopeRecoveryWeight", "logEvery", "evaluateEvery", "resampling"]
        guard let object = object(value, "training", allowed: fields) else { return }
        if let v = object["collocationPoints"], let n = integer(v, "training.collocationPoints", 1...limits.maxPoints) { spec.training.collocationPoints = n }
        if let v = object["boundaryPoints"], let n = integer(v, "training.boundaryPoints", 1...limits.maxPoints) { spec.training.boundaryPoints = n }
        if let v = object["sampler"], let s = choice(v, "training.sampler", SamplingMethod.self) { spec.training.sampler = s }
        if let v = object["seed"], let n = integer(v, "training.seed", 0...(1 << 53)) { spec.training.seed = UInt64(n) }
        if let v = object["precision"], let p = choice(v, "training.precision", JobSpec.Precision.self) { spec.training.precision = p }
        if let v = object["threads"], let n = integer(v, "training.threads", 1...limits.maxThreads) { spec.training.threads = n }
        if let v = object["slopeRecoveryWeight"], let w = number(v, "training.slopeRecoveryWeight", 0...1e6) { spec.training.slopeRecoveryWeight = w }
        if let v = object["logEvery"], let n = integer(v, "training.logEvery", 1...limits.maxIterations) { spec.training.logEvery = n }
        if let v = object["evaluateEvery"], let n = integer(v, "training.evaluateEvery", 0...limits.maxIterations) { spec.training.evaluateEvery = n }
        if let v = object["resampling"] { readResampling(v, into: &spec) }
        if let v = object["weights"] {
            let terms = spec.problem.termNames
            if let weights = self.object(v, "training.weights", allowed: terms) {
                for (term, w) in weights where terms.contains(term) {
                    if let x = number(w, "training.weights.\(term)", 0...1e12) { spec.training.weights[term] = x }
                }
            }
        }
        if let v = object["phases"] {
            guard let array = v as? [Any], (1...16).contains(array.count) else {
                fail("training.phases", "must be an array of 1...16 phases such as {\"optimizer\": \"adam\", \"iterations\": 1000}")
                return
            }
            var phases: [JobSpec.PhaseSpec] = []
            for (i, item) in array.enumerated() {
                if let phase = readPhase(item, "training.phases[\(i)]") { phases.append(phase) }
            }
            if phases.count == array.count { spec.training.phases = phases }
        }
    }

    mutating func readPhase(_ value: Any, _ field: String) -> JobSpec.PhaseSpec? {
        let fields = ["optimizer", "iterations", "learningRate", "decayRate", "decaySteps", "history", "trainSlopes", "slopeRecoveryWeight"]
        guard let object = object(value, field, allowed: fields) else { return nil }
        guard let kindValue = object["optimizer"] else { fail("\(field).optimizer", "is required (\(JobSpec.OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")))"); return nil }
        guard let kind = choice(kindValue, "\(field).optimizer", JobSpec.OptimizerKind.self) else { return nil }
        var phase = JobSpec.PhaseSpec(optimizer: kind, iterations: kind == .adam ? 1000 : 1000, learningRate: 1e-3,
                                      decayRate: 1, decaySteps: 1000, history: 50, trainSlopes: true,
                                      slopeRecoveryWeight: nil)
        let before = issues.count
        if let v = object["iterations"], let n = integer(v, "\(field).iterations", 0...limits.maxIterations) { phase.iterations = n }
        if let v = object["learningRate"], let x = number(v, "\(field).learningRate", 1e-12...10) { phase.learningRate = x }
        if let v = object["decayRate"], let x = number(v, "\(field).decayRate", 1e-6...1) { phase.decayRate = x }
        if let v = object["decaySteps"], let n = integer(v, "\(field).decaySteps", 1...limits.maxIterations) { phase.decaySteps = n }
        if let v = object["history"], let n = integer(v, "\(field).history", 1...1000) { phase.history = n }
        if let v = object["trainSlopes"], let b = bool(v, "\(field).trainSlopes") { phase.trainSlopes = b }
        if let v = object["slopeRecoveryWeight"], let x = number(v, "\(field).slopeRecoveryWeight", 0...1e6) { phase.slopeRecoveryWeight = x }
        return issues.count == before ? phase : nil
    }

    mutating func readOutput(_ value: Any, into spec: inout JobSpec) {
        guard let object = object(value, "output", allowed: ["grid"]) else { return }
        guard let grid = object["grid"] else { return }
        let inputs = spec.problem.inputs
        guard let axes = self.object(grid, "output.grid", allowed: inputs) else { return }
        for (name, v) in axes where inputs.contains(name) {
            if let n = integer(v, "output.grid.\(name)", 2...limits.maxGridPoints) { spec.output.grid[name] = n }
        }
        let total = inputs.map { spec.output.grid[$0] ?? 2 }.reduce(1, *)
        if total > limits.maxPoints {
            fail("output.grid", "has \(total) points in all; at most \(limits.maxPoints)")
        }
    }
}
