import Foundation
import Testing
import PINN

@Suite struct JobSpecParserTests {
    func parse(_ json: String) throws(JobSpecError) -> JobSpec { try JobSpecParser.parse(Data(json.utf8)) }

    func issues(_ json: String) -> [JobSpecError.Issue] {
        do { _ = try parse(json); return [] } catch { return error.issues }
    }

    @Test func aBareProblemNameIsAFullJobWithTheProblemsDefaults() throws {
        let spec = try parse(#"{"problem": "burgers"}"#)
        #expect(spec == ProblemPresets.spec(named: "burgers"))
        #expect(spec.network.layers == [20, 20, 20, 20])
        #expect(spec.training.phases.map(\.optimizer) == [.ssbroyden] && spec.training.resampling?.every == 250)
        #expect(spec.output.grid == ["x": 256, "t": 100])
    }

    @Test func givenMembersOverrideTheDefaults() throws {
        let spec = try parse("""
        {"problem": "burgers", "parameters": {"nu": 0.01}, "network": {"layers": [10, 10], "adaptive": "layer", "scale": 5},
         "training": {"seed": 7, "precision": "float", "phases": [{"optimizer": "adam", "iterations": 10, "learningRate": 0.01}]},
         "output": {"grid": {"x": 11}}}
        """)
        #expect(spec.problem.parameters["nu"] == .constant(0.01))
        #expect(spec.network.layers == [10, 10] && spec.network.adaptive == .layer && spec.network.scale == 5)
        #expect(spec.training.seed == 7 && spec.training.precision == .float)
        #expect(spec.training.phases.count == 1 && spec.training.phases[0].learningRate == 0.01)
        #expect(spec.output.grid == ["x": 11, "t": 100])
    }

    @Test func theNormalisedSpecRoundTripsThroughJSON() throws {
        let spec = try parse(#"{"problem": "discontinuous-fit"}"#)
        let data = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(JobSpec.self, from: data) == spec)
        #expect(try JobSpecParser.parse(data) == spec)
    }

    @Test(arguments: [
        (#"{"problem": "navier"}"#, "problem", "unknown preset \"navier\""),
        (#"{"problem": 3}"#, "problem", "must be a preset name"),
        (#"[1, 2]"#, "$", "must be a JSON object"),
        (#"{"problem": "burgers", "netwrok": {}}"#, "netwrok", "unknown field"),
        (#"{"network": {"layers": []}}"#, "network.layers", "1...32"),
        (#"{"network": {"layers": [20, -1]}}"#, "network.layers[1]", "must be in 1...1024"),
        (#"{"network": {"layers": [20, 2.5]}}"#, "network.layers[1]", "must be an integer"),
        (#"{"network": {"activation": "relu"}}"#, "network.activation", "one of tanh, sin"),
        (#"{"network": {"slopeRecovery": 1}}"#, "network.slopeRecovery", "true or false"),
        (#"{"network": {"scale": 0.5}}"#, "network.scale", "must be in 1.0...100.0"),
        (#"{"parameters": {"nu": -1}}"#, "problem.parameters.nu", "must be in 1e-06...10 for the Burgers reference"),
        (#"{"problem": "allen-cahn", "parameters": {"d": 0.001}}"#, "problem.parameters.d", "the Allen–Cahn reference is for d = 0.0001"),
        (#"{"parameters": {"mu": 1}}"#, "parameters.mu", "unknown field"),
        (#"{"training": {"phases": [{"iterations": 5}]}}"#, "training.phases[0].optimizer", "is required"),
        (#"{"training": {"phases": [{"optimizer": "sgd"}]}}"#, "training.phases[0].optimizer", "one of adam, lbfgs"),
        (#"{"training": {"precision": "half"}}"#, "training.precision", "one of double, float"),
        (#"{"training": {"threads": 0}}"#, "training.threads", "must be in"),
        (#"{"training": {"weights": {"pde": 1, "wall": 2}}}"#, "training.weights.wall", "unknown field"),
        (#"{"output": {"grid": {"y": 10}}}"#, "output.grid.y", "unknown field"),
        // 2⁶³ passes a Double comparison with Int.max (which rounds up to 2⁶³) and would trap converted to Int.
        (#"{"network": {"fourier": {"features": 1, "scale": 1, "seed": 9223372036854775808}}}"#, "network.fourier.seed", "must be in 0..."),
        ("{not json", "$", "not valid JSON"),
    ])
    func badSpecsNameTheField(json: String, field: String, message: String) {
        let found = issues(json)
        #expect(found.contains { $0.field == field && $0.message.contains(message) }, "got \(found)")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = issues(#"{"network": {"activation": "relu", "scale": 0}, "training": {"seed": -1}}"#)
        #expect(Set(found.map(\.field)) == ["network.activation", "network.scale", "training.seed"])
    }
}
