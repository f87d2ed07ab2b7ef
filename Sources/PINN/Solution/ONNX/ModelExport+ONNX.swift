/// A trained network as an ONNX graph (`GET /v1/jobs/{id}/model.onnx`, `pinn get ID model --format onnx`), built
/// from the model export's data (`ModelExport`: input box, weights, biases, slopes n·a per neuron), so it is the
/// network `/model` documents and `/predict` evaluates. It maps physical coordinates `inputs` [N, d] (columns in
/// the order of `ModelExport.inputs`) to `outputs` [N, m]:
///
///     ξ  = x ⊙ scale + shift    Mul, Add    scale = 2/(upper − lower), shift = −1 − 2·lower/(upper − lower)
///                                           (ξ = 2(x − lower)/(upper − lower) − 1, as the engine writes it)
///     h⁰ = ξ, or with input features (`inputFeatures`):
///          v  = per input j, cos(ω_j x_j), sin(ω_j x_j) with ω_j = 2π/P_j when it has a period, else ξ_j
///                               Mul, Cos, Sin, Concat [ξ, cos, sin], Gather of v's columns in order
///          h⁰ = [cos(v Bᵀ), sin(v Bᵀ)] with random Fourier features B, else v     MatMul, Cos, Sin, Concat
///     zᵏ = hᵏ⁻¹ Wᵏᵀ + bᵏ        MatMul, Add (points are rows, so Wᵏ is stored transposed: fanIn × fanOut)
///     hᵏ = σ(sᵏ ⊙ zᵏ)           Mul, then Tanh or Sin; sᵏ = n·a per neuron for every adaptive mode (a global or
///                               per-layer slope repeated), no Mul for `fixed` (s ≡ 1)
///     u  = hᴰ⁻¹ Wᴰᵀ + bᴰ        MatMul, Add
///
/// A time-marched model (`ModelExport.windows`) holds every window's network as above, their values named
/// `window<j>_…`, and picks per point (a seam belongs to the later window, as in the engine):
///
///     t  = inputs[:, t's column]                  Gather
///     u  = u⁰;  for j = 1 … k−1:  u = t < t_j ? u : u^j      Less, Where
///
/// A network trained in double precision exports DOUBLE tensors and agrees with `/predict` to ~1e-15 relative
/// (only the order of the sums differs); one trained in float exports FLOAT tensors, its parameters exactly (they
/// are floats), the input map rounded to float, so it agrees to ~1e-6.
extension ModelExport {
    public var onnx: ONNXModel {
        var graph = ONNXNetworkGraph(model: self)
        return graph.build()
    }
}

/// The graph under construction: initialisers and nodes appended in evaluation order, each value named for its
/// layer (`layer2_z`, `layer2_slope`, …) so a viewer such as Netron shows the network as the formula reads.
private struct ONNXNetworkGraph {
    let model: ModelExport
    let type: ONNXModel.ElementType
    var onnx: ONNXModel
    /// Prepended to the names of the network being built (`window<j>_` for a time window's, else empty).
    var prefix = ""

    init(model: ModelExport) {
        self.model = model
        type = model.spec.training.precision == .float ? .float : .double
        onnx = ONNXModel(graphName: "pinn_\(model.spec.problem.name)",
                         documentation: "PINN \(model.spec.problem.name): inputs [N, \(model.inputs.count)] "
                            + "(\(model.inputs.joined(separator: ", ")), physical coordinates) → outputs [N, "
                            + "\(model.outputs.count)] (\(model.outputs.joined(separator: ", "))); \(model.activation.rawValue), "
                            + "adaptive \(model.adaptive.rawValue), iteration \(model.iteration.map(String.init) ?? "unknown")"
                            + (model.final ? "" : " (a running job's checkpoint)"))
    }

    mutating func build() -> ONNXModel {
        let batch = ONNXModel.Dimension.parameter("N")
        onnx.inputs = [.init(name: "inputs", type: type, shape: [batch, .value(model.inputs.count)],
                             documentation: "columns: \(model.inputs.joined(separator: ", ")) (physical coordinates)")]
        if let windows = model.windows, let seams = model.seams, let time = model.timeInput,
           let column = model.inputs.firstIndex(of: time), windows.count > 1 {
            let values = windows.enumerated().map { j, window in
                prefix = "window\(j)_"
                return network("inputs", lower: window.lower, upper: window.upper, layers: window.layers)
            }
            prefix = ""
            let t = node("Gather", ["inputs", constant("time_column", dims: [1], [Double(column)], type: .int64)],
                         output: "time", axis: 1)
            var selected = values[0]
            for j in 1..<values.count {
                let before = node("Less", [t, constant("seam\(j)", dims: [1], [seams[j - 1]])], output: "before_seam\(j)")
                selected = node("Where", [before, selected, values[j]],
                                output: j == values.count - 1 ? "outputs" : "selected\(j)")
            }
        } else {
            _ = network("inputs", lower: model.lower, upper: model.upper, layers: model.layers)
        }
        onnx.outputs = [.init(name: "outputs", type: type, shape: [batch, .value(model.outputs.count)],
                              documentation: "columns: \(model.outputs.joined(separator: ", "))")]
        onnx.metadata = [("inputs", model.inputs.joined(separator: ",")), ("outputs", model.outputs.joined(separator: ",")),
                         ("activation", model.activation.rawValue), ("adaptive", model.adaptive.rawValue),
                         ("iteration", model.iteration.map(String.init) ?? ""), ("final", String(model.final))]
        return onnx
    }

