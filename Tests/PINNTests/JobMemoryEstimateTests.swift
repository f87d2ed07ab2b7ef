import Foundation
import Testing
@testable import PINN

/// The memory estimate against what the engine allocates, how it grows, and the budgets the parser enforces.
@Suite struct JobMemoryEstimateTests {
    static func burgers(points: Int = 10_000, layers: [Int] = [20, 20, 20, 20], threads: Int = 2) -> JobSpec {
        var spec = ProblemPresets.spec(named: "burgers")!
        spec.training.collocationPoints = points
        spec.network.layers = layers
        spec.training.threads = threads
        spec.training.resampling = nil
        return spec
    }

    static func estimate(_ spec: JobSpec) throws -> JobMemoryEstimate {
        JobMemoryEstimate(spec: spec, problem: try ProblemBuilder.make(spec))
    }

    /// The pass's own count of what it allocated is the oracle for the formula the estimate uses.
    @Test(arguments: [([20, 20], 2, 1, 256), ([50, 30, 10], 3, 2, 100), ([7], 1, 1, 1), ([100, 100, 100, 100], 2, 3, 256)])
    func theFormulaCountsWhatANetworkPassAllocates(hidden: [Int], inputs: Int, outputs: Int, rows: Int) {
        let periodic = InputFeatures(periods: (0..<inputs).map { $0 == 0 ? 2 : nil })
        let fourier = InputFeatures(periods: periodic.periods, fourier: FourierFeatures(count: 30, scale: 2, seed: 1))
        for features in [nil, periodic, fourier] {
        let architecture = NetworkArchitecture(inputs: inputs, outputs: outputs, hidden: hidden, adaptive: .neuron,
                                               scale: 10, features: features)
        for derivatives in [[], [[0], [1]], [[0], [1], [0, 0]], [[0], [0, 0], [1, 1], [0, 1]], [[0, 0, 0, 0]]] as [[Derivative]] {
            let streams = TaylorStreams(inputCount: inputs, derivatives: derivatives.filter { $0.allSatisfy { $0 < inputs } })
            let pass = NetworkPass<Double>(network: architecture, lower: Array(repeating: 0, count: inputs),
                                           upper: Array(repeating: 1, count: inputs), streams: streams, rows: rows)
            #expect(pass.allocatedElements == NetworkPass<Double>.elements(architecture: architecture,
                                                                            streamCount: streams.count, rows: rows))
        }
        }
    }

    @Test func passesAreFlatInThePointsAndPointsGrowLinearly() throws {
        let small = try Self.estimate(Self.burgers(points: 10_000))
        let large = try Self.estimate(Self.burgers(points: 200_000))
        #expect(small.passes == large.passes)
        // 190,000 more points of two inputs, 8 bytes each.
        #expect(large.points - small.points == 190_000 * 2 * 8)
    }

    @Test func floatPassesTakeHalfTheBytes() throws {
        var spec = Self.burgers()
        let double = try Self.estimate(spec)
        spec.training.precision = .float
        #expect(try Self.estimate(spec).passes * 2 == double.passes)
    }

    @Test func aDenseQuasiNewtonPhaseCountsItsInverseHessian() throws {
        var spec = Self.burgers(layers: [50, 50, 50])
        let n = ParameterLayout(spec.architecture).count
        spec.training.phases = [.defaults(.ssbroyden, iterations: 10)]
        let estimate = try Self.estimate(spec)
        #expect(estimate.optimizer >= 8 * n * n)
        #expect(estimate.optimizer < 40 * n * n)
    }

    /// J (N rows × n), JᵀJ and its factor: at 8×20 on 10,000 + 2·250 points J alone is 10,500 × 3,021 doubles.
    @Test func aLevenbergMarquardtPhaseCountsItsJacobian() throws {
        var spec = Self.burgers(layers: [20, 20, 20, 20, 20, 20, 20, 20])
        spec.training.collocationPoints = 10_000
        spec.training.boundaryPoints = 250
        let n = ParameterLayout(spec.architecture).count
        spec.training.phases = [.defaults(.lm, iterations: 10)]
        let estimate = try Self.estimate(spec)
        let jacobian = 8 * (10_000 + 2 * 250) * n
        #expect(estimate.optimizer >= jacobian + 16 * n * n)
        #expect(estimate.optimizer < 2 * (jacobian + 16 * n * n))
        // An Adam phase of the same job holds none of it.
        spec.training.phases = [.defaults(.adam, iterations: 10)]
        #expect(try Self.estimate(spec).optimizer < jacobian / 10)
    }

    @Test func aJobOverTheBudgetIsRejectedWithItsEstimate() throws {
        var limits = JobSpecParser.Limits()
        limits.maxJobBytes = 64 << 20
        let json = #"{"problem": "burgers", "network": {"layers": [200, 200, 200, 200, 200, 200]}, "training": {"threads": 8, "phases": [{"optimizer": "adam", "iterations": 10}]}}"#
        let error = #expect(throws: JobSpecError.self) { try JobSpecParser.parse(Data(json.utf8), limits: limits) }
        let issue = try #require(error?.issues.first { $0.field == "training" })
        #expect(issue.message.contains("needs an estimated") && issue.message.contains("MiB (points"))
        #expect(issue.message.contains("maxJobMemoryBytes"))
        // Within the default budget the same spec is fine.
        #expect(throws: Never.self) { try JobSpecParser.parse(Data(json.utf8)) }
    }

    @Test func tooManyParametersOrTooLongAnExpressionAreRejectedByField() throws {
        var limits = JobSpecParser.Limits()
        limits.maxParameters = 1000
        limits.maxExpressionLength = 40
        let json = #"""
            {"problem": {"inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"],
                         "equations": ["u_xx + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1"],
                         "conditions": [{"on": ["x = 0", "x = 1"], "u": "0"}]},
             "network": {"layers": [50, 50]}}
            """#
        let error = #expect(throws: JobSpecError.self) { try JobSpecParser.parse(Data(json.utf8), limits: limits) }
        let fields = error?.issues.map(\.field) ?? []
        #expect(fields == ["problem.equations[0].residual"])
        #expect(error?.issues.first?.message.contains("characters long; at most 40") == true)
        // 2·50 + 50 + 50·50 + 50 + 50 + 1 weights and biases, with the slopes, are over 1,000.
        let big = #"{"problem": "burgers", "network": {"layers": [50, 50]}}"#
        let tooBig = #expect(throws: JobSpecError.self) { try JobSpecParser.parse(Data(big.utf8), limits: limits) }
        #expect(tooBig?.issues.contains { $0.field == "network.layers" && $0.message.contains("at most 1000") } == true)
    }
}
