import PINNNumerics

/// Points per block of a network pass. Small enough that a layer's stacked streams stay in L1/L2 for OpenBLAS'
/// small-matrix kernels, large enough that a GEMM's rows amortise its call: 96 measured fastest among 32–512
/// (2026-12-03: 1.10–1.20× faster than the earlier 256 at widths 20–100, docs/performance.md).
public enum NetworkBlock {
    public static let rows = 96
}

/// One forward and backward pass of the network over a block of at most `capacity` points, carrying a set of
/// Taylor streams (docs/design.md §4–6). A layer's streams are stored neuron-major: neuron o's S stream blocks of
/// `rows` values one after another, i.e. the column-major (S·rows) × width matrix H, held as its transpose Hᵀ,
/// a width × (S·rows) row-major matrix. So a layer is one GEMM Zᵀ = W·Hᵀ for all streams, with the points along
/// the GEMM's vectorised dimension, plus one fused elementwise kernel; the backward pass mirrors it with two GEMMs
/// (W̄ += Z̄ᵀ·H, H̄ᵀ = Wᵀ·Z̄ᵀ) and the fused backward kernel. Only the network's outputs are kept row-major,
/// (S·rows) × outputs, as `output` hands them out. Buffers are allocated once; a pass allocates nothing. Not
/// thread-safe: each thread (shard) owns its passes.
final class NetworkPass<T: PINNScalar>: @unchecked Sendable {
    static var defaultRows: Int { NetworkBlock.rows }

    let architecture: NetworkArchitecture
    let layout: ParameterLayout
    let streams: TaylorStreams
    let capacity: Int
    private let streamCount: Int
    private var shapes: [FusedLayerShape]
    private let maxWidth: Int

    // Per hidden layer: pre-activations z and activations h (all streams, neuron-major), σ'(y) of the value
    // block (width × rows), the slopes n·a of its neurons.
    private let z: [UnsafeMutablePointer<T>]
    private let h: [UnsafeMutablePointer<T>]
    private let p: [UnsafeMutablePointer<T>]
    private let s: [UnsafeMutablePointer<T>]
    /// The mapped inputs ξ of the block, inputs × rows (row-major: one row per input).
    private let xi: UnsafeMutablePointer<T>
    /// The input features with all their streams, when the architecture has them (the first layer then takes Φ).
    private let featureMap: FeatureMap<T>?
    private let out: UnsafeMutablePointer<T>
    private var hbar: UnsafeMutablePointer<T>
    private var hbarNext: UnsafeMutablePointer<T>
    private let zbar: UnsafeMutablePointer<T>
    /// Per-neuron sums of the backward kernel: the slopes' adjoints, then the biases'.
    private let sbar: UnsafeMutablePointer<T>
    private let bbar: UnsafeMutablePointer<T>
    private let work: UnsafeMutablePointer<T>
    /// One value per neuron of the widest layer: the first layer's input-derivative weights summed per neuron.
    private let widthScratch: UnsafeMutablePointer<T>

    private var theta: UnsafePointer<T>?
    /// The affine input map ξ = x·inputScale + shift onto [−1, 1].
    private let inputScale: [T]
    private let shift: [T]
    private(set) var rows = 0

