/// A trained network as a self-contained document, enough to evaluate it anywhere (docs/api.md gives a numpy
/// function that does, to 1e-12 of the server):
///
///     ξ = 2(x − lower)/(upper − lower) − 1
///     h⁰ = ξ,  hᵏ = σ(slopesᵏ ⊙ (Wᵏ hᵏ⁻¹ + bᵏ))  for the hidden layers,  u = Wᴰ hᴰ⁻¹ + bᴰ
///
/// where `slopes` are the effective slopes n·a per neuron (all 1 for a fixed activation), W is fanOut × fanIn.
/// With `features`, h⁰ is instead: v = for each input j in order, cos(2πx_j/P_j), sin(2πx_j/P_j) when it has a
/// period P_j, else ξ_j; then h⁰ = [cos(Bv), sin(Bv)] with the Fourier matrix B when given, else h⁰ = v.
///
/// A time-marched job (`training.timeWindows`, format `pinn-model/2`) has one network per time window: `windows`
/// lists each one's box (`lower`, `upper`: t restricted to the window), `layers` and `parameters`, and `seams` the
/// times t_1 … t_{k−1} where the next window takes over. A point with time t is evaluated by window
/// j = min(#{seams ≤ t}, windows − 1) with that window's box in ξ (a seam belongs to the later window). The top-level
/// `lower`/`upper` are then the whole box, `layers`/`parameters` the first window's.
public struct ModelExport: Codable, Sendable {
    public struct Layer: Codable, Sendable {
        public let weights: [[Double]]
        public let biases: [Double]
        /// n·a for every neuron of a hidden layer; absent on the output layer.
        public let slopes: [Double]?
    }

    /// Periods per input (null: the input enters as ξ) and the Fourier matrix B (m × entries of v), if any.
    public struct Features: Codable, Sendable {
        public let periods: [Double?]
        public let fourier: [[Double]]?
    }

    /// One time window's network (time-marched jobs).
    public struct Window: Codable, Sendable {
        public let lower: [Double]
        public let upper: [Double]
        public let layers: [Layer]
        public let parameters: [Double]
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
    /// Input features (nil: none, h⁰ = ξ).
    public let features: Features?
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
    /// The input whose windows these are (time-marched jobs only), the seams t_1 … t_{k−1}, and the windows'
    /// networks in time order (a running job's: those trained so far and the current one).
    public var timeInput: String? = nil
    public var seams: [Double]? = nil
    public var windows: [Window]? = nil
}

extension TrainedSolution {
    public var model: ModelExport {
        let architecture = solution.architecture
        let first = solution.networks[0]
        var model = ModelExport(inputs: problem.inputs, outputs: problem.outputs, lower: problem.lower, upper: problem.upper,
                                activation: architecture.activation, adaptive: architecture.adaptive,
                                scale: architecture.effectiveScale, features: architecture.features.map(Self.features),
                                layers: Self.layers(first), learned: learned, iteration: iteration,
                                final: final, spec: spec, parameters: first.parameters)
        if spec.training.windowCount > 1 {
            model.format = "pinn-model/2"
            model.timeInput = problem.inputs[solution.windows.input]
            model.seams = solution.windows.seams
            model.windows = solution.networks.map { network in
                ModelExport.Window(lower: network.lower, upper: network.upper, layers: Self.layers(network),
                                   parameters: network.parameters)
            }
        }
        return model
    }

    private static func layers(_ network: Network<Double>) -> [ModelExport.Layer] {
        let architecture = network.architecture
        return network.layout.layers.enumerated().map { k, layer in
            ModelExport.Layer(
                weights: (0..<layer.fanOut).map { r in
                    Array(network.parameters[(layer.weights + r * layer.fanIn)..<(layer.weights + (r + 1) * layer.fanIn)])
                },
                biases: Array(network.parameters[layer.biases..<(layer.biases + layer.fanOut)]),
                slopes: k < architecture.hidden.count ? network.slopes(layer: k) : nil)
        }
    }

    private static func features(_ features: InputFeatures) -> ModelExport.Features {
        let b = features.fourier.map { f in
            let flat = f.frequencies(columns: features.baseCount)
            return (0..<f.count).map { Array(flat[($0 * features.baseCount)..<(($0 + 1) * features.baseCount)]) }
        }
        return ModelExport.Features(periods: features.periods, fourier: b)
    }
}
