/// A tensor grid over the problem's box, spanning each bound inclusively, in the order the outputs are written:
/// time first (slowest), then the space inputs. `points` are in the problem's input order, row-major.
public struct SolutionGrid: Sendable {
    /// The axes in output order: input index, name and coordinates.
    public let axes: [(input: Int, name: String, values: [Double])]
    /// count × inputs, in the problem's input order.
    public let points: [Double]

    public var count: Int { axes.map(\.values.count).reduce(1, *) }

    /// `sizes[name]` points per input (default 2).
    public init(problem: Problem, sizes: [String: Int]) {
        let order = problem.inputs.indices.sorted { a, b in
            (problem.inputs[a] == "t" ? 0 : 1, a) < (problem.inputs[b] == "t" ? 0 : 1, b)
        }
        axes = order.map { i in
            let n = max(2, sizes[problem.inputs[i]] ?? 2)
            let (lo, hi) = (problem.lower[i], problem.upper[i])
            return (i, problem.inputs[i], (0..<n).map { k in k == n - 1 ? hi : lo + (hi - lo) * Double(k) / Double(n - 1) })
        }
        let d = problem.inputs.count
        let total = axes.map(\.values.count).reduce(1, *)
        var points = [Double](repeating: 0, count: total * d)
        for flat in 0..<total {
            var rest = flat
            for axis in axes.reversed() {
                points[flat * d + axis.input] = axis.values[rest % axis.values.count]
                rest /= axis.values.count
            }
        }
        self.points = points
    }
}
