import Foundation
import PINN

/// The model export's documented formula (docs/api.md), written out plainly and independently of the engine's
/// kernels: ξ = 2(x − lower)/(upper − lower) − 1, hᵏ = σ(slopesᵏ ⊙ (Wᵏ hᵏ⁻¹ + bᵏ)), u = Wᴰ hᴰ⁻¹ + bᴰ.
public enum ModelFormula {
    public static func evaluate(_ model: ModelExport, _ x: [Double]) -> [Double] {
        var h = x.indices.map { 2 * (x[$0] - model.lower[$0]) / (model.upper[$0] - model.lower[$0]) - 1 }
        for layer in model.layers {
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
