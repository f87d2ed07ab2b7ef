import Foundation
import PINNNumerics

/// The loss of a dense classifier on a batch of B labelled inputs, with its gradient by one backward pass.
///
/// The network is the engine's (docs/design.md §2, `NetworkArchitecture`, `ParameterLayout`), its outputs read as
/// the logits of C classes; rows are samples, so every layer is one GEMM over the batch (OpenBLAS):
///
///     Z^k = H^{k−1}·W^kᵀ + 1·b^kᵀ,   H^k = σ(Z^k ⊙ s^k),  s^k = n·a^k per neuron,     H⁰ = ξ (B × inputs)
///     ℓ  = H^{D−1}·W^Dᵀ + 1·b^Dᵀ                                                        (B × C logits)
///     L  = (1/B)·Σ_i [ log Σ_c exp ℓ_ic − ℓ_{i,y_i} ]  +  w_a·S(a)          softmax cross-entropy + slope recovery
///
/// and backwards, with G = ∂L/∂ℓ = (softmax(ℓ) − onehot(y)) / B:
///
///     W̄^D = Gᵀ·H^{D−1},  b̄^D = 1ᵀG,  H̄^{D−1} = G·W^D
///     Ȳ = H̄^k ⊙ σ′(Z^k ⊙ s^k),  s̄^k_j = Σ_i Ȳ_ij·Z^k_ij,  Z̄^k = Ȳ ⊙ s^k
///     W̄^k = Z̄^kᵀ·H^{k−1},  b̄^k = 1ᵀZ̄^k,  H̄^{k−1} = Z̄^k·W^k,  ā = n·Σ s̄ over the neurons sharing a
///
/// S(a) and its gradient are `SlopeRecoveryTerm`'s, the same as a PINN's (docs/design.md §3). The softmax is
/// evaluated in Double with the row's maximum subtracted. One instance owns the buffers of `capacity` rows and is
/// used by one thread at a time.
public final class ClassificationLoss<T: PINNScalar> {
    public let architecture: NetworkArchitecture
    public let layout: ParameterLayout
    /// w_a, the weight of S(a); 0 leaves it out.
    public let slopeRecoveryWeight: Double
    /// The largest batch a call can take.
    public let capacity: Int
    public private(set) var rows = 0
    /// ξ of the loaded batch (rows × inputs) and its labels.
    private let input: UnsafeMutableBufferPointer<T>
    private var labels: [Int]
    /// Per hidden layer: Z (after the bias), H = σ(Z ⊙ s), P = σ′(Z ⊙ s), each capacity × width.
    private let z: [UnsafeMutableBufferPointer<T>], h: [UnsafeMutableBufferPointer<T>], p: [UnsafeMutableBufferPointer<T>]
    /// Z ⊙ s; the adjoints H̄ and Z̄; the logits, then G.
    private let scaled: UnsafeMutableBufferPointer<T>, hbar: UnsafeMutableBufferPointer<T>
    private let zbar: UnsafeMutableBufferPointer<T>, logits: UnsafeMutableBufferPointer<T>
    /// The predicted class of each loaded row after `evaluate` (the argmax of its logits).
    public private(set) var predictions: [Int]

    public struct Value: Sendable {
        /// The mean cross-entropy over the batch.
        public let crossEntropy: Double
        /// S(a) (0 without slopes); the loss is crossEntropy + w_a·S(a).
        public let slopeRecovery: Double
        public let total: Double
        /// Samples whose largest logit is their label.
        public let correct: Int
    }

