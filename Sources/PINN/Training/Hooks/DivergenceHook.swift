import Foundation

/// The guard against a non-finite loss (`training.onDivergence`, docs/design.md §8). With `fail`, the run fails at
/// once. With `rollback`, the hook keeps the last good state — parameters, optimiser state, position — at every
/// logged iteration, and after a non-finite loss goes back to it with the optimiser's step scaled by
/// `DivergenceAction.stepFactor`, at most `DivergenceAction.maxRollbacks` times a phase; the iterations after it
/// are trained (and logged) again.
final class DivergenceHook<Scalar: PINNScalar>: TrainingHook {
    let policy: JobSpec.DivergenceAction
    private var good: (parameters: [Scalar], state: Data, done: Int, iteration: Int, value: LossValue)?
    /// Rollbacks in this phase.
    private var rollbacks = 0

    init(policy: JobSpec.DivergenceAction) { self.policy = policy }

    func phaseStarted(_ run: TrainingRun<Scalar>, _ phase: PhaseProgress) { (good, rollbacks) = (nil, 0) }

    /// A non-finite loss here (at the start, or on resampled points) ends the phase or rolls back; a finite one
    /// at a logged iteration is the new good state.
    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        guard run.last.isFinite else { return rollBack(run, &phase, optimizer) }
        if policy == .rollback, run.isLogDue(phase), let state = try? optimizer.encodedState() {
            good = (run.parameters, state, phase.done, run.iteration, run.last)
        }
        return .proceed
    }

    func afterStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl,
                   stop: StopReason?) -> HookVerdict {
        stop == .nonFiniteLoss ? rollBack(run, &phase, optimizer) : .proceed
    }

    func phaseFinished(_ run: TrainingRun<Scalar>, _ report: inout PhaseReport) {
        report.rollbacks = rollbacks > 0 ? rollbacks : nil
    }

    /// Back to the last good state when allowed and not yet done `maxRollbacks` times in this phase; otherwise the
    /// run fails.
    private func rollBack(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress,
                          _ optimizer: OptimizerControl) -> HookVerdict {
        guard policy == .rollback, rollbacks < JobSpec.DivergenceAction.maxRollbacks, let good,
              (try? optimizer.rollBack(good.state, JobSpec.DivergenceAction.stepFactor)) != nil
        else { return .end(.failed(failure(run, phase: phase))) }
        rollbacks += 1
        (run.parameters, phase.done, run.iteration, run.last) = (good.parameters, good.done, good.iteration, good.value)
        return .retry
    }

    /// Why the run failed, with the advice that fits: at the very start no step has been taken, so the problem
    /// itself is at fault — name the term and a point where its residual is not finite; later, the optimiser
    /// diverged.
    private func failure(_ run: TrainingRun<Scalar>, phase: PhaseProgress) -> TrainingFailure {
        if run.iteration == 0, let (term, point) = firstNonFiniteResidual(run) {
            return .nonFiniteAtStart(term: term,
                                     point: zip(run.problem.inputs, point).map { "\($0) = \($1)" }.joined(separator: ", "))
        }
        return .diverged(iteration: run.iteration, phase: phase.index, optimizer: phase.spec.optimizer, policy: policy)
    }

    /// The first term (in order) with a sample whose residual is not finite, and that sample's first point.
    private func firstNonFiniteResidual(_ run: TrainingRun<Scalar>) -> (term: String, point: [Double])? {
        let d = run.problem.inputs.count
        for (t, term) in run.problem.terms.enumerated() {
            let squares = run.loss.squaredResiduals(run.parameters, term: t)
            guard let sample = squares.firstIndex(where: { !$0.isFinite }) else { continue }
            let start = sample * term.residual.rowsPerSample * d
            return (term.name, Array(run.points.perTerm[t][start..<(start + d)]))
        }
        return nil
    }
}
