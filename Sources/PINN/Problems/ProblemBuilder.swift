import Foundation
import PINNExpressions
import PINNNumerics

/// Turns a job's `ProblemSpec` into the `Problem` the engine trains: compiles every expression against the
/// problem's names, resolves faces, draws observations from the exact solution when asked, and applies the
/// job's term weights. Every error is collected and reported with its field path; a spec this accepts trains.
public enum ProblemBuilder {
    /// Names an expression reserves: functions and constants.
    public static let reservedNames: Set<String> = ExpressionScope.reservedNames

    /// `limits` are a submission's (the parser passes the server's); nil when rebuilding a job that was accepted
    /// already, perhaps under a server's larger limits, which must not fail now.
    public static func make(_ spec: JobSpec, limits: JobSpecParser.Limits? = nil) throws(JobSpecError) -> Problem {
        var builder = Builder(spec: spec.problem, training: spec.training,
                              periodicByConstruction: spec.periodicByConstruction,
                              maxExpressionLength: limits?.maxExpressionLength ?? .max,
                              maxExpressionDepth: limits?.maxExpressionDepth ?? .max)
        let problem = builder.build()
        if !builder.issues.isEmpty { throw JobSpecError(issues: builder.issues) }
        // Every term may stay under the per-term limit while all of them together exhaust memory.
        let rows = problem!.terms.map { term in
            switch term.region {
            case .interior: term.points ?? spec.training.collocationPoints
            case .faces: term.points ?? spec.training.boundaryPoints
            case .periodic: 2 * (term.points ?? spec.training.boundaryPoints)
            case .given(let points): points.count / max(problem!.inputs.count, 1)
            }
        }.reduce(0, +)
        if let limits, rows > 4 * limits.maxPoints {
            throw JobSpecError(issues: [.init(field: "training", message: "the problem's loss terms have \(rows) points in all; at most \(4 * limits.maxPoints)")])
        }
        return problem!
    }

    /// Whether a face like `"t = 0"` is on the lower end of t (the automatic name "initial").
    static func isInitialFace(_ face: String) -> Bool {
        let parts = face.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
        return parts.count == 2 && parts[0] == "t" && Double(parts[1]) == 0
    }
}

private struct Builder {
    let spec: ProblemSpec
    let training: JobSpec.TrainingSpec
    /// Inputs in which the network itself is periodic: their periodic conditions are checked, then left out.
    let periodicByConstruction: Set<String>
    let maxExpressionLength: Int
    let maxExpressionDepth: Int
    var issues: [JobSpecError.Issue] = []
    let lower: [Double]
    let upper: [Double]
    let scope: ExpressionScope

    init(spec: ProblemSpec, training: JobSpec.TrainingSpec, periodicByConstruction: Set<String>,
         maxExpressionLength: Int, maxExpressionDepth: Int) {
        self.periodicByConstruction = periodicByConstruction
        self.maxExpressionDepth = maxExpressionDepth
        self.spec = spec
        self.training = training
        self.maxExpressionLength = maxExpressionLength
        lower = spec.inputs.map { spec.domain[$0]?[0] ?? 0 }
        upper = spec.inputs.map { spec.domain[$0]?[1] ?? 1 }
        scope = ExpressionScope(inputs: spec.inputs, fields: spec.outputs, constants: spec.constants,
                                learned: spec.learned.map(\.name), allowsFields: true)
    }

    mutating func fail(_ field: String, _ message: String) { issues.append(.init(field: field, message: message)) }

    mutating func compile(_ sources: [ExpressionSource], scope: ExpressionScope) -> ExpressionProgram? {
        let tooLong = sources.filter { $0.text.count > maxExpressionLength }
        for source in tooLong {
            fail(source.field, "is \(source.text.count) characters long; at most \(maxExpressionLength)")
        }
        guard tooLong.isEmpty else { return nil }
        var scope = scope
        scope.maximumDepth = min(scope.maximumDepth, maxExpressionDepth)
        do {
            return try ExpressionProgram.compile(sources, scope: scope)
        } catch {
            for e in error.errors { fail(e.field, e.message) }
            return nil
        }
    }

