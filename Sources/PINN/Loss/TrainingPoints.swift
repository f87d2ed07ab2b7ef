import PINNNumerics

/// The points of every loss term, drawn once per job from its seed: interior points fill the box, face points
/// are split evenly over the term's faces (the first faces take the remainder), periodic pairs are drawn on the
/// lower face and mirrored onto the upper one, observations are taken as given. Row-major, physical coordinates.
///
/// A term may carry a weight per sample (`sampleWeights[t]`, one per sample; nil: every sample weighs 1): its loss is then
/// w_t/(N·E) Σ_p c_p Σ_e r_{p,e}² (causal weights, `CausalWeighting`).
public struct TrainingPoints: Sendable {
    public let perTerm: [[Double]]
    /// Per term, one weight per sample, or nil.
    public let sampleWeights: [[Double]?]

    public init(problem: Problem, interiorCount: Int, faceCount: Int, method: SamplingMethod,
                generator: inout SeededGenerator) {
        let d = problem.inputs.count
        func mapped(_ unit: [Double]) -> [Double] {
            unit.enumerated().map { index, u in
                let j = index % d
                return problem.lower[j] + u * (problem.upper[j] - problem.lower[j])
            }
        }
        perTerm = problem.terms.map { term in
            switch term.region {
            case .interior:
                return mapped(PointSampler.sample(method, count: term.points ?? interiorCount, dimensions: d,
                                                  generator: &generator))
            case .given(let points):
                return points
            case .periodic(let input):
                let count = term.points ?? faceCount
                let lowerFace = mapped(PointSampler.sample(method, count: count, dimensions: d, generator: &generator))
                var pairs = [Double](repeating: 0, count: 2 * count * d)
                for i in 0..<count {
                    for j in 0..<d {
                        pairs[2 * i * d + j] = lowerFace[i * d + j]
                        pairs[(2 * i + 1) * d + j] = lowerFace[i * d + j]
                    }
                    pairs[2 * i * d + input] = problem.lower[input]
                    pairs[(2 * i + 1) * d + input] = problem.upper[input]
                }
                return pairs
            case .faces(let faces):
                let total = term.points ?? faceCount
                var points: [Double] = []
                for (f, face) in faces.enumerated() {
                    let count = total / faces.count + (f < total % faces.count ? 1 : 0)
                    var facePoints = mapped(PointSampler.sample(method, count: count, dimensions: d,
                                                                generator: &generator))
                    let bound = face.upper ? problem.upper[face.input] : problem.lower[face.input]
                    for i in 0..<count { facePoints[i * d + face.input] = bound }
                    points += facePoints
                }
                return points
            }
        }
        sampleWeights = perTerm.map { _ in nil }
    }

    public init(perTerm: [[Double]], sampleWeights weights: [[Double]?]? = nil) {
        precondition(weights == nil || weights!.count == perTerm.count)
        self.perTerm = perTerm
        sampleWeights = weights ?? perTerm.map { _ in nil }
    }

    /// The same points with the samples of each term weighed by `weights` (nil for a term: weight 1).
    public func weighted(_ weights: [[Double]?]) -> TrainingPoints { TrainingPoints(perTerm: perTerm, sampleWeights: weights) }

    /// Whether any term weighs its samples.
    public var isWeighted: Bool { sampleWeights.contains { $0 != nil } }
}
