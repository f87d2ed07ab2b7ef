/// The loss history: the loss terms (and the slopes, for an adaptive network) every `logEvery` iterations, right
/// after a resample or a recomputation of the causal weights, and at the end of every phase.
final class HistoryHook<Scalar: PINNScalar>: TrainingHook {
    func beforeStep(_ run: TrainingRun<Scalar>, _ phase: inout PhaseProgress, _ optimizer: OptimizerControl) -> HookVerdict {
        if run.isLogDue(phase) { record(run, phase: phase.index, resampled: phase.resampled, reweighed: phase.reweighed) }
        return .proceed
    }

    func phaseFinished(_ run: TrainingRun<Scalar>, _ report: inout PhaseReport) {
        record(run, phase: report.phase, resampled: false, reweighed: false)
    }

    private func record(_ run: TrainingRun<Scalar>, phase: Int, resampled: Bool, reweighed: Bool) {
        let value = run.last
        run.emit(.loss(LossRecord(iteration: run.iteration, phase: phase, total: value.total, terms: value.terms,
                                  slopeRecovery: value.slopeRecovery, seconds: run.elapsed,
                                  learned: run.problem.learned.isEmpty ? nil : run.learnedValues,
                                  resampled: resampled ? true : nil, reweighed: reweighed ? true : nil,
                                  window: run.windowLabel)))
        let slopes = run.network.layout.slopes
        guard !slopes.isEmpty else { return }
        let current = run.currentNetwork
        let means = run.network.architecture.hidden.indices.map { k in
            let s = current.slopes(layer: k)
            return s.reduce(0, +) / Double(s.count)
        }
        run.emit(.slopes(SlopeRecord(iteration: run.iteration, phase: phase,
                                     slopes: slopes.map { Double(run.parameters[$0]) }, layerMeans: means)))
    }
}
