import Foundation
import Testing
@testable import PINN

/// Dense quasi-Newton phases and residual-based resampling inside a training run: resume, reproducibility, the
/// resampled points themselves, and the spec's checks.
@Suite struct QuasiNewtonTrainingTests {
    typealias Step = TrainerTests.Step
    typealias CheckpointSink = TrainerTests.CheckpointSink

    /// Small Burgers with Adam, then SSBroyden with the slopes frozen, resampling every 10 iterations.
    static func spec(_ update: JobSpec.OptimizerKind = .ssbroyden, precision: JobSpec.Precision = .double) -> JobSpec {
        var spec = TrainerTests.smallBurgers(precision: precision, adam: 15, lbfgs: 25)
        spec.training.phases[1].optimizer = update
        spec.training.resampling = .init(every: 10, candidates: 2000)
        return spec
    }

    /// Also Levenberg–Marquardt, the other Double optimiser over the trained parameters (`ActiveParameters`).
    @Test(arguments: [(JobSpec.OptimizerKind.ssbroyden, 11), (.ssbroyden, 33), (.bfgs, 30), (.ssbfgs, 20), (.lm, 20),
                      (.lm, 33)])
    func aCancelledRunResumesBitForBit(update: JobSpec.OptimizerKind, stopAfter: Int) throws {
        let (checkpoint, _) = try Self.expectBitIdenticalResume(Self.spec(update), stopAfter: stopAfter)
        #expect(checkpoint.points != nil, "the resampled points travel with the checkpoint")
    }

