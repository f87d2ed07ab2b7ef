import Foundation

/// Reads an inline problem (`"problem": {...}`) into its normalised `ProblemSpec`: checks shapes, names and
/// numbers, fills defaults and names every term. Expressions are only read here; `ProblemBuilder` compiles them.
extension SpecReader {
    mutating func readProblem(_ json: [String: Any]) -> ProblemSpec? {
        let before = issues.count
        guard let root = object(json, "problem", allowed: JobSpecObject.problem.members) else { return nil }
        var problem = ProblemSpec(name: "custom", inputs: [], domain: [:], outputs: [])
        if let v = root["name"] {
            if let s = v as? String, (1...64).contains(s.count) { problem.name = s } else { fail("problem.name", "must be a string of 1...64 characters") }
        }
        problem.inputs = readInputs(root["inputs"])
        problem.domain = readDomain(root["domain"], inputs: problem.inputs)
        problem.outputs = readNames(root["outputs"], "problem.outputs", count: 1...limits.maxOutputs,
                                    what: "output field", taken: problem.inputs)
        if let v = root["parameters"] {
            problem.parameters = readParameters(v, taken: problem.inputs + problem.outputs)
        }
        var names = TermNames()
        if let v = root["equations"] {
            problem.equations = list(v, "problem.equations").enumerated().compactMap { i, item in
                readEquation(item, "problem.equations[\(i)]", count: (v as? [Any])?.count ?? 1, index: i, names: &names)
            }
        }
        if let v = root["conditions"] {
            problem.conditions = list(v, "problem.conditions").enumerated().compactMap { i, item in
                readCondition(item, "problem.conditions[\(i)]", inputs: problem.inputs, names: &names)
            }
        }
        if let v = root["observations"] {
            problem.observations = list(v, "problem.observations").enumerated().compactMap { i, item in
                readObservation(item, "problem.observations[\(i)]", names: &names)
            }
        }
        if let v = root["exact"] { problem.exact = readExact(v) }
        let terms = problem.equations.count + problem.conditions.count + problem.observations.count
        if issues.count == before {
            if terms == 0 {
                fail("problem", "has nothing to train: give equations, conditions or observations")
            } else if terms > limits.maxTerms {
                fail("problem", "has \(terms) loss terms; at most \(limits.maxTerms)")
            }
            if !problem.equations.isEmpty && problem.equations.count < problem.outputs.count {
                fail("problem.equations", "\(problem.outputs.count) output fields (\(problem.outputs.joined(separator: ", "))) "
                     + "need at least \(problem.outputs.count) equations, got \(problem.equations.count)")
            }
            let rows = problem.observations.map(\.rows.count).reduce(0, +)
            if rows > limits.maxObservations {
                fail("problem.observations", "have \(rows) rows in all; at most \(limits.maxObservations)")
            }
        }
        return issues.count == before ? problem : nil
    }

    /// A JSON array (a single item is taken as a one-element array).
    mutating func list(_ value: Any, _ field: String) -> [Any] {
        if let array = value as? [Any] {
            if array.count > limits.maxTerms { fail(field, "has \(array.count) entries; at most \(limits.maxTerms)"); return [] }
            return array
        }
        return [value]
    }

    mutating func string(_ value: Any?, _ field: String, required: Bool = true) -> String? {
        guard let value else {
            if required { fail(field, "is required") }
            return nil
        }
        guard let s = value as? String else { fail(field, "must be a string, got \(describe(value))"); return nil }
        return s
    }

    mutating func readInputs(_ value: Any?) -> [String] {
        guard let value else { fail("problem.inputs", "is required, e.g. [\"x\", \"t\"]"); return [] }
        guard let array = value as? [Any], (1...4).contains(array.count) else {
            fail("problem.inputs", "must be an array of 1...4 coordinate names, e.g. [\"x\", \"t\"]"); return []
        }
        var inputs: [String] = []
        for (i, item) in array.enumerated() {
            guard let s = item as? String, s.count == 1, let c = s.first, c.isASCII, c.isLowercase, s != "e" else {
                fail("problem.inputs[\(i)]", "must be a single lowercase letter other than e (derivatives are written u_x, u_xt), got \(describe(item))")
                continue
            }
            if inputs.contains(s) { fail("problem.inputs[\(i)]", "\"\(s)\" appears twice") } else { inputs.append(s) }
        }
        if inputs.count == 4 && !inputs.contains("t") {
            fail("problem.inputs", "at most three space dimensions plus time t")
        }
        return inputs
    }