    init(network architecture: NetworkArchitecture, lower: [Double], upper: [Double], streams: TaylorStreams,
         rows capacity: Int) {
        self.architecture = architecture
        inputScale = zip(lower, upper).map { T(2 / ($1 - $0)) }
        shift = zip(lower, upper).map { T(-1 - 2 * $0 / ($1 - $0)) }
        self.layout = ParameterLayout(architecture)
        self.streams = streams
        self.capacity = capacity
        streamCount = streams.count
        maxWidth = Self.widest(architecture)
        let terms = streams.kernelTerms
        shapes = architecture.hidden.map {
            if let terms { return FusedLayerShape(activation: architecture.activation, rows: capacity, width: $0, terms: terms) }
            return FusedLayerShape(activation: architecture.activation, rows: capacity, width: $0,
                                   firstOrder: streams.first.count, pairs: streams.kernelPairs)
        }
        var allocated = 0
        func buffer(_ count: Int) -> UnsafeMutablePointer<T> {
            allocated += max(count, 1)
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
            return pointer
        }
        let stacked = streamCount * capacity
        z = architecture.hidden.map { buffer(stacked * $0) }
        h = architecture.hidden.map { buffer(stacked * $0) }
        p = architecture.hidden.map { buffer(capacity * $0) }
        s = architecture.hidden.map { buffer($0) }
        xi = buffer(capacity * architecture.inputs)
        out = buffer(stacked * architecture.outputs)
        hbar = buffer(stacked * maxWidth)
        hbarNext = buffer(stacked * maxWidth)
        zbar = buffer(stacked * maxWidth)
        sbar = buffer(maxWidth)
        bbar = buffer(maxWidth)
        work = buffer(4 * capacity)
        widthScratch = buffer(maxWidth)
        featureMap = architecture.features.map {
            allocated += FeatureMap<T>.elements(features: $0, streamCount: streams.count, rows: capacity)
            return FeatureMap(features: $0, lower: lower, upper: upper, streams: streams, rows: capacity)
        }
        allocatedElements = allocated
    }

    /// The widest layer an adjoint buffer must hold (the features never get one).
    private static func widest(_ architecture: NetworkArchitecture) -> Int {
        ([architecture.inputs] + architecture.hidden + [architecture.outputs]).max()!
    }

    /// Scalars this pass allocated (what `elements(…)` predicts; a test holds the two together).
    let allocatedElements: Int

    /// Scalars a pass of `streamCount` streams over blocks of `rows` points allocates: per hidden layer of width w,
    /// (2S + 1)·rows·w + w (z and h for every stream, σ′ of the value block, the slopes); then the inputs, the
    /// outputs' streams, three stream-stacked adjoint buffers of the widest layer, three per-neuron vectors and
    /// the kernel's 4·rows of work; and the input features' buffers, if any.
    static func elements(architecture: NetworkArchitecture, streamCount: Int, rows: Int) -> Int {
        let widest = widest(architecture)
        let features = architecture.features.map {
            FeatureMap<T>.elements(features: $0, streamCount: streamCount, rows: rows)
        } ?? 0
        let stacked = streamCount * rows
        let layers = architecture.hidden.map { max(stacked * $0, 1) * 2 + max(rows * $0, 1) + max($0, 1) }
            .reduce(0, +)
        return layers + max(rows * architecture.inputs, 1) + max(stacked * architecture.outputs, 1)
            + 3 * max(stacked * widest, 1) + 3 * max(widest, 1) + max(4 * rows, 1) + features
    }

    deinit {
        for pointer in z + h + p + s + [xi, out, hbar, hbarNext, zbar, sbar, bbar, work, widthScratch] {
            pointer.deallocate()
        }
    }

    /// The network outputs of the last forward pass: stream blocks of rows × outputs, stacked.
    var output: UnsafeBufferPointer<T> {
        UnsafeBufferPointer(start: out, count: streamCount * rows * architecture.outputs)
    }

    /// Binds the parameters for the following passes (the buffer must outlive them) and reads the slopes n·a.
    func prepare(parameters: UnsafeBufferPointer<T>) {
        theta = parameters.baseAddress!
        let n = T(architecture.effectiveScale)
        for (k, width) in architecture.hidden.enumerated() {
            for o in 0..<width {
                s[k][o] = layout.slopes.isEmpty
                    ? 1 : n * parameters[layout.slopes.lowerBound + layout.slopeStart[k] + o * layout.slopeStride[k]]
            }
        }
    }

