import Foundation
import PINN

/// The model export's documented formula (docs/api.md), written out plainly and independently of the engine's
/// kernels: ξ = 2(x − lower)/(upper − lower) − 1, hᵏ = σ(slopesᵏ ⊙ (Wᵏ hᵏ⁻¹ + bᵏ)), u = Wᴰ hᴰ⁻¹ + bᴰ.
///
/// A time-marched model (`windows`): the window j = min(#{seams ≤ t}, windows − 1), then the same formula with that
/// window's box and layers.
public enum ModelFormula {
    public static func evaluate(_ model: ModelExport, _ x: [Double]) -> [Double] {
        guard let windows = model.windows, let seams = model.seams, let time = model.timeInput,
              let column = model.inputs.firstIndex(of: time) else {
            return evaluate(model, lower: model.lower, upper: model.upper, layers: model.layers, x)
        }
        let window = windows[min(seams.filter { $0 <= x[column] }.count, windows.count - 1)]
        return evaluate(model, lower: window.lower, upper: window.upper, layers: window.layers, x)
    }

    private static func evaluate(_ model: ModelExport, lower: [Double], upper: [Double], layers: [ModelExport.Layer],
                                 _ x: [Double]) -> [Double] {
        var h = x.indices.map { 2 * (x[$0] - lower[$0]) / (upper[$0] - lower[$0]) - 1 }
        for layer in layers {
            var z = layer.weights.indices.map { r in zip(layer.weights[r], h).map(*).reduce(0, +) + layer.biases[r] }
            if let slopes = layer.slopes {
                z = z.indices.map { r in
                    let a = slopes[r] * z[r]
                    return model.activation == .tanh ? Foundation.tanh(a) : Foundation.sin(a)
                }
            }
            h = z
        }
        return h
    }
}
