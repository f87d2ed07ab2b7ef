import Foundation
import PINNNumerics

/// Residual-based adaptive distribution (RAD; Wu, Zhu, Tan, Kartha & Lu, "A comprehensive study of non-adaptive and
/// residual-based adaptive sampling for PINNs", CMAME 403, 2023): new collocation points where the PDE residual is
/// large, without abandoning the rest of the domain.
///
/// For resample number j, each interior term draws a pool of N uniform candidates x₁ … x_N from the job's seed
/// (stream 3, then j, then the term), evaluates the residual norm |r(xᵢ)| = (Σ_e r_e(xᵢ)²)^{1/2} there, and takes
/// as many points as the term has, without replacement, with probabilities proportional to
///
///     wᵢ = |r(xᵢ)|^k / mean_i(|r|^k) + c
///
/// (weighted sampling without replacement by Efraimidis & Spirakis' keys uᵢ^{1/wᵢ}, u uniform: the m largest keys).
/// The draw depends only on the seed, j and the network, so a resumed run resamples exactly as an uninterrupted one.
/// When the residual is not finite anywhere on the pool, the points are drawn uniformly (wᵢ = 1).
struct ResidualResampler {
    let settings: JobSpec.ResamplingSpec
    let problem: Problem
    let root: SeededGenerator

    /// The points of every term after resample number `index` for the network `parameters`: interior terms are
    /// drawn anew, the others keep theirs.
    func resample<T: PINNScalar>(_ parameters: [T], current: TrainingPoints, index: Int, architecture: NetworkArchitecture,
                                 threads: Int) -> TrainingPoints {
        let d = problem.inputs.count
        var perTerm = current.perTerm
        for (t, term) in problem.terms.enumerated() where term.region == .interior {
            let count = current.perTerm[t].count / d
            var generator = root.derived(3).derived(UInt64(index)).derived(UInt64(t))
            let pool = max(settings.candidates, count)
            var candidates = PointSampler.sample(.uniform, count: pool, dimensions: d, generator: &generator)
            for i in candidates.indices {
                let j = i % d
                candidates[i] = problem.lower[j] + candidates[i] * (problem.upper[j] - problem.lower[j])
            }
            var only = [[Double]](repeating: [], count: problem.terms.count)
            only[t] = candidates
            let evaluator = PINNLoss<T>(problem: problem, architecture: architecture,
                                        points: TrainingPoints(perTerm: only), slopeRecoveryWeight: 0, threads: threads)
            let squared = evaluator.squaredResiduals(parameters, term: t)
            let chosen = Self.choose(count, weights: weights(squared), generator: &generator)
            perTerm[t] = chosen.flatMap { candidates[($0 * d)..<($0 * d + d)] }
        }
        return TrainingPoints(perTerm: perTerm)
    }

    /// wᵢ = |rᵢ|^k / mean(|r|^k) + c from the squared residual norms |rᵢ|².
    func weights(_ squared: [Double]) -> [Double] {
        let powered = squared.map { Foundation.pow($0, settings.exponent / 2) }
        let mean = powered.reduce(0, +) / Double(powered.count)
        guard mean.isFinite, mean > 0 else { return [Double](repeating: 1, count: squared.count) }
        return powered.map { $0.isFinite ? $0 / mean + settings.constant : settings.constant }
    }

    /// `count` distinct indices, drawn with probabilities proportional to `weights` (Efraimidis & Spirakis, 2006:
    /// the indices of the largest keys log(uᵢ)/wᵢ), in ascending order.
    static func choose(_ count: Int, weights: [Double], generator: inout SeededGenerator) -> [Int] {
        let keys = weights.map { w -> Double in
            let u = 1 - generator.nextUnit()                     // (0, 1]
            return w > 0 ? Foundation.log(u) / w : -.infinity
        }
        let order = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : $0 < $1 }
        return order.prefix(count).sorted()
    }
}
