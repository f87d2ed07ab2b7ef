import CPINNKernels

/// How the derivative streams of one layer are stacked, as the fused kernels see them: block 0 the value,
/// blocks 1...firstOrder the first derivatives, then one block per second derivative, which names the two
/// first-order blocks (1-based) it differentiates. Every block holds `elements` = rows × width values.
public struct FusedLayerShape: Sendable {
    public var activation: Activation
    public var elements: Int
    public let firstOrder: Int
    private let pairJ: [Int32]
    private let pairL: [Int32]

    public init(activation: Activation, elements: Int, firstOrder: Int, pairs: [(j: Int, l: Int)]) {
        self.activation = activation
        self.elements = elements
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
                var shape = pinn_layer_shape(activation: activation.kernelValue, elements: Int32(elements),
                                             first: Int32(firstOrder), second: Int32(pairJ.count),
                                             pair_j: j.baseAddress, pair_l: l.baseAddress)
                return body(&shape)
            }
        }
    }
}
