import Foundation
import Testing
import PINN

/// The classifier's backward pass (softmax cross-entropy + w_a·S(a), `ClassificationLoss`) against central finite
/// differences of its own loss, for every parameter kind (weights, biases, slopes), every adaptive mode and both
/// activations — the check the PINN losses pass (GradientCheckTests). Double: h = 1e-5, tolerance 1e-6 relative
/// (the O(h²) truncation); Float: the gradient at Float parameters against the Double loss' differences, 1e-3
/// (Float's rounding through the softmax and two layers; a slope gradient 1% off fails it).
@Suite struct ClassificationGradientTests {
    static func architecture(_ adaptive: AdaptiveMode, _ activation: Activation) -> NetworkArchitecture {
        NetworkArchitecture(inputs: 5, outputs: 4, hidden: [6, 3], activation: activation, adaptive: adaptive, scale: 2)
    }

    /// A batch of 7 random inputs in [−1, 1] with labels, and parameters with slopes moved off 1/n and apart.
    static func problem(_ adaptive: AdaptiveMode, _ activation: Activation) -> (inputs: [Double], labels: [Int], theta: [Double]) {
        var generator = SeededGenerator(seed: 11)
        let architecture = Self.architecture(adaptive, activation)
        var network = Network<Double>(architecture: architecture, lower: Array(repeating: -1, count: 5),
                                      upper: Array(repeating: 1, count: 5), generator: &generator)
        let layout = ParameterLayout(architecture)
        for layer in layout.layers {
            for i in 0..<layer.fanOut { network.parameters[layer.biases + i] = 0.2 * generator.nextNormal() }
        }
        for i in layout.slopes { network.parameters[i] = 0.4 + 0.4 * generator.nextUnit() }
        let inputs = (0..<35).map { _ in 2 * generator.nextUnit() - 1 }
        let labels = (0..<7).map { _ in Int(generator.next() % 4) }
        return (inputs, labels, network.parameters)
    }

    static func loss<T: PINNScalar>(_: T.Type, _ adaptive: AdaptiveMode, _ activation: Activation) -> ClassificationLoss<T> {
        let (inputs, labels, _) = problem(adaptive, activation)
        let loss = ClassificationLoss<T>(architecture: architecture(adaptive, activation), slopeRecoveryWeight: 0.7, capacity: 8)
        loss.loadBatch(inputs: inputs, labels: labels)
        return loss
    }

    func check<T: PINNScalar>(_: T.Type, _ adaptive: AdaptiveMode, _ activation: Activation, tolerance: Double) {
        let theta = Self.problem(adaptive, activation).theta.map { T($0) }
        let loss = Self.loss(T.self, adaptive, activation)
        var gradient = [T](repeating: 0, count: theta.count)
        _ = gradient.withUnsafeMutableBufferPointer { loss.evaluate(theta, gradient: $0) }
        let oracle = Self.loss(Double.self, adaptive, activation)
        let at = theta.map { Double($0) }, h = 1e-5
        let fd = at.indices.map { i -> Double in
            var plus = at, minus = at
            plus[i] += h
            minus[i] -= h
            return (oracle.evaluate(plus).total - oracle.evaluate(minus).total) / (2 * h)
        }
        let scale = fd.map(abs).max()!
        var worst = 0.0
        for i in theta.indices { worst = max(worst, abs(Double(gradient[i]) - fd[i]) / max(abs(fd[i]), 1e-2 * scale)) }
        #expect(worst <= tolerance, "\(T.precisionName) \(adaptive) \(activation): worst relative error \(worst)")
        let slopes = ParameterLayout(loss.architecture).slopes
        #expect(slopes.allSatisfy { abs(fd[$0]) > 1e-4 * scale } , "every slope has a gradient to check")
    }

    @Test(arguments: AdaptiveMode.allCases, Activation.allCases)
    func gradientMatchesFiniteDifferencesInDouble(adaptive: AdaptiveMode, activation: Activation) {
        check(Double.self, adaptive, activation, tolerance: 1e-6)
    }

    @Test(arguments: AdaptiveMode.allCases)
    func gradientMatchesFiniteDifferencesInFloat(adaptive: AdaptiveMode) {
        check(Float.self, adaptive, .tanh, tolerance: 1e-3)
    }

    /// The cross-entropy against its definition evaluated by hand: softmax of logits computed row by row from the
    /// network's own `evaluate` (independent of the GEMM path), and S(a) from `SlopeRecoveryTerm`.
    @Test func lossIsTheMeanCrossEntropyPlusSlopeRecovery() {
        let (inputs, labels, theta) = Self.problem(.layer, .tanh)
        let architecture = Self.architecture(.layer, .tanh)
        let network = Network<Double>(architecture: architecture, lower: Array(repeating: -1, count: 5),
                                      upper: Array(repeating: 1, count: 5), parameters: theta)
        let logits = network.evaluate(inputs)
        var expected = 0.0
        for (i, label) in labels.enumerated() {
            let row = Array(logits[4 * i..<4 * i + 4])
            expected += log(row.map(exp).reduce(0, +)) - row[label]
        }
        expected /= Double(labels.count)
        let loss = Self.loss(Double.self, .layer, .tanh)
        let value = loss.evaluate(theta)
        #expect(abs(value.crossEntropy - expected) <= 1e-12 * expected)
        let s = theta.withUnsafeBufferPointer {
            SlopeRecoveryTerm.value($0, layout: ParameterLayout(architecture), architecture: architecture)
        }
        #expect(abs(value.total - (expected + 0.7 * s)) <= 1e-12)
        let predicted = (0..<labels.count).map { i in (0..<4).max { logits[4 * i + $0] < logits[4 * i + $1] }! }
        #expect(loss.predictions == predicted)
        #expect(value.correct == zip(predicted, labels).filter { $0 == $1 }.count)
    }
}
