import Foundation
import Testing
import PINN
import PINNTestSupport

/// The fused backward pass against central finite differences of the loss, for every parameter kind
/// (weights, biases, slopes), every adaptive mode and both activations, written once and run in Double and Float.
/// The oracle is always the Double loss, differenced at the parameters the checked precision holds (a Float loss
/// differenced in Float would be noise: its rounding, ~1e-7 of L, divided by 2h). Tolerances: Double 1e-6 (the
/// O(h²) truncation at h = 1e-5); Float 1e-4, ~30× the worst seen (3.6e-6, the Float gradient's own rounding
/// through 3 layers of 4 streams) — a slope gradient 1% off fails it.
@Suite struct GradientCheckTests {
    /// A small Burgers-shaped problem whose residual reads u, u_x, u_t and u_xx, with slope recovery on.
    static func loss<T: PINNScalar>(_: T.Type, adaptive: AdaptiveMode, activation: Activation,
                                    threads: Int = 1, hidden: [Int] = [6, 5, 4]) -> (PINNLoss<T>, [T]) {
        let problem = BurgersProblem.make(nu: 0.05)
        let architecture = NetworkArchitecture(inputs: 2, outputs: 1, hidden: hidden, activation: activation,
                                               adaptive: adaptive, scale: 2)
        var generator = SeededGenerator(seed: 7)
        var network = Network<Double>(architecture: architecture, lower: problem.lower, upper: problem.upper,
                                      generator: &generator)
        // Move the slopes off 1/n (and apart) so their gradients are generic.
        let layout = ParameterLayout(architecture)
        for i in layout.slopes { network.parameters[i] = 0.5 + 0.3 * generator.nextUnit() }
        let points = TrainingPoints(problem: problem, interiorCount: 9, faceCount: 6, method: .uniform,
                                    generator: &generator)
        let loss = PINNLoss<T>(problem: problem, architecture: architecture, points: points,
                               slopeRecoveryWeight: 0.7, threads: threads, blockRows: 4)
        return (loss, network.parameters.map { T($0) })
    }

    static func centralDifference(_ loss: PINNLoss<Double>, _ theta: [Double], _ i: Int, h: Double = 1e-5) -> Double {
        var scratch = [Double](repeating: 0, count: theta.count)
        var plus = theta, minus = theta
        plus[i] += h
        minus[i] -= h
        return (loss.evaluate(plus, gradient: &scratch).total - loss.evaluate(minus, gradient: &scratch).total) / (2 * h)
    }

    func checkGradient<T: PINNScalar>(_: T.Type, adaptive: AdaptiveMode, activation: Activation, tolerance: Double,
                                      hidden: [Int] = [6, 5, 4]) {
        let (loss, theta) = Self.loss(T.self, adaptive: adaptive, activation: activation, hidden: hidden)
        var gradient = [T](repeating: 0, count: theta.count)
        _ = loss.evaluate(theta, gradient: &gradient)
        let (oracle, _) = Self.loss(Double.self, adaptive: adaptive, activation: activation, hidden: hidden)
        let at = theta.map { Double($0) }
        let fd = at.indices.map { Self.centralDifference(oracle, at, $0) }
        let scale = fd.map(abs).max()!
        #expect(scale > 1e-3)
        var worst = 0.0
        for i in theta.indices {
            worst = max(worst, abs(Double(gradient[i]) - fd[i]) / max(abs(fd[i]), 1e-2 * scale))
        }
        #expect(worst <= tolerance, "\(T.precisionName): worst relative error \(worst)")
        let layout = ParameterLayout(loss.architecture)
        #expect(adaptive == .fixed ? layout.slopes.isEmpty : !layout.slopes.isEmpty)
    }

    @Test(arguments: AdaptiveMode.allCases, Activation.allCases)
    func gradientMatchesFiniteDifferencesInDouble(adaptive: AdaptiveMode, activation: Activation) {
        checkGradient(Double.self, adaptive: adaptive, activation: activation, tolerance: 1e-6)
    }

    @Test(arguments: AdaptiveMode.allCases, Activation.allCases)
    func gradientMatchesFiniteDifferencesInFloat(adaptive: AdaptiveMode, activation: Activation) {
        checkGradient(Float.self, adaptive: adaptive, activation: activation, tolerance: 1e-4)
    }

    /// Layers of 40 after 40: the weight gradient of the last one is formed in two bands of output rows (25 + 15,
    /// NetworkPass.addWeightGradient), so every weight of the second band is checked too.
    @Test func bandedWeightGradientMatchesFiniteDifferences() {
        checkGradient(Double.self, adaptive: .neuron, activation: .tanh, tolerance: 1e-6, hidden: [6, 40, 40])
    }

