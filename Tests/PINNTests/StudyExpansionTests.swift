import Foundation
import Testing
@testable import PINN

/// A study's document expanded into jobs: paths set into the base, the grid's product, the seeds, and every
/// way a document can be wrong, each reported at the field that holds it.
@Suite struct StudyExpansionTests {
    static let base = #"{"problem": "burgers", "network": {"layers": [8, 8]}, "training": {"phases": [{"optimizer": "adam", "iterations": 5}]}}"#

    static func expansion(_ members: String) throws -> StudyExpansion {
        try StudyExpansion.read(Data("{\"base\": \(base)\(members.isEmpty ? "" : ", ")\(members)}".utf8))
    }

    static func issues(_ members: String, maxJobs: Int = .max) -> [String: String] {
        do {
            let expansion = try StudyExpansion.read(Data("{\"base\": \(base), \(members)}".utf8), maxJobs: maxJobs)
            _ = try expansion.runs()
            return [:]
        } catch {
            return Dictionary(error.issues.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        }
    }

    // MARK: Paths

    @Test func pathsAreMembersAndIndices() throws {
        #expect(JSONPath("network.adaptive")?.components == [.member("network"), .member("adaptive")])
        #expect(JSONPath("training.phases[1].iterations")?.components
                == [.member("training"), .member("phases"), .index(1), .member("iterations")])
        #expect(JSONPath("a[0][2]")?.components == [.member("a"), .index(0), .index(2)])
        for bad in ["", ".a", "a.", "a..b", "[0]", "a[x]", "a[-1]", "a[0]b", "a.[0]", "a]"] {
            #expect(JSONPath(bad) == nil, "\(bad)")
        }
    }

    @Test func settingAPathCreatesTheObjectsItPassesThrough() throws {
        let path = try #require(JSONPath("network.adaptive"))
        let set = try path.setting("layer", in: ["problem": "burgers"] as [String: Any]).get()
        #expect(StudyExpansion.jsonText(set) == #"{"network":{"adaptive":"layer"},"problem":"burgers"}"#)
    }

