import Foundation

/// The slope recovery term S(a) = 1 / ( (1/(D−1)) Σ_k exp(ā^k) ), where ā^k is hidden layer k's slope: the
/// global slope, the layer's slope, or the mean of the layer's neuron slopes. Its gradient
/// ∂S/∂ā^k = −(1/(D−1))·exp(ā^k) / M², M = mean_k exp(ā^k), is always negative: the term pushes slopes up
/// and has no minimum, which is why a training schedule must stop rewarding it before the end (docs/training.md).
public enum SlopeRecoveryTerm {
    /// S(a) for the slopes in `parameters`, or 0 when the network has no slopes.
    public static func value<T: PINNScalar>(_ parameters: UnsafeBufferPointer<T>, layout: ParameterLayout,
                                            architecture: NetworkArchitecture) -> Double {
        guard !layout.slopes.isEmpty else { return 0 }
        let means = layerMeans(parameters, layout: layout, architecture: architecture)
        return 1 / (means.map { exp($0) }.reduce(0, +) / Double(means.count))
    }

    /// Adds weight·∂S/∂a into `gradient` and returns S(a).
    @discardableResult
    public static func accumulate<T: PINNScalar>(_ parameters: UnsafeBufferPointer<T>, layout: ParameterLayout,
                                                 architecture: NetworkArchitecture, weight: Double,
                                                 into gradient: UnsafeMutableBufferPointer<T>) -> Double {
        guard !layout.slopes.isEmpty else { return 0 }
        let means = layerMeans(parameters, layout: layout, architecture: architecture)
        let layers = Double(means.count)
        let meanExp = means.map { exp($0) }.reduce(0, +) / layers
        for (k, width) in architecture.hidden.enumerated() {
            let dS = -exp(means[k]) / (layers * meanExp * meanExp)
            if layout.slopeStride[k] == 0 {
                gradient[layout.slopes.lowerBound + layout.slopeStart[k]] += T(weight * dS)
            } else {
                for i in 0..<width {
                    gradient[layout.slopes.lowerBound + layout.slopeStart[k] + i] += T(weight * dS / Double(width))
                }
            }
        }
        return 1 / meanExp
    }

    /// ā^k for every hidden layer.
    static func layerMeans<T: PINNScalar>(_ parameters: UnsafeBufferPointer<T>, layout: ParameterLayout,
                                          architecture: NetworkArchitecture) -> [Double] {
        architecture.hidden.enumerated().map { k, width in
            let start = layout.slopes.lowerBound + layout.slopeStart[k]
            if layout.slopeStride[k] == 0 { return Double(parameters[start]) }
            var sum = 0.0
            for i in 0..<width { sum += Double(parameters[start + i]) }
            return sum / Double(width)
        }
    }
}
