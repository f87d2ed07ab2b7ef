import Foundation
import PINN

/// `pinn experiment CONFIG.json [--out DIR] [--seeds N] [--scale F] [--replot]`: runs every variant of an experiment
/// with every seed, then writes DIR/runs.json (every history), DIR/results.csv (one row per run), DIR/results.md
/// (the table for docs/paper.md) and the figures (ExperimentFigures). `--seeds N` keeps the first N seeds;
/// `--scale F` multiplies every phase's iterations (and snapshot iterations) by F, for a quick look before the
/// full run; `--replot` redraws the table and figures from DIR/runs.json without training.
enum ExperimentCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        guard let path = arguments.first else { throw CommandError("usage: pinn experiment CONFIG.json [--out DIR] [--seeds N] [--scale F]") }
        let experiment = try Experiment(contentsOf: path)
        var out = "docs/paper/\(experiment.name)", seedCount = experiment.seeds.count, scale = 1.0, replot = false
        var rest = arguments.dropFirst().makeIterator()
        while let flag = rest.next() {
            switch flag {
            case "--out": out = rest.next() ?? out
            case "--seeds": seedCount = Int(rest.next() ?? "") ?? seedCount
            case "--scale": scale = Double(rest.next() ?? "") ?? scale
            case "--replot": replot = true
            default: throw CommandError("unknown option \(flag)")
            }
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let snapshots = Set(experiment.snapshots.map { Int((Double($0) * scale).rounded()) })
        var runs: [ExperimentRun] = []
        let saved = URL(fileURLWithPath: "\(out)/runs.json")
        if replot {
            runs = try JSONDecoder().decode([ExperimentRun].self, from: Data(contentsOf: saved))
        }
        for variant in experiment.variants where !replot {
            for seed in experiment.seeds.prefix(seedCount) {
                var spec = try experiment.spec(variant, seed: seed)
                for p in spec.training.phases.indices {
                    spec.training.phases[p].iterations = Int((Double(spec.training.phases[p].iterations) * scale).rounded())
                }
                let run = try ExperimentRun.train(variant: variant.name, seed: seed, spec: spec, snapshots: snapshots)
                let outcome = run.outcome!
                FileHandle.standardError.write(Data(String(
                    format: "%@ seed %d: %@, loss without S(a) %.3e, relative L2 %@, %.1f s\n", variant.name, seed,
                    outcome.status, outcome.finalLoss,
                    outcome.relativeL2.map { String(format: "%.3e", $0) } ?? "—", outcome.wallSeconds).utf8))
                runs.append(run)
            }
        }
        if !replot { try JSONEncoder().encode(runs).write(to: saved) }
        try writeCSV(runs, experiment, to: "\(out)/results.csv")
        try Data(table(runs, experiment).utf8).write(to: URL(fileURLWithPath: "\(out)/results.md"))
        try ExperimentFigures(experiment: experiment, runs: runs).write(to: out)
        print(table(runs, experiment))
        return 0
    }

    static func writeCSV(_ runs: [ExperimentRun], _ experiment: Experiment, to path: String) throws {
        let targets = experiment.targets.flatMap { ["iterations_to_\($0)", "seconds_to_\($0)"] }
        var csv = (["variant", "seed", "status", "iterations", "seconds", "final_loss", "relative_l2"] + targets)
            .joined(separator: ",") + "\n"
        for run in runs {
            let r = run.outcome!
            let reached = experiment.targets.flatMap { target -> [String] in
                guard let hit = run.firstReaching(target) else { return ["", ""] }
                return ["\(hit.iteration)", String(format: "%.2f", hit.seconds)]
            }
            csv += ([run.variant, "\(run.seed)", r.status, "\(r.iterations)",
                     String(format: "%.2f", r.wallSeconds), "\(r.finalLoss)", r.relativeL2.map { "\($0)" } ?? ""]
                    + reached).joined(separator: ",") + "\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// One row per variant: the mean and range over seeds of the final error, the median iterations and seconds
    /// to each target (with how many seeds reached it), and the published value where there is one.
    static func table(_ runs: [ExperimentRun], _ experiment: Experiment) -> String {
        let hasPublished = experiment.variants.contains { $0.published != nil }
        var header = ["variant", "seeds", "relative L2 (mean)", "min – max", "final loss without S(a) (mean)", "seconds"]
        header += experiment.targets.map { "to \(format($0)): iterations / s" }
        if hasPublished { header += ["published", "ours / published"] }
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
        for variant in experiment.variants {
            let group = runs.filter { $0.variant == variant.name }
            let errors = group.compactMap { $0.outcome?.relativeL2 }
            let meanError = errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count)
            var row = [variant.name, "\(group.count)",
                       meanError.map(format) ?? "—",
                       errors.isEmpty ? "—" : "\(format(errors.min()!)) – \(format(errors.max()!))",
                       format(group.map { $0.outcome!.finalLoss }.reduce(0, +) / Double(max(group.count, 1))),
                       String(format: "%.0f", group.map { $0.outcome!.wallSeconds }.reduce(0, +) / Double(max(group.count, 1)))]
            for target in experiment.targets {
                let hits = group.compactMap { $0.firstReaching(target) }
                if hits.isEmpty {
                    row.append("not reached")
                } else {
                    let iterations = median(hits.map { Double($0.iteration) }), seconds = median(hits.map(\.seconds))
                    row.append(String(format: "%.0f / %.0f s", iterations, seconds)
                               + (hits.count < group.count ? " (\(hits.count) of \(group.count))" : ""))
                }
            }
            if hasPublished {
                row.append(variant.published.map(format) ?? "—")
                if let published = variant.published, let meanError {
                    row.append(String(format: "%.2f", meanError / published))
                } else {
                    row.append("—")
                }
            }
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func format(_ x: Double) -> String { String(format: "%.3g", x).replacingOccurrences(of: "e-0", with: "e-") }
}