    @Test func settingAnArrayElementNeedsTheElement() throws {
        let document: [String: Any] = ["training": ["phases": [["iterations": 5]]]]
        let set = try #require(JSONPath("training.phases[0].iterations")).setting(7, in: document)
        #expect(StudyExpansion.jsonText(try set.get()) == #"{"training":{"phases":[{"iterations":7}]}}"#)
        guard case .failure(let missing) = try #require(JSONPath("training.phases[1].iterations")).setting(7, in: document),
              case .failure(let notArray) = try #require(JSONPath("training[0]")).setting(7, in: document),
              case .failure(let notObject) = try #require(JSONPath("training.phases.x")).setting(7, in: document) else {
            Issue.record("expected failures"); return
        }
        #expect(missing.message.contains("has 1 element(s)"))
        #expect(notArray.message.contains("no array at training"))
        #expect(notObject.message.contains("training.phases is not an object"))
    }

    // MARK: The grid and the seeds

    @Test func theGridIsTheProductWithTheFirstSortedPathSlowest() throws {
        let expansion = try Self.expansion(#""variations": {"network.scale": [1, 2], "network.adaptive": ["fixed", "layer", "neuron"]}"#)
        #expect(expansion.variations.map(\.path.description) == ["network.adaptive", "network.scale"])
        #expect(expansion.cells.map(\.label) == [
            "network.adaptive=fixed, network.scale=1", "network.adaptive=fixed, network.scale=2",
            "network.adaptive=layer, network.scale=1", "network.adaptive=layer, network.scale=2",
            "network.adaptive=neuron, network.scale=1", "network.adaptive=neuron, network.scale=2"])
        let runs = try expansion.runs()
        #expect(runs.count == 6 && runs.map(\.cell) == Array(0..<6))
        #expect(runs.map(\.spec.network.adaptive) == [.fixed, .fixed, .layer, .layer, .neuron, .neuron])
        #expect(runs.map(\.spec.network.scale) == [1, 2, 1, 2, 1, 2])
        #expect(runs.allSatisfy { $0.spec.network.layers == [8, 8] && $0.spec.training.phases[0].iterations == 5 })
    }

    @Test func aCountOfSeedsRunsEachCellWithSeedsFromZero() throws {
        let expansion = try Self.expansion(#""variations": {"network.adaptive": ["fixed", "layer"]}, "seeds": 3"#)
        #expect(expansion.seeds == [0, 1, 2] && expansion.jobCount == 6)
        let runs = try expansion.runs()
        #expect(runs.map { [$0.cell, $0.run, Int($0.spec.training.seed)] }
                == [[0, 0, 0], [0, 1, 1], [0, 2, 2], [1, 0, 0], [1, 1, 1], [1, 2, 2]])
    }

    @Test func aListOfSeedsIsUsedAsGiven() throws {
        let runs = try Self.expansion(#""seeds": [7, 3]"#).runs()
        #expect(runs.map(\.spec.training.seed) == [7, 3])
        #expect(runs.map(\.cell) == [0, 0])
    }

    @Test func withoutSeedsEachCellRunsOnceWithTheBasesSeed() throws {
        let runs = try StudyExpansion.read(Data(#"{"base": {"problem": "burgers", "training": {"seed": 42}}, "variations": {"network.scale": [1, 3]}}"#.utf8)).runs()
        #expect(runs.map(\.spec.training.seed) == [42, 42])
    }

    @Test func aWholeObjectCanBeAValueAndVariesAsOne() throws {
        let runs = try Self.expansion(#""variations": {"network.layers": [[4], [6, 6]]}"#).runs()
        #expect(runs.map(\.spec.network.layers) == [[4], [6, 6]])
    }

    @Test func numbersReachTheJobExactlyAsWritten() throws {
        let rate = "0.0031830988618379067", scale = "1.2345678901234567"
        let runs = try StudyExpansion.read(Data("""
            {"base": {"problem": "burgers", "training": {"phases": [{"optimizer": "adam", "iterations": 5, "learningRate": \(rate)}]}},
             "variations": {"network.scale": [\(scale), 2]}}
            """.utf8)).runs()
        let direct = try JobSpecParser.parse(Data("""
            {"problem": "burgers", "network": {"scale": \(scale)},
             "training": {"phases": [{"optimizer": "adam", "iterations": 5, "learningRate": \(rate)}]}}
            """.utf8))
        #expect(runs[0].spec == direct)
    }

    // MARK: Errors, each at its field

    @Test func anInvalidValueIsNamedByItsVariationAndIndex() {
        let issues = Self.issues(#""variations": {"network.adaptive": ["fixed", "layer", "sideways"]}"#)
        #expect(Array(issues.keys) == [#"variations["network.adaptive"][2]"#])
        #expect(issues.values.first?.contains("must be one of") == true)
    }

    @Test func anObjectValuesOwnFieldIsNamedInsideTheVariation() {
        let issues = Self.issues(#""variations": {"network": [{"layers": [4]}, {"layers": [4], "activaton": "tanh"}]}"#)
        #expect(Array(issues.keys) == [#"variations["network"][1].activaton"#])
    }

    @Test func aFaultOfTheBaseIsNamedUnderBaseOnce() throws {
        let error = #expect(throws: StudySpecError.self) {
            try StudyExpansion.read(Data(#"{"base": {"problem": "burgers", "training": {"collocationPoints": -1}}, "variations": {"network.scale": [1, 2, 3]}}"#.utf8)).runs()
        }
        #expect(error?.issues.map(\.field) == ["base.training.collocationPoints"])
    }

    @Test func theDocumentsOwnMembersAreChecked() {
        #expect(Set(Self.issues(#""variatons": {}"#).keys) == ["variatons"])
        #expect(Set(Self.issues(#""seeds": 0"#).keys) == ["seeds"])
        #expect(Set(Self.issues(#""seeds": "three""#).keys) == ["seeds"])
        #expect(Set(Self.issues(#""seeds": [1, 2, 1]"#).keys) == ["seeds[2]"])
        #expect(Set(Self.issues(#""seeds": [1, -2]"#).keys) == ["seeds[1]"])
        #expect(Set(Self.issues(#""name": 3"#).keys) == ["name"])
        #expect(Set(Self.issues(#""variations": ["network.adaptive"]"#).keys) == ["variations"])
        #expect(Set(Self.issues(#""variations": {"network.adaptive": []}"#).keys) == [#"variations["network.adaptive"]"#])
        #expect(Set(Self.issues(#""variations": {"network.adaptive": ["layer", "layer"]}"#).keys) == [#"variations["network.adaptive"][1]"#])
        #expect(Set(Self.issues(#""variations": {"network..adaptive": ["layer"]}"#).keys) == [#"variations["network..adaptive"]"#])
        #expect(Set(Self.issues(#""variations": {"training.seed": [1, 2]}"#).keys) == [#"variations["training.seed"]"#])
        #expect(Set(Self.issues(#""variations": {"network": [{}], "network.scale": [2]}"#).keys) == [#"variations["network.scale"]"#])
        #expect(Set(Self.issues(#""variations": {"training.phases[3].iterations": [2]}"#).keys) == [#"variations["training.phases[3].iterations"]"#])
    }

    @Test func aMissingBaseAndJSONThatIsNoObjectAreRefused() {
        #expect(throws: StudySpecError(issues: [.init(field: "base", message: "missing: the job spec every run starts from (a POST /v1/jobs body)")])) {
            try StudyExpansion.read(Data("{}".utf8))
        }
        let error = #expect(throws: StudySpecError.self) { try StudyExpansion.read(Data("[1".utf8)) }
        #expect(error?.issues.first?.field == "$")
    }

    @Test func theExampleStudiesExpandIntoValidJobs() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let folder = root.appendingPathComponent("config/studies")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files {
            let expansion = try StudyExpansion.read(Data(contentsOf: folder.appendingPathComponent(file)))
            #expect(try expansion.runs().count == expansion.jobCount, "\(file)")
        }
    }

    @Test func moreJobsThanTheServerTakesAreRefusedBeforeAnyIsBuilt() {
        let issues = Self.issues(#""variations": {"network.scale": [1, 2, 3]}, "seeds": 4"#, maxJobs: 10)
        #expect(issues["variations"]?.contains("3 cell(s) × 4 seed(s) = 12 jobs") == true)
    }
}