    public init(architecture: NetworkArchitecture, slopeRecoveryWeight: Double, capacity: Int) {
        precondition(capacity > 0 && architecture.features == nil && architecture.outputs >= 2)
        self.architecture = architecture
        self.layout = ParameterLayout(architecture)
        self.slopeRecoveryWeight = architecture.adaptive == .fixed ? 0 : slopeRecoveryWeight
        self.capacity = capacity
        func buffer(_ width: Int) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: capacity * width)
            b.initialize(repeating: 0)
            return b
        }
        let widest = architecture.widths.max()!
        input = buffer(architecture.inputs)
        labels = [Int](repeating: 0, count: capacity)
        z = architecture.hidden.map(buffer)
        h = architecture.hidden.map(buffer)
        p = architecture.hidden.map(buffer)
        scaled = buffer(widest)
        hbar = buffer(widest)
        zbar = buffer(widest)
        logits = buffer(architecture.outputs)
        predictions = []
    }

    deinit {
        for b in [input, scaled, hbar, zbar, logits] + z + h + p { b.deallocate() }
    }

    /// Loads images `indices` of `images` as the batch, pixels mapped from [0, 255] onto ξ ∈ [−1, 1].
    public func loadBatch(_ images: LabelledImages, indices: ArraySlice<Int>) {
        precondition(indices.count <= capacity && images.pixelsPerImage == architecture.inputs)
        let width = images.pixelsPerImage
        let scale = T(2.0 / 255), one = T(1)
        images.pixels.withUnsafeBufferPointer { pixels in
            for (row, image) in indices.enumerated() {
                let source = image * width, target = row * width
                for j in 0..<width { input[target + j] = T(pixels[source + j]) * scale - one }
                labels[row] = Int(images.labels[image])
            }
        }
        rows = indices.count
    }

    /// Loads a batch given as ξ directly (rows × inputs, row-major) with its labels (tests, other data).
    public func loadBatch(inputs: [Double], labels: [Int]) {
        precondition(labels.count <= capacity && inputs.count == labels.count * architecture.inputs)
        precondition(labels.allSatisfy { (0..<architecture.outputs).contains($0) }, "label out of range")
        for i in inputs.indices { input[i] = T(inputs[i]) }
        for i in labels.indices { self.labels[i] = labels[i] }
        rows = labels.count
    }

    /// The loss of the loaded batch at θ; with `gradient` (θ's count), ∂L/∂θ is written into it.
    public func evaluate(_ theta: [T], gradient: UnsafeMutableBufferPointer<T>? = nil) -> Value {
        precondition(theta.count == layout.count && rows > 0, "no batch loaded or θ does not fit the layout")
        return theta.withUnsafeBufferPointer { th in
            let slopes = neuronSlopes(th)
            forward(th.baseAddress!, slopes: slopes)
            let (crossEntropy, correct) = softmaxCrossEntropy()
            var recovery = 0.0
            if let gradient {
                precondition(gradient.count == theta.count)
                gradient.update(repeating: 0)
                backward(th.baseAddress!, slopes: slopes, gradient: gradient.baseAddress!)
                if slopeRecoveryWeight > 0 {
                    recovery = SlopeRecoveryTerm.accumulate(th, layout: layout, architecture: architecture,
                                                            weight: slopeRecoveryWeight, into: gradient)
                }
            } else if slopeRecoveryWeight > 0 {
                recovery = SlopeRecoveryTerm.value(th, layout: layout, architecture: architecture)
            }
            return Value(crossEntropy: crossEntropy, slopeRecovery: recovery,
                         total: crossEntropy + slopeRecoveryWeight * recovery, correct: correct)
        }
    }

    /// s = n·a of every neuron of every hidden layer (1 for a fixed activation).
    private func neuronSlopes(_ th: UnsafeBufferPointer<T>) -> [[T]] {
        let n = T(architecture.effectiveScale)
        return architecture.hidden.enumerated().map { k, width in
            guard !layout.slopes.isEmpty else { return [T](repeating: 1, count: width) }
            let start = layout.slopes.lowerBound + layout.slopeStart[k]
            return (0..<width).map { n * th[start + $0 * layout.slopeStride[k]] }
        }
    }

    /// The layer's input: ξ for the first layer, else the previous hidden layer's H.
    private func layerInput(_ k: Int) -> UnsafeMutablePointer<T> { (k == 0 ? input : h[k - 1]).baseAddress! }

    private func forward(_ th: UnsafePointer<T>, slopes: [[T]]) {
        let hiddenCount = architecture.hidden.count
        for k in 0...hiddenCount {
            let layer = layout.layers[k], width = layer.fanOut
            let target = (k == hiddenCount ? logits : z[k]).baseAddress!
            T.gemm(transposeA: false, transposeB: true, m: rows, n: width, k: layer.fanIn, alpha: 1,
                   a: layerInput(k), lda: layer.fanIn, b: th + layer.weights, ldb: layer.fanIn,
                   beta: 0, c: target, ldc: width)
            for i in 0..<rows { for j in 0..<width { target[i * width + j] += th[layer.biases + j] } }
            guard k < hiddenCount else { break }
            for i in 0..<rows { for j in 0..<width { scaled[i * width + j] = target[i * width + j] * slopes[k][j] } }
            T.activate(architecture.activation, count: rows * width, y: scaled.baseAddress!, h: h[k].baseAddress!,
                       p: p[k].baseAddress!)
        }
    }

    /// The mean cross-entropy and the count of correct rows; leaves G = (softmax − onehot)/B in `logits`.
    private func softmaxCrossEntropy() -> (Double, Int) {
        let classes = architecture.outputs
        var total = 0.0, correct = 0
        var exps = [Double](repeating: 0, count: classes)
        predictions = [Int](repeating: 0, count: rows)
        for i in 0..<rows {
            let row = i * classes
            var best = 0
            for c in 1..<classes where logits[row + c] > logits[row + best] { best = c }
            let top = Double(logits[row + best])
            var sum = 0.0
            for c in 0..<classes { exps[c] = exp(Double(logits[row + c]) - top); sum += exps[c] }
            let label = labels[i]
            total += log(sum) + top - Double(logits[row + label])
            predictions[i] = best
            if best == label { correct += 1 }
            for c in 0..<classes { logits[row + c] = T((exps[c] / sum - (c == label ? 1 : 0)) / Double(rows)) }
        }
        return (total / Double(rows), correct)
    }

    private func backward(_ th: UnsafePointer<T>, slopes: [[T]], gradient: UnsafeMutablePointer<T>) {
        let hiddenCount = architecture.hidden.count
        let n = T(architecture.effectiveScale)
        var upstream = logits.baseAddress!     // ∂L/∂(the layer's pre-activation): G, then each Z̄^k
        for k in stride(from: hiddenCount, through: 0, by: -1) {
            let layer = layout.layers[k], width = layer.fanOut
            if k < hiddenCount {
                // hbar holds H̄^k: Ȳ = H̄ ⊙ P, s̄_j = Σ_i Ȳ_ij Z_ij, Z̄ = Ȳ ⊙ s.
                var slopeBar = [T](repeating: 0, count: width)
                for i in 0..<rows {
                    for j in 0..<width {
                        let at = i * width + j
                        let ybar = hbar[at] * p[k][at]
                        slopeBar[j] += ybar * z[k][at]
                        zbar[at] = ybar * slopes[k][j]
                    }
                }
                upstream = zbar.baseAddress!
                if !layout.slopes.isEmpty {
                    let start = layout.slopes.lowerBound + layout.slopeStart[k]
                    for j in 0..<width { gradient[start + j * layout.slopeStride[k]] += n * slopeBar[j] }
                }
            }
            T.addColumnSums(rows: rows, width: width, upstream, into: gradient + layer.biases)
            T.gemm(transposeA: true, transposeB: false, m: width, n: layer.fanIn, k: rows, alpha: 1,
                   a: upstream, lda: width, b: layerInput(k), ldb: layer.fanIn,
                   beta: 1, c: gradient + layer.weights, ldc: layer.fanIn)
            guard k > 0 else { break }
            T.gemm(transposeA: false, transposeB: false, m: rows, n: layer.fanIn, k: width, alpha: 1,
                   a: upstream, lda: width, b: th + layer.weights, ldb: layer.fanIn,
                   beta: 0, c: hbar.baseAddress!, ldc: layer.fanIn)
        }
    }
}