    /// One network from the coordinates `x` to its output, named `outputs` (with the prefix of a window's).
    mutating func network(_ x: String, lower: [Double], upper: [Double], layers: [ModelExport.Layer]) -> String {
        var (h, width) = inputFeatures(x: x, xi: inputMap(x, lower: lower, upper: upper))
        for (k, layer) in layers.enumerated() {
            let isOutput = layer.slopes == nil
            let name = isOutput ? "output" : "layer\(k + 1)"
            precondition(layer.weights.allSatisfy { $0.count == width }, "layer \(k): fanIn does not match the previous width")
            h = affine(h, layer, name: name, result: isOutput ? "outputs" : "\(name)_z")
            width = layer.biases.count
            if let slopes = layer.slopes { h = activation(h, slopes: slopes, name: name) }
        }
        return h
    }

    /// ξ = x ⊙ scale + shift onto [−1, 1].
    mutating func inputMap(_ x: String, lower: [Double], upper: [Double]) -> String {
        let bounds = zip(lower, upper)
        let scale = constant("input_scale", dims: [model.inputs.count], bounds.map { 2 / ($1 - $0) })
        let shift = constant("input_shift", dims: [model.inputs.count], bounds.map { -1 - 2 * $0 / ($1 - $0) })
        return node("Add", [node("Mul", [x, scale], output: "input_scaled"), shift], output: "xi")
    }

    /// The one place input features enter the graph (`ModelExport.Features`): from the coordinates x and ξ, both
    /// [N, d], to what the first hidden layer takes, with its width. Without features, ξ itself.
    mutating func inputFeatures(x: String, xi: String) -> (value: String, width: Int) {
        let d = model.inputs.count
        guard let features = model.features else { return (xi, d) }
        var v = xi, width = d
        if features.periods.contains(where: { $0 != nil }) {
            // The angles of every input (ω_j = 0 where there is no period: those columns are not taken), then v's
            // columns gathered from [ξ, cos, sin] in the engine's order.
            let omega = constant("feature_omega", dims: [d], features.periods.map { $0.map { 2 * Double.pi / $0 } ?? 0 })
            let angle = node("Mul", [x, omega], output: "feature_angle")
            let candidates = node("Concat", [xi, node("Cos", [angle], output: "feature_cos"),
                                             node("Sin", [angle], output: "feature_sin")],
                                  output: "feature_candidates", axis: 1)
            let columns = features.periods.enumerated().flatMap { j, period in period == nil ? [j] : [d + j, 2 * d + j] }
            let indices = constant("feature_columns", dims: [columns.count], columns.map(Double.init), type: .int64)
            v = node("Gather", [candidates, indices], output: "feature_v", axis: 1)
            width = columns.count
        }
        guard let b = features.fourier, !b.isEmpty else { return (v, width) }
        let m = b.count
        precondition(b.allSatisfy { $0.count == width }, "Fourier matrix: its columns do not match the base features")
        let transposed = (0..<width).flatMap { i in (0..<m).map { r in b[r][i] } }
        let angle = node("MatMul", [v, constant("fourier_matrix", dims: [width, m], transposed)], output: "fourier_angle")
        let h = node("Concat", [node("Cos", [angle], output: "fourier_cos"), node("Sin", [angle], output: "fourier_sin")],
                     output: "fourier_features", axis: 1)
        return (h, 2 * m)
    }

    /// z = h Wᵀ + b.
    mutating func affine(_ h: String, _ layer: ModelExport.Layer, name: String, result: String) -> String {
        let fanOut = layer.weights.count, fanIn = layer.weights.first?.count ?? 0
        let transposed = (0..<fanIn).flatMap { i in (0..<fanOut).map { o in layer.weights[o][i] } }
        let weights = constant("\(name)_weight", dims: [fanIn, fanOut], transposed)
        let biases = constant("\(name)_bias", dims: [fanOut], layer.biases)
        return node("Add", [node("MatMul", [h, weights], output: "\(name)_matmul"), biases], output: result)
    }

    /// σ(s ⊙ z), the slopes left out for a fixed activation (where they are all 1).
    mutating func activation(_ z: String, slopes: [Double], name: String) -> String {
        var argument = z
        if model.adaptive != .fixed {
            argument = node("Mul", [z, constant("\(name)_slope", dims: [slopes.count], slopes)], output: "\(name)_scaled")
        }
        let op = switch model.activation {
        case .tanh: "Tanh"
        case .sin: "Sin"
        }
        return node(op, [argument], output: "\(name)_h")
    }

    /// An initialiser of the network's element type (or `type`).
    mutating func constant(_ name: String, dims: [Int], _ values: [Double], type: ONNXModel.ElementType? = nil) -> String {
        onnx.initializers.append(.init(name: prefix + name, type: type ?? self.type, dims: dims, values: values))
        return prefix + name
    }

    /// A node named for its one output; `axis` for Concat and Gather.
    mutating func node(_ op: String, _ inputs: [String], output: String, axis: Int64? = nil) -> String {
        let output = prefix + output
        onnx.nodes.append(.init(name: output, opType: op, inputs: inputs, outputs: [output],
                                attributes: axis.map { [("axis", $0)] } ?? []))
        return output
    }
}
