import CPINNKernels

/// How the derivative streams of one layer are laid out, as the fused kernels see them (`pinn_layer_shape`):
/// neuron-major, each of the `width` neurons holding its stream blocks of `rows` values one after another — block 0
/// the value, blocks 1...firstOrder the first derivatives, then one block per second derivative, which names the
/// two first-order blocks (1-based) it differentiates. Element (neuron o, block b, point i) is at
/// (o·blocks + b)·rows + i: the column-major (blocks·rows) × width matrix of the layer's GEMMs.
public struct FusedLayerShape: Sendable {
    public var activation: Activation
    public var rows: Int
    public let width: Int
    public let firstOrder: Int
    private let pairJ: [Int32]
    private let pairL: [Int32]

    public init(activation: Activation, rows: Int, width: Int, firstOrder: Int, pairs: [(j: Int, l: Int)]) {
        self.activation = activation
        self.rows = rows
        self.width = width
        self.firstOrder = firstOrder
        self.pairJ = pairs.map { Int32($0.j) }
        self.pairL = pairs.map { Int32($0.l) }
    }

    /// The number of stacked stream blocks.
    public var blocks: Int { 1 + firstOrder + pairJ.count }

    /// Calls `body` with the C view of this shape (valid only during the call).
    func withKernelShape<R>(_ body: (UnsafePointer<pinn_layer_shape>) -> R) -> R {
        pairJ.withUnsafeBufferPointer { j in
            pairL.withUnsafeBufferPointer { l in
                var shape = pinn_layer_shape(activation: activation.kernelValue, rows: Int32(rows), width: Int32(width),
                                             first: Int32(firstOrder), second: Int32(pairJ.count),
                                             pair_j: j.baseAddress, pair_l: l.baseAddress)
                return body(&shape)
            }
        }
    }
}
