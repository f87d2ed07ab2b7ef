import Foundation

/// The `training` member of a job spec: points, seed, precision, threads, weights, logging, resampling and the
/// phases of the schedule, each checked against its type and range (errors name the field).
extension SpecReader {
    /// A dense quasi-Newton phase keeps an n × n inverse Hessian: reject a job whose H would not fit the budget.
    mutating func checkQuasiNewtonMemory(_ spec: JobSpec) {
        guard let p = spec.training.phases.firstIndex(where: { $0.optimizer.denseUpdate != nil }) else { return }
        let architecture = spec.architecture
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
        guard let object = object(value, field, allowed: JobSpecObject.resampling.members) else { return }
        var rad = JobSpec.ResamplingSpec()
        if let v = object["every"], let n = integer(v, "\(field).every", 1...limits.maxIterations) { rad.every = n }
        if let v = object["candidates"], let n = integer(v, "\(field).candidates", 1...limits.maxPoints) { rad.candidates = n }
        if let v = object["exponent"], let x = number(v, "\(field).exponent", 0...10) { rad.exponent = x }
        if let v = object["constant"], let x = number(v, "\(field).constant", 0...1e6) { rad.constant = x }
        if let v = object["until"], !(v is NSNull), let n = integer(v, "\(field).until", 0...limits.maxIterations) { rad.until = n }
        if rad.candidates < spec.training.collocationPoints {
            fail("\(field).candidates", "must be at least training.collocationPoints (\(spec.training.collocationPoints)): "
                 + "the new points are drawn from the candidates without replacement")
        }
        spec.training.resampling = rad
    }

    mutating func readCausal(_ value: Any, into spec: inout JobSpec) {
        let field = "training.causal"
        if value is NSNull { spec.training.causal = nil; return }
        guard let object = object(value, field, allowed: JobSpecObject.causal.members) else { return }
        var causal = JobSpec.CausalSpec()
        if let v = object["chunks"], let n = integer(v, "\(field).chunks", 1...1000) { causal.chunks = n }
        if let v = object["epsilon"], let x = number(v, "\(field).epsilon", 0...1e6) { causal.epsilon = x }
        if let v = object["every"], let n = integer(v, "\(field).every", 1...limits.maxIterations) { causal.every = n }
        guard spec.problem.inputs.contains("t") else {
            fail(field, "weighs the samples by time: the problem has no input \"t\" (its inputs: "
                 + "\(spec.problem.inputs.joined(separator: ", ")))")
            return
        }
        spec.training.causal = causal
    }

    mutating func readTraining(_ value: Any, into spec: inout JobSpec) {
        guard let object = object(value, "training", allowed: JobSpecObject.training.members) else { return }
        if let v = object["collocationPoints"], let n = integer(v, "training.collocationPoints", 1...limits.maxPoints) { spec.training.collocationPoints = n }
        if let v = object["boundaryPoints"], let n = integer(v, "training.boundaryPoints", 1...limits.maxPoints) { spec.training.boundaryPoints = n }
        if let v = object["sampler"], let s = choice(v, "training.sampler", SamplingMethod.self) { spec.training.sampler = s }
        if let v = object["seed"], let n = integer(v, "training.seed", 0...(1 << 53)) { spec.training.seed = UInt64(n) }
        if let v = object["precision"], let p = choice(v, "training.precision", JobSpec.Precision.self) { spec.training.precision = p }
        if let v = object["onDivergence"], let a = choice(v, "training.onDivergence", JobSpec.DivergenceAction.self) { spec.training.onDivergence = a }
        if let v = object["threads"], let n = integer(v, "training.threads", 1...limits.maxThreads) { spec.training.threads = n }
        if let v = object["slopeRecoveryWeight"], let w = number(v, "training.slopeRecoveryWeight", 0...1e6) { spec.training.slopeRecoveryWeight = w }
        if let v = object["logEvery"], let n = integer(v, "training.logEvery", 1...limits.maxIterations) { spec.training.logEvery = n }
        if let v = object["evaluateEvery"], let n = integer(v, "training.evaluateEvery", 0...limits.maxIterations) { spec.training.evaluateEvery = n }
        if let v = object["resampling"] { readResampling(v, into: &spec) }
        if let v = object["causal"] { readCausal(v, into: &spec) }
        if let v = object["timeWindows"], let n = integer(v, "training.timeWindows", 1...JobSpec.maxTimeWindows) {
            spec.training.timeWindows = n == 1 ? nil : n
        }
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
        guard let object = object(value, field, allowed: JobSpecObject.phase.members) else { return nil }
        guard let kindValue = object["optimizer"] else { fail("\(field).optimizer", "is required (\(JobSpec.OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")))"); return nil }
        guard let kind = choice(kindValue, "\(field).optimizer", JobSpec.OptimizerKind.self) else { return nil }
        var phase = JobSpec.PhaseSpec.defaults(kind)
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
}
