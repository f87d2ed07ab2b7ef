import Foundation

/// A study's document read and expanded into its jobs (docs/api.md, "Studies"): a base job spec, variations — a
/// grid over spec members addressed by `JSONPath`, each with a list of values — and seeds. Every combination of one
/// value per variation is a cell (the first variation, in sorted path order, varies slowest); every cell runs once
/// per seed, the seed set at `training.seed`. Pure: JSON in, job specs out, every problem reported at once.
///
///     {"name": "adaptive modes", "base": {"problem": "burgers", …},
///      "variations": {"network.adaptive": ["fixed", "layer", "neuron"]}, "seeds": 5}
public struct StudyExpansion: Sendable {
    public struct Variation: Sendable, Equatable {
        public let path: JSONPath
        /// Each value as JSON text (`"layer"`, `[8,8]`), in the order given.
        public let values: [String]
    }

    /// One combination of variation values.
    public struct Cell: Sendable, Equatable {
        public let index: Int
        /// One value per variation, in `variations` order: the path and the value as JSON text.
        public let values: [(path: String, json: String)]
        /// Which value of each variation, in `variations` order.
        let choices: [Int]
        /// `network.adaptive=layer, training.phases[0].learningRate=0.001`, for legends and messages.
        public var label: String {
            values.isEmpty ? "base" : values.map { "\($0.path)=\($0.json.trimmingCharacters(in: ["\""]))" }.joined(separator: ", ")
        }

        public static func == (a: Cell, b: Cell) -> Bool {
            a.index == b.index && a.choices == b.choices && a.values.map(\.path) == b.values.map(\.path)
        }
    }

    /// One job of the study: its cell, its place among the cell's runs, and its validated spec.
    public struct Run: Sendable {
        public let cell: Int
        public let run: Int
        public let spec: JobSpec
    }

    public static let members = ["name", "base", "variations", "seeds"]
    /// Seeds a count may ask for, and values one variation may list.
    public static let maxSeeds = 1000
    public static let maxValues = 1000
    /// Where a run's seed goes.
    static let seedPath = JSONPath("training.seed")!

    public let name: String?
    public let variations: [Variation]
    /// The seeds every cell runs with; nil runs each cell once with the base's own seed.
    public let seeds: [UInt64]?
    public let cells: [Cell]
    /// The document as submitted: `runs` reads the base and the values from it again rather than from their JSON
    /// text here, so every number reaches the job parser exactly as written (a double printed and read back by
    /// JSONSerialization may lose its last digit).
    private let document: Data

    /// Jobs the study makes: cells × seeds.
    public var jobCount: Int { cells.count * (seeds?.count ?? 1) }

    /// Reads the document: its members, the grid and the seeds, without building the jobs. `maxJobs` bounds
    /// cells × seeds (the server's queue), checked before any job is built.
    public static func read(_ data: Data, maxJobs: Int = .max) throws(StudySpecError) -> StudyExpansion {
        if let offset = JobSpecParser.invalidUTF8Offset(data) {
            throw StudySpecError(issues: [.init(field: "$", message: "not valid UTF-8 (at byte \(offset))")])
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw StudySpecError(issues: [.init(field: "$", message: "not valid JSON (\(error.localizedDescription))")])
        }
        return try read(json: json, document: data, maxJobs: maxJobs)
    }

    private static func read(json: Any, document: Data, maxJobs: Int) throws(StudySpecError) -> StudyExpansion {
        var reader = SpecReader(limits: JobSpecParser.Limits())
        guard let object = reader.object(json, "", allowed: members) else { throw StudySpecError(issues: reader.issues) }

        var name: String?
        if let value = object["name"] {
            if let text = value as? String, (1...200).contains(text.unicodeScalars.count) { name = text }
            else { reader.fail("name", "must be a string of 1 to 200 characters") }
        }

        switch object["base"] {
        case nil: reader.fail("base", "missing: the job spec every run starts from (a POST /v1/jobs body)")
        case is [String: Any]: break
        case .some: reader.fail("base", "must be an object: a job spec as POST /v1/jobs takes it")
        }

        var variations: [Variation] = []
        if let value = object["variations"] {
            if let grid = value as? [String: Any] {
                for key in grid.keys.sorted() {
                    let field = "variations[\(quoted(key))]"
                    guard let path = JSONPath(key) else {
                        reader.fail(field, "not a path to a spec member (write members with dots and elements with "
                                    + "indices: \"network.adaptive\", \"training.phases[0].iterations\")")
                        continue
                    }
                    if key == "training.seed" || key.hasPrefix("training.seed.") {
                        reader.fail(field, "the seed is varied by \"seeds\", not as a variation")
                        continue
                    }
                    guard let list = grid[key] as? [Any], (1...maxValues).contains(list.count) else {
                        reader.fail(field, "must be an array of 1 to \(maxValues) values"); continue
                    }
                    let texts = list.map(jsonText)
                    if let duplicate = texts.indices.first(where: { texts[..<$0].contains(texts[$0]) }) {
                        reader.fail("\(field)[\(duplicate)]", "repeats the value \(texts[duplicate]) (each cell must differ)")
                        continue
                    }
                    variations.append(Variation(path: path, values: texts))
                }
                for a in variations {
                    for b in variations where a.path != b.path && b.path.components.starts(with: a.path.components) {
                        reader.fail("variations[\(quoted(b.path.description))]", "lies inside the variation \"\(a.path)\"; vary one or the other")
                    }
                }
            } else {
                reader.fail("variations", "must be an object mapping spec paths to lists of values, e.g. "
                            + "{\"network.adaptive\": [\"fixed\", \"layer\"]}")
            }
        }

        var seeds: [UInt64]?
        switch object["seeds"] {
        case nil: break
        case let list as [Any]:
            if !(1...maxSeeds).contains(list.count) { reader.fail("seeds", "must list 1 to \(maxSeeds) seeds") }
            var read: [UInt64] = []
            for (i, value) in list.enumerated() {
                guard let n = reader.integer(value, "seeds[\(i)]", 0...(1 << 53)) else { continue }
                if read.contains(UInt64(n)) { reader.fail("seeds[\(i)]", "repeats the seed \(n)") } else { read.append(UInt64(n)) }
            }
            seeds = read
        case let value as NSNumber where !reader.isBoolean(value):
            if let n = reader.integer(value, "seeds", 1...maxSeeds) { seeds = (0..<UInt64(n)).map { $0 } }
        case .some:
            reader.fail("seeds", "must be a count of runs per cell (1 to \(maxSeeds): seeds 0, 1, …) or a list of seeds")
        }

        guard reader.issues.isEmpty else { throw StudySpecError(issues: reader.issues) }

        // The grid: cells counted before they are built, so a huge product is refused without being made.
        var count = 1
        for variation in variations {
            let (product, overflow) = count.multipliedReportingOverflow(by: variation.values.count)
            count = overflow ? .max : product
        }
        let (jobs, overflow) = count.multipliedReportingOverflow(by: seeds?.count ?? 1)
        if overflow || jobs > maxJobs {
            throw StudySpecError(issues: [.init(field: "variations", message: "\(overflow ? "too many" : String(count)) cell(s) × "
                                                + "\(seeds?.count ?? 1) seed(s) = \(overflow ? "too many" : String(jobs)) jobs; "
                                                + "this server takes at most \(maxJobs) jobs in one study")])
        }
        var cells: [Cell] = []
        for index in 0..<count {
            var rest = index
            var choices: [Int] = []
            for variation in variations.reversed() {
                choices.append(rest % variation.values.count)
                rest /= variation.values.count
            }
            choices.reverse()
            cells.append(Cell(index: index, values: zip(variations, choices).map { ($0.path.description, $0.values[$1]) },
                              choices: choices))
        }
        return StudyExpansion(name: name, variations: variations, seeds: seeds, cells: cells, document: document)
    }

    /// Every job of the study, each validated exactly as a `POST /v1/jobs` body; any invalid one rejects the study,
    /// its issues named by the variation that set the field (`variations["network.adaptive"][2]`) or under `base.`.
    public func runs(limits: JobSpecParser.Limits = .init()) throws(StudySpecError) -> [Run] {
        var runs: [Run] = []
        var issues: [JobSpecError.Issue] = []
        var seen: Set<String> = []
        /// Each problem once: a fault of the base shows in every cell, and is reported for the first.
        func report(_ issue: JobSpecError.Issue, key: String? = nil) {
            if seen.insert(key ?? issue.description).inserted { issues.append(issue) }
        }
        // `read` checked the document's shape; parsing the same bytes again gives the same values.
        let object = (try? JSONSerialization.jsonObject(with: self.document, options: [.fragmentsAllowed])) as? [String: Any]
        let base: Any = object?["base"] ?? [String: Any]()
        let grid = object?["variations"] as? [String: Any] ?? [:]
        let lists = variations.map { grid[$0.path.description] as? [Any] ?? [] }
        for cell in cells {
            var document: Any = base
            var broken = false
            for (v, variation) in variations.enumerated() {
                let k = cell.choices[v]
                guard lists[v].indices.contains(k) else { continue }
                switch variation.path.setting(lists[v][k], in: document) {
                case .success(let updated): document = updated
                case .failure(let error):
                    report(.init(field: "variations[\(Self.quoted(variation.path.description))]", message: error.message))
                    broken = true
                }
            }
            if broken { continue }
            let seedsOfCell: [UInt64?] = seeds.map { $0.map(Optional.some) } ?? [nil]
            for (r, seed) in seedsOfCell.enumerated() {
                var job = document
                if let seed {
                    switch Self.seedPath.setting(NSNumber(value: seed), in: job) {
                    case .success(let updated): job = updated
                    case .failure(let error): report(.init(field: "base.training", message: error.message)); continue
                    }
                }
                do throws(JobSpecError) {
                    runs.append(Run(cell: cell.index, run: r, spec: try JobSpecParser.parse(json: job, limits: limits)))
                } catch {
                    for issue in error.issues {
                        let named = self.issue(issue, in: cell)
                        report(named, key: named.field.hasPrefix("base") ? issue.description : nil)
                    }
                }
            }
        }
        guard issues.isEmpty else { throw StudySpecError(issues: Array(issues.prefix(100))) }
        return runs
    }

    /// A job's issue as the study names it: under the variation whose path holds the field, else under `base`.
    private func issue(_ issue: JobSpecError.Issue, in cell: Cell) -> JobSpecError.Issue {
        for (v, variation) in variations.enumerated() {
            let path = variation.path.description
            guard issue.field == path || issue.field.hasPrefix(path + ".") || issue.field.hasPrefix(path + "[") else { continue }
            let k = cell.choices[v]
            return .init(field: "variations[\(Self.quoted(path))][\(k)]" + issue.field.dropFirst(path.count),
                         message: "\(issue.message) (value \(cell.values[v].json))")
        }
        let field = issue.field == "$" || issue.field.isEmpty ? "base" : "base.\(issue.field)"
        return .init(field: field, message: variations.isEmpty ? issue.message : "\(issue.message) (in cell \(cell.index): \(cell.label))")
    }

    static func quoted(_ key: String) -> String {
        "\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A JSON value's canonical text (sorted keys), so equal values compare equal.
    static func jsonText(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) else {
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
