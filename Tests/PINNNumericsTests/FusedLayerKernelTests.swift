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
        let rows = 37, width = 3
        let shape = FusedLayerShape(activation: activation, rows: rows, width: width, firstOrder: first, pairs: pairs)
        var generator = SeededGenerator(seed: UInt64(layout))
        func random(_ count: Int) -> [Double] { (0..<count).map { _ in 2 * generator.nextUnit() - 1 } }
        let total = shape.blocks * rows * width
        let s = random(width).map { 1 + $0 / 2 }, bias = random(width), z = random(total), hbar = random(total)
        var z1 = z, z2 = z
        var h1 = [Double](repeating: 0, count: total), h2 = h1, p1 = [Double](repeating: 0, count: rows * width), p2 = p1
        var zbar1 = h1, zbar2 = h1, sbar1 = [Double](repeating: 0, count: width), sbar2 = sbar1, bbar1 = sbar1
        var bbar2 = sbar1, work = [Double](repeating: 0, count: 4 * rows)
        let pairJ = pairs.map { Int32($0.j) }, pairL = pairs.map { Int32($0.l) }
        pairJ.withUnsafeBufferPointer { pj in
            pairL.withUnsafeBufferPointer { pl in
                var c = pinn_layer_shape(activation: activation == .tanh ? PINN_TANH : PINN_SIN, rows: Int32(rows),
                                         width: Int32(width), first: Int32(first), second: Int32(pairs.count),
                                         pair_j: pj.baseAddress, pair_l: pl.baseAddress, terms: nil)
                pinn_layer_forward_d(&c, s, bias, &z1, &h1, &p1)
                pinn_layer_forward_fast_d(&c, s, bias, &z2, &h2, &p2)
                pinn_layer_backward_d(&c, s, z1, h1, p1, hbar, &zbar1, &sbar1, &bbar1, &work)
                pinn_layer_backward_fast_d(&c, s, z1, h1, p1, hbar, &zbar2, &sbar2, &bbar2, &work)
            }
        }
        func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-14 * max(1, abs($0)) } }
        // The bias went onto the value block only, in both kernels.
        let stride = shape.blocks * rows
        let biased = (0..<total).allSatisfy { e in
            z1[e] == z[e] + (e % stride < rows ? bias[e / stride] : 0)
        }
        #expect(biased && z1 == z2)
        #expect(close(h1, h2) && close(p1, p2))
        #expect(close(zbar1, zbar2))
        #expect(close(sbar1, sbar2) && close(bbar1, bbar2))
        // bbar is the value block of z̄ summed per neuron.
        let valueSums = (0..<width).map { o in (0..<rows).reduce(0.0) { $0 + zbar1[o * stride + $1] } }
        #expect(close(valueSums, bbar1))
    }

    /// The term kernels of orders 3–4 (Faà di Bruno, taylor_layer_template.h) given an order-≤ 2 layout as terms —
    /// h_j = σ' s z_j, h_jl = σ' s z_jl + σ'' s² z_j z_l — against the fixed-layout kernels: forward, backward,
    /// the slopes' and biases' sums.
    @Test(arguments: Activation.allCases, layouts.indices)
    func termKernelsMatchTheFixedLayoutKernels(activation: Activation, layout: Int) {
        let (first, pairs) = Self.layouts[layout]
        let rows = 29, width = 4
        let fixed = FusedLayerShape(activation: activation, rows: rows, width: width, firstOrder: first, pairs: pairs)
        let terms: [[TaylorTerm]] = [[]] + (0..<first).map { [TaylorTerm(coefficient: 1, factors: [1 + $0])] }
            + pairs.enumerated().map { k, pair in
                [TaylorTerm(coefficient: 1, factors: [1 + first + k]), TaylorTerm(coefficient: 1, factors: [pair.j, pair.l])]
            }
        let general = FusedLayerShape(activation: activation, rows: rows, width: width, terms: terms)
        #expect(general.blocks == fixed.blocks)
        var generator = SeededGenerator(seed: 100 + UInt64(layout))
        func random(_ count: Int) -> [Double] { (0..<count).map { _ in 2 * generator.nextUnit() - 1 } }
        let total = fixed.blocks * rows * width
        let s = random(width).map { 1 + $0 / 2 }, bias = random(width), z = random(total), hbar = random(total)
        var z1 = z, z2 = z, h1 = [Double](repeating: 0, count: total), h2 = h1
        var p1 = [Double](repeating: 0, count: rows * width), p2 = p1, zbar1 = h1, zbar2 = h1
        var sbar1 = [Double](repeating: 0, count: width), sbar2 = sbar1, bbar1 = sbar1, bbar2 = sbar1
        var work = [Double](repeating: 0, count: 4 * rows)
        Double.fusedForward(fixed, s: s, bias: bias, z: &z1, h: &h1, p: &p1)
        Double.fusedForward(general, s: s, bias: bias, z: &z2, h: &h2, p: &p2)
        Double.fusedBackward(fixed, s: s, z: z1, h: h1, p: p1, hbar: hbar, zbar: &zbar1, sbar: &sbar1, bbar: &bbar1,
                             work: &work)
        Double.fusedBackward(general, s: s, z: z2, h: h2, p: p2, hbar: hbar, zbar: &zbar2, sbar: &sbar2,
                             bbar: &bbar2, work: &work)
        func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-13 * max(1, abs($0)) } }
        #expect(z1 == z2 && close(h1, h2) && close(p1, p2))
        #expect(close(zbar1, zbar2), "z̄")
        #expect(close(sbar1, sbar2) && close(bbar1, bbar2), "s̄, b̄")
    }
}
