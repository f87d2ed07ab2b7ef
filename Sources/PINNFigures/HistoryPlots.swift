import PINN
import PINNPlot

/// A job's histories as line plots on a log axis: the loss terms, the error against the exact solution, the
/// effective slopes n·ā per layer (with the per-neuron spread for N-LAAF).
public enum HistoryPlots {
    /// One line per term (unweighted mean squares), the weighted total, and S(a) when slopes are trained.
    public static func losses(_ records: [LossRecord], termNames: [String], title: String = "loss") -> LinePlot {
        let x = records.map { Double($0.iteration) }
        var series = [Series("total", x: x, y: records.map(\.total), color: .black, lineWidth: 2)]
        for (k, name) in termNames.enumerated() {
            series.append(Series(name, x: x, y: records.map { $0.terms.indices.contains(k) ? $0.terms[k] : .nan },
                                 color: RGB.tab10[k % RGB.tab10.count]))
        }
        if records.contains(where: { $0.slopeRecovery != 0 }) {
            series.append(Series("S(a)", x: x, y: records.map(\.slopeRecovery), color: .gray, dashed: true))
        }
        return LinePlot(title: title, xLabel: "iteration", yLabel: "mean square", yScale: .log10, series: series)
    }

    /// The relative L2 error over all outputs, and per output when there are several.
    public static func errors(_ records: [ErrorRecord], outputs: [String], title: String = "error against the exact solution") -> LinePlot {
        let x = records.map { Double($0.iteration) }
        var series = [Series("relative L2", x: x, y: records.map(\.relativeL2), color: .black, lineWidth: 2)]
        if outputs.count > 1 {
            for (k, name) in outputs.enumerated() {
                series.append(Series(name, x: x, y: records.map { $0.outputs[name]?.relativeL2 ?? .nan },
                                     color: RGB.tab10[k % RGB.tab10.count]))
            }
        }
        for (k, name) in outputs.enumerated() {
            series.append(Series("max |\(name) - exact|", x: x, y: records.map { $0.outputs[name]?.maxAbsError ?? .nan },
                                 color: RGB.tab10[(k + outputs.count) % RGB.tab10.count], dashed: true))
        }
        return LinePlot(title: title, xLabel: "iteration", yLabel: "error", yScale: .log10, series: series)
    }

    /// n·ā per hidden layer; for per-neuron slopes (`widths` of the hidden layers given) the min–max band of n·a
    /// over each layer's neurons.
    public static func slopes(_ records: [SlopeRecord], scale: Double, neuronWidths: [Int]?, title: String = "slopes n·a") -> LinePlot {
        let x = records.map { Double($0.iteration) }
        let layers = records.first?.layerMeans.count ?? 0
        let series = (0..<layers).map { k -> Series in
            var band: Band?
            if let widths = neuronWidths, widths.count == layers {
                let start = widths[..<k].reduce(0, +)
                let spread = records.map { r -> (Double, Double) in
                    let a = r.slopes[start..<min(start + widths[k], r.slopes.count)].map { scale * $0 }
                    return (a.min() ?? .nan, a.max() ?? .nan)
                }
                band = Band(lower: spread.map(\.0), upper: spread.map(\.1))
            }
            return Series("layer \(k + 1)", x: x, y: records.map { $0.layerMeans[k] },
                          color: RGB.tab10[k % RGB.tab10.count], band: band)
        }
        return LinePlot(title: title, xLabel: "iteration", yLabel: "n·a", series: series)
    }
}