    mutating func build() -> Problem? {
        var terms: [LossTermDefinition] = []
        for (i, equation) in spec.equations.enumerated() {
            let field = "problem.equations[\(i)].residual"
            if let program = compile([ExpressionSource(equation.residual, field: field)], scope: scope) {
                terms.append(LossTermDefinition(name: equation.name, region: .interior,
                                                residual: ExpressionResidual(program), weight: equation.weight,
                                                points: equation.points))
            }
        }
        for (i, condition) in spec.conditions.enumerated() {
            guard let term = conditionTerm(condition, "problem.conditions[\(i)]") else { continue }
            if let input = condition.periodic, periodicByConstruction.contains(input) { continue }
            terms.append(term)
        }
        let exact = exactSolution()
        for (i, observation) in spec.observations.enumerated() {
            if let term = observationTerm(observation, "problem.observations[\(i)]", index: i, exact: exact) { terms.append(term) }
        }
        guard issues.isEmpty else { return nil }
        for t in terms.indices { terms[t].weight = training.weights[terms[t].name] ?? terms[t].weight }
        return Problem(name: spec.name, inputs: spec.inputs, outputs: spec.outputs, lower: lower, upper: upper,
                       terms: terms, exact: exact, parameters: spec.constants, learned: spec.learned)
    }

    mutating func conditionTerm(_ condition: ProblemSpec.Condition, _ field: String) -> LossTermDefinition? {
        if let periodic = condition.periodic {
            guard let input = spec.inputs.firstIndex(of: periodic) else {
                fail("\(field).periodic", "\"\(periodic)\" is not an input (inputs: \(spec.inputs.joined(separator: ", ")))")
                return nil
            }
            return LossTermDefinition(name: condition.name, region: .periodic(input: input),
                                      residual: PeriodicResidual(input: input, inputCount: spec.inputs.count,
                                                                 outputCount: spec.outputs.count),
                                      weight: condition.weight, points: condition.points)
        }
        let region = self.region(condition.on, "\(field).on")
        let sources = condition.assignments.keys.sorted().map {
            ExpressionSource(condition.assignments[$0]!, field: "\(field).\($0)", minus: $0)
        } + condition.residuals.enumerated().map { j, text in
            ExpressionSource(text, field: condition.residuals.count == 1 ? "\(field).residual" : "\(field).residual[\(j)]")
        }
        guard let program = compile(sources, scope: scope), let region else { return nil }
        return LossTermDefinition(name: condition.name, region: region, residual: ExpressionResidual(program),
                                  weight: condition.weight, points: condition.points)
    }

    /// `"domain"` (or `"interior"`) alone, or faces written `"x = value"` where value is a constant expression
    /// equal to one of the input's bounds.
    mutating func region(_ on: [String], _ field: String) -> Region? {
        let trimmed = on.map { $0.trimmingCharacters(in: .whitespaces) }
        if trimmed.contains(where: { $0 == "domain" || $0 == "interior" }) {
            guard trimmed.count == 1 else { fail(field, "\"domain\" cannot be combined with faces"); return nil }
            return .interior
        }
        var faces: [Face] = []
        for (j, text) in trimmed.enumerated() {
            let path = on.count == 1 ? field : "\(field)[\(j)]"
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let input = spec.inputs.firstIndex(of: parts[0]) else {
                fail(path, "must be a face such as \"\(spec.inputs[0]) = \(lower[0].formatted())\" (an input = one of its bounds) or \"domain\", got \"\(text)\"")
                continue
            }
            let constants = ExpressionScope(inputs: [], fields: [], constants: spec.constants, learned: [], allowsFields: false)
            guard let program = compile([ExpressionSource(parts[1], field: path)], scope: constants),
                  let value = program.evaluate([]).first else { continue }
            let (lo, hi) = (lower[input], upper[input])
            let tolerance = 1e-9 * max(1, abs(lo), abs(hi))
            if abs(value - lo) <= tolerance {
                faces.append(Face(input: input, upper: false))
            } else if abs(value - hi) <= tolerance {
                faces.append(Face(input: input, upper: true))
            } else {
                fail(path, "\(parts[0]) = \(value) is not a face of the domain: \(parts[0]) ∈ [\(lo), \(hi)], so the faces are \(parts[0]) = \(lo) and \(parts[0]) = \(hi)")
            }
        }
        guard faces.count == trimmed.count else { return nil }
        guard Set(faces).count == faces.count else { fail(field, "names a face twice"); return nil }
        return .faces(faces)
    }

