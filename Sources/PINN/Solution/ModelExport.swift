/// A trained network as a self-contained document, enough to evaluate it anywhere (docs/api.md gives a numpy
/// function that does, to 1e-12 of the server):
///
///     ξ = 2(x − lower)/(upper − lower) − 1
///     h⁰ = ξ,  hᵏ = σ(slopesᵏ ⊙ (Wᵏ hᵏ⁻¹ + bᵏ))  for the hidden layers,  u = Wᴰ hᴰ⁻¹ + bᴰ
///
/// where `slopes` are the effective slopes n·a per neuron (all 1 for a fixed activation), W is fanOut × fanIn.
public struct ModelExport: Codable, Sendable {
    public struct Layer: Codable, Sendable {
        public let weights: [[Double]]
        public let biases: [Double]
        /// n·a for every neuron of a hidden layer; absent on the output layer.
        public let slopes: [Double]?
    }

    public var format = "pinn-model/1"
    /// In the order the network takes them.
    public let inputs: [String]
    public let outputs: [String]
    public let lower: [Double]
    public let upper: [Double]
    public let activation: Activation
    public let adaptive: AdaptiveMode
    public let scale: Double
    public let layers: [Layer]
    /// The learned parameters of an inverse problem.
    public let learned: [String: Double]
    /// The iteration the parameters were taken at (nil when unknown).
    public let iteration: Int?
    /// False for a running job's latest checkpoint.
    public let final: Bool
    public let spec: JobSpec
    /// The network's flat parameter vector (the engine's layout, docs/design.md), for rebuilding it exactly.
    public let parameters: [Double]
}

extension TrainedSolution {
    public var model: ModelExport {
        let architecture = network.architecture
        let layout = network.layout
        let layers = layout.layers.enumerated().map { k, layer in
            ModelExport.Layer(
                weights: (0..<layer.fanOut).map { r in
                    Array(network.parameters[(layer.weights + r * layer.fanIn)..<(layer.weights + (r + 1) * layer.fanIn)])
                },
                biases: Array(network.parameters[layer.biases..<(layer.biases + layer.fanOut)]),
                slopes: k < architecture.hidden.count ? network.slopes(layer: k) : nil)
        }
        return ModelExport(inputs: problem.inputs, outputs: problem.outputs, lower: problem.lower, upper: problem.upper,
                           activation: architecture.activation, adaptive: architecture.adaptive,
                           scale: architecture.effectiveScale, layers: layers, learned: learned, iteration: iteration,
                           final: final, spec: spec, parameters: network.parameters)
    }
}
