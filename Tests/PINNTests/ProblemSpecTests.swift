import Foundation
import Testing
import PINN

/// Problems as data: inline specs are normalised, presets are ordinary specs, and every mistake is reported
/// with its field path before a job is accepted.
@Suite struct ProblemSpecTests {
    func parse(_ json: String) throws(JobSpecError) -> JobSpec { try JobSpecParser.parse(Data(json.utf8)) }

    func issues(_ json: String) -> [JobSpecError.Issue] {
        do { _ = try parse(json); return [] } catch { return error.issues }
    }

    static let heat = """
    {"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"], "parameters": {"k": 0.4},
     "equations": ["u_t - k*u_xx"],
     "conditions": [{"on": "t = 0", "u": "sin(pi*x)"}, {"on": ["x = 0", "x = 1"], "u": "0"}],
     "exact": {"u": "exp(-k*pi^2*t)*sin(pi*x)"}}
    """

    @Test func anInlineProblemIsNormalisedWithNamedTermsAndDefaults() throws {
        let spec = try parse(#"{"problem": \#(Self.heat)}"#)
        #expect(spec.problem.name == "custom")
        #expect(spec.problem.termNames == ["pde", "initial", "boundary"])
        #expect(spec.problem.conditions[1].on == ["x = 0", "x = 1"])
        #expect(spec.problem.conditions[0].assignments == ["u": "sin(pi*x)"])
        #expect(spec.output.grid == ["x": 256, "t": 100])
        let problem = try ProblemBuilder.make(spec)
        #expect(problem.terms.map(\.region) == [.interior, .faces([Face(input: 1, upper: false)]),
                                               .faces([Face(input: 0, upper: false), Face(input: 0, upper: true)])])
        // The exact solution is the expression: at (x, t) = (0.5, 0.25), e^{−0.4π²/4}.
        let value = try #require(problem.exact).values(at: [0.5, 0.25])[0]
        #expect(abs(value - exp(-0.4 * Double.pi * Double.pi / 4)) < 1e-15)
    }

    @Test(arguments: ProblemPresets.names)
    func everyPresetRoundTripsThroughItsNormalisedJSON(name: String) throws {
        let spec = try #require(ProblemPresets.spec(named: name))
        #expect(spec.problem.name == name)
        let data = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(JobSpec.self, from: data) == spec)
        #expect(try JobSpecParser.parse(data) == spec)
        #expect(try parse(#"{"problem": "\#(name)"}"#) == spec)
    }

    @Test func specsStoredBeforeProblemsWereDataStillDecode() throws {
        let legacy = try JSONEncoder().encode(ProblemPresets.spec(named: "burgers")!)
        var object = try JSONSerialization.jsonObject(with: legacy) as! [String: Any]
        object["problem"] = "burgers"
        object["parameters"] = ["nu": 0.02]
        let decoded = try JSONDecoder().decode(JobSpec.self, from: JSONSerialization.data(withJSONObject: object))
        var expected = ProblemPresets.spec(named: "burgers")!
        expected.problem.parameters["nu"] = .constant(0.02)
        #expect(decoded == expected)
    }

    @Test func topLevelParametersOverrideConstantsAndInitialValues() throws {
        let spec = try parse(#"{"problem": "burgers-inverse", "parameters": {"nu": 0.02}}"#)
        #expect(spec.problem.parameters["nu"] == .learned(initial: 0.02))
        #expect(try ProblemBuilder.make(spec).learned == [LearnedParameter(name: "nu", initial: 0.02)])
    }

    @Test func observationsComeFromRowsOrCSV() throws {
        let rows = try parse("""
        {"problem": {"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"],
                     "observations": [{"columns": ["x", "u"], "rows": [[0, 1], [0.5, 2]]}]}}
        """)
        let csv = try parse("""
        {"problem": {"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"],
                     "observations": [{"csv": "x, u\\n0, 1\\n\\n0.5, 2\\n"}]}}
        """)
        #expect(rows.problem == csv.problem)
        #expect(rows.problem.observations[0].rows == [[0, 1], [0.5, 2]])
    }

    @Test(arguments: [
        // Shape and names.
        (#"{"inputs": ["x", "xx"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u"]}"#,
         "problem.inputs[1]", "single lowercase letter"),
        (#"{"inputs": ["x"], "domain": {"x": [1, 0]}, "outputs": ["u"], "equations": ["u"]}"#,
         "problem.domain.x", "lower bound 1.0 must be below upper bound 0.0"),
        (#"{"inputs": ["x"], "domain": {}, "outputs": ["u"], "equations": ["u"]}"#, "problem.domain.x", "is required"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u_1"], "equations": ["u"]}"#,
         "problem.outputs[0]", "without underscores"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["sin"], "equations": ["u"]}"#,
         "problem.outputs[0]", "built-in name"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "parameters": {"x": 1}, "equations": ["u"]}"#,
         "problem.parameters.x", "already an input"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"]}"#, "problem", "nothing to train"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u", "v"], "equations": ["u_xx - v"], "conditions": [{"on": "x = 0", "u": "0"}]}"#,
         "problem.equations", "need at least 2 equations"),
        // Conditions.
        (#"{"inputs": ["x"], "domain": {"x": [-1, 1]}, "outputs": ["u"], "equations": ["u_xx"], "conditions": [{"on": "x = 2", "u": "0"}]}"#,
         "problem.conditions[0].on", "x = 2.0 is not a face of the domain"),
        (#"{"inputs": ["x"], "domain": {"x": [-1, 1]}, "outputs": ["u"], "equations": ["u_xx"], "conditions": [{"on": "y = 1", "u": "0"}]}"#,
         "problem.conditions[0].on", "must be a face such as"),
        (#"{"inputs": ["x"], "domain": {"x": [-1, 1]}, "outputs": ["u"], "equations": ["u_xx"], "conditions": [{"on": "x = -1"}]}"#,
         "problem.conditions[0]", "needs an assignment"),
        (#"{"inputs": ["x"], "domain": {"x": [-1, 1]}, "outputs": ["u"], "equations": ["u_xx"], "conditions": [{"on": "x = -1", "w": "0"}]}"#,
         "problem.conditions[0].w", "\"w\" is not a field (fields: u)"),
        (#"{"inputs": ["x"], "domain": {"x": [-1, 1]}, "outputs": ["u"], "equations": ["u_xx"], "conditions": [{"periodic": "y"}]}"#,
         "problem.conditions[0].periodic", "\"y\" is not an input"),
        (#"{"inputs": ["x"], "domain": {"x": [-1, 1]}, "outputs": ["u"], "equations": ["u_xx"], "conditions": [{"name": "pde", "on": "x = 1", "u": "0"}]}"#,
         "problem.conditions[0].name", "names another loss term"),
        // Expressions, with the field path of the expression.
        (#"{"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"], "equations": ["u_t + u_y"]}"#,
         "problem.equations[0].residual", "y is not an input"),
        (#"{"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"], "equations": ["u_t - u_xxxxt"]}"#,
         "problem.equations[0].residual", "up to order 4"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u_xx + sin(x, 2)"]}"#,
         "problem.equations[0].residual", "sin takes 1 argument"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u_xx"], "exact": {"u": "u*x"}}"#,
         "problem.exact.u", "\"u\" is a field"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u_xx"], "exact": {"v": "x"}}"#,
         "problem.exact.v", "not an output field"),
        // Observations and exact references.
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "observations": [{"columns": ["x", "u"], "rows": [[2, 1]]}]}"#,
         "problem.observations[0].rows[0]", "outside the domain"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "observations": [{"columns": ["u"], "rows": [[1]]}]}"#,
         "problem.observations[0].columns", "missing input \"x\""),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "observations": [{"csv": "x,u\n0,1,2"}]}"#,
         "problem.observations[0].csv", "line 2: expected 2 numbers"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "observations": [{"sampleExact": 10}]}"#,
         "problem.observations[0].sampleExact", "needs an exact solution"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u_xx"], "exact": {"reference": "burgers"}}"#,
         "problem.exact.reference", "needs inputs [\"x\", \"t\"]"),
        (#"{"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u_xx"], "exact": {"reference": "kdv"}}"#,
         "problem.exact.reference", "must be one of burgers, allen-cahn"),
        (#"{"inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]}, "outputs": ["u"], "equations": ["u_t - u_xx"], "exact": {"reference": "allen-cahn", "nu": 0.01}}"#,
         "problem.exact.nu", "only applies to the burgers reference"),
        (#"{"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"], "equations": ["u_t - u_xx"], "exact": {"reference": "allen-cahn"}}"#,
         "problem.exact.reference", "is for x ∈ [-1, 1] and t ∈ [0, T] with T ≤ 1"),
        (#"{"inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 2]}, "outputs": ["u"], "equations": ["u_t - u_xx"], "exact": {"reference": "allen-cahn"}}"#,
         "problem.exact.reference", "is for x ∈ [-1, 1] and t ∈ [0, T] with T ≤ 1"),
    ])
    func badProblemsNameTheField(problem: String, field: String, message: String) {
        let found = issues(#"{"problem": \#(problem)}"#)
        #expect(found.contains { $0.field == field && $0.message.contains(message) },
                "expected \(field): …\(message)…, got \(found)")
    }

    @Test func allTermsTogetherStayWithinThePointLimit() {
        var limits = JobSpecParser.Limits()
        limits.maxPoints = 1000
        let conditions = (0..<4).map { _ in #"{"on": "x = 0", "u": "0", "points": 1000}"# }.joined(separator: ", ")
        let json = """
        {"problem": {"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"], "equations": ["u_xx"],
                     "conditions": [\(conditions)]}, "training": {"collocationPoints": 1000}}
        """
        do {
            _ = try JobSpecParser.parse(Data(json.utf8), limits: limits)
            Issue.record("a job with 5,000 points passed a limit of 4,000")
        } catch {
            #expect(error.issues.map(\.field) == ["training"])
            #expect(error.issues.first?.message.contains("5000 points in all") == true)
        }
    }

    @Test func everyErrorInAProblemIsReportedAtOnce() {
        let found = issues("""
        {"problem": {"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"],
                     "equations": ["u_t + foo"], "conditions": [{"on": "t = 0", "u": "sin(pi*x"}, {"on": "x = 3", "u": "0"}],
                     "exact": {"u": "u_x"}}}
        """)
        #expect(Set(found.map(\.field)) == ["problem.equations[0].residual", "problem.conditions[0].u",
                                            "problem.conditions[1].on", "problem.exact.u"], "\(found)")
    }

    /// The issue's acceptance check: Burgers written out by hand is the `burgers` preset — the same normalised
    /// spec, and so the same loss history for the same seed.
    @Test func aBurgersJobWrittenOutInlineTrainsExactlyLikeThePreset() throws {
        // Everything but the problem is spelled out, since an inline problem starts from the general defaults.
        let training = #""network": {"layers": [8, 8], "adaptive": "fixed", "slopeRecovery": false, "periodic": {"x": 2}}, "training": {"collocationPoints": 300, "boundaryPoints": 40, "weights": {"initial": 5, "boundary": 5}, "resampling": {"every": 10, "candidates": 1000}, "evaluateEvery": 100, "phases": [{"optimizer": "adam", "iterations": 30}], "logEvery": 1}"#
        let preset = try parse(#"{"problem": "burgers", \#(training)}"#)
        let custom = try parse("""
        {"problem": {"name": "burgers", "inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]}, "outputs": ["u"],
                     "parameters": {"nu": 0.003183098861837907},
                     "equations": ["u_t + u*u_x - nu*u_xx"],
                     "conditions": [{"on": "t = 0", "u": "-sin(pi*x)"}, {"on": ["x = -1", "x = 1"], "u": "0"}],
                     "exact": {"reference": "burgers"}},
         "output": {"grid": {"x": 256, "t": 100}}, \(training)}
        """)
        #expect(custom == preset)
        var presetLosses: [LossRecord] = [], customLosses: [LossRecord] = []
        _ = Trainer.run(preset, problem: try ProblemBuilder.make(preset)) { if case .loss(let r) = $0 { presetLosses.append(r) } }
        _ = Trainer.run(custom, problem: try ProblemBuilder.make(custom)) { if case .loss(let r) = $0 { customLosses.append(r) } }
        #expect(presetLosses.count == 31)
        #expect(presetLosses.map(\.terms) == customLosses.map(\.terms))
    }
}
