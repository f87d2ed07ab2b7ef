import Foundation
import Testing
@testable import PINN

/// Levenberg–Marquardt phases inside a training run: after Adam it lowers the loss far below where Adam left it,
/// it resumes bit for bit mid-phase with resampling, and it trains in Float with a Double Jacobian.
@Suite struct LevenbergMarquardtTrainingTests {
    typealias Step = TrainerTests.Step
    typealias CheckpointSink = TrainerTests.CheckpointSink

    /// Small Burgers with Adam, then LM with the slopes frozen, resampling every 10 iterations.
    static func spec(precision: JobSpec.Precision = .double) -> JobSpec {
        var spec = TrainerTests.smallBurgers(precision: precision, adam: 15, lbfgs: 25)
        spec.training.phases[1].optimizer = .lm
        spec.training.resampling = .init(every: 10, candidates: 2000)
        return spec
    }

    @Test func aLevenbergMarquardtPhaseLowersTheLossAtEveryStepAndReportsItsWork() throws {
        var spec = Self.spec()
        spec.training.resampling = nil
        final class Sink: @unchecked Sendable { var losses: [Double] = [] }
        let sink = Sink()
        let result = try Trainer.run(spec, observer: { if case .loss(let r) = $0, r.phase == 1 { sink.losses.append(r.total) } })
        #expect(result.status == .succeeded)
        let counters = try #require(result.phases[1].levenbergMarquardt)
        #expect(counters.iterations == 25)
        #expect(counters.residualRows == 600 + 60 + 60)
        #expect(counters.jacobianSeconds > 0 && counters.productSeconds > 0 && counters.solveSeconds > 0)
        // A step is taken only where it lowers the loss; from where 15 Adam steps left a fresh network, 25 of them
        // (measured: 13×) go well below it.
        #expect(zip(sink.losses, sink.losses.dropFirst()).allSatisfy { $1 <= $0 }, "\(sink.losses)")
        #expect(result.phases[1].finalLoss < 0.2 * result.phases[0].finalLoss,
                "Adam \(result.phases[0].finalLoss), LM \(result.phases[1].finalLoss)")
    }

    @Test(arguments: [20, 33])
    func aCancelledRunResumesBitForBit(stopAfter: Int) throws {
        let spec = Self.spec()
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
        #expect(checkpoint.phase == 1 && checkpoint.points != nil)
        let second = CheckpointSink()
        let resumed = try Trainer.run(spec, resume: checkpoint, observer: collect(second))
        #expect(resumed.status == .succeeded)
        #expect(resumed.parameters == uninterrupted.parameters)
        #expect(second.steps.filter { $0.iteration >= checkpoint.iteration }
                == whole.steps.filter { $0.iteration >= checkpoint.iteration })
    }

    @Test func floatRunsTrainWithADoubleJacobian() throws {
        var spec = Self.spec(precision: .float)
        spec.training.resampling = nil
        let result = try Trainer.run(spec)
        #expect(result.status == .succeeded)
        #expect(result.phases[1].levenbergMarquardt?.iterations ?? 0 > 0)
        #expect(result.phases[1].finalLoss < result.phases[0].finalLoss)
    }
}
