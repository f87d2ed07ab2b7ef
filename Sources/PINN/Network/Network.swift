import Foundation
import PINNNumerics

/// A trained or training PINN: its architecture, the box its inputs are mapped from, and its flat parameters.
/// Inputs x ∈ [lower, upper] are mapped affinely to ξ = 2(x − lower)/(upper − lower) − 1 ∈ [−1, 1].
public struct Network<T: PINNScalar>: Sendable {
    public let architecture: NetworkArchitecture
    public let layout: ParameterLayout
    public let lower: [Double]
    public let upper: [Double]
    public var parameters: [T]

    /// Glorot/Xavier-normal weights, W ~ N(0, 2/(fanIn + fanOut)), zero biases, slopes a = 1/n.
    public init(architecture: NetworkArchitecture, lower: [Double], upper: [Double],
                generator: inout SeededGenerator) {
        precondition(lower.count == architecture.inputs && upper.count == architecture.inputs)
        self.architecture = architecture
        self.layout = ParameterLayout(architecture)
        self.lower = lower
        self.upper = upper
        var parameters = [T](repeating: 0, count: layout.count)
        for layer in layout.layers {
            let std = (2 / Double(layer.fanIn + layer.fanOut)).squareRoot()
            for i in 0..<(layer.fanIn * layer.fanOut) {
                parameters[layer.weights + i] = T(std * generator.nextNormal())
            }
        }
        for i in layout.slopes { parameters[i] = T(1 / architecture.effectiveScale) }
        self.parameters = parameters
    }

    public init(architecture: NetworkArchitecture, lower: [Double], upper: [Double], parameters: [T]) {
        self.architecture = architecture
        self.layout = ParameterLayout(architecture)
        precondition(parameters.count == layout.count, "parameter count does not match the architecture")
        self.lower = lower
        self.upper = upper
        self.parameters = parameters
    }

    /// ∂ξ_j/∂x_j = 2/(upper_j − lower_j): the chain-rule factor of each input.
    public var inputScale: [Double] { zip(lower, upper).map { 2 / ($1 - $0) } }

    /// The effective slope n·a of every neuron of hidden layer k.
    public func slopes(layer k: Int) -> [Double] {
        let n = architecture.effectiveScale
        guard !layout.slopes.isEmpty else { return Array(repeating: 1, count: architecture.hidden[k]) }
        let start = layout.slopes.lowerBound + layout.slopeStart[k]
        return (0..<architecture.hidden[k]).map { n * Double(parameters[start + $0 * layout.slopeStride[k]]) }
    }

    /// The network's outputs at `points` (count × inputs, physical coordinates): count × outputs, row-major.
    public func evaluate(_ points: [Double]) -> [Double] { evaluate(points, derivatives: [[]])[0] }

    /// Derivatives of the outputs with respect to the inputs at `points`, by forward Taylor streams: for each
    /// requested derivative (e.g. `[]`, `[0]`, `[0, 0]`, `[0, 1]`), count × outputs values, row-major.
    public func evaluate(_ points: [Double], derivatives: [Derivative]) -> [[Double]] {
        let d = architecture.inputs, m = architecture.outputs
        let count = points.count / d
        let streams = TaylorStreams(inputCount: d, derivatives: derivatives)
        let pass = NetworkPass<T>(network: architecture, lower: lower, upper: upper, streams: streams,
                                  rows: min(max(count, 1), NetworkPass<T>.defaultRows))
        var results = derivatives.map { _ in [Double](repeating: 0, count: count * m) }
        parameters.withUnsafeBufferPointer { theta in
            pass.prepare(parameters: theta)
            var start = 0
            while start < count {
                let rows = min(pass.capacity, count - start)
                points.withUnsafeBufferPointer { pass.forward(points: $0.baseAddress! + start * d, rows: rows) }
                let out = pass.output
                for (r, derivative) in derivatives.enumerated() {
                    let block = streams.index(of: derivative)!
                    for i in 0..<(rows * m) { results[r][start * m + i] = Double(out[block * rows * m + i]) }
                }
                start += rows
            }
        }
        return results
    }
}
