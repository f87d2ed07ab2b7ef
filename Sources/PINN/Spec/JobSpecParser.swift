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
        public var maxQuasiNewtonBytes = 1 << 29   // 512 MiB: n ≤ 8,192
        /// Memory one job may hold while it trains, by `JobMemoryEstimate` (0 = no budget).
        public var maxJobBytes = 4 << 30
        /// Characters of one expression (a residual, a condition, an exact solution); the parser's own bound, 4,000,
        /// caps it.
        public var maxExpressionLength = 4000
        /// Nesting levels of one expression (parentheses, calls, exponents); the parser's own bound, 64, caps it.
        public var maxExpressionDepth = 64
        /// Trainable parameters of the network (weights, biases, slopes) and the problem's learned parameters.
        public var maxParameters = 1_000_000
        public init() {}
    }

    /// Where the first invalid UTF-8 sequence starts, or nil when all of `data` is valid.
    static func invalidUTF8Offset(_ data: Data) -> Int? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    public static func parse(_ data: Data, limits: Limits = Limits()) throws(JobSpecError) -> JobSpec {
        if let offset = Self.invalidUTF8Offset(data) {
            throw JobSpecError(issues: [.init(field: "$", message: "not valid UTF-8 (at byte \(offset))")])
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw JobSpecError(issues: [.init(field: "$", message: "not valid JSON (\(error.localizedDescription))")])
        }
        return try parse(json: json, limits: limits)
    }

    /// A preset's own definition: an inline problem there starts from `ProblemPresets.presetBase`.
    static func parsePresetDefinition(_ data: Data) throws(JobSpecError) -> JobSpec {
        guard let json = try? JSONSerialization.jsonObject(with: data) else {
            throw JobSpecError(issues: [.init(field: "$", message: "a preset definition is not valid JSON")])
        }
        var reader = SpecReader(limits: Limits(), presetDefinition: true)
        let spec = reader.read(json)
        if !reader.issues.isEmpty { throw JobSpecError(issues: reader.issues) }
        return spec!
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
        guard let root = object(json, "", allowed: JobSpecObject.job.members) else {
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
            spec = presetDefinition ? ProblemPresets.presetBase(for: problem) : ProblemPresets.inlineDefaults(for: problem)
        case .some(let other):
            fail("problem", "must be a preset name or a problem object, got \(describe(other))")
            return nil
        }
        if let value = root["parameters"] { readParameterOverrides(value, into: &spec.problem) }
        if let value = root["network"] { readNetwork(value, into: &spec.network) }
        if let value = root["training"] { readTraining(value, into: &spec) }
        if let value = root["output"] { readOutput(value, into: &spec) }
        resolveInputFeatures(&spec)
        guard issues.isEmpty else { return nil }
        // Compile the problem now, so a spec that cannot train is rejected at submission.
        do {
            let problem = try ProblemBuilder.make(spec, limits: limits)
            checkSize(spec, problem)
            if spec.training.causal != nil, !problem.terms.contains(where: { $0.region == .interior }) {
                fail("training.causal", "weighs the samples of the interior terms by time: the problem has no equation "
                     + "or condition on the domain")
            }
            if spec.training.windowCount > 1, let refusal = problem.timeMarchingRefusal {
                fail("training.timeWindows", refusal)
            }
        } catch {
            issues += error.issues
        }
        checkQuasiNewtonMemory(spec)
        return spec
    }

    /// The input features once the problem is known: `network.periodic` names inputs of the problem; when the spec
    /// does not give it, every input with a periodic condition gets periodic features with the domain's length as
    /// period (the condition then holds by construction and leaves the loss, `JobSpec.periodicByConstruction`).
    mutating func resolveInputFeatures(_ spec: inout JobSpec) {
        let inputs = spec.problem.inputs
        guard let periodic = spec.network.periodic else {
            let names = Set(spec.problem.conditions.compactMap(\.periodic)).filter(inputs.contains)
            let periods = names.compactMap { name in
                spec.problem.domain[name].flatMap { $0.count == 2 ? (name, $0[1] - $0[0]) : nil }
            }
            spec.network.periodic = Dictionary(uniqueKeysWithValues: periods)
            return
        }
        for name in periodic.keys.sorted() where !inputs.contains(name) {
            fail("network.periodic.\(name)", "\"\(name)\" is not an input (inputs: \(inputs.joined(separator: ", ")))")
        }
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
        guard let object = object(value, "network", allowed: JobSpecObject.network.members) else { return }
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
        if let value = object["periodic"] { readPeriodic(value, into: &network) }
        if let value = object["fourier"] {
            if value is NSNull {
                network.fourier = nil
            } else if let fourier = self.object(value, "network.fourier", allowed: JobSpecObject.fourier.members) {
                if fourier["features"] == nil { fail("network.fourier.features", "is required") }
                if fourier["scale"] == nil { fail("network.fourier.scale", "is required") }
                let count = fourier["features"].flatMap { integer($0, "network.fourier.features", 1...512) }
                let scale = fourier["scale"].flatMap { number($0, "network.fourier.scale", 1e-6...1e4) }
                let seed = fourier["seed"].flatMap { integer($0, "network.fourier.seed", 0...Int.max) }
                if let count, let scale {
                    network.fourier = .init(features: count, scale: scale, seed: seed.map { UInt64($0) })
                }
            }
        }
    }

    /// `network.periodic`: `{"x": period}` for inputs of the problem, positive periods; `{}` turns the default off.
    mutating func readPeriodic(_ value: Any, into network: inout JobSpec.NetworkSpec) {
        guard let periods = value as? [String: Any] else { fail("network.periodic", "must be an object"); return }
        var read: [String: Double] = [:]
        for (name, v) in periods {
            if let period = number(v, "network.periodic.\(name)", 1e-9...1e9) { read[name] = period }
        }
        network.periodic = read
    }

    mutating func readOutput(_ value: Any, into spec: inout JobSpec) {
        guard let object = object(value, "output", allowed: JobSpecObject.output.members) else { return }
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

extension SpecReader {
    /// The whole job against the budgets: its trainable parameters, and its estimated memory while training.
    mutating func checkSize(_ spec: JobSpec, _ problem: Problem) {
        let parameters = ParameterLayout(spec.architecture).count + problem.learned.count
        if parameters > limits.maxParameters {
            fail("network.layers", "the network has \(parameters) trainable parameters; at most \(limits.maxParameters)")
        }
        let estimate = JobMemoryEstimate(spec: spec, problem: problem)
        if limits.maxJobBytes > 0, estimate.total > limits.maxJobBytes {
            fail("training", "this job needs an estimated \(estimate.summary) while it trains, over the budget of "
                 + String(format: "%.2f GiB", Double(limits.maxJobBytes) / Double(1 << 30))
                 + " (the server's maxJobMemoryBytes); use fewer points or threads, a smaller network, or lbfgs")
        }
    }
}
