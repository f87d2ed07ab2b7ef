import Foundation
import PINNPlot

/// `pinn-bench figure RESULTS.jsonl OUT.png`: the log–log figure of docs/performance.md's scaling table, drawn from
/// the JSON lines scripts/scaling.py writes (one measurement per line: precision, threads, points, depth, width,
/// ms_per_iteration, peak_mb). Four panels: ms per iteration against the collocation points, the width and the
/// depth (the others at the default 10,000 points, 8×20), and peak memory against the points.
enum ScalingFigure {
    struct Measurement: Decodable {
        let precision: String
        let threads: Int
        let points: Int
        let depth: Int
        let width: Int
        let ms_per_iteration: Double
        let peak_mb: Double
    }

    static func run(_ arguments: [String]) throws {
        guard arguments.count == 2 else {
            throw ScalingFigureError("usage: pinn-bench figure RESULTS.jsonl OUT.png")
        }
        let text = try String(contentsOfFile: arguments[0], encoding: .utf8)
        let measurements = try text.split(separator: "\n").map {
            try JSONDecoder().decode(Measurement.self, from: Data($0.utf8))
        }
        try figure(measurements).render().writePNG(to: arguments[1])
    }

    static func figure(_ all: [Measurement]) -> Figure {
        func panel(_ title: String, x xLabel: String, y yLabel: String, yLog: Bool = true,
                   keep: (Measurement) -> Bool, x: (Measurement) -> Double, y: (Measurement) -> Double) -> LinePlot {
            let groups = Dictionary(grouping: all.filter(keep)) { "\($0.precision), \($0.threads) thread\($0.threads == 1 ? "" : "s")" }
            let series = groups.keys.sorted().enumerated().map { index, name in
                let points = groups[name]!.sorted { x($0) < x($1) }
                return Series(name, x: points.map(x), y: points.map(y), color: RGB.tab10[index % RGB.tab10.count],
                              dashed: name.contains("1 thread"), markerRadius: 3)
            }
            // Memory on a linear axis from 0, so that flat reads as flat.
            let top = (series.flatMap(\.y).max() ?? 1) * 1.15
            return LinePlot(title: title, xLabel: xLabel, yLabel: yLabel, xScale: .log10,
                            yScale: yLog ? .log10 : .linear, yLimits: yLog ? nil : 0...top, series: series)
        }
        let ms = { (m: Measurement) in m.ms_per_iteration }
        return Figure(columns: 2, panelWidth: 560, panelHeight: 400,
                      title: "cost of one iteration (loss + gradient), Burgers, N-LAAF",
                      panels: [
                        panel("against collocation points (8x20)", x: "points", y: "ms / iteration",
                              keep: { $0.depth == 8 && $0.width == 20 }, x: { Double($0.points) }, y: ms),
                        panel("against width (depth 8, 10k points)", x: "width", y: "ms / iteration",
                              keep: { $0.points == 10_000 && $0.depth == 8 }, x: { Double($0.width) }, y: ms),
                        panel("against depth (width 20, 10k points)", x: "hidden layers", y: "ms / iteration",
                              keep: { $0.points == 10_000 && $0.width == 20 }, x: { Double($0.depth) }, y: ms),
                        panel("peak memory against points (8x20), from 0", x: "points", y: "peak resident MB", yLog: false,
                              keep: { $0.depth == 8 && $0.width == 20 },
                              x: { Double($0.points) }, y: { $0.peak_mb }),
                      ])
    }
}

struct ScalingFigureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
