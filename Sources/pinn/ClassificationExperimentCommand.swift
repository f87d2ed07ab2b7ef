import Foundation
import Locking
import PINN
import PINNPlot

/// `pinn classify-experiment CONFIG.json [--out DIR] [--seeds N] [--epochs E] [--replot]`: every variant of a
/// classification experiment (config/experiments/fashion-mnist.json: the `Experiment` format with a
/// `ClassificationSpec` as the base) with every seed, as many runs at a time as there are cores (each run is
/// single-threaded and bit-reproducible). Writes DIR/runs.json (every epoch of every run), DIR/results.csv,
/// DIR/results.md (the table of docs/paper.md §5) and DIR/losses.png (training loss and test accuracy against
/// epoch: the median over seeds as a line, min–max as a band). `--epochs E` overrides the base's epochs (a quick
/// look); `--replot` redraws from DIR/runs.json.
enum ClassificationExperimentCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        guard let path = arguments.first else {
            throw CommandError("usage: pinn classify-experiment CONFIG.json [--out DIR] [--seeds N] [--epochs E] [--replot]")
        }
        let experiment = try Experiment(contentsOf: path)
        var out = "docs/paper/\(experiment.name)", seedCount = experiment.seeds.count, epochs: Int?, replot = false
        var rest = arguments.dropFirst().makeIterator()
        while let flag = rest.next() {
            switch flag {
            case "--out": out = rest.next() ?? out
            case "--seeds": seedCount = Int(rest.next() ?? "") ?? seedCount
            case "--epochs": epochs = Int(rest.next() ?? "")
            case "--replot": replot = true
            default: throw CommandError("unknown option \(flag)")
            }
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let saved = URL(fileURLWithPath: "\(out)/runs.json")
        let runs: [ClassificationRun]
        if replot {
            runs = try JSONDecoder().decode([ClassificationRun].self, from: Data(contentsOf: saved))
        } else {
            var planned: [(variant: String, spec: ClassificationSpec)] = []
            for variant in experiment.variants {
                for seed in experiment.seeds.prefix(seedCount) {
                    var json = Experiment.merge(experiment.base, variant.overrides)
                    json["seed"] = seed
                    if let epochs { json = Experiment.merge(json, ["training": ["epochs": epochs]]) }
                    planned.append((variant.name, try ClassificationSpec.parse(JSONSerialization.data(withJSONObject: json))))
                }
            }
            let jobs = planned
            let directory = jobs[0].spec.problem.data
            let training = try FashionMNIST.load(.train, directory: directory)
            let test = try FashionMNIST.load(.test, directory: directory)
            let finished = Locked([Int: ClassificationRun]())
            DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                let run = ClassificationRun.train(variant: jobs[i].variant, spec: jobs[i].spec, training: training, test: test)
                let last = run.epochs.last
                PinnCommand.printError("\(run.variant) seed \(run.seed): " + (last.map(ClassificationRun.describe) ?? "no epoch")
                                       + (run.diverged ? " (diverged)" : ""))
                finished.withLock { $0[i] = run }
            }
            runs = finished.withLock { done in jobs.indices.compactMap { done[$0] } }
            try JSONEncoder().encode(runs).write(to: saved)
        }
        let names = experiment.variants.map(\.name)
        try Data(csv(runs).utf8).write(to: URL(fileURLWithPath: "\(out)/results.csv"))
        let markdown = table(runs, variants: names)
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: "\(out)/results.md"))
        try Data(figure(runs, variants: names, title: experiment.title).png())
            .write(to: URL(fileURLWithPath: "\(out)/losses.png"))
        print(markdown)
        return 0
    }

    static func csv(_ runs: [ClassificationRun]) -> String {
        var lines = ["variant,seed,epochs,diverged,final_train_loss,final_train_accuracy,final_test_loss,final_test_accuracy"]
        for run in runs {
            guard let e = run.epochs.last else { continue }
            lines.append("\(run.variant),\(run.seed),\(e.epoch),\(run.diverged),\(e.trainLoss),\(e.trainAccuracy),\(e.testLoss),\(e.testAccuracy)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per variant, the median and min–max over seeds (`StudyStatistics.Spread`) of the training loss after the first
    /// and the last epoch, the final test accuracy, and n·ā of each hidden layer at the end.
    static func table(_ runs: [ClassificationRun], variants: [String]) -> String {
        func spread(_ values: [Double], _ format: (Double) -> String) -> String {
            guard let s = StudyStatistics.Spread(values) else { return "—" }
            return "\(format(s.median)) (\(format(s.min)) – \(format(s.max)))"
        }
        let loss = { (x: Double) in String(format: "%.4f", x) }
        let percent = { (x: Double) in String(format: "%.2f", 100 * x) }
        var lines = ["| variant | seeds | epochs | train loss after epoch 1 | final train loss | final test accuracy % | final n·ā per layer (median) |",
                     "|---|---|---|---|---|---|---|"]
        for name in variants {
            let group = runs.filter { $0.variant == name && !$0.epochs.isEmpty }
            guard let first = group.first else { continue }
            let lastEpochs = group.map { $0.epochs.last! }
            let slopes = (0..<first.epochs[0].meanSlopes.count).map { k in
                StudyStatistics.Spread(lastEpochs.map { $0.meanSlopes[k] }).map { String(format: "%.2f", $0.median) } ?? "—"
            }
            let diverged = group.filter(\.diverged).count
            lines.append("| \(name) | \(group.count)" + (diverged > 0 ? " (\(diverged) diverged)" : "")
                         + " | \(lastEpochs.map(\.epoch).max()!) | \(spread(group.map { $0.epochs[0].trainLoss }, loss))"
                         + " | \(spread(lastEpochs.map(\.trainLoss), loss)) | \(spread(lastEpochs.map(\.testAccuracy), percent))"
                         + " | \(slopes.joined(separator: ", ")) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Training loss (log scale) and test accuracy against epoch: per variant the median over seeds, min–max as a band;
    /// dashed: with slope recovery.
    static func figure(_ runs: [ClassificationRun], variants: [String], title: String) -> Figure {
        func panel(_ title: String, _ yLabel: String, _ scale: AxisScale, _ value: (ClassificationEpoch) -> Double) -> LinePlot {
            let series = variants.enumerated().compactMap { k, name -> Series? in
                let group = runs.filter { $0.variant == name }
                let length = group.map(\.epochs.count).min() ?? 0
                guard length > 0 else { return nil }
                let spreads = (0..<length).compactMap { e in StudyStatistics.Spread(group.map { value($0.epochs[e]) }) }
                guard spreads.count == length else { return nil }
                return Series(name, x: (1...length).map(Double.init), y: spreads.map(\.median),
                              color: RGB.tab10[k % RGB.tab10.count], dashed: name.contains("SR"),
                              band: Band(lower: spreads.map(\.min), upper: spreads.map(\.max)))
            }
            return LinePlot(title: title, xLabel: "epoch", yLabel: yLabel, yScale: scale, series: series)
        }
        return Figure(columns: 2, panelWidth: 620, panelHeight: 440, title: title, panels: [
            panel("training loss (cross-entropy, without S(a))", "loss", .log10) { $0.trainLoss },
            panel("test accuracy", "accuracy %", .linear) { 100 * $0.testAccuracy },
        ])
    }
}
