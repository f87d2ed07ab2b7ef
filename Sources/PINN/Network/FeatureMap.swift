import Foundation
import PINNNumerics

/// The input features of a network pass (`InputFeatures`, docs/design.md §4.4) for a block of points, with every
/// Taylor stream the pass carries: Φ, a features × (S·rows) row-major matrix laid out like a hidden layer's H
/// (feature f's S stream blocks of `rows` values one after another), so the first layer is one GEMM Zᵀ = W·Φ over all
/// streams. The features are fixed, so the backward pass needs only Φ (W̄ += Z̄ᵀ·Φ) and no adjoint flows into them.
///
/// Base features v, in physical coordinates x_j (derivatives are by x_j, the chain factors included):
///   plain input j:     v = ξ_j,        ∂_j v = c_j = 2/(upper_j − lower_j),   higher derivatives 0;
///   periodic input j:  v = cos(ωx_j + φ), φ ∈ {0, −π/2} (cos, sin),  ∂_j^m v = ω^m cos(ωx_j + φ + mπ/2);
///   mixed derivatives (two different inputs) vanish.
/// Fourier features are then a fixed layer [B; B]·v with the activation sin, slope 1 and biases π/2 (cos) and 0 (sin):
/// the same GEMM and fused kernel as a hidden layer, so their streams of every order come from §4–5 unchanged.
final class FeatureMap<T: PINNScalar>: @unchecked Sendable {
    let features: InputFeatures
    let streams: TaylorStreams
    let capacity: Int
    private let lower: [Double]
    private let inputScale: [Double]
    /// Φ when there are no Fourier features, else v.
    private let base: UnsafeMutablePointer<T>
    /// With Fourier features: [B; B] (2m × baseCount), the biases, unit slopes, z, Φ and σ′ of the value block.
    private let fourier: (matrix: [T], bias: [T], slopes: [T], shape: FusedLayerShape)?
    private let z: UnsafeMutablePointer<T>?
    private let phi: UnsafeMutablePointer<T>?
    private let p: UnsafeMutablePointer<T>?

    init(features: InputFeatures, lower: [Double], upper: [Double], streams: TaylorStreams, rows capacity: Int) {
        self.features = features
        self.streams = streams
        self.capacity = capacity
        self.lower = lower
        inputScale = zip(lower, upper).map { 2 / ($1 - $0) }
        let stacked = streams.count * capacity
        base = Self.buffer(features.baseCount * stacked)
        if let f = features.fourier {
            let b = f.frequencies(columns: features.baseCount).map { T($0) }
            let width = 2 * f.count
            let shape = streams.kernelTerms.map {
                FusedLayerShape(activation: .sin, rows: capacity, width: width, terms: $0)
            } ?? FusedLayerShape(activation: .sin, rows: capacity, width: width, firstOrder: streams.first.count,
                                 pairs: streams.kernelPairs)
            fourier = (b + b, Array(repeating: T.pi / 2, count: f.count) + Array(repeating: 0, count: f.count),
                       Array(repeating: 1, count: width), shape)
            z = Self.buffer(width * stacked)
            phi = Self.buffer(width * stacked)
            p = Self.buffer(width * capacity)
        } else {
            (fourier, z, phi, p) = (nil, nil, nil, nil)
        }
    }

    /// Scalars a feature map allocates for `streamCount` streams over blocks of `rows` points.
    static func elements(features: InputFeatures, streamCount: Int, rows: Int) -> Int {
        let stacked = streamCount * rows
        let fourier = features.fourier.map { 2 * $0.count * (2 * stacked + rows) } ?? 0
        return max(features.baseCount * stacked, 1) + fourier
    }

    private static func buffer(_ count: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        return pointer
    }

    deinit {
        base.deallocate()
        z?.deallocate()
        phi?.deallocate()
        p?.deallocate()
    }

    /// Φ of the last `compute`: count × (S·rows), row-major with leading dimension S·rows.
    var output: UnsafePointer<T> { UnsafePointer(phi ?? base) }

    /// Computes Φ for `rows` points (rows × inputs, physical coordinates, row-major).
    func compute(points: UnsafePointer<Double>, rows: Int) {
        let d = features.periods.count
        let stackedRows = streams.count * rows
        var row = 0
        for (j, period) in features.periods.enumerated() {
            if let period {
                let omega = 2 * Double.pi / period
                for (phase, target) in [(0.0, base + row * stackedRows), (-Double.pi / 2, base + (row + 1) * stackedRows)] {
                    for b in 0..<streams.count {
                        let derivative = streams.derivative(at: b)
                        let block = target + b * rows
                        guard derivative.allSatisfy({ $0 == j }) else {
                            block.update(repeating: 0, count: rows)
                            continue
                        }
                        let m = Double(derivative.count)
                        let factor = pow(omega, m), shift = phase + m * Double.pi / 2
                        for i in 0..<rows { block[i] = T(factor * cos(omega * points[i * d + j] + shift)) }
                    }
                }
                row += 2
            } else {
                let target = base + row * stackedRows
                for b in 0..<streams.count {
                    let derivative = streams.derivative(at: b)
                    let block = target + b * rows
                    switch derivative.count {
                    case 0:
                        for i in 0..<rows { block[i] = T((points[i * d + j] - lower[j]) * inputScale[j] - 1) }
                    case 1:
                        block.update(repeating: derivative[0] == j ? T(inputScale[j]) : 0, count: rows)
                    default:
                        block.update(repeating: 0, count: rows)
                    }
                }
                row += 1
            }
        }
        guard let fourier, let z, let phi, let p else { return }
        var shape = fourier.shape
        shape.rows = rows
        fourier.matrix.withUnsafeBufferPointer { b in
            T.gemm(transposeA: false, transposeB: false, m: shape.width, n: stackedRows, k: features.baseCount,
                   alpha: 1, a: b.baseAddress!, lda: features.baseCount, b: base, ldb: stackedRows, beta: 0,
                   c: z, ldc: stackedRows)
        }
        T.fusedForward(shape, s: fourier.slopes, bias: fourier.bias, z: z, h: phi, p: p)
    }
}
