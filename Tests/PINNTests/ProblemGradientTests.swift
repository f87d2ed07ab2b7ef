import Foundation
import Testing
import PINN
import PINNTestSupport

/// Loss gradients of problems built from specs — expression residuals, Neumann and periodic conditions,
/// observations and learned parameters — against central finite differences over the whole parameter vector
/// (network, slopes and learned parameters).
@Suite struct ProblemGradientTests {
    /// `periodicFeatures: false` keeps the plain network (`"periodic": {}`), so a periodic condition stays a loss term.
    static func spec(_ problem: String, periodicFeatures: Bool = true) throws -> JobSpec {
        let periodic = periodicFeatures ? "" : #", "periodic": {}"#
        return try JobSpecParser.parse(Data(#"{"problem": \#(problem), "network": {"layers": [5, 4], "scale": 2\#(periodic)}}"#.utf8))
    }

    static func loss(_ spec: JobSpec, interior: Int = 7, faces: Int = 6) throws -> (PINNLoss<Double>, [Double]) {
        let problem = try ProblemBuilder.make(spec)
        var architecture = spec.architecture(inputs: problem.inputs.count, outputs: problem.outputs.count)
        (architecture.activation, architecture.adaptive, architecture.scale) = (.tanh, .neuron, 2)
        var generator = SeededGenerator(seed: 5)
        var network = Network<Double>(architecture: architecture, lower: problem.lower, upper: problem.upper,
                                      generator: &generator)
        for i in network.layout.slopes { network.parameters[i] = 0.4 + 0.3 * generator.nextUnit() }
        let points = TrainingPoints(problem: problem, interiorCount: interior, faceCount: faces, method: .uniform,
                                    generator: &generator)
        let loss = PINNLoss<Double>(problem: problem, architecture: architecture, points: points,
                                    slopeRecoveryWeight: 0.3, threads: 2, blockRows: 4)
        return (loss, network.parameters + problem.learned.map { $0.initial })
    }

    /// max_i |g_i − fd_i| / max(|fd_i|, 1e-2·max|fd|).
    static func worstError(_ loss: PINNLoss<Double>, _ theta: [Double]) -> (worst: Double, gradient: [Double]) {
        var gradient = [Double](repeating: 0, count: theta.count), scratch = gradient
        _ = loss.evaluate(theta, gradient: &gradient)
        let h = 1e-5
        let fd = theta.indices.map { i in
            var plus = theta, minus = theta
            plus[i] += h
            minus[i] -= h
            return (loss.evaluate(plus, gradient: &scratch).total - loss.evaluate(minus, gradient: &scratch).total) / (2 * h)
        }
        let scale = fd.map(abs).max()!
        let worst = theta.indices.map { abs(gradient[$0] - fd[$0]) / max(abs(fd[$0]), 1e-2 * scale) }.max()!
        return (worst, gradient)
    }

    @Test func aSystemWithMixedDerivativesNeumannAndRobinConditions() throws {
        let spec = try Self.spec("""
        {"inputs": ["x", "y"], "domain": {"x": [0, 1], "y": [-1, 2]}, "outputs": ["u", "v"],
         "parameters": {"k": 1.5},
         "equations": ["u_xx + v_yy - k*sin(x*y)*u", "u_xy*v - exp(u)*v_x + (x > 0.5 ? u^3 : v/(2 + u^2))"],
         "conditions": [{"on": "x = 0", "u": "cos(y)", "v_x": "0"}, {"on": ["y = -1", "y = 2"], "residual": "u_y + u*v"}],
         "exact": {"u": "x", "v": "y"}}
        """)
        let (loss, theta) = try Self.loss(spec)
        let (worst, _) = Self.worstError(loss, theta)
        #expect(worst <= 1e-6, "worst relative error \(worst)")
    }

    @Test func aPeriodicConditionComparesValuesAndSlopesAcrossTheFaces() throws {
        let spec = try Self.spec("""
        {"inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]}, "outputs": ["u"],
         "equations": ["u_t - 0.01*u_xx + 5*u^3 - 5*u"],
         "conditions": [{"on": "t = 0", "u": "x^2*cos(pi*x)"}, {"periodic": "x", "weight": 3}]}
        """, periodicFeatures: false)
        let (loss, theta) = try Self.loss(spec, faces: 5)
        let (worst, _) = Self.worstError(loss, theta)
        #expect(worst <= 1e-6, "worst relative error \(worst)")
        // The periodic term's points come in pairs on x = −1 and x = 1 with equal t.
        let pairs = loss.points.perTerm[2]
        #expect(pairs.count == 5 * 2 * 2)
        for i in stride(from: 0, to: pairs.count, by: 4) {
            #expect(pairs[i] == -1 && pairs[i + 2] == 1 && pairs[i + 1] == pairs[i + 3])
        }
    }

    @Test func aLearnedParameterGetsItsGradientFromTheResidualAndData() throws {
        let spec = try Self.spec("""
        {"inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]}, "outputs": ["u"],
         "parameters": {"nu": {"learn": true, "initial": 0.07}, "lambda": {"learn": true, "initial": 1.3}},
         "equations": ["u_t + lambda*u*u_x - nu*u_xx - nu^2*lambda"],
         "observations": [{"columns": ["t", "x", "u"], "rows": [[0.1, 0.2, 0.3], [0.5, -0.4, 0.1], [0.9, 0.9, -0.2]]}]}
        """)
        let (loss, theta) = try Self.loss(spec)
        #expect(loss.parameterCount == ParameterLayout(loss.architecture).count + 2)
        let (worst, gradient) = Self.worstError(loss, theta)
        #expect(worst <= 1e-6, "worst relative error \(worst)")
        #expect(gradient.suffix(2).allSatisfy { abs($0) > 1e-8 }, "both learned parameters move the loss")
    }

    /// The expression-built Burgers problem is the hand-written `BurgersResidual` (an independent implementation
    /// of the same residual and its adjoint): same points, same network ⇒ same loss and gradient.
    @Test func theBurgersPresetMatchesTheHandWrittenResidual() throws {
        var spec = ProblemPresets.spec(named: "burgers")!
        spec.problem.parameters["nu"] = .constant(0.05)
        spec.training.weights = [:]      // the hand-written problem weighs every term 1
        let built = try ProblemBuilder.make(spec)
        let handWritten = BurgersProblem.make(nu: 0.05)
        let architecture = NetworkArchitecture(inputs: 2, outputs: 1, hidden: [6, 5], adaptive: .layer, scale: 2)
        var generator = SeededGenerator(seed: 9)
        let network = Network<Double>(architecture: architecture, lower: built.lower, upper: built.upper,
                                      generator: &generator)
        var g1 = SeededGenerator(seed: 3), g2 = SeededGenerator(seed: 3)
        let p1 = TrainingPoints(problem: built, interiorCount: 50, faceCount: 20, method: .lhs, generator: &g1)
        let p2 = TrainingPoints(problem: handWritten, interiorCount: 50, faceCount: 20, method: .lhs, generator: &g2)
        #expect(p1.perTerm == p2.perTerm)
        let l1 = PINNLoss<Double>(problem: built, architecture: architecture, points: p1, slopeRecoveryWeight: 0.1, threads: 1)
        let l2 = PINNLoss<Double>(problem: handWritten, architecture: architecture, points: p2, slopeRecoveryWeight: 0.1, threads: 1)
        var a = [Double](repeating: 0, count: network.parameters.count), b = a
        let v1 = l1.evaluate(network.parameters, gradient: &a), v2 = l2.evaluate(network.parameters, gradient: &b)
        #expect(v1.terms == v2.terms)
        #expect(a == b)
    }
}

/// Loss gradients through streams of order 3 and 4 (the term kernels' adjoints) against finite differences.
@Suite struct HigherOrderGradientTests {
    @Test func kortewegDeVriesAndAFourthOrderSystem() throws {
        let spec = try ProblemGradientTests.spec("""
        {"inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]}, "outputs": ["u", "v"],
         "equations": ["u_t + 6*u*u_x + u_xxx", "v_t + u_xxxx + v_xxtt*u - u_xxt*v_x"],
         "conditions": [{"on": "x = -1", "u_xxx": "0", "v": "0"}, {"on": "t = 0", "u": "sin(x)", "v": "x"}]}
        """)
        let (loss, theta) = try ProblemGradientTests.loss(spec)
        let (worst, _) = ProblemGradientTests.worstError(loss, theta)
        #expect(worst <= 1e-6, "worst relative error \(worst)")
    }

    @Test func threeInputsWithAMixedThirdDerivative() throws {
        let spec = try ProblemGradientTests.spec("""
        {"inputs": ["x", "y", "t"], "domain": {"x": [0, 1], "y": [0, 2], "t": [0, 1]}, "outputs": ["u"],
         "equations": ["u_t - u_xyt + u_yyy*u"], "conditions": [{"on": "t = 0", "u": "x*y"}]}
        """)
        let (loss, theta) = try ProblemGradientTests.loss(spec)
        let (worst, _) = ProblemGradientTests.worstError(loss, theta)
        #expect(worst <= 1e-6, "worst relative error \(worst)")
    }
}
