import Foundation
import Testing
import PINNTestSupport
@testable import PINN

/// The seam around the training loop: a hook is called at every point of the loop, in order, and what it answers
/// steers the loop.
@Suite struct TrainingHookTests {
    /// Writes down every call it gets; ends the phase, or starts an iteration over, when told to.
    final class Probe: TrainingHook {
        typealias Scalar = Double
        var calls: [String] = []
        /// (phase, iteration) where beforeStep ends the phase as converged.
        var endAt: (phase: Int, iteration: Int)?
        /// The iteration where afterStep puts the run back one iteration, once.
        var retryAfter: Int?
        private var saved: (parameters: [Double], done: Int, value: LossValue)?

        func runStarted(_ run: TrainingRun<Double>) { calls.append("run") }
        func phaseStarted(_ run: TrainingRun<Double>, _ phase: PhaseProgress) { calls.append("phase \(phase.index)") }
        func beforeStep(_ run: TrainingRun<Double>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
            calls.append("before \(run.iteration)")
            if let endAt, endAt == (phase.index, run.iteration) { return .end(.finished(.noProgress)) }
            if retryAfter == run.iteration + 1 { saved = (run.parameters, phase.done, run.last) }
            return .proceed
        }
        func afterStep(_ run: TrainingRun<Double>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl,
                       stop: StopReason?) -> HookVerdict {
            calls.append("after \(run.iteration)")
            guard retryAfter == run.iteration, let saved else { return .proceed }
            (run.parameters, phase.done, run.last) = (saved.parameters, saved.done, saved.value)
            run.iteration -= 1
            (retryAfter, self.saved) = (nil, nil)
            return .retry
        }
        func phaseFinished(_ run: TrainingRun<Double>, _ report: inout PhaseReport) {
            calls.append("finished \(report.phase): \(report.stopReason.rawValue) after \(report.iterations)")
        }
        func runFinished(_ run: TrainingRun<Double>) { calls.append("end \(run.iteration)") }
    }

    static func spec() -> JobSpec {
        var spec = JobSpec.smallClassicBurgers(adam: 3, lbfgs: 2)
        spec.output.grid = ["x": 8, "t": 3]
        return spec
    }

    @Test func aHookSeesEveryPointOfTheLoopInOrder() throws {
        let spec = Self.spec()
        let run = TrainingRun<Double>(spec: spec, problem: try ProblemBuilder.make(spec))
        let probe = Probe()
        run.add(probe)
        let result = run.run()
        #expect(result.status == .succeeded)
        #expect(probe.calls == ["run", "phase 0", "before 0", "after 1", "before 1", "after 2", "before 2", "after 3",
                                "finished 0: maxIterations after 3", "phase 1", "before 3", "after 4", "before 4",
                                "after 5", "finished 1: maxIterations after 2", "end 5"])
    }

    @Test func aHookEndsAPhaseWithItsReasonAndTheRunGoesOn() throws {
        let spec = Self.spec()
        let run = TrainingRun<Double>(spec: spec, problem: try ProblemBuilder.make(spec))
        let probe = Probe()
        probe.endAt = (0, 1)
        run.add(probe)
        let result = run.run()
        #expect(result.status == .succeeded)
        #expect(result.phases.map(\.stopReason) == [.noProgress, .maxIterations])
        #expect(result.phases.map(\.iterations) == [1, 2])
    }

    /// A retry that puts the run back one iteration trains that iteration again: the phase still counts its
    /// iterations once, and the loop starts the iteration over at the top (every hook again).
    @Test func aRetriedIterationIsTrainedAgain() throws {
        let spec = Self.spec()
        let run = TrainingRun<Double>(spec: spec, problem: try ProblemBuilder.make(spec))
        let probe = Probe()
        probe.retryAfter = 2
        run.add(probe)
        let result = run.run()
        #expect(result.status == .succeeded)
        #expect(probe.calls.prefix(8) == ["run", "phase 0", "before 0", "after 1", "before 1", "after 2", "before 1",
                                          "after 2"])
        #expect(probe.calls.filter { $0.hasPrefix("after") }.count == 6)
        #expect(result.phases.map(\.iterations) == [3, 2])
    }
}
