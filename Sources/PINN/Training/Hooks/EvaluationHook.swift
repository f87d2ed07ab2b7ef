/// Sends the error against the exact solution on the output grid every `every` iterations (the run sends the
/// final one itself: it is part of the result).
final class EvaluationHook<Scalar: PINNScalar>: TrainingHook {
    let every: Int

    init(every: Int) {
        precondition(every > 0, "an evaluation interval of at least one iteration")
        self.every = every
    }

    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        if run.iteration % every == 0, let error = run.error(iteration: run.iteration, phase: phase.index) {
            run.emit(.evaluation(error))
        }
        return .proceed
    }
}