    /// Forward pass over `rows` points (rows × inputs, physical coordinates, row-major).
    func forward(points: UnsafePointer<Double>, rows: Int) {
        precondition(rows > 0 && rows <= capacity, "block size")
        let theta = theta!
        self.rows = rows
        let hidden = architecture.hidden
        let stackedRows = streamCount * rows
        let first = layout.layers[0]
        if let featureMap {
            // Features: every stream of Φ varies with the point, so the first layer is one GEMM over all of them.
            featureMap.compute(points: points, rows: rows)
            T.gemm(transposeA: false, transposeB: false, m: first.fanOut, n: stackedRows, k: first.fanIn, alpha: 1,
                   a: theta + first.weights, lda: first.fanIn, b: featureMap.output, ldb: stackedRows, beta: 0,
                   c: z[0], ldc: stackedRows)
        } else {
            forwardFirstLayerFromInputs(points: points)
        }
        activate(layer: 0, bias: theta + first.biases)

        for k in 1..<hidden.count {
            let info = layout.layers[k]
            T.gemm(transposeA: false, transposeB: false, m: info.fanOut, n: stackedRows, k: info.fanIn, alpha: 1,
                   a: theta + info.weights, lda: info.fanIn, b: h[k - 1], ldb: stackedRows, beta: 0,
                   c: z[k], ldc: stackedRows)
            activate(layer: k, bias: theta + info.biases)
        }

        // The outputs, row-major: out = H·Wᵀ = (Hᵀ)ᵀ·Wᵀ, then the bias on the value block.
        let last = layout.layers[hidden.count]
        let m = architecture.outputs
        T.gemm(transposeA: true, transposeB: true, m: stackedRows, n: m, k: last.fanIn, alpha: 1,
               a: h[hidden.count - 1], lda: stackedRows, b: theta + last.weights, ldb: last.fanIn, beta: 0,
               c: out, ldc: m)
        for i in 0..<rows {
            for c in 0..<m { out[i * m + c] += theta[last.biases + c] }
        }
    }

    /// z of the first hidden layer from ξ: the value block by GEMM (Zᵀ = W·ξ, the bias added by the kernel);
    /// ∂z/∂x_j = W[:, j]·scale_j is the same at every point and derivatives of z of order ≥ 2 vanish, so those
    /// blocks need no GEMM.
    private func forwardFirstLayerFromInputs(points: UnsafePointer<Double>) {
        let theta = theta!
        let d = architecture.inputs
        let stackedRows = streamCount * rows
        for i in 0..<rows {
            for j in 0..<d { xi[j * rows + i] = T(points[i * d + j]) * inputScale[j] + shift[j] }
        }
        let first = layout.layers[0]
        let width0 = architecture.hidden[0]
        let z0 = z[0]
        T.gemm(transposeA: false, transposeB: false, m: width0, n: rows, k: d, alpha: 1, a: theta + first.weights,
               lda: d, b: xi, ldb: rows, beta: 0, c: z0, ldc: stackedRows)
        let secondStart = 1 + streams.first.count
        for o in 0..<width0 {
            let neuron = z0 + o * stackedRows
            for (index, input) in streams.first.enumerated() {
                (neuron + (1 + index) * rows).update(
                    repeating: theta[first.weights + o * d + input] * inputScale[input], count: rows)
            }
            (neuron + secondStart * rows).update(repeating: 0, count: (streamCount - secondStart) * rows)
        }
    }

    private func activate(layer k: Int, bias: UnsafePointer<T>) {
        shapes[k].rows = rows
        T.fusedForward(shapes[k], s: s[k], bias: bias, z: z[k], h: h[k], p: p[k])
    }

