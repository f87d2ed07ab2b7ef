/// A problem cut into time windows (time-marching, docs/design.md §13): what a problem must have to be marched, and
/// the problem a window trains on.
extension Problem {
    /// The initial condition's terms: those on the face t = t₀ only.
    public var initialTerms: [Int] {
        guard let t = timeInput else { return [] }
        return terms.indices.filter { terms[$0].region == .faces([Face(input: t, upper: false)]) }
    }

    /// Why this problem cannot be marched in time (nil: it can). It needs an input t and an initial condition (a
    /// condition on the face t = t₀ alone); a condition on the face t = T or on t-faces together with others, one
    /// periodic in t, observations and learned parameters are not cut into windows.
    public var timeMarchingRefusal: String? {
        guard let t = timeInput else {
            return "marches in time: the problem has no input \"t\" (its inputs: \(inputs.joined(separator: ", ")))"
        }
        if initialTerms.isEmpty {
            return "marches from an initial condition: the problem has no condition on the face t = \(lower[t]) alone"
        }
        for term in terms {
            switch term.region {
            case .faces(let faces) where faces.contains(where: { $0.input == t }) && term.region != .faces([Face(input: t, upper: false)]):
                return "the condition \"\(term.name)\" holds on a face of t other than the initial one alone; only an "
                    + "initial condition (t = \(lower[t])) can be carried from window to window"
            case .periodic(input: t):
                return "the condition \"\(term.name)\" is periodic in t, which windows in t cannot represent"
            case .given:
                return "the observations \"\(term.name)\" are not split into time windows"
            default: continue
            }
        }
        if !learned.isEmpty { return "learned parameters are not carried across time windows" }
        return nil
    }

    /// The same problem on the box `lower`…`upper` (a time window): its points are drawn there and its network maps
    /// that box to [−1, 1].
    public func restricted(lower: [Double], upper: [Double]) -> Problem {
        Problem(name: name, inputs: inputs, outputs: outputs, lower: lower, upper: upper, terms: terms, exact: exact,
                parameters: parameters, learned: learned)
    }

    /// The problem of window `j` of `windows`: the box restricted to the window.
    public func window(_ j: Int, of windows: TimeWindows) -> Problem {
        let box = windows.box(j, lower: lower, upper: upper)
        return restricted(lower: box.lower, upper: box.upper)
    }

    /// This (window) problem with its initial condition replaced by the seam condition: each initial term matches
    /// the previous window's network `previous` in the derivatives it reads, at the term's points in `points`
    /// (`SeamResidual`). The term keeps its name, weight and points.
    public func seamed<T: PINNScalar>(previous: Network<T>, points: TrainingPoints) -> Problem {
        var seamed = self
        for k in initialTerms {
            let old = terms[k]
            let derivatives = Self.unique(old.residual.derivatives)
            let residual = SeamResidual(derivatives: derivatives, outputCount: outputs.count,
                                        previous: previous.evaluate(points.perTerm[k], derivatives: derivatives))
            seamed.terms[k] = LossTermDefinition(name: old.name, region: old.region, residual: residual,
                                                 weight: old.weight, points: old.points)
        }
        return seamed
    }

    private static func unique(_ derivatives: [Derivative]) -> [Derivative] {
        var seen: [Derivative] = []
        for d in derivatives where !seen.contains(d) { seen.append(d) }
        return seen.isEmpty ? [[]] : seen
    }
}
