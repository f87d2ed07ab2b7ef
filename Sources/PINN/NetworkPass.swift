import PINNNumerics

/// Points per block of a network pass. Small enough that a layer's stacked streams stay in L1/L2 for OpenBLAS'
/// small-matrix kernels, large enough that a GEMM's rows amortise its call: 96 measured fastest among 32–512
/// (2026-12-03: 1.10–1.20× faster than the earlier 256 at widths 20–100, docs/performance.md).
public enum NetworkBlock {
    public static let rows = 96
}

/// One forward and backward pass of the network over a block of at most `capacity` points, carrying a set of
/// Taylor streams (docs/design.md §4–6). Each layer's streams are stacked in one (S·rows) × width row-major matrix,
/// so a layer is one GEMM for all streams plus one fused elementwise kernel; the backward pass mirrors it with
/// two GEMMs (W̄ = Z̄ᵀH, H̄ = Z̄W) and the fused backward kernel. Buffers are allocated once; a pass allocates
/// nothing. Not thread-safe: each thread (shard) owns its passes.
final class NetworkPass<T: PINNScalar>: @unchecked Sendable {
    static var defaultRows: Int { NetworkBlock.rows }

    let architecture: NetworkArchitecture
    let layout: ParameterLayout
    let streams: TaylorStreams
    let capacity: Int
    private let streamCount: Int
    private var shapes: [FusedLayerShape]
    private let maxWidth: Int

