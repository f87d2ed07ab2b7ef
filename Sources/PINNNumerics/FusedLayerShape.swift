import CPINNKernels

/// How the derivative streams of one layer are laid out, as the fused kernels see them (`pinn_layer_shape`):
/// neuron-major, each of the `width` neurons holding its stream blocks of `rows` values one after another — block 0
/// the value, blocks 1...firstOrder the first derivatives, then one block per second derivative, which names the
/// two first-order blocks (1-based) it differentiates. Element (neuron o, block b, point i) is at
/// (o·blocks + b)·rows + i: the column-major (blocks·rows) × width matrix of the layer's GEMMs.
/// Stream sets reaching order 3 or 4 are described instead by their terms (`TaylorTerm`, one list per block), which
/// the kernels then follow for every block.
public struct FusedLayerShape: Sendable {
    public var activation: Activation
    public var rows: Int
    public let width: Int
    public let firstOrder: Int
    private let pairJ: [Int32]
    private let pairL: [Int32]
    /// The flattened `pinn_taylor_terms` when the streams reach order 3 (empty `termStart` otherwise).
    private let termStart: [Int32]
    private let termOrder: [Int32]
    private let termCoefficient: [Int32]
    private let termFactor: [Int32]

    /// A layout of order ≤ 2: the value, `firstOrder` first derivatives, and second derivatives as pairs of
    /// first-order blocks (1-based).
    public init(activation: Activation, rows: Int, width: Int, firstOrder: Int, pairs: [(j: Int, l: Int)]) {
        self.activation = activation
        self.rows = rows
        self.width = width
        self.firstOrder = firstOrder
        self.pairJ = pairs.map { Int32($0.j) }
        self.pairL = pairs.map { Int32($0.l) }
        (termStart, termOrder, termCoefficient, termFactor) = ([], [], [], [])
    }

    /// A layout of any order ≤ 4: `terms[b]` gives block b's terms (`terms[0]`, the value's, is empty).
    public init(activation: Activation, rows: Int, width: Int, terms: [[TaylorTerm]]) {
        precondition(terms.first?.isEmpty == true, "block 0 is the value")
        self.activation = activation
        self.rows = rows
        self.width = width
        self.firstOrder = 0
        (pairJ, pairL) = ([], [])
        var start: [Int32] = [0]
        for block in terms { start.append(start.last! + Int32(block.count)) }
        let flat = terms.joined()
        termStart = start
        termOrder = flat.map { Int32($0.factors.count) }
        termCoefficient = flat.map { Int32($0.coefficient) }
        termFactor = flat.flatMap { term in (0..<4).map { Int32($0 < term.factors.count ? term.factors[$0] : 0) } }
    }

    /// The number of stacked stream blocks.
    public var blocks: Int { termStart.isEmpty ? 1 + firstOrder + pairJ.count : termStart.count - 1 }

    /// Calls `body` with the C view of this shape (valid only during the call).
    func withKernelShape<R>(_ body: (UnsafePointer<pinn_layer_shape>) -> R) -> R {
        pairJ.withUnsafeBufferPointer { j in
            pairL.withUnsafeBufferPointer { l in
                var shape = pinn_layer_shape(activation: activation.kernelValue, rows: Int32(rows), width: Int32(width),
                                             first: Int32(firstOrder), second: Int32(pairJ.count),
                                             pair_j: j.baseAddress, pair_l: l.baseAddress, terms: nil)
                guard !termStart.isEmpty else { return body(&shape) }
                return withTerms { terms in
                    shape.terms = terms
                    return body(&shape)
                }
            }
        }
    }

    private func withTerms<R>(_ body: (UnsafePointer<pinn_taylor_terms>) -> R) -> R {
        termStart.withUnsafeBufferPointer { start in
            termOrder.withUnsafeBufferPointer { order in
                termCoefficient.withUnsafeBufferPointer { coefficient in
                    termFactor.withUnsafeBufferPointer { factor in
                        var terms = pinn_taylor_terms(blocks: Int32(blocks), start: start.baseAddress,
                                                      order: order.baseAddress, coefficient: coefficient.baseAddress,
                                                      factor: factor.baseAddress)
                        return body(&terms)
                    }
                }
            }
        }
    }
}
