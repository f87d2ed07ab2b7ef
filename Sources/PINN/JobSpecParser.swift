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
        var reader = Reader(limits: limits)
        let spec = reader.read(json)
        if !reader.issues.isEmpty { throw JobSpecError(issues: reader.issues) }
        return spec!
    }

    private struct Reader {
        let limits: Limits
        var issues: [JobSpecError.Issue] = []

        mutating func fail(_ field: String, _ message: String) { issues.append(.init(field: field, message: message)) }

        mutating func object(_ value: Any, _ field: String, allowed: [String]) -> [String: Any]? {
            guard let object = value as? [String: Any] else { fail(field, "must be an object"); return nil }
            for key in object.keys.sorted() where !allowed.contains(key) {
                fail(field.isEmpty ? key : "\(field).\(key)", "unknown field (expected one of: \(allowed.joined(separator: ", ")))")
            }
            return object
        }

        mutating func number(_ value: Any, _ field: String, _ range: ClosedRange<Double>) -> Double? {
            guard let n = value as? NSNumber, !isBoolean(n) else {
                fail(field, "must be a number"); return nil
            }
            let x = n.doubleValue
            guard x.isFinite, range.contains(x) else { fail(field, "must be in \(range.lowerBound)...\(range.upperBound), got \(x)"); return nil }
            return x
        }

        mutating func integer(_ value: Any, _ field: String, _ range: ClosedRange<Int>) -> Int? {
            guard let x = number(value, field, Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
            guard x == x.rounded() else { fail(field, "must be an integer, got \(x)"); return nil }
            return Int(x)
        }

        mutating func bool(_ value: Any, _ field: String) -> Bool? {
            guard let n = value as? NSNumber, isBoolean(n) else { fail(field, "must be true or false"); return nil }
            return n.boolValue
        }

        mutating func choice<E: RawRepresentable & CaseIterable>(_ value: Any, _ field: String, _: E.Type) -> E? where E.RawValue == String {
            let names = E.allCases.map(\.rawValue)
            guard let s = value as? String, let e = E(rawValue: s) else {
                fail(field, "must be one of \(names.joined(separator: ", ")), got \(describe(value))"); return nil
            }
            return e
        }

        /// JSON true/false arrive as NSNumber too; only their type encoding ("c", a C char) tells them apart.
        func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

        func describe(_ value: Any) -> String {
            if let s = value as? String { return "\"\(s)\"" }
            if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) {
                return String(decoding: data, as: UTF8.self)
            }
            return "\(value)"
        }

        mutating func read(_ json: Any) -> JobSpec? {
            guard let root = object(json, "", allowed: ["problem", "parameters", "network", "training", "output"]) else {
                issues = [.init(field: "$", message: "a job spec must be a JSON object such as {\"problem\": \"burgers\"}")]
                return nil
            }
            let name: String
            switch root["problem"] {
            case nil: name = ProblemCatalog.defaultProblem
            case let s as String where ProblemCatalog.names.contains(s): name = s
            case let s as String:
                fail("problem", "unknown problem \"\(s)\" (known: \(ProblemCatalog.names.joined(separator: ", ")))")
                return nil
            case .some(let other) where other is [String: Any]:
                fail("problem", "inline problem definitions are not supported yet; use a preset name (\(ProblemCatalog.names.joined(separator: ", ")))")
                return nil
            case .some(let other):
                fail("problem", "must be a preset name string, got \(describe(other))")
                return nil
            }
            var spec = ProblemCatalog.defaultSpec(for: name)!
            if let value = root["parameters"] { readParameters(value, into: &spec) }
            if let value = root["network"] { readNetwork(value, into: &spec.network) }
            if let value = root["training"] { readTraining(value, into: &spec) }
            if let value = root["output"] { readOutput(value, into: &spec) }
            return spec
        }

        mutating func readParameters(_ value: Any, into spec: inout JobSpec) {
            let known = ProblemCatalog.parameterRanges(for: spec.problem)
            guard let object = object(value, "parameters", allowed: known.keys.sorted()) else { return }
            for (key, value) in object {
                guard let range = known[key] else { continue }
                if let x = number(value, "parameters.\(key)", range) { spec.parameters[key] = x }
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

        mutating func readTraining(_ value: Any, into spec: inout JobSpec) {
            let fields = ["collocationPoints", "boundaryPoints", "sampler", "seed", "precision", "threads", "phases",
                          "weights", "slopeRecoveryWeight", "logEvery", "evaluateEvery"]
            guard let object = object(value, "training", allowed: fields) else { return }
            if let v = object["collocationPoints"], let n = integer(v, "training.collocationPoints", 1...limits.maxPoints) { spec.training.collocationPoints = n }
            if let v = object["boundaryPoints"], let n = integer(v, "training.boundaryPoints", 2...limits.maxPoints) { spec.training.boundaryPoints = n }
            if let v = object["sampler"], let s = choice(v, "training.sampler", SamplingMethod.self) { spec.training.sampler = s }
            if let v = object["seed"], let n = integer(v, "training.seed", 0...(1 << 53)) { spec.training.seed = UInt64(n) }
            if let v = object["precision"], let p = choice(v, "training.precision", JobSpec.Precision.self) { spec.training.precision = p }
            if let v = object["threads"], let n = integer(v, "training.threads", 1...limits.maxThreads) { spec.training.threads = n }
            if let v = object["slopeRecoveryWeight"], let w = number(v, "training.slopeRecoveryWeight", 0...1e6) { spec.training.slopeRecoveryWeight = w }
            if let v = object["logEvery"], let n = integer(v, "training.logEvery", 1...limits.maxIterations) { spec.training.logEvery = n }
            if let v = object["evaluateEvery"], let n = integer(v, "training.evaluateEvery", 0...limits.maxIterations) { spec.training.evaluateEvery = n }
            if let v = object["weights"] {
                let terms = ProblemCatalog.termNames(for: spec.problem)
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
            guard let kindValue = object["optimizer"] else { fail("\(field).optimizer", "is required (adam or lbfgs)"); return nil }
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
            let inputs = ProblemCatalog.inputNames(for: spec.problem)
            guard let axes = self.object(grid, "output.grid", allowed: inputs) else { return }
            for (name, v) in axes where inputs.contains(name) {
                if let n = integer(v, "output.grid.\(name)", 2...limits.maxGridPoints) { spec.output.grid[name] = n }
            }
        }
    }
}