    /// Backward pass of the last forward: given ∂L/∂(output streams) (same layout as `output`), adds ∂L/∂θ
    /// into `gradient`.
    func backward(outputAdjoint: UnsafePointer<T>, gradient: UnsafeMutablePointer<T>) {
        let theta = theta!
        let hidden = architecture.hidden
        let stackedRows = streamCount * rows
        let m = architecture.outputs

        // Output layer: W̄ += Ōᵀ·H = Ōᵀ·(Hᵀ)ᵀ, b̄ += column sums of the value block, H̄ᵀ = Wᵀ·Ōᵀ.
        let last = layout.layers[hidden.count]
        let lastWidth = hidden[hidden.count - 1]
        T.gemm(transposeA: true, transposeB: true, m: m, n: lastWidth, k: stackedRows, alpha: 1,
               a: outputAdjoint, lda: m, b: h[hidden.count - 1], ldb: stackedRows, beta: 1,
               c: gradient + last.weights, ldc: lastWidth)
        T.addColumnSums(rows: rows, width: m, outputAdjoint, into: gradient + last.biases)
        T.gemm(transposeA: true, transposeB: true, m: lastWidth, n: stackedRows, k: m, alpha: 1,
               a: theta + last.weights, lda: lastWidth, b: outputAdjoint, ldb: m, beta: 0,
               c: hbar, ldc: stackedRows)

        for k in stride(from: hidden.count - 1, through: 0, by: -1) {
            let width = hidden[k]
            let info = layout.layers[k]
            T.fusedBackward(shapes[k], s: s[k], z: z[k], h: h[k], p: p[k], hbar: hbar, zbar: zbar,
                            sbar: sbar, bbar: bbar, work: work)
            accumulateSlopeGradient(layer: k, into: gradient)
            for o in 0..<width { gradient[info.biases + o] += bbar[o] }
            if k > 0 {
                // W̄ += Z̄ᵀ·H over all streams (Z̄ᵀ·(Hᵀ)ᵀ); H̄ᵀ = Wᵀ·Z̄ᵀ.
                addWeightGradient(layer: k, input: h[k - 1], into: gradient)
                T.gemm(transposeA: true, transposeB: false, m: info.fanIn, n: stackedRows, k: width, alpha: 1,
                       a: theta + info.weights, lda: info.fanIn, b: zbar, ldb: stackedRows, beta: 0,
                       c: hbarNext, ldc: stackedRows)
                swap(&hbar, &hbarNext)
            } else if let featureMap {
                // W̄ += Z̄ᵀ·Φ over all streams.
                addWeightGradient(layer: 0, input: featureMap.output, into: gradient)
            } else {
                let d = architecture.inputs
                // W̄ += Z̄ᵀ·ξ over the value block (Z̄ᵀ·(ξᵀ)ᵀ).
                T.gemm(transposeA: false, transposeB: true, m: width, n: d, k: rows, alpha: 1,
                       a: zbar, lda: stackedRows, b: xi, ldb: rows, beta: 1, c: gradient + info.weights, ldc: d)
                // z_j = W[:, j]·scale_j at every point: ∂L/∂W[o, j] += scale_j Σ_points z̄_j[o, point].
                for (index, input) in streams.first.enumerated() {
                    widthScratch.update(repeating: 0, count: width)
                    T.addRowSums(count: width, length: rows, stride: stackedRows, zbar + (1 + index) * rows,
                                 into: widthScratch)
                    for o in 0..<width { gradient[info.weights + o * d + input] += inputScale[input] * widthScratch[o] }
                }
            }
        }
    }

    /// W̄ += Z̄ᵀ·H for hidden layer k ≥ 1, over all streams, in bands of output rows. Both operands run along the
    /// points, so this is a dot-product (TN) product for BLAS, and OpenBLAS 0.3.21 takes its small-matrix kernels
    /// for that form only while the result has at most ~1,200 entries; past that it packs both operands, 1.2–1.4×
    /// slower at widths 40–50 (measured 2026-12-03, docs/performance.md §6). Bands of ≤ 1,024 entries keep it there.
    private func addWeightGradient(layer k: Int, input: UnsafePointer<T>, into gradient: UnsafeMutablePointer<T>) {
        let info = layout.layers[k]
        let stackedRows = streamCount * rows
        let band = max(1, 1024 / info.fanIn)
        for o in stride(from: 0, to: info.fanOut, by: band) {
            T.gemm(transposeA: false, transposeB: true, m: min(band, info.fanOut - o), n: info.fanIn, k: stackedRows,
                   alpha: 1, a: zbar + o * stackedRows, lda: stackedRows, b: input, ldb: stackedRows, beta: 1,
                   c: gradient + info.weights + o * info.fanIn, ldc: info.fanIn)
        }
    }

    /// ∂L/∂a = n·∂L/∂s, with ∂L/∂s summed over the points (by the kernel) and over the neurons sharing a slope.
    private func accumulateSlopeGradient(layer k: Int, into gradient: UnsafeMutablePointer<T>) {
        guard !layout.slopes.isEmpty else { return }
        let width = architecture.hidden[k]
        let n = T(architecture.effectiveScale)
        let start = layout.slopes.lowerBound + layout.slopeStart[k]
        let stride = layout.slopeStride[k]
        for o in 0..<width { gradient[start + o * stride] += n * sbar[o] }
    }
}