    @Test func shardingOverThreadsGivesTheSameLossAndGradient() {
        let (one, theta) = Self.loss(Double.self, adaptive: .neuron, activation: .tanh, threads: 1)
        let (three, _) = Self.loss(Double.self, adaptive: .neuron, activation: .tanh, threads: 3)
        var g1 = [Double](repeating: 0, count: theta.count), g3 = g1
        let l1 = one.evaluate(theta, gradient: &g1), l3 = three.evaluate(theta, gradient: &g3)
        #expect(abs(l1.total - l3.total) <= 1e-13 * abs(l1.total))
        for i in theta.indices { #expect(abs(g1[i] - g3[i]) <= 1e-12 * max(1, abs(g1[i]))) }
    }
}

/// Input-derivative streams (u_x, u_t, u_xx, u_tt, u_xt) against finite differences of the network output.
@Suite struct TaylorStreamTests {
    @Test(arguments: AdaptiveMode.allCases, Activation.allCases)
    func streamsMatchFiniteDifferences(adaptive: AdaptiveMode, activation: Activation) {
        let architecture = NetworkArchitecture(inputs: 2, outputs: 2, hidden: [7, 6], activation: activation,
                                               adaptive: adaptive, scale: 3)
        var generator = SeededGenerator(seed: 11)
        var network = Network<Double>(architecture: architecture, lower: [-1, 0], upper: [2, 1], generator: &generator)
        let layout = ParameterLayout(architecture)
        for i in layout.slopes { network.parameters[i] = 0.2 + 0.3 * generator.nextUnit() }
        let points = [0.3, 0.4, -0.7, 0.9, 1.5, 0.1]
        let derivatives: [Derivative] = [[], [0], [1], [0, 0], [1, 1], [0, 1]]
        let streams = network.evaluate(points, derivatives: derivatives)
        let h = 1e-4
        func u(_ x: Double, _ t: Double) -> [Double] { network.evaluate([x, t]) }
        for p in 0..<3 {
            let (x, t) = (points[2 * p], points[2 * p + 1])
            for o in 0..<2 {
                let c = u(x, t)[o]
                let dx = (u(x + h, t)[o] - u(x - h, t)[o]) / (2 * h)
                let dt = (u(x, t + h)[o] - u(x, t - h)[o]) / (2 * h)
                let dxx = (u(x + h, t)[o] - 2 * c + u(x - h, t)[o]) / (h * h)
                let dtt = (u(x, t + h)[o] - 2 * c + u(x, t - h)[o]) / (h * h)
                let dxt = (u(x + h, t + h)[o] - u(x + h, t - h)[o] - u(x - h, t + h)[o] + u(x - h, t - h)[o]) / (4 * h * h)
                let expected = [c, dx, dt, dxx, dtt, dxt]
                for (k, value) in expected.enumerated() {
                    let got = streams[k][p * 2 + o]
                    let tolerance = k < 3 ? 1e-6 : 2e-5  // O(h²) truncation of the differences
                    #expect(abs(got - value) <= tolerance * max(1, abs(value)), "\(derivatives[k]) at \(p),\(o): \(got) vs \(value)")
                }
            }
        }
    }

    @Test func everyAdaptiveModeComputesTheFixedNetworkAtStepZero() {
        let points = [0.3, 0.4, -0.7, 0.9, 0.0, 0.05]
        var reference: [Double]?
        for adaptive in AdaptiveMode.allCases {
            var generator = SeededGenerator(seed: 99)
            let architecture = NetworkArchitecture(inputs: 2, outputs: 1, hidden: [8, 8, 8], adaptive: adaptive, scale: 10)
            let network = Network<Double>(architecture: architecture, lower: [-1, 0], upper: [1, 1], generator: &generator)
            let values = network.evaluate(points)
            if let reference {
                for i in values.indices { #expect(abs(values[i] - reference[i]) <= 1e-15 * max(1, abs(reference[i]))) }
            } else {
                reference = values
            }
        }
    }
}

/// Streams of order 3 and 4 (the term kernels, Faà di Bruno): each derivative D of order m against the 6th-order
/// central difference, along one of its inputs j, of the stream D − j of order m − 1 (itself checked the same way
/// down to the value, so the chain ends at finite differences of the network output). Truncation at h = 1e-3 is
/// ~h⁶·|f⁽⁷⁾| and rounding ~1e-16/h, both far below the 1e-6 asked.
@Suite struct HigherOrderStreamTests {
    static func network(_ adaptive: AdaptiveMode, _ activation: Activation, inputs: Int) -> Network<Double> {
        let architecture = NetworkArchitecture(inputs: inputs, outputs: 2, hidden: [7, 6, 5], activation: activation,
                                               adaptive: adaptive, scale: 3)
        var generator = SeededGenerator(seed: 13)
        var network = Network<Double>(architecture: architecture, lower: Array(repeating: -1, count: inputs),
                                      upper: (0..<inputs).map { 1.5 + Double($0) }, generator: &generator)
        for i in network.layout.slopes { network.parameters[i] = 0.2 + 0.3 * generator.nextUnit() }
        return network
    }

