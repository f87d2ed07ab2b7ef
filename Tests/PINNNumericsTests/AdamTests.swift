import Foundation
import PINNNumerics
import Testing

/// f(x) = Σ cᵢ(xᵢ − aᵢ)², minimum at a.
private func quadratic<T: BinaryFloatingPoint>(_ x: [T], _ gradient: inout [T]) -> T {
    var f: T = 0
    for i in x.indices {
        let c = T(i + 1), r = x[i] - T(i) / 2
        f += c * r * r
        gradient[i] = 2 * c * r
    }
    return f
}

private func minimiseQuadratic<T: BinaryFloatingPoint & Sendable>(_: T.Type) {
    var adam = Adam<T>(parameterCount: 5, learningRate: 0.05)
    var x = [T](repeating: 3, count: 5)
    var g = [T](repeating: 0, count: 5)
    for _ in 0..<3000 {
        _ = quadratic(x, &g)
        adam.step(parameters: &x, gradient: g)
    }
    for i in x.indices { #expect(abs(x[i] - T(i) / 2) < 1e-3, "x[\(i)] = \(x[i]) in \(T.self)") }
}

@Test func adamFirstTwoStepsMatchHandComputedValues() {
    var adam = Adam<Double>(parameterCount: 1, learningRate: 0.1)
    var x = [1.0]
    adam.step(parameters: &x, gradient: [0.5])
    // m₁ = 0.1·0.5 = 0.05, v₁ = 0.001·0.25 = 0.00025; m̂₁ = 0.5, v̂₁ = 0.25: x = 1 − 0.1·0.5/(0.5 + 1e-8).
    #expect(abs(x[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-15)
    #expect(abs(adam.firstMoment[0] - 0.05) < 1e-15 && abs(adam.secondMoment[0] - 0.00025) < 1e-18)

    let afterFirst = x[0]
    adam.step(parameters: &x, gradient: [-1])
    // m₂ = 0.9·0.05 − 0.1 = −0.055, v₂ = 0.999·0.00025 + 0.001 = 0.00124975,
    // m̂₂ = −0.055/0.19, v̂₂ = 0.00124975/0.001999.
    let expected = afterFirst + 0.1 * (0.055 / 0.19) / ((0.00124975 / 0.001999).squareRoot() + 1e-8)
    #expect(abs(x[0] - expected) < 1e-14)
    #expect(adam.stepCount == 2)
}

@Test func adamMinimisesAQuadraticInFloatAndDouble() {
    minimiseQuadratic(Float.self)
    minimiseQuadratic(Double.self)
}

@Test func adamLeavesFrozenEntriesAlone() {
    let frozen = FrozenParameters([1..<3, 4..<5])
    var adam = Adam<Double>(parameterCount: 6, learningRate: 0.1, frozen: frozen)
    var x = [Double](repeating: 3, count: 6)
    var g = [Double](repeating: 0, count: 6)
    for _ in 0..<100 {
        _ = quadratic(x, &g)
        adam.step(parameters: &x, gradient: g)
    }
    for i in x.indices {
        if frozen.contains(i) {
            #expect(x[i] == 3 && adam.firstMoment[i] == 0 && adam.secondMoment[i] == 0)
        } else {
            #expect(x[i] != 3)
        }
    }
    #expect(FrozenParameters(mask: [false, true, true, false, true, false]) == frozen)
}

@Test func adamResumesIdenticallyAfterACodableRoundTrip() throws {
    var adam = Adam<Double>(parameterCount: 4, learningRate: 0.02, decay: .exponential(rate: 0.5, steps: 10),
                            frozen: FrozenParameters([2..<3]))
    var x: [Double] = [1, -2, 3, 0.5]
    var g = [Double](repeating: 0, count: 4)
    for _ in 0..<7 {
        _ = quadratic(x, &g)
        adam.step(parameters: &x, gradient: g)
    }
    var resumed = try JSONDecoder().decode(Adam<Double>.self, from: JSONEncoder().encode(adam))
    var y = x
    for _ in 0..<20 {
        _ = quadratic(x, &g)
        adam.step(parameters: &x, gradient: g)
        _ = quadratic(y, &g)
        resumed.step(parameters: &y, gradient: g)
    }
    #expect(x == y)
    #expect(resumed.stepCount == 27 && resumed.firstMoment == adam.firstMoment)
}

@Test func learningRateDecaySchedules() {
    #expect(LearningRateDecay.exponential(rate: 0.5, steps: 10).multiplier(afterSteps: 0) == 1)
    #expect(abs(LearningRateDecay.exponential(rate: 0.5, steps: 10).multiplier(afterSteps: 5) - 0.5.squareRoot())
            < 1e-15)
    #expect(LearningRateDecay.stepwise(factor: 0.1, every: 100).multiplier(afterSteps: 99) == 1)
    #expect(abs(LearningRateDecay.stepwise(factor: 0.1, every: 100).multiplier(afterSteps: 250) - 0.01) < 1e-15)

    var adam = Adam<Float>(parameterCount: 1, learningRate: 0.1, decay: .exponential(rate: 0.5, steps: 2))
    var x: [Float] = [0]
    #expect(adam.currentLearningRate == 0.1)
    adam.step(parameters: &x, gradient: [1])
    adam.step(parameters: &x, gradient: [1])
    #expect(abs(adam.currentLearningRate - 0.05) < 1e-7)
}
