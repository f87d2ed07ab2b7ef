import Foundation
import Testing
@testable import PINN

/// Levenberg–Marquardt phases inside a training run: after Adam it lowers the loss at every step, well below
/// where Adam left it, and it trains in Float with a Double Jacobian. (Its bit-for-bit resume mid-phase with
/// resampling is one case of `QuasiNewtonTrainingTests.aCancelledRunResumesBitForBit`.)
@Suite struct LevenbergMarquardtTrainingTests {
    /// Small Burgers with Adam, then LM with the slopes frozen.
    static func spec(precision: JobSpec.Precision = .double) -> JobSpec {
        var spec = TrainerTests.smallBurgers(precision: precision, adam: 15, lbfgs: 25)
        spec.training.phases[1].optimizer = .lm
        return spec
    }

    @Test func aLevenbergMarquardtPhaseLowersTheLossAtEveryStepAndReportsItsWork() throws {
        let spec = Self.spec()
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

    @Test func floatRunsTrainWithADoubleJacobian() throws {
        let result = try Trainer.run(Self.spec(precision: .float))
        #expect(result.status == .succeeded)
        #expect(result.phases[1].levenbergMarquardt?.iterations ?? 0 > 0)
        #expect(result.phases[1].finalLoss < result.phases[0].finalLoss)
    }
}