    static func check(_ network: Network<Double>, derivatives: [Derivative], points: [Double]) {
        let d = network.architecture.inputs, m = network.architecture.outputs
        let count = points.count / d
        let values = network.evaluate(points, derivatives: derivatives)
        let h = 1e-3
        let weights = [(1.0, 3.0 / 4), (2.0, -3.0 / 20), (3.0, 1.0 / 60)]
        for (k, derivative) in derivatives.enumerated() where !derivative.isEmpty {
            let j = derivative.last!
            let lower = Array(derivative.dropLast())
            for p in 0..<count {
                let point = Array(points[(p * d)..<(p * d + d)])
                func shifted(_ step: Double) -> [Double] {
                    var x = point
                    x[j] += step
                    return network.evaluate(x, derivatives: [lower])[0]
                }
                for o in 0..<m {
                    let fd = weights.reduce(0.0) { sum, w in sum + w.1 * (shifted(w.0 * h)[o] - shifted(-w.0 * h)[o]) } / h
                    let got = values[k][p * m + o]
                    #expect(abs(got - fd) <= 1e-6 * max(1, abs(fd)), "\(derivative) at point \(p), output \(o): \(got) vs \(fd)")
                }
            }
        }
    }

    @Test(arguments: AdaptiveMode.allCases, Activation.allCases)
    func thirdAndFourthDerivativesOfTwoInputs(adaptive: AdaptiveMode, activation: Activation) {
        let network = Self.network(adaptive, activation, inputs: 2)
        let derivatives: [Derivative] = [[0], [1], [0, 0], [0, 1], [0, 0, 0], [0, 0, 1], [0, 1, 1], [1, 1, 1],
                                         [0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 1], [1, 1, 1, 1]]
        Self.check(network, derivatives: derivatives, points: [0.3, 0.4, -0.7, 0.9, 1.2, -0.2])
    }

    @Test func mixedFourthDerivativesOfThreeInputs() {
        let network = Self.network(.neuron, .tanh, inputs: 3)
        let derivatives: [Derivative] = [[0, 1, 2], [0, 0, 1, 2], [0, 1, 2, 2], [2, 2, 2, 2]]
        Self.check(network, derivatives: derivatives, points: [0.3, 0.4, -0.2, -0.7, 0.9, 2.1])
    }

    /// Asking for u_xxx alone carries exactly its parts, u_x and u_xx, and a second-order set is laid out as
    /// before the higher orders existed (no terms: the fixed-layout kernels run).
    @Test func streamSetsAreClosedAndOrderTwoKeepsItsLayout() {
        let third = TaylorStreams(inputCount: 2, derivatives: [[0, 0, 0]])
        #expect(third.first == [0] && third.second == [[0, 0]] && third.higher == [[0, 0, 0]])
        #expect(third.index(of: [0, 0, 0]) == 3 && third.derivative(at: 3) == [0, 0, 0])
        let second = TaylorStreams(inputCount: 2, derivatives: [[1], [0, 0], [0, 1]])
        #expect(second.first == [0, 1] && second.second == [[0, 0], [0, 1]] && second.higher.isEmpty)
        #expect(second.kernelTerms == nil)
        // h_xxxx = σ' s z_xxxx + σ'' s² (4 z_x z_xxx + 3 z_xx²) + 6 σ''' s³ z_x² z_xx + σ'''' s⁴ z_x⁴: the 15 set
        // partitions of four inputs, merged. Blocks: 1 x, 2 xx, 3 xxx, 4 xxxx.
        let fourth = TaylorStreams(inputCount: 1, derivatives: [[0, 0, 0, 0]])
        #expect(fourth.count == 5)
        let terms = fourth.kernelTerms![4].map { "\($0.coefficient)·\($0.factors)" }
        #expect(terms == ["1·[4]", "4·[1, 3]", "3·[2, 2]", "6·[1, 1, 2]", "1·[1, 1, 1, 1]"])
    }
}