    mutating func exactSolution() -> (any ExactSolution)? {
        guard let exact = spec.exact else { return nil }
        switch exact.reference {
        case .burgers: return burgersReference(nu: exact.nu)
        case .allenCahn: return allenCahnReference()
        case .kuramotoSivashinsky: return kuramotoSivashinskyReference()
        case nil: break
        }
        let before = issues.count
        for key in exact.fields.keys.sorted() where !spec.outputs.contains(key) {
            fail("problem.exact.\(key)", "\"\(key)\" is not an output field (outputs: \(spec.outputs.joined(separator: ", ")))")
        }
        for output in spec.outputs where exact.fields[output] == nil {
            fail("problem.exact", "gives no expression for output \"\(output)\"")
        }
        guard issues.count == before else { return nil }
        let inputsOnly = ExpressionScope(inputs: spec.inputs, fields: spec.outputs, constants: spec.constants,
                                         learned: [], allowsFields: false)
        let sources = spec.outputs.map { ExpressionSource(exact.fields[$0]!, field: "problem.exact.\($0)") }
        guard let program = compile(sources, scope: inputsOnly) else { return nil }
        return ExpressionSolution(program: program, inputCount: spec.inputs.count)
    }

    mutating func burgersReference(nu given: Double?) -> (any ExactSolution)? {
        guard spec.inputs == ["x", "t"], spec.outputs.count == 1 else {
            fail("problem.exact.reference", "the Burgers reference needs inputs [\"x\", \"t\"] and one output"); return nil
        }
        guard spec.domain["x"] == [-1, 1], spec.domain["t"]?[0] == 0 else {
            fail("problem.exact.reference", "the Burgers reference is for x ∈ [-1, 1] and t starting at 0"); return nil
        }
        guard let nu = given ?? spec.constants["nu"] else {
            fail("problem.exact.nu", "is required: the viscosity (or a constant parameter nu)"); return nil
        }
        guard nu.isFinite, nu >= 1e-6, nu <= 10 else {
            fail(given == nil ? "problem.parameters.nu" : "problem.exact.nu",
                 "must be in 1e-06...10 for the Burgers reference solution, got \(nu)")
            return nil
        }
        return BurgersExactSolution(nu: nu)
    }

    /// The Allen–Cahn reference is a grid over x ∈ [−1, 1] × t ∈ [0, 1]; a problem may use [0, T] ⊂ [0, 1] of it.
    /// It solves the preset's equation and initial condition only. The equation's text cannot be compared, but a
    /// constant `d` (the preset's diffusion, which a job's top-level `parameters` may override) must be 10⁻⁴.
    mutating func allenCahnReference() -> (any ExactSolution)? {
        guard spec.inputs == ["x", "t"], spec.outputs.count == 1 else {
            fail("problem.exact.reference", "the Allen–Cahn reference needs inputs [\"x\", \"t\"] and one output"); return nil
        }
        guard spec.domain["x"] == [-1, 1], let t = spec.domain["t"], t[0] == 0, t[1] <= 1 else {
            fail("problem.exact.reference", "the Allen–Cahn reference is for x ∈ [-1, 1] and t ∈ [0, T] with T ≤ 1"); return nil
        }
        if let d = spec.constants["d"], abs(d - 1e-4) > 1e-15 {
            fail("problem.parameters.d", "the Allen–Cahn reference is for d = 0.0001, got \(d); remove problem.exact to use another value")
            return nil
        }
        return AllenCahnReference()
    }

