import Foundation

/// Work done beside the training loop rather than inside it (docs/design.md §8): checkpoints, cancellation,
/// resampling, the divergence guard, the loss history, evaluation, snapshots. The loop calls every hook of the run,
/// in the run's order, at fixed points of each iteration:
///
///     runStarted → per phase: phaseStarted → per iteration: beforeStep (every hook) → the optimiser's step
///                → afterStep (every hook) → phaseFinished → runFinished
///
/// A feature that needs one of these points adds a hook; the loop does not change. Every method has a default that
/// does nothing.
protocol TrainingHook<Scalar>: AnyObject {
    associatedtype Scalar: PINNScalar
    /// The run begins (or resumes): its clock is started, a checkpoint's state restored.
    func runStarted(_ run: TrainingRun<Scalar>)
    /// A phase begins: its points, loss and slope-recovery weight are set, its optimiser not yet built.
    func phaseStarted(_ run: TrainingRun<Scalar>, _ phase: PhaseProgress)
    /// At the top of an iteration. May change the run (new points, an earlier state) and ends the phase, starts
    /// the iteration over, or lets the next hook go on.
    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict
    /// After the optimiser's step, which asked to stop for `stop` (nil: it did not).
    func afterStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl,
                   stop: StopReason?) -> HookVerdict
    /// The phase has ended; its report is not yet sent, and the hook may add to it.
    func phaseFinished(_ run: TrainingRun<Scalar>, _ report: inout PhaseReport)
    /// Every phase has ended, and the final evaluation is sent.
    func runFinished(_ run: TrainingRun<Scalar>)
}

extension TrainingHook {
    func runStarted(_ run: TrainingRun<Scalar>) {}
    func phaseStarted(_ run: TrainingRun<Scalar>, _ phase: PhaseProgress) {}
    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        .proceed
    }
    func afterStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl,
                   stop: StopReason?) -> HookVerdict { .proceed }
    func phaseFinished(_ run: TrainingRun<Scalar>, _ report: inout PhaseReport) {}
    func runFinished(_ run: TrainingRun<Scalar>) {}
}

/// What a hook tells the loop.
enum HookVerdict {
    /// Go on: the next hook, then the step (or the next iteration).
    case proceed
    /// Start the iteration over: the hook has put the run back to an earlier state.
    case retry
    /// End the phase (and, unless it finished, the run).
    case end(PhaseOutcome)
}

/// What a hook may do to the phase's optimiser: read its state, tell it the objective changed, or put it back to a
/// state it gave. (The loop keeps the optimiser's concrete type for the step itself.)
struct OptimizerControl {
    /// The optimiser's whole state, to resume from (`PhaseOptimizer.encodedState`).
    let encodedState: () throws -> Data
    /// The loss was rebuilt on new points (`PhaseOptimizer.objectiveChanged`).
    let objectiveChanged: () -> Void
    /// Back to a state `encodedState` gave, the step scaled by a factor (`PhaseOptimizer.rollBack`).
    let rollBack: (_ state: Data, _ stepFactor: Double) throws -> Void
}

/// A hook with its type erased into closures. They are formed where the hook's concrete type is known (the run's
/// initialiser, specialised for its precision), so a hook's numerics — resampling, evaluating on the grid — run
/// specialised; calls through `any TrainingHook` would run them as unspecialised generic code.
struct AnyTrainingHook<T: PINNScalar> {
    let runStarted: (TrainingRun<T>) -> Void
    let phaseStarted: (TrainingRun<T>, PhaseProgress) -> Void
    let beforeStep: (TrainingRun<T>, inout PhaseProgress, OptimizerControl) -> HookVerdict
    let afterStep: (TrainingRun<T>, inout PhaseProgress, OptimizerControl, StopReason?) -> HookVerdict
    let phaseFinished: (TrainingRun<T>, inout PhaseReport) -> Void
    let runFinished: (TrainingRun<T>) -> Void

    init<H: TrainingHook>(_ hook: H) where H.Scalar == T {
        runStarted = { hook.runStarted($0) }
        phaseStarted = { hook.phaseStarted($0, $1) }
        beforeStep = { hook.beforeStep($0, &$1, $2) }
        afterStep = { hook.afterStep($0, &$1, $2, stop: $3) }
        phaseFinished = { hook.phaseFinished($0, &$1) }
        runFinished = { hook.runFinished($0) }
    }
}
