/// A network moved onto another input box as the same function of the physical inputs: what a time window starts
/// from (time-marching, docs/design.md §13).
extension Network {
    /// The same function of x on the box `lower`…`upper`. Each input's scaled coordinate on the old box is affine in
    /// the new one,
    ///
    ///     ξ_old = a·ξ_new + c,   a = s_old/s_new,   c = a + s_old·(lower_new − lower_old) − 1,   s = 2/(upper − lower),
    ///
    /// so where ξ_j enters the first layer linearly, its column becomes a·W_{:,j} and the bias b + c·W_{:,j}: the
    /// network outside its old box is its extrapolation. An input with periodic features enters as cos/sin of x
    /// itself and needs nothing; with Fourier features ξ enters through cos/sin and cannot be moved, so the parameters
    /// are kept as they are (the same weights on the new box).
    public func continued(onto newLower: [Double], _ newUpper: [Double]) -> Network<T> {
        var moved = parameters
        let features = architecture.features
        if features?.fourier == nil {
            let first = layout.layers[0]
            let periods = features?.periods ?? [Double?](repeating: nil, count: lower.count)
            var column = 0
            for j in lower.indices {
                defer { column += periods[j] == nil ? 1 : 2 }
                guard periods[j] == nil, lower[j] != newLower[j] || upper[j] != newUpper[j] else { continue }
                let oldScale = 2 / (upper[j] - lower[j]), newScale = 2 / (newUpper[j] - newLower[j])
                let a = oldScale / newScale
                let c = a + oldScale * (newLower[j] - lower[j]) - 1
                for r in 0..<first.fanOut {
                    let w = Double(parameters[first.weights + r * first.fanIn + column])
                    moved[first.weights + r * first.fanIn + column] = T(a * w)
                    moved[first.biases + r] = T(Double(parameters[first.biases + r]) + c * w)
                }
            }
        }
        return Network(architecture: architecture, lower: newLower, upper: newUpper, parameters: moved)
    }
}
