import Foundation
import PINNNumerics

/// Causal weights (Wang, Sankaran & Perdikaris, "Respecting causality for training physics-informed neural networks",
/// CMAME 421, 2024; arXiv 2203.07404): a network trained on all times at once can fit the PDE at late times to a
/// wrong state before the early times that determine it are right. The time axis [t₀, T] is cut into M equal
/// intervals; with L_i the mean, over the samples in interval i of every interior term together (equations and
/// conditions on the domain), of w_t·|r|²/E_t (a sample's squared residual norm with its term's weight, its
/// equations averaged),
///
///     c_i = exp(−ε Σ_{k<i} L_k),
///
/// and every interior sample in interval i weighs c_i in the loss (`TrainingPoints.sampleWeights`). c₀ = 1; a later interval
/// counts once everything before it is fitted. The weights are constants of the objective (no gradient flows through
/// them): they are recomputed every `every` iterations and after each resample, so a quasi-Newton phase sees a fixed
/// objective in between. Condition terms (initial, boundary) keep weight 1.
struct CausalWeighting {
    let settings: JobSpec.CausalSpec
    let problem: Problem

    /// Whether the problem has samples to weigh: a time input and an interior term (the parser refuses
    /// `training.causal` otherwise).
    var weighsAnything: Bool { problem.timeInput != nil && problem.terms.contains { $0.region == .interior } }

    /// The interval of each time in [lower, upper] cut into `chunks` (times outside clamp to the ends).
    static func intervals(_ times: [Double], lower: Double, upper: Double, chunks: Int) -> [Int] {
        let width = (upper - lower) / Double(chunks)
        return times.map { t in min(chunks - 1, max(0, Int(((t - lower) / width).rounded(.down)))) }
    }

    /// c_i = exp(−ε Σ_{k<i} L_k) from the intervals' mean squared residuals L_k.
    static func intervalWeights(_ means: [Double], epsilon: Double) -> [Double] {
        guard epsilon > 0 else { return means.map { _ in 1 } }
        var before = 0.0
        return means.map { mean in
            defer { before += mean }
            let c = Foundation.exp(-epsilon * before)
            return c.isFinite ? c : 0
        }
    }

    /// Per term, the weight of each sample for the network `parameters` on the points of `loss`: interior terms get
    /// their samples' interval weights, the other terms nil.
    func weights<T: PINNScalar>(_ parameters: [T], loss: PINNLoss<T>) -> [[Double]?] {
        guard let time = problem.timeInput else { return problem.terms.map { _ in nil } }
        let d = problem.inputs.count, m = settings.chunks
        var sums = [Double](repeating: 0, count: m), counts = [Int](repeating: 0, count: m)
        var intervalsOf = [[Int]?](repeating: nil, count: problem.terms.count)
        for (t, term) in problem.terms.enumerated() where term.region == .interior {
            let k = term.residual.rowsPerSample, points = loss.points.perTerm[t]
            let times = stride(from: 0, to: points.count, by: d * k).map { points[$0 + time] }
            let intervals = Self.intervals(times, lower: problem.lower[time], upper: problem.upper[time], chunks: m)
            let squared = loss.squaredResiduals(parameters, term: t)
            let scale = term.weight / Double(term.residual.equationCount)
            for (p, i) in intervals.enumerated() {
                sums[i] += scale * (squared[p].isFinite ? squared[p] : .greatestFiniteMagnitude)
                counts[i] += 1
            }
            intervalsOf[t] = intervals
        }
        // L_k is a mean per interval over the samples of all interior terms; each term's share enters by its weight.
        let means = zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : 0 }
        let c = Self.intervalWeights(means, epsilon: settings.epsilon)
        return intervalsOf.map { intervals in intervals.map { $0.map { c[$0] } } }
    }
}
