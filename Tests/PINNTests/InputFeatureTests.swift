import Foundation
import Testing
import PINN

/// Periodic and Fourier input features (docs/design.md §4.4): their streams of every order against finite
/// differences, exact periodicity, loss gradients through them, the spec's defaults and errors, and the model export.
@Suite struct InputFeatureTests {
    static func network(_ features: InputFeatures, activation: Activation = .tanh) -> Network<Double> {
        let architecture = NetworkArchitecture(inputs: 2, outputs: 2, hidden: [7, 6], activation: activation,
                                               adaptive: .neuron, scale: 3, features: features)
        var generator = SeededGenerator(seed: 21)
        var network = Network<Double>(architecture: architecture, lower: [-1, 0], upper: [1, 2], generator: &generator)
        for i in network.layout.slopes { network.parameters[i] = 0.2 + 0.3 * generator.nextUnit() }
        return network
    }

    static let periodic = InputFeatures(periods: [2, nil])
    static let fourier = InputFeatures(periods: [2, nil], fourier: FourierFeatures(count: 5, scale: 1.5, seed: 3))
    static let derivatives: [Derivative] = [[0], [1], [0, 0], [0, 1], [1, 1], [0, 0, 0], [0, 0, 1], [0, 0, 0, 0],
                                            [0, 0, 1, 1]]

    @Test(arguments: [periodic, fourier], Activation.allCases)
    func streamsThroughFeaturesMatchFiniteDifferences(features: InputFeatures, activation: Activation) {
        HigherOrderStreamTests.check(Self.network(features, activation: activation), derivatives: Self.derivatives,
                                     points: [0.3, 0.4, -0.7, 1.9, 0.95, 0.1])
    }

    /// Values and every derivative agree at x and x + P (and across the faces x = ±1 of a P = 2 domain).
    @Test(arguments: [periodic, fourier])
    func aPeriodicInputMakesTheNetworkExactlyPeriodic(features: InputFeatures) {
        let network = Self.network(features)
        let left = network.evaluate([-1, 0.3, 0.2, 1.1], derivatives: [[]] + Self.derivatives)
        let right = network.evaluate([1, 0.3, 4.2, 1.1], derivatives: [[]] + Self.derivatives)
        for (a, b) in zip(left, right) {
            for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-12 * max(1, abs(x)), "\(x) vs \(y)") }
        }
    }

    @Test func lossGradientsThroughFeaturesMatchFiniteDifferences() throws {
        let spec = try JobSpecParser.parse(Data("""
        {"problem": {"inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]}, "outputs": ["u"],
                     "equations": ["u_t + u*u_x + u_xxx - 0.1*u_xx"],
                     "conditions": [{"on": "t = 0", "u": "sin(pi*x)"}, {"periodic": "x"}]},
         "network": {"layers": [5, 4], "scale": 2, "fourier": {"features": 3, "scale": 1}}}
        """.utf8))
        let (loss, theta) = try ProblemGradientTests.loss(spec)
        #expect(loss.architecture.features?.count == 6)
        let (worst, _) = ProblemGradientTests.worstError(loss, theta)
        #expect(worst <= 1e-6, "worst relative error \(worst)")
    }

    /// A problem with a periodic condition gets periodic features with the domain's length as period, and the
    /// condition leaves the loss; `{}` keeps the plain network and the condition.
    @Test func periodicConditionsGetPeriodicFeaturesByDefault() throws {
        let problem = """
        {"inputs": ["x", "t"], "domain": {"x": [-1, 1], "t": [0, 1]}, "outputs": ["u"], "equations": ["u_t - 0.1*u_xx"],
         "conditions": [{"name": "initial", "on": "t = 0", "u": "cos(pi*x)"}, {"name": "periodic", "periodic": "x"}]}
        """
        let spec = try JobSpecParser.parse(Data(#"{"problem": \#(problem)}"#.utf8))
        #expect(spec.network.periodic == ["x": 2])
        #expect(spec.architecture.features == InputFeatures(periods: [2, nil]))
        #expect(try ProblemBuilder.make(spec).terms.map(\.name) == ["pde", "initial"])
        let plain = try JobSpecParser.parse(Data(#"{"problem": \#(problem), "network": {"periodic": {}}}"#.utf8))
        #expect(plain.architecture.features == nil)
        #expect(try ProblemBuilder.make(plain).terms.map(\.name) == ["pde", "initial", "periodic"])
        // A period that does not divide the domain keeps the condition.
        let half = try JobSpecParser.parse(Data(#"{"problem": \#(problem), "network": {"periodic": {"x": 1.5}}}"#.utf8))
        #expect(try ProblemBuilder.make(half).terms.map(\.name) == ["pde", "initial", "periodic"])
    }

    @Test(arguments: [
        (#"{"periodic": {"y": 2}}"#, "network.periodic.y", "\"y\" is not an input"),
        (#"{"periodic": {"x": -1}}"#, "network.periodic.x", "must be in"),
        (#"{"periodic": [2]}"#, "network.periodic", "must be an object"),
        (#"{"fourier": {"features": 0, "scale": 1}}"#, "network.fourier.features", "must be in 1...512"),
        (#"{"fourier": {"features": 8}}"#, "network.fourier.scale", "is required"),
        (#"{"fourier": {"features": 8, "scale": 1, "sigma": 2}}"#, "network.fourier.sigma", "unknown field"),
    ])
    func badFeaturesNameTheField(network: String, field: String, message: String) {
        do {
            _ = try JobSpecParser.parse(Data(#"{"problem": "burgers", "network": \#(network)}"#.utf8))
            Issue.record("accepted \(network)")
        } catch {
            let issue = error.issues.first { $0.field == field }
            #expect(issue?.message.contains(message) == true, "\(error.issues)")
        }
    }

    /// The model export carries the periods and B; evaluated by its documented formula, it reproduces the network.
    @Test func theModelExportReproducesTheNetwork() throws {
        let network = Self.network(Self.fourier)
        let b = Self.fourier.fourier!.frequencies(columns: Self.fourier.baseCount)
        let (x, t) = (0.37, 1.3)
        let v = [cos(Double.pi * x), sin(Double.pi * x), (t - 1)]  // ξ_t = 2(t − 0)/2 − 1
        let bv = (0..<5).map { r in (0..<3).reduce(0.0) { $0 + b[r * 3 + $1] * v[$1] } }
        var h = bv.map(cos) + bv.map(sin)
        let layout = network.layout
        for (k, layer) in layout.layers.enumerated() {
            let slopes = k < network.architecture.hidden.count ? network.slopes(layer: k) : nil
            h = (0..<layer.fanOut).map { o in
                let z = (0..<layer.fanIn).reduce(network.parameters[layer.biases + o]) {
                    $0 + network.parameters[layer.weights + o * layer.fanIn + $1] * h[$1]
                }
                return slopes.map { tanh($0[o] * z) } ?? z
            }
        }
        let served = network.evaluate([x, t])
        for o in 0..<2 { #expect(abs(served[o] - h[o]) <= 1e-13, "\(served[o]) vs \(h[o])") }
    }
}
