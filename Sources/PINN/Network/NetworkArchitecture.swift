/// The shape of a fully connected PINN: z^k = W^k h^{k−1} + b^k, h^k = σ(n·a^k ⊙ z^k), u = W^D h^{D−1} + b^D.
public struct NetworkArchitecture: Codable, Sendable, Equatable {
    public var inputs: Int
    public var outputs: Int
    /// Widths of the hidden layers (D − 1 of them).
    public var hidden: [Int]
    public var activation: Activation
    public var adaptive: AdaptiveMode
    /// The fixed scale factor n ≥ 1; slopes start at a = 1/n so that n·a = 1. Ignored (taken as 1) when fixed.
    public var scale: Double
    /// Periodic and Fourier input features in front of the first layer; nil: the first layer takes ξ.
    public var features: InputFeatures?

    public init(inputs: Int, outputs: Int, hidden: [Int], activation: Activation = .tanh,
                adaptive: AdaptiveMode = .fixed, scale: Double = 1, features: InputFeatures? = nil) {
        precondition(features.map { $0.periods.count == inputs } ?? true, "one period entry per input")
        self.inputs = inputs
        self.outputs = outputs
        self.hidden = hidden
        self.activation = activation
        self.adaptive = adaptive
        self.scale = scale
        self.features = features
    }

    /// The scale actually applied: 1 for fixed activations.
    public var effectiveScale: Double { adaptive == .fixed ? 1 : scale }

    /// What the first hidden layer takes: the inputs, or their features.
    public var firstLayerInputs: Int { features?.count ?? inputs }

    /// Fan-ins and fan-outs of all layers, the first layer's input first: [firstLayerInputs, hidden..., outputs].
    public var widths: [Int] { [firstLayerInputs] + hidden + [outputs] }
}

/// Where each parameter lives in the one flat parameter vector the optimisers see:
/// for each layer k, W^k (fanOut × fanIn, row-major) then b^k; after all layers, the slopes.
public struct ParameterLayout: Sendable, Equatable {
    public struct Layer: Sendable, Equatable {
        public let fanIn: Int
        public let fanOut: Int
        public let weights: Int
        public let biases: Int
    }

    public let layers: [Layer]
    /// Offset and count of the slope parameters.
    public let slopes: Range<Int>
    /// For hidden layer k, the offset into `slopes` of its first neuron's slope and the stride between neurons
    /// (0 when the neurons share a slope).
    public let slopeStart: [Int]
    public let slopeStride: [Int]
    public let count: Int

    public init(_ architecture: NetworkArchitecture) {
        let widths = architecture.widths
        var offset = 0
        var layers: [Layer] = []
        for k in 1..<widths.count {
            let weights = offset
            offset += widths[k] * widths[k - 1]
            layers.append(Layer(fanIn: widths[k - 1], fanOut: widths[k], weights: weights, biases: offset))
            offset += widths[k]
        }
        self.layers = layers
        let hidden = architecture.hidden
        switch architecture.adaptive {
        case .fixed:
            slopeStart = hidden.map { _ in 0 }
            slopeStride = hidden.map { _ in 0 }
            slopes = offset..<offset
        case .global:
            slopeStart = hidden.map { _ in 0 }
            slopeStride = hidden.map { _ in 0 }
            slopes = offset..<offset + 1
        case .layer:
            slopeStart = Array(hidden.indices)
            slopeStride = hidden.map { _ in 0 }
            slopes = offset..<offset + hidden.count
        case .neuron:
            var starts: [Int] = []
            var running = 0
            for width in hidden { starts.append(running); running += width }
            slopeStart = starts
            slopeStride = hidden.map { _ in 1 }
            slopes = offset..<offset + running
        }
        count = slopes.upperBound
    }
}