    /// Runs `spec` whole, then cancelled after `stopAfter` polls and resumed from its last checkpoint (through the
    /// checkpoint's JSON, as the service stores it), and expects the resumed run to end where the whole one did with
    /// the same loss history from the checkpoint on. Returns the checkpoint and the whole run's history.
    static func expectBitIdenticalResume(_ spec: JobSpec, stopAfter: Int) throws
        -> (checkpoint: TrainingCheckpoint, whole: [TrainerTests.Step]) {
        let collect = CheckpointSink.collect
        let whole = CheckpointSink()
        let uninterrupted = try Trainer.run(spec, observer: collect(whole))
        #expect(uninterrupted.status == .succeeded)

        let first = CheckpointSink()
        let stopped = try Trainer.run(spec, checkpointEvery: 1e9, observer: collect(first), isCancelled: {
            first.polls += 1
            return first.polls > stopAfter
        })
        #expect(stopped.status == .cancelled)
        let checkpoint = try JSONDecoder().decode(TrainingCheckpoint.self,
                                                  from: JSONEncoder().encode(try #require(first.checkpoint)))
        let second = CheckpointSink()
        let resumed = try Trainer.run(spec, resume: checkpoint, observer: collect(second))
        #expect(resumed.status == .succeeded)
        #expect(resumed.parameters == uninterrupted.parameters)
        #expect(resumed.phases.map(\.iterations) == uninterrupted.phases.map(\.iterations))
        let tail = whole.steps.filter { $0.iteration >= checkpoint.iteration }
        #expect(second.steps.filter { $0.iteration >= checkpoint.iteration } == tail)
        return (checkpoint, whole.steps)
    }

    @Test func theSameSpecGivesTheSameHistoryAndAnotherSeedAnother() {
        let spec = Self.spec()
        #expect(TrainerTests.history(spec) == TrainerTests.history(spec))
        var other = spec
        other.training.seed += 1
        #expect(TrainerTests.history(other) != TrainerTests.history(spec))
    }

    @Test func floatRunsTrainWithADoubleInverseHessian() throws {
        let result = try Trainer.run(Self.spec(precision: .float))
        #expect(result.status == .succeeded)
        #expect(result.phases[1].quasiNewton?.iterations == 25)
        #expect(result.phases[1].finalLoss < result.phases[0].finalLoss)
    }

    @Test func theQuasiNewtonPhaseReportsItsWorkAndLowersTheLoss() throws {
        var spec = Self.spec()
        spec.training.resampling = nil
        spec.training.phases[1].iterations = 60
        let result = try Trainer.run(spec)
        let counters = try #require(result.phases[1].quasiNewton)
        #expect(counters.iterations == 60)
        #expect(counters.evaluations >= 60)
        #expect(counters.skippedUpdates + counters.restarts < 10)
        #expect(result.phases[1].finalLoss < 0.25 * result.phases[0].finalLoss)   // measured 0.115×
        #expect(result.phases[0].quasiNewton == nil)
    }

    /// The loss history marks every resample, at the iterations the spec asks for.
    @Test func resamplesAreMarkedInTheHistory() throws {
        var spec = Self.spec()
        spec.training.resampling?.until = 35
        final class Sink: @unchecked Sendable { var marked: [Int] = [] }
        let sink = Sink()
        _ = try Trainer.run(spec, observer: { if case .loss(let r) = $0, r.resampled == true { sink.marked.append(r.iteration) } })
        #expect(sink.marked == [10, 20, 30])
    }

    /// RAD concentrates points where the residual is large: with k = 2 and c = 0 on a residual that is large only
    /// for x > 0.8, nearly all points land there; the same seed draws the same points.
    @Test func resamplingFollowsTheResidualAndTheSeed() throws {
        var spec = TrainerTests.smallBurgers()
        spec.training.collocationPoints = 200
        let problem = try ProblemBuilder.make(spec)
        let run = TrainingRun<Double>(spec: spec, problem: problem)
        let pde = try #require(problem.terms.firstIndex { $0.region == .interior })
        let settings = JobSpec.ResamplingSpec(every: 1, candidates: 4000, exponent: 2, constant: 0)
        let resampler = ResidualResampler(settings: settings, problem: problem, root: SeededGenerator(seed: 9))
        let a = resampler.resample(run.parameters, current: run.points, index: 1, architecture: run.network.architecture,
                                   threads: 2)
        let b = resampler.resample(run.parameters, current: run.points, index: 1, architecture: run.network.architecture,
                                   threads: 1)
        let c = resampler.resample(run.parameters, current: run.points, index: 2, architecture: run.network.architecture,
                                   threads: 2)
        #expect(a.perTerm == b.perTerm, "the draw does not depend on the thread count")
        #expect(a.perTerm[pde] != c.perTerm[pde], "each resample draws anew")
        #expect(a.perTerm[pde].count == run.points.perTerm[pde].count)
        for t in problem.terms.indices where t != pde { #expect(a.perTerm[t] == run.points.perTerm[t]) }
        // Weights on a made-up residual: the choice follows them.
        var generator = SeededGenerator(seed: 5)
        let weights = (0..<1000).map { $0 >= 900 ? 100.0 : 0.01 }
        let chosen = ResidualResampler.choose(100, weights: weights, generator: &generator)
        #expect(Set(chosen).count == 100)
        #expect(chosen.filter { $0 >= 900 }.count >= 95)
        #expect(resampler.weights([4, 4, 0, 0]) == [2, 2, 0, 0])   // |r|² / mean(|r|²) + 0
    }

    @Test func aQuasiNewtonJobTooLargeForTheBudgetIsRejectedWithTheEstimate() {
        var limits = JobSpecParser.Limits()
        limits.maxQuasiNewtonBytes = 10 << 20
        let json = #"{"problem": "burgers", "training": {"phases": [{"optimizer": "ssbroyden", "iterations": 10}]}}"#
        #expect {
            try JobSpecParser.parse(Data(json.utf8), limits: limits)
        } throws: { error in
            let issue = (error as? JobSpecError)?.issues.first
            return issue?.field == "training.phases[0].optimizer" && issue?.message.contains("MiB") == true
                && issue?.message.contains("1361 parameters need 14 MiB") == true
        }
        let small = #"{"problem": "burgers", "network": {"layers": [10, 10]}, "training": {"phases": [{"optimizer": "bfgs"}]}}"#
        #expect((try? JobSpecParser.parse(Data(small.utf8), limits: limits)) != nil)
    }

    @Test func resamplingMembersAreChecked() {
        let bad = #"{"problem": "burgers", "training": {"resampling": {"every": 0, "candidates": 10, "k": 1}}}"#
        #expect {
            try JobSpecParser.parse(Data(bad.utf8))
        } throws: { error in
            let fields = Set((error as? JobSpecError)?.issues.map(\.field) ?? [])
            return fields == ["training.resampling.every", "training.resampling.candidates", "training.resampling.k"]
        }
        let good = #"{"problem": "burgers", "training": {"resampling": {"every": 250, "exponent": 2, "until": 4000}}}"#
        let spec = try? JobSpecParser.parse(Data(good.utf8))
        #expect(spec?.training.resampling == .init(every: 250, candidates: 50_000, exponent: 2, constant: 1, until: 4000))
    }
}