    /// The Kuramoto–Sivashinsky reference is a grid over x ∈ [0, 2π] × t ∈ [0, 1] for the preset's equation and
    /// initial condition; its coefficients, when given as constants alpha, beta, gamma, must be the preset's.
    mutating func kuramotoSivashinskyReference() -> (any ExactSolution)? {
        guard spec.inputs == ["x", "t"], spec.outputs.count == 1 else {
            fail("problem.exact.reference", "the Kuramoto–Sivashinsky reference needs inputs [\"x\", \"t\"] and one output"); return nil
        }
        guard let x = spec.domain["x"], abs(x[0]) < 1e-12, abs(x[1] - 2 * Double.pi) < 1e-12,
              let t = spec.domain["t"], t[0] == 0, t[1] <= 1 else {
            fail("problem.exact.reference", "the Kuramoto–Sivashinsky reference is for x ∈ [0, 2π] and t ∈ [0, T] with T ≤ 1"); return nil
        }
        for (name, value) in [("alpha", 100.0 / 16), ("beta", 100.0 / 256), ("gamma", 100.0 / 65536)] {
            if let given = spec.constants[name], abs(given - value) > 1e-12 * value {
                fail("problem.parameters.\(name)", "the Kuramoto–Sivashinsky reference is for \(name) = \(value), got \(given); remove problem.exact to use another value")
                return nil
            }
        }
        return KuramotoSivashinskyReference()
    }

    mutating func observationTerm(_ observation: ProblemSpec.Observation, _ field: String, index: Int,
                               exact: (any ExactSolution)?) -> LossTermDefinition? {
        let d = spec.inputs.count
        var points: [Double] = [], targets: [Double] = [], observed: [Int] = []
        if let count = observation.sampleExact {
            guard let exact else {
                fail("\(field).sampleExact", "needs an exact solution (problem.exact) to sample"); return nil
            }
            // Observation points come from their own stream of the job's seed, after the network (1) and the
            // training points (2).
            var generator = SeededGenerator(seed: training.seed).derived(3 + UInt64(index))
            let unit = PointSampler.sample(training.sampler, count: count, dimensions: d, generator: &generator)
            points = unit.enumerated().map { i, u in lower[i % d] + u * (upper[i % d] - lower[i % d]) }
            targets = exact.values(at: points)
            if observation.noise > 0 { for i in targets.indices { targets[i] += observation.noise * generator.nextNormal() } }
            observed = Array(spec.outputs.indices)
        } else {
            let before = issues.count
            let columns = observation.columns
            for (j, name) in columns.enumerated() where !spec.inputs.contains(name) && !spec.outputs.contains(name) {
                fail("\(field).columns[\(j)]", "\"\(name)\" is neither an input nor an output (inputs: \(spec.inputs.joined(separator: ", ")); outputs: \(spec.outputs.joined(separator: ", ")))")
            }
            if Set(columns).count != columns.count { fail("\(field).columns", "names a column twice") }
            for input in spec.inputs where !columns.contains(input) { fail("\(field).columns", "is missing input \"\(input)\"") }
            observed = spec.outputs.indices.filter { columns.contains(spec.outputs[$0]) }
            if observed.isEmpty { fail("\(field).columns", "observes no output field (outputs: \(spec.outputs.joined(separator: ", ")))") }
            guard issues.count == before else { return nil }
            let inputColumns = spec.inputs.map { columns.firstIndex(of: $0)! }
            let outputColumns = observed.map { columns.firstIndex(of: spec.outputs[$0])! }
            for (i, row) in observation.rows.enumerated() {
                for (j, c) in inputColumns.enumerated() {
                    let tolerance = 1e-9 * max(1, abs(lower[j]), abs(upper[j]))
                    if row[c] < lower[j] - tolerance || row[c] > upper[j] + tolerance {
                        fail("\(field).rows[\(i)]", "\(spec.inputs[j]) = \(row[c]) is outside the domain [\(lower[j]), \(upper[j])]")
                        return nil
                    }
                    points.append(row[c])
                }
                targets += outputColumns.map { row[$0] }
            }
        }
        return LossTermDefinition(name: observation.name, region: .given(points),
                                  residual: ObservationResidual(outputs: observed, targets: targets),
                                  weight: observation.weight)
    }
}