    mutating func readDomain(_ value: Any?, inputs: [String]) -> [String: [Double]] {
        guard let value else { fail("problem.domain", "is required, e.g. {\"x\": [-1, 1], \"t\": [0, 1]}"); return [:] }
        guard let object = object(value, "problem.domain", allowed: inputs) else { return [:] }
        var domain: [String: [Double]] = [:]
        for input in inputs {
            let field = "problem.domain.\(input)"
            guard let bounds = object[input] else { fail(field, "is required: the interval [lower, upper] of input \(input)"); continue }
            guard let pair = bounds as? [Any], pair.count == 2,
                  let lo = number(pair[0], "\(field)[0]", -1e6...1e6), let hi = number(pair[1], "\(field)[1]", -1e6...1e6) else {
                if !(bounds is [Any]) || (bounds as! [Any]).count != 2 { fail(field, "must be [lower, upper]") }
                continue
            }
            guard lo < hi else { fail(field, "lower bound \(lo) must be below upper bound \(hi)"); continue }
            domain[input] = [lo, hi]
        }
        return domain
    }

    /// Names of fields or parameters: identifiers without underscores (u_x is the derivative of u).
    mutating func identifier(_ value: Any, _ field: String, what: String, taken: [String]) -> String? {
        guard let s = value as? String, let first = s.first, first.isASCII, first.isLetter, s.count <= 32,
              s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            fail(field, "a \(what) name must be letters and digits starting with a letter, without underscores, got \(describe(value))")
            return nil
        }
        if ProblemBuilder.reservedNames.contains(s) { fail(field, "\"\(s)\" is a built-in name (a function or constant)"); return nil }
        if taken.contains(s) { fail(field, "\"\(s)\" is already an input, a field or a parameter"); return nil }
        return s
    }

    mutating func readNames(_ value: Any?, _ field: String, count: ClosedRange<Int>, what: String, taken: [String]) -> [String] {
        guard let value else { fail(field, "is required, e.g. [\"u\"]"); return [] }
        guard let array = value as? [Any], count.contains(array.count) else {
            fail(field, "must be an array of \(count.lowerBound)...\(count.upperBound) names"); return []
        }
        var names: [String] = []
        for (i, item) in array.enumerated() {
            if let name = identifier(item, "\(field)[\(i)]", what: what, taken: taken + names) { names.append(name) }
        }
        return names
    }

    mutating func readParameters(_ value: Any, taken: [String]) -> [String: ProblemSpec.ParameterValue] {
        guard let object = value as? [String: Any] else { fail("problem.parameters", "must be an object of name: value"); return [:] }
        var parameters: [String: ProblemSpec.ParameterValue] = [:]
        for key in object.keys.sorted() {
            let field = "problem.parameters.\(key)"
            guard let name = identifier(key, field, what: "parameter", taken: taken) else { continue }
            let value = object[key]!
            if let spec = value as? [String: Any] {
                guard let fields = self.object(spec, field, allowed: JobSpecObject.parameter.members) else { continue }
                let learn = fields["learn"].flatMap { bool($0, "\(field).learn") } ?? false
                guard let initialValue = fields["initial"] else { fail("\(field).initial", "is required"); continue }
                guard let initial = number(initialValue, "\(field).initial", -1e12...1e12) else { continue }
                parameters[name] = learn ? .learned(initial: initial) : .constant(initial)
            } else if let x = number(value, field, -1e12...1e12) {
                parameters[name] = .constant(x)
            }
        }
        return parameters
    }

    mutating func termName(_ value: Any?, _ field: String, default automatic: String, names: inout TermNames) -> String? {
        guard let value else { return names.automatic(automatic) }
        guard let s = value as? String, let first = s.first, first.isASCII, first.isLetter, s.count <= 32,
              s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            fail("\(field).name", "must be letters, digits, _ or -, starting with a letter, got \(describe(value))"); return nil
        }
        guard names.claim(s) else { fail("\(field).name", "\"\(s)\" names another loss term already"); return nil }
        return s
    }

    mutating func weightAndPoints(_ object: [String: Any], _ field: String) -> (weight: Double, points: Int?)? {
        let before = issues.count
        let weight = object["weight"].flatMap { number($0, "\(field).weight", 0...1e12) } ?? 1
        let points = object["points"].flatMap { integer($0, "\(field).points", 1...limits.maxPoints) }
        return issues.count == before ? (weight, points) : nil
    }

    mutating func readEquation(_ value: Any, _ field: String, count: Int, index: Int,
                               names: inout TermNames) -> ProblemSpec.Equation? {
        let automatic = count == 1 ? "pde" : "pde\(index + 1)"
        if let text = value as? String {
            guard let name = termName(nil, field, default: automatic, names: &names) else { return nil }
            return .init(name: name, residual: text)
        }
        guard let object = object(value, field, allowed: JobSpecObject.equation.members),
              let residual = string(object["residual"], "\(field).residual"),
              let (weight, points) = weightAndPoints(object, field),
              let name = termName(object["name"], field, default: automatic, names: &names) else { return nil }
        return .init(name: name, residual: residual, weight: weight, points: points)
    }

    mutating func readCondition(_ value: Any, _ field: String, inputs: [String],
                                names: inout TermNames) -> ProblemSpec.Condition? {
        guard let object = value as? [String: Any] else {
            fail(field, "must be an object such as {\"on\": \"x = -1\", \"u\": \"0\"}"); return nil
        }
        let before = issues.count
        var condition = ProblemSpec.Condition(name: "")
        if let on = object["on"] {
            let faces = (on as? [Any]) ?? [on]
            for (j, face) in faces.enumerated() {
                if let s = string(face, faces.count == 1 && !(on is [Any]) ? "\(field).on" : "\(field).on[\(j)]") {
                    condition.on.append(s)
                }
            }
            if faces.isEmpty { fail("\(field).on", "must name at least one face") }
        }
        condition.periodic = string(object["periodic"], "\(field).periodic", required: false)
        if let r = object["residual"] {
            let items = (r as? [Any]) ?? [r]
            for (j, item) in items.enumerated() {
                if let s = string(item, r is [Any] ? "\(field).residual[\(j)]" : "\(field).residual") { condition.residuals.append(s) }
            }
        }
        for key in object.keys.sorted() where !ProblemSpec.Condition.reservedKeys.contains(key) {
            if let s = string(object[key], "\(field).\(key)") { condition.assignments[key] = s }
        }
        guard let (weight, points) = weightAndPoints(object, field) else { return nil }
        condition.weight = weight
        condition.points = points
        if condition.periodic != nil {
            if !condition.on.isEmpty || !condition.assignments.isEmpty || !condition.residuals.isEmpty {
                fail(field, "a periodic condition takes no \"on\", assignments or residuals: it matches values and first derivatives across the two faces")
            }
        } else {
            if condition.on.isEmpty { fail("\(field).on", "is required: a face such as \"x = -1\", a list of faces, or \"domain\"") }
            if condition.assignments.isEmpty && condition.residuals.isEmpty {
                fail(field, "needs an assignment such as \"u\": \"0\" or \"u_x\": \"0\", or a \"residual\" expression")
            }
        }
        guard issues.count == before else { return nil }
        let automatic: String
        if condition.periodic != nil {
            automatic = "periodic"
        } else if condition.on.contains(where: { ["domain", "interior"].contains($0.trimmingCharacters(in: .whitespaces)) }) {
            automatic = "fit"
        } else if inputs.contains("t"), condition.on.allSatisfy({ ProblemBuilder.isInitialFace($0) }) {
            automatic = "initial"
        } else {
            automatic = "boundary"
        }
        guard let name = termName(object["name"], field, default: automatic, names: &names) else { return nil }
        condition.name = name
        return condition
    }

    mutating func readObservation(_ value: Any, _ field: String, names: inout TermNames) -> ProblemSpec.Observation? {
        guard let object = object(value, field, allowed: JobSpecObject.observation.members) else { return nil }
        let before = issues.count
        var observation = ProblemSpec.Observation(name: "")
        let sources = ["rows", "csv", "sampleExact"].filter { object[$0] != nil }
        guard sources.count == 1 else {
            fail(field, "give exactly one of \"rows\" (with \"columns\"), \"csv\" or \"sampleExact\""); return nil
        }
        if let rows = object["rows"] {
            guard let columns = object["columns"] as? [Any], let names = columns as? [String], !names.isEmpty else {
                fail("\(field).columns", "is required with rows: the inputs and observed fields, e.g. [\"x\", \"t\", \"u\"]"); return nil
            }
            observation.columns = names
            guard let array = rows as? [Any], !array.isEmpty else { fail("\(field).rows", "must be a non-empty array of rows"); return nil }
            guard array.count <= limits.maxObservations else {
                fail("\(field).rows", "has \(array.count) rows; at most \(limits.maxObservations)"); return nil
            }
            for (i, row) in array.enumerated() {
                guard let values = row as? [Any], values.count == names.count else {
                    fail("\(field).rows[\(i)]", "must be an array of \(names.count) numbers (\(names.joined(separator: ", ")))"); break
                }
                var parsed: [Double] = []
                for (j, v) in values.enumerated() {
                    if let x = number(v, "\(field).rows[\(i)][\(j)]", -1e12...1e12) { parsed.append(x) }
                }
                if parsed.count != names.count { break }
                observation.rows.append(parsed)
            }
        } else if let csv = object["csv"] {
            if object["columns"] != nil { fail("\(field).columns", "comes from the CSV header; leave it out") }
            guard let text = string(csv, "\(field).csv") else { return nil }
            readCSV(text, "\(field).csv", into: &observation)
        } else if let count = object["sampleExact"] {
            if object["columns"] != nil { fail("\(field).columns", "only goes with rows") }
            observation.sampleExact = integer(count, "\(field).sampleExact", 1...limits.maxObservations)
        }
        if let v = object["noise"], let x = number(v, "\(field).noise", 0...1e6) {
            if observation.sampleExact == nil { fail("\(field).noise", "only applies to sampleExact") }
            observation.noise = x
        }
        if let v = object["weight"], let x = number(v, "\(field).weight", 0...1e12) { observation.weight = x }
        guard issues.count == before, let name = termName(object["name"], field, default: "data", names: &names) else { return nil }
        observation.name = name
        return observation
    }

    /// CSV with a header line naming the columns; numbers separated by commas; blank lines ignored.
    mutating func readCSV(_ text: String, _ field: String, into observation: inout ProblemSpec.Observation) {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { fail(field, "is empty: expected a header line such as x,t,u and rows of numbers"); return }
        observation.columns = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count <= limits.maxObservations else { fail(field, "has \(lines.count) rows; at most \(limits.maxObservations)"); return }
        guard !lines.isEmpty else { fail(field, "has a header but no rows"); return }
        for (i, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let values = cells.compactMap { Double($0) }
            guard cells.count == observation.columns.count, values.count == cells.count, values.allSatisfy(\.isFinite) else {
                fail(field, "line \(i + 2): expected \(observation.columns.count) numbers, got \"\(line.prefix(80))\"")
                return
            }
            observation.rows.append(values)
        }
    }

    mutating func readExact(_ value: Any) -> ProblemSpec.Exact? {
        guard let object = value as? [String: Any] else {
            fail("problem.exact", "must be an object: an expression per field, e.g. {\"u\": \"sin(pi*x)\"}, or {\"reference\": \"burgers\"}")
            return nil
        }
        if let value = object["reference"] {
            guard let fields = self.object(object, "problem.exact", allowed: JobSpecObject.exactReference.members),
                  let reference = choice(value, "problem.exact.reference", ProblemSpec.Exact.Reference.self) else { return nil }
            if reference != .burgers, fields["nu"] != nil {
                fail("problem.exact.nu", "only applies to the burgers reference (the viscosity); remove it"); return nil
            }
            let nu = fields["nu"].flatMap { number($0, "problem.exact.nu", 1e-6...10) }
            return .init(reference: reference, nu: nu)
        }
        var exact = ProblemSpec.Exact()
        for key in object.keys.sorted() {
            if let s = string(object[key], "problem.exact.\(key)") { exact.fields[key] = s }
        }
        return exact
    }
}

/// Loss-term names: given names must be unique; automatic ones get a number when taken (boundary, boundary2).
struct TermNames {
    private var taken: Set<String> = []

    mutating func claim(_ name: String) -> Bool { taken.insert(name).inserted }

    mutating func automatic(_ base: String) -> String {
        var name = base, k = 1
        while taken.contains(name) {
            k += 1
            name = "\(base)\(k)"
        }
        taken.insert(name)
        return name
    }
}
