import Foundation
import PINN

/// An experiment of docs/paper.md (config/experiments/NAME.json): a base job spec, variants that override parts of
/// it, and the seeds every variant runs with. Variants are partial job specs merged into the base (objects merge
/// member by member; anything else replaces), so each run is an ordinary, validated job spec.
struct Experiment {
    struct Variant {
        let name: String
        let overrides: [String: Any]
        /// The published relative L2 error, where the paper gives one.
        let published: Double?
    }

    let name: String
    let title: String
    let base: [String: Any]
    let variants: [Variant]
    let seeds: [Int]
    /// Iterations at which each run's fit is captured (1-D problems: the fit figure).
    let snapshots: [Int]
    /// Relative L2 errors whose first crossing (iteration and seconds) the table reports.
    let targets: [Double]

    init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path),
              let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CommandError("cannot read the experiment \(path)")
        }
        name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        title = root["title"] as? String ?? name
        base = root["base"] as? [String: Any] ?? [:]
        seeds = root["seeds"] as? [Int] ?? [1]
        snapshots = root["snapshots"] as? [Int] ?? []
        targets = root["targets"] as? [Double] ?? [1e-2, 1e-3]
        variants = (root["variants"] as? [[String: Any]] ?? []).map {
            Variant(name: $0["name"] as? String ?? "?", overrides: $0["set"] as? [String: Any] ?? [:],
                    published: $0["published"] as? Double)
        }
        guard !variants.isEmpty else { throw CommandError("\(path): no variants") }
    }

    /// The job spec of one run, validated by the same parser as every job.
    func spec(_ variant: Variant, seed: Int) throws -> JobSpec {
        var json = Self.merge(base, variant.overrides)
        json = Self.merge(json, ["training": ["seed": seed]])
        return try JobSpecParser.parse(json: json)
    }

    static func merge(_ a: [String: Any], _ b: [String: Any]) -> [String: Any] {
        var merged = a
        for (key, value) in b {
            if let inner = value as? [String: Any], let outer = merged[key] as? [String: Any] {
                merged[key] = merge(outer, inner)
            } else {
                merged[key] = value
            }
        }
        return merged
    }
}
