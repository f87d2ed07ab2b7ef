import Foundation
import PINN
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
        guard problem.inputs.count == 1, let exact = problem.exact else { return nil }
        let x = (0..<1000).map { problem.lower[0] + (problem.upper[0] - problem.lower[0]) * Double($0) / 999 }
        let truth = exact.values(at: x)
        let iterations = Set(runs.flatMap { $0.snapshots.map(\.iteration) }).sorted()
        let panels: [any Panel] = iterations.enumerated().map { index, iteration in
            var series = [Series("exact", x: x, y: truth, color: .black, lineWidth: 2.5)]
            for (k, name) in variantNames.enumerated() {
                guard let run = runs.first(where: { $0.variant == name }),
                      let snapshot = run.snapshots.first(where: { $0.iteration == iteration }) else { continue }
                series.append(Series(name, x: x, y: network(run.spec, problem, snapshot.parameters).evaluate(x),
                                     color: color(k), dashed: name.contains("SR")))
            }
            return LinePlot(title: "iteration \(iteration)", xLabel: "x", yLabel: "u",
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
        let problem = try ProblemBuilder.make(best.spec)
        guard problem.inputs.count == 2, let exact = problem.exact else { return nil }
        let grid = SolutionGrid(problem: problem, sizes: best.spec.output.grid)
        let u = network(best.spec, problem, outcome.parameters).evaluate(grid.points)
        let reference = exact.values(at: grid.points)
        let (rows, columns) = (grid.axes[0].values.count, grid.axes[1].values.count)
        func matrix(_ f: (Int) -> Double) -> [[Double]] { (0..<rows).map { i in (0..<columns).map { f(i * columns + $0) } } }
        let xRange = grid.axes[1].values.first!...grid.axes[1].values.last!
        let yRange = grid.axes[0].values.first!...grid.axes[0].values.last!
        let panels: [any Panel] = [
            Heatmap(values: matrix { u[$0] }, xRange: xRange, yRange: yRange, title: "u (\(best.variant), seed \(best.seed))",
                    xLabel: grid.axes[1].name, yLabel: grid.axes[0].name, colorBarLabel: "u"),
            Heatmap(values: matrix { abs(u[$0] - reference[$0]) }, xRange: xRange, yRange: yRange, colorScale: .log10,
                    title: String(format: "|u - exact|, relative L2 %.2e", outcome.relativeL2!),
                    xLabel: grid.axes[1].name, yLabel: grid.axes[0].name, colorBarLabel: "error"),
        ]
        return Figure(columns: 2, panelWidth: 560, panelHeight: 420, title: experiment.title, panels: panels)
    }

    private func network(_ spec: JobSpec, _ problem: Problem, _ parameters: [Double]) -> Network<Double> {
        let architecture = NetworkArchitecture(inputs: problem.inputs.count, outputs: problem.outputs.count,
                                               hidden: spec.network.layers, activation: spec.network.activation,
                                               adaptive: spec.network.adaptive, scale: spec.network.scale)
        return Network(architecture: architecture, lower: problem.lower, upper: problem.upper, parameters: parameters)
    }
}