    // Per hidden layer: stacked pre-activations z, activations h, σ'(y) (value block), slopes s tiled per row.
    private let z: [UnsafeMutablePointer<T>]
    private let h: [UnsafeMutablePointer<T>]
    private let p: [UnsafeMutablePointer<T>]
    private let s: [UnsafeMutablePointer<T>]
    private let xi: UnsafeMutablePointer<T>
    private let out: UnsafeMutablePointer<T>
    private var hbar: UnsafeMutablePointer<T>
    private var hbarNext: UnsafeMutablePointer<T>
    private let zbar: UnsafeMutablePointer<T>
    private let sbar: UnsafeMutablePointer<T>
    private let work: UnsafeMutablePointer<T>
    /// One row of the widest layer: a row to tile in the forward pass, per-neuron sums in the backward pass.
    private let widthScratch: UnsafeMutablePointer<T>
    /// Wᵀ (fan-in × fan-out, row-major) of every layer after the first, at `transposedStart[k]`: the forward
    /// product H·Wᵀ becomes H·(Wᵀ), a no-transpose GEMM, which OpenBLAS runs faster at these shapes.
    private let transposedWeights: UnsafeMutablePointer<T>
    private let transposedStart: [Int]

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
        maxWidth = architecture.widths.max()!
        shapes = architecture.hidden.map {
            FusedLayerShape(activation: architecture.activation, elements: capacity * $0,
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
        s = architecture.hidden.map { buffer(capacity * $0) }
        xi = buffer(capacity * architecture.inputs)
        out = buffer(stacked * architecture.outputs)
        hbar = buffer(stacked * maxWidth)
        hbarNext = buffer(stacked * maxWidth)
        zbar = buffer(stacked * maxWidth)
        sbar = buffer(capacity * maxWidth)
        work = buffer(3 * capacity * maxWidth)
        widthScratch = buffer(maxWidth)
        let products = Self.transposedWeightCounts(architecture)
        transposedStart = products.reduce(into: [0]) { $0.append($0.last! + $1) }
        transposedWeights = buffer(transposedStart.last!)
        allocatedElements = allocated
    }

    /// Scalars this pass allocated (what `elements(…)` predicts; a test holds the two together).
    let allocatedElements: Int

    /// Scalars a pass of `streamCount` streams over blocks of `rows` points allocates: per hidden layer of width w,
    /// (2S + 2)·rows·w (z and h for every stream, σ′ and the tiled slopes for the value block); then the inputs,
    /// the outputs' streams, three stream-stacked adjoint buffers and four value-block ones of the widest layer.
    static func elements(architecture: NetworkArchitecture, streamCount: Int, rows: Int) -> Int {
        let widest = architecture.widths.max() ?? 1
        let stacked = streamCount * rows
        let layers = architecture.hidden.map { max(stacked * $0, 1) * 2 + max(rows * $0, 1) * 2 }.reduce(0, +)
        return layers + max(rows * architecture.inputs, 1) + max(stacked * architecture.outputs, 1)
            + 3 * max(stacked * widest, 1) + max(rows * widest, 1) + max(3 * rows * widest, 1) + max(widest, 1)
            + max(transposedWeightCounts(architecture).reduce(0, +), 1)
    }

    /// fan-in × fan-out of each layer after the first (index 0 is layer 1).
    private static func transposedWeightCounts(_ architecture: NetworkArchitecture) -> [Int] {
        let widths = architecture.widths
        return (2..<widths.count).map { widths[$0 - 1] * widths[$0] }
    }

    deinit {
        for pointer in z + h + p + s + [xi, out, hbar, hbarNext, zbar, sbar, work, widthScratch, transposedWeights] {
            pointer.deallocate()
        }
    }

    /// The network outputs of the last forward pass: stream blocks of rows × outputs, stacked.
    var output: UnsafeBufferPointer<T> {
        UnsafeBufferPointer(start: out, count: streamCount * rows * architecture.outputs)
    }

    /// Binds the parameters for the following passes (the buffer must outlive them) and tiles the slopes n·a.
    func prepare(parameters: UnsafeBufferPointer<T>) {
        theta = parameters.baseAddress!
        let n = T(architecture.effectiveScale)
        for (k, width) in architecture.hidden.enumerated() {
            for o in 0..<width {
                widthScratch[o] = layout.slopes.isEmpty
                    ? 1 : n * parameters[layout.slopes.lowerBound + layout.slopeStart[k] + o * layout.slopeStride[k]]
            }
            T.tileRows(rows: capacity, width: width, widthScratch, into: s[k])
        }
        for k in 1..<layout.layers.count {
            let info = layout.layers[k]
            let transposed = transposedWeights + transposedStart[k - 1]
            for o in 0..<info.fanOut {
                for i in 0..<info.fanIn { transposed[i * info.fanOut + o] = parameters[info.weights + o * info.fanIn + i] }
            }
        }
    }

    /// Forward pass over `rows` points (rows × inputs, physical coordinates, row-major).
    func forward(points: UnsafePointer<Double>, rows: Int) {
        precondition(rows > 0 && rows <= capacity, "block size")
        let theta = theta!
        self.rows = rows
        let d = architecture.inputs
        let hidden = architecture.hidden
        for i in 0..<rows {
            for j in 0..<d { xi[i * d + j] = T(points[i * d + j]) * inputScale[j] + shift[j] }
        }

        // First hidden layer: the value block by GEMM; ∂z/∂x_j = W[:, j]·scale_j is the same on every row and
        // second derivatives of z vanish, so those blocks need no GEMM.
        let first = layout.layers[0]
        let width0 = hidden[0]
        let z0 = z[0]
        T.tileRows(rows: rows, width: width0, theta + first.biases, into: z0)
        T.gemm(transposeA: false, transposeB: true, m: rows, n: width0, k: d, alpha: 1, a: xi, lda: d,
               b: theta + first.weights, ldb: d, beta: 1, c: z0, ldc: width0)
        for (index, input) in streams.first.enumerated() {
            let block = z0 + (1 + index) * rows * width0
            for o in 0..<width0 { widthScratch[o] = theta[first.weights + o * d + input] * inputScale[input] }
            T.tileRows(rows: rows, width: width0, widthScratch, into: block)
        }
        (z0 + (1 + streams.first.count) * rows * width0).update(repeating: 0, count: streams.second.count * rows * width0)
        activate(layer: 0)

        for k in 1..<hidden.count {
            linear(layer: k, input: h[k - 1], into: z[k])
            activate(layer: k)
        }
        linear(layer: hidden.count, input: h[hidden.count - 1], into: out)
    }

    /// Z = H Wᵀ over all stacked streams (β = 0: no zero fill before it; OpenBLAS' small-matrix kernels write C
    /// without reading it), then the bias added to the value block only.
    private func linear(layer k: Int, input: UnsafeMutablePointer<T>, into result: UnsafeMutablePointer<T>) {
        let theta = theta!
        let info = layout.layers[k]
        let width = info.fanOut
        T.gemm(transposeA: false, transposeB: false, m: streamCount * rows, n: width, k: info.fanIn, alpha: 1,
               a: input, lda: info.fanIn, b: transposedWeights + transposedStart[k - 1], ldb: width, beta: 0,
               c: result, ldc: width)
        T.addRow(rows: rows, width: width, theta + info.biases, to: result)
    }

    private func activate(layer k: Int) {
        shapes[k].elements = rows * architecture.hidden[k]
        T.fusedForward(shapes[k], s: s[k], z: z[k], h: h[k], p: p[k])
    }

    /// Backward pass of the last forward: given ∂L/∂(output streams) (same layout as `output`), adds ∂L/∂θ
    /// into `gradient`.
    func backward(outputAdjoint: UnsafePointer<T>, gradient: UnsafeMutablePointer<T>) {
        let theta = theta!
        let hidden = architecture.hidden
        let stackedRows = streamCount * rows
        let m = architecture.outputs

        let last = layout.layers[hidden.count]
        let lastWidth = hidden[hidden.count - 1]
        T.gemm(transposeA: true, transposeB: false, m: m, n: lastWidth, k: stackedRows, alpha: 1,
               a: outputAdjoint, lda: m, b: h[hidden.count - 1], ldb: lastWidth, beta: 1,
               c: gradient + last.weights, ldc: lastWidth)
        addColumnSums(outputAdjoint, rows: rows, width: m, into: gradient + last.biases)
        T.gemm(transposeA: false, transposeB: false, m: stackedRows, n: lastWidth, k: m, alpha: 1,
               a: outputAdjoint, lda: m, b: theta + last.weights, ldb: lastWidth, beta: 0, c: hbar, ldc: lastWidth)

        for k in stride(from: hidden.count - 1, through: 0, by: -1) {
            let width = hidden[k]
            let info = layout.layers[k]
            T.fusedBackward(shapes[k], s: s[k], z: z[k], h: h[k], p: p[k], hbar: hbar, zbar: zbar,
                            sbar: sbar, work: work)
            accumulateSlopeGradient(layer: k, into: gradient)
            addColumnSums(zbar, rows: rows, width: width, into: gradient + info.biases)
            if k > 0 {
                T.gemm(transposeA: true, transposeB: false, m: width, n: info.fanIn, k: stackedRows, alpha: 1,
                       a: zbar, lda: width, b: h[k - 1], ldb: info.fanIn, beta: 1,
                       c: gradient + info.weights, ldc: info.fanIn)
                T.gemm(transposeA: false, transposeB: false, m: stackedRows, n: info.fanIn, k: width, alpha: 1,
                       a: zbar, lda: width, b: theta + info.weights, ldb: info.fanIn, beta: 0,
                       c: hbarNext, ldc: info.fanIn)
                swap(&hbar, &hbarNext)
            } else {
                let d = architecture.inputs
                T.gemm(transposeA: true, transposeB: false, m: width, n: d, k: rows, alpha: 1,
                       a: zbar, lda: width, b: xi, ldb: d, beta: 1, c: gradient + info.weights, ldc: d)
                // z_j = W[:, j]·scale_j on every row: ∂L/∂W[o, j] += scale_j Σ_rows z̄_j[row, o].
                for (index, input) in streams.first.enumerated() {
                    widthScratch.update(repeating: 0, count: width)
                    addColumnSums(zbar + (1 + index) * rows * width, rows: rows, width: width, into: widthScratch)
                    for o in 0..<width { gradient[info.weights + o * d + input] += inputScale[input] * widthScratch[o] }
                }
            }
        }
    }

    /// ∂L/∂a = n·∂L/∂s, with ∂L/∂s summed over the rows (and over the neurons sharing a slope).
    private func accumulateSlopeGradient(layer k: Int, into gradient: UnsafeMutablePointer<T>) {
        guard !layout.slopes.isEmpty else { return }
        let width = architecture.hidden[k]
        let n = T(architecture.effectiveScale)
        widthScratch.update(repeating: 0, count: width)
        addColumnSums(sbar, rows: rows, width: width, into: widthScratch)
        let start = layout.slopes.lowerBound + layout.slopeStart[k]
        let stride = layout.slopeStride[k]
        for o in 0..<width { gradient[start + o * stride] += n * widthScratch[o] }
    }

    private func addColumnSums(_ matrix: UnsafePointer<T>, rows: Int, width: Int, into sums: UnsafeMutablePointer<T>) {
        T.addColumnSums(rows: rows, width: width, matrix, into: sums)
    }
}
