import Foundation
import Testing
@testable import PINN

/// Causal weights (`CausalWeighting`, `training.causal`): the intervals and their weights by hand; the weights of a
/// network's points recomputed here from its per-sample residuals and times; the weighted loss against its
/// definition, its gradient against central differences and its Jacobian (ρᵀρ, 2Jᵀρ); a run that resumes bit for
/// bit with the weights and RAD; the spec's checks.
@Suite struct CausalWeightingTests {
    @Test func intervalsCutTheTimeAxisEvenlyAndClampTheEnds() {
        let intervals = CausalWeighting.intervals([0, 0.24, 0.25, 0.5, 0.99, 1, -0.1, 1.2], lower: 0, upper: 1, chunks: 4)
        #expect(intervals == [0, 0, 1, 2, 3, 3, 0, 3])
    }

    @Test func eachIntervalWeighsTheExponentialOfTheLossBeforeIt() {
        let c = CausalWeighting.intervalWeights([1, 2, 0.5, 0], epsilon: 0.5)
        let expected = [1, exp(-0.5), exp(-1.5), exp(-1.75)]
        for (a, b) in zip(c, expected) { #expect(abs(a - b) <= 1e-15 * b) }
        #expect(CausalWeighting.intervalWeights([3, .infinity, 1], epsilon: 0) == [1, 1, 1])
        #expect(CausalWeighting.intervalWeights([1, .infinity, 1], epsilon: 1) == [1, exp(-1), 0])
    }

    /// A small Burgers loss at its initial network (residuals far from zero at every time).
    static func burgers(chunks: Int = 8, epsilon: Double = 0.7) throws -> (TrainingRun<Double>, CausalWeighting) {
        var spec = TrainerTests.smallBurgers()
        spec.training.collocationPoints = 300
        spec.training.causal = .init(chunks: chunks, epsilon: epsilon, every: 5)
        let problem = try ProblemBuilder.make(spec)
        return (TrainingRun<Double>(spec: spec, problem: problem), CausalWeighting(settings: spec.training.causal!, problem: problem))
    }

    @Test func theWeightsFollowTheResidualsOfEachInterval() throws {
        let (run, weighting) = try Self.burgers()
        let weights = weighting.weights(run.parameters, loss: run.loss)
        let problem = run.problem
        let t = try #require(problem.terms.firstIndex { $0.region == .interior })
        #expect(weights.enumerated().allSatisfy { $0.offset == t ? $0.element != nil : $0.element == nil })
        // By hand: the interval of each sample from its t, the intervals' mean squared residuals, their weights.
        let points = run.loss.points.perTerm[t]
        let squared = run.loss.squaredResiduals(run.parameters, term: t)
        var sums = [Double](repeating: 0, count: 8), counts = [Double](repeating: 0, count: 8)
        for p in squared.indices {
            let i = min(7, Int(points[2 * p + 1] * 8))    // inputs (x, t), t ∈ [0, 1]
            sums[i] += problem.terms[t].weight * squared[p]
            counts[i] += 1
        }
        var before = 0.0
        for p in squared.indices {
            let i = min(7, Int(points[2 * p + 1] * 8))
            before = (0..<i).reduce(0) { $0 + sums[$1] / counts[$1] }
            #expect(abs(weights[t]![p] - exp(-0.7 * before)) <= 1e-12, "sample \(p) in interval \(i)")
        }
        #expect(before > 0.01, "the later intervals are held back: Σ L before the last sample's interval \(before)")
    }

    @Test func theWeightedLossIsItsDefinitionAndItsGradientMatchesCentralDifferences() throws {
        let (run, weighting) = try Self.burgers()
        let weighted = run.loss.points.weighted(weighting.weights(run.parameters, loss: run.loss))
        let loss = PINNLoss<Double>(problem: run.problem, architecture: run.network.architecture, points: weighted,
                                    slopeRecoveryWeight: 0, threads: 2)
        let theta = run.parameters
        var gradient = theta
        let value = loss.evaluate(theta, gradient: &gradient)
        let t = try #require(run.problem.terms.firstIndex { $0.region == .interior })
        let squared = loss.squaredResiduals(theta, term: t)
        let c = weighted.sampleWeights[t]!
        let mean = zip(c, squared).reduce(0) { $0 + $1.0 * $1.1 } / Double(squared.count)
        #expect(abs(value.terms[t] - mean) <= 1e-13 * mean, "weighted mean \(value.terms[t]) against \(mean)")
        let h = 1e-6
        var worst = 0.0
        for i in stride(from: 0, to: theta.count, by: 7) {
            var plus = theta, minus = theta, scratch = theta
            plus[i] += h
            minus[i] -= h
            let difference = (loss.evaluate(plus, gradient: &scratch).total - loss.evaluate(minus, gradient: &scratch).total) / (2 * h)
            worst = max(worst, abs(difference - gradient[i]) / max(1, abs(difference)))
        }
        #expect(worst < 1e-7, "worst relative difference \(worst)")
        // As a sum of squares: ρ carries √c_p.
        var (rho, jacobian) = ([Double](), [Double]())
        let columns = theta.indices.map { Optional($0) }
        loss.linearize(theta, columns: columns, columnCount: theta.count, residuals: &rho, jacobian: &jacobian)
        let sum = rho.reduce(0) { $0 + $1 * $1 }
        #expect(abs(sum - value.total) <= 1e-13 * value.total)
        let scale = gradient.map(abs).max()!
        for k in stride(from: 0, to: theta.count, by: 5) {
            let jtr = rho.indices.reduce(0) { $0 + jacobian[$1 * theta.count + k] * rho[$1] }
            #expect(abs(2 * jtr - gradient[k]) <= 1e-12 * scale)
        }
    }

    /// RAD every 10 iterations (or none), the weights every 7: a checkpoint between them carries the weights (and
    /// the resampled points), and the resumed run's history is the uninterrupted one's to the last bit.
    @Test(arguments: [(11, true), (33, true), (11, false), (26, false)])
    func aCancelledRunResumesBitForBit(stopAfter: Int, resampling: Bool) throws {
        var spec = QuasiNewtonTrainingTests.spec()
        spec.training.causal = .init(chunks: 8, epsilon: 1, every: 7)
        if !resampling { spec.training.resampling = nil }
        let (checkpoint, whole) = try QuasiNewtonTrainingTests.expectBitIdenticalResume(spec, stopAfter: stopAfter)
        #expect(checkpoint.sampleWeights != nil, "the weights travel with the checkpoint")
        #expect((checkpoint.points != nil) == resampling)
        // And the weights change the run.
        var plain = spec
        plain.training.causal = nil
        #expect(TrainerTests.history(plain) != whole)
    }

    /// The issues a spec is rejected with (empty: it parses).
    static func issues(_ json: String) -> [JobSpecError.Issue] {
        do throws(JobSpecError) {
            _ = try JobSpecParser.parse(Data(json.utf8))
            return []
        } catch {
            return error.issues
        }
    }

    @Test func theSpecsMembersAreChecked() throws {
        let bad = Self.issues(#"{"problem": "burgers", "training": {"causal": {"chunks": 0, "epsilon": -1, "every": 0, "m": 3}}}"#)
        #expect(Set(bad.map(\.field)) == ["training.causal.chunks", "training.causal.epsilon", "training.causal.every",
                                          "training.causal.m"])
        let timeless = Self.issues(#"{"problem": "poisson-1d", "training": {"causal": {}}}"#)
        #expect(timeless.map(\.field) == ["training.causal"])
        #expect(timeless.first?.message.contains("no input \"t\"") == true)
        // A fit with a time input but no interior term: nothing to weigh.
        let fit = #"""
            {"problem": {"name": "fit", "inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"],
                         "conditions": [{"on": "t = 0", "u": "x"}],
                         "observations": [{"columns": ["x", "t", "u"], "rows": [[0.5, 0.5, 1]]}]},
             "training": {"causal": {}}}
            """#
        let nothing = Self.issues(fit)
        #expect(nothing.map(\.field) == ["training.causal"], "\(nothing)")
        let good = try JobSpecParser.parse(Data(#"{"problem": "burgers", "training": {"causal": {"epsilon": 2}}}"#.utf8))
        #expect(good.training.causal == .init(chunks: 32, epsilon: 2, every: 250))
        let off = try JobSpecParser.parse(Data(#"{"problem": "burgers", "training": {"causal": null}}"#.utf8))
        #expect(off.training.causal == nil)
        // The normalised spec round-trips.
        let again = try JSONDecoder().decode(JobSpec.self, from: JSONEncoder().encode(good))
        #expect(again == good)
    }
}
