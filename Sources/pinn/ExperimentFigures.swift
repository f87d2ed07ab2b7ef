import Foundation
import PINN
import PINNFigures
import PINNPlot

/// The figures of an experiment, drawn with PINNPlot: the total loss against iteration for every variant (the
/// geometric mean over seeds, with the range as a band), the relative L2 error against iteration, the fits at
/// the snapshot iterations (1-D problems), and the best run's solution and error as heatmaps (2-D problems).
struct ExperimentFigures {
    let experiment: Experiment
    let runs: [ExperimentRun]

    func write(to directory: String) throws {
        func save(_ bytes: [UInt8], _ name: String) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
        try save(lossPlot().png(width: 900, height: 560), "losses.png")
        if runs.contains(where: { $0.errors.count > 1 }) { try save(errorPlot().png(width: 900, height: 560), "errors.png") }
        if let fits = try fitFigure() { try save(try fits.png(), "fits.png") }
        if let solution = try solutionFigure() { try save(try solution.png(), "solution.png") }
    }

    private var variantNames: [String] { experiment.variants.map(\.name) }

    private func color(_ k: Int) -> RGB { RGB.tab10[k % RGB.tab10.count] }

    /// Mean of log10 over seeds (and the min/max) at the iterations every seed recorded.
    private func band(_ histories: [[ExperimentRun.Point]]) -> (x: [Double], mean: [Double], low: [Double], high: [Double]) {
        let length = histories.map(\.count).min() ?? 0
        var x: [Double] = [], mean: [Double] = [], low: [Double] = [], high: [Double] = []
        for i in 0..<length {
            let values = histories.map { $0[i].value }.filter { $0 > 0 && $0.isFinite }
            guard !values.isEmpty else { continue }
            x.append(Double(histories[0][i].iteration))
            mean.append(pow(10, values.map(log10).reduce(0, +) / Double(values.count)))
            low.append(values.min()!)
            high.append(values.max()!)
        }
        return (x, mean, low, high)
    }

    private func historyPlot(title: String, yLabel: String,
                             _ history: (ExperimentRun) -> [ExperimentRun.Point]) -> LinePlot {
        let series = variantNames.enumerated().map { k, name -> Series in
            let b = band(runs.filter { $0.variant == name }.map(history))
            let dashed = name.contains("SR")
            return Series(name, x: b.x, y: b.mean, color: color(k), dashed: dashed,
                          band: Band(lower: b.low, upper: b.high))
        }
        return LinePlot(title: title, xLabel: "iteration", yLabel: yLabel, yScale: .log10, series: series)
    }

    func lossPlot() -> LinePlot {
        historyPlot(title: "\(experiment.title): loss without S(a)", yLabel: "loss") { $0.losses }
    }

    func errorPlot() -> LinePlot {
        historyPlot(title: "\(experiment.title): relative L2 error", yLabel: "relative L2") { $0.errors }
    }

    /// 1-D problems: the exact function and every variant's fit (first seed) at each snapshot.
    func fitFigure() throws -> Figure? {
        guard let first = runs.first, !experiment.snapshots.isEmpty else { return nil }
        let problem = try ProblemBuilder.make(first.spec)
        guard problem.inputs.count == 1, problem.exact != nil else { return nil }
        let sizes = [problem.inputs[0]: 1000]
        func curve(_ run: ExperimentRun, _ parameters: [Double]) throws -> SolutionOnGrid {
            try TrainedSolution(spec: run.spec, parameters: parameters).onGrid(sizes: sizes)
        }
        let iterations = Set(runs.flatMap { $0.snapshots.map(\.iteration) }).sorted()
        let panels: [any Panel] = try iterations.enumerated().map { index, iteration in
            var series: [Series] = []
            for (k, name) in variantNames.enumerated() {
                guard let run = runs.first(where: { $0.variant == name }),
                      let snapshot = run.snapshots.first(where: { $0.iteration == iteration }) else { continue }
                let fit = try curve(run, snapshot.parameters)
                let x = fit.grid.axes[0].values
                if series.isEmpty { series.append(Series("exact", x: x, y: fit.exact!, color: .black, lineWidth: 2.5)) }
                series.append(Series(name, x: x, y: fit.values, color: color(k), dashed: name.contains("SR")))
            }
            return LinePlot(title: "iteration \(iteration)", xLabel: problem.inputs[0], yLabel: problem.outputs[0],
                            legend: index == iterations.count - 1 ? .auto : .hidden, series: series)
        }
        return Figure(columns: panels.count, panelWidth: 520, panelHeight: 380,
                      title: "\(experiment.title): fits (seed \(first.seed)); black: exact", panels: panels)
    }

    /// 2-D problems: u and |u − u*| of the most accurate run.
    func solutionFigure() throws -> Figure? {
        guard let best = runs.filter({ $0.outcome?.relativeL2 != nil })
                .min(by: { $0.outcome!.relativeL2! < $1.outcome!.relativeL2! }),
              let outcome = best.outcome else { return nil }
        let solution = try TrainedSolution(spec: best.spec, parameters: outcome.parameters).onGrid()
        guard let u = SolutionHeatmap.make(solution, title: "u (\(best.variant), seed \(best.seed))"),
              let error = SolutionHeatmap.make(solution, quantity: .absoluteError, colorScale: .log10) else { return nil }
        return Figure(columns: 2, panelWidth: 560, panelHeight: 420, title: experiment.title, panels: [u, error])
    }
}
