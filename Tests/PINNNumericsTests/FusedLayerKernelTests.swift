import CPINNKernels
import Testing
import PINNNumerics

/// The single-pass layer kernels against the multi-pass reference kernels (which the engine's gradient checks
/// verify against finite differences), for every stream layout the single pass handles and both activations.
@Suite struct FusedLayerKernelTests {
    static let layouts: [(first: Int, pairs: [(j: Int, l: Int)])] = [
        (0, []), (1, []), (1, [(1, 1)]), (2, []), (2, [(1, 1)]), (2, [(1, 2), (2, 2)]),
        (2, [(1, 1), (1, 2), (2, 2)]), (3, []), (3, [(3, 3)]), (3, [(1, 3), (2, 2)]), (3, [(1, 1), (2, 3), (3, 3)]),
    ]

    @Test(arguments: Activation.allCases, layouts.indices)
    func singlePassMatchesTheMultiPassKernels(activation: Activation, layout: Int) {
        let (first, pairs) = Self.layouts[layout]
        let elements = 37
        let shape = FusedLayerShape(activation: activation, elements: elements, firstOrder: first, pairs: pairs)
        var generator = SeededGenerator(seed: UInt64(layout))
        func random(_ count: Int) -> [Double] { (0..<count).map { _ in 2 * generator.nextUnit() - 1 } }
        let total = shape.blocks * elements
        let s = random(elements).map { 1 + $0 / 2 }, z = random(total), hbar = random(total)
        var h1 = [Double](repeating: 0, count: total), h2 = h1, p1 = [Double](repeating: 0, count: elements), p2 = p1
        var zbar1 = h1, zbar2 = h1, sbar1 = p1, sbar2 = p1, work = [Double](repeating: 0, count: 3 * elements)
        let pairJ = pairs.map { Int32($0.j) }, pairL = pairs.map { Int32($0.l) }
        pairJ.withUnsafeBufferPointer { pj in
            pairL.withUnsafeBufferPointer { pl in
                var c = pinn_layer_shape(activation: activation == .tanh ? PINN_TANH : PINN_SIN, elements: Int32(elements),
                                         first: Int32(first), second: Int32(pairs.count),
                                         pair_j: pj.baseAddress, pair_l: pl.baseAddress)
                pinn_layer_forward_d(&c, s, z, &h1, &p1)
                pinn_layer_forward_fast_d(&c, s, z, &h2, &p2)
                pinn_layer_backward_d(&c, s, z, h1, p1, hbar, &zbar1, &sbar1, &work)
                pinn_layer_backward_fast_d(&c, s, z, h1, p1, hbar, &zbar2, &sbar2, &work)
            }
        }
        func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-14 * max(1, abs($0)) } }
        #expect(close(h1, h2) && close(p1, p2))
        #expect(close(zbar1, zbar2))
        #expect(close(sbar1, sbar2))
    }
}
