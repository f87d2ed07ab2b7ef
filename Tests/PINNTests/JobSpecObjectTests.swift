import Foundation
import Testing
import PINN

/// `JobSpecObject` is the list of members the parser accepts, object by object, and the list the documentation tests
/// look for in the docs (PINNServiceTests/DocumentationTests). These tests tie it to the parser both ways: every
/// listed member is read (a nonsense value for it is an error), and an unknown member is rejected with exactly the
/// listed ones as the alternatives.
@Suite struct JobSpecObjectTests {
    /// A value no member accepts: not a number, string, boolean or array, and an object whose only member is unknown.
    static var nonsense: [String: Any] { ["?": 0] }

    /// The heat problem of docs/problems.md, written out.
    static var heat: [String: Any] {
        ["name": "heat", "inputs": ["x", "t"], "domain": ["x": [0, 1], "t": [0, 1]], "outputs": ["u"],
         "parameters": ["k": 0.4], "equations": ["u_t - k*u_xx"],
         "conditions": [["on": "t = 0", "u": "sin(pi*x)"], ["on": ["x = 0", "x = 1"], "u": "0"]],
         "exact": ["u": "exp(-k*pi^2*t)*sin(pi*x)"]]
    }

    /// A valid job spec holding one object of `kind`, with `member` set to `value` in that object (none: the spec as
    /// is), and the field path of that object in the spec.
    static func spec(_ kind: JobSpecObject, _ member: String? = nil, _ value: Any = nonsense) -> (json: [String: Any], field: String) {
        func with(_ object: [String: Any]) -> [String: Any] {
            var object = object
            if let member { object[member] = value }
            return object
        }
        var problem = heat
        switch kind {
        case .job:
            return (with(["problem": "burgers"]), "")
        case .network:
            return (["problem": "burgers", "network": with([:])], "network")
        case .training:
            return (["problem": "burgers", "training": with([:])], "training")
        case .phase:
            return (["problem": "burgers", "training": ["phases": [with(["optimizer": "adam", "iterations": 10])]]],
                    "training.phases[0]")
        case .resampling:
            return (["problem": "burgers", "training": ["resampling": with(["every": 100])]], "training.resampling")
        case .causal:
            return (["problem": "burgers", "training": ["causal": with(["chunks": 8])]], "training.causal")
        case .output:
            return (["problem": "burgers", "output": with([:])], "output")
        case .fourier:
            return (["problem": "burgers", "network": ["fourier": with(["features": 4, "scale": 1])]], "network.fourier")
        case .problem:
            return (["problem": with(heat)], "problem")
        case .equation:
            problem["equations"] = [with(["residual": "u_t - k*u_xx"])]
            return (["problem": problem], "problem.equations[0]")
        case .condition:
            problem["conditions"] = [with(["on": "t = 0", "u": "sin(pi*x)"]), ["on": ["x = 0", "x = 1"], "u": "0"]]
            return (["problem": problem], "problem.conditions[0]")
        case .observation:
            problem["observations"] = [with(["sampleExact": 10])]
            return (["problem": problem], "problem.observations[0]")
        case .parameter:
            problem["parameters"] = ["k": with(["initial": 0.4])]
            return (["problem": problem], "problem.parameters.k")
        case .exactReference:
            problem = ["inputs": ["x", "t"], "domain": ["x": [-1, 1], "t": [0, 1]], "outputs": ["u"],
                       "parameters": ["nu": 0.01], "equations": ["u_t + u*u_x - nu*u_xx"],
                       "conditions": [["on": "t = 0", "u": "-sin(pi*x)"], ["on": ["x = -1", "x = 1"], "u": "0"]],
                       "exact": with(["reference": "burgers"])]
            return (["problem": problem], "problem.exact")
        }
    }

    static func issues(_ json: [String: Any]) throws -> [JobSpecError.Issue] {
        let data = try JSONSerialization.data(withJSONObject: json)
        do { _ = try JobSpecParser.parse(data); return [] } catch { return error.issues }
    }

    @Test(arguments: JobSpecObject.allCases)
    func everyListedMemberIsRead(_ kind: JobSpecObject) throws {
        #expect(try Self.issues(Self.spec(kind).json).isEmpty, "the spec around a \(kind) object is valid")
        for member in kind.members {
            #expect(try !Self.issues(Self.spec(kind, member).json).isEmpty,
                    "\(kind).\(member) = {\"?\": 0} is not an error: the parser does not read the member it lists")
        }
    }

    @Test(arguments: JobSpecObject.allCases.filter { $0 != .condition })   // a condition's other members are assignments
    func anUnknownMemberIsRejectedNamingTheListedOnes(_ kind: JobSpecObject) throws {
        let (json, field) = Self.spec(kind, "unlisted", 1)
        let path = field.isEmpty ? "unlisted" : "\(field).unlisted"
        let issue = try #require(try Self.issues(json).first { $0.field == path }, "\(path) is not rejected")
        #expect(issue.message == "unknown field (expected one of: \(kind.members.joined(separator: ", ")))")
    }
}
