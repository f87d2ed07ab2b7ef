/// How a phase ended.
enum PhaseOutcome {
    /// It ran its iterations (`maxIterations`), or its optimiser stopped for the reason given.
    case finished(StopReason)
    case failed(TrainingFailure)
    case cancelled

    /// The reason its report gives.
    var stopReason: StopReason {
        switch self {
        case .finished(let reason): reason
        case .cancelled: .cancelled
        case .failed(.nonFiniteAtStart), .failed(.diverged): .nonFiniteLoss
        case .failed(.checkpointNotEncoded), .failed(.checkpointNotResumable): .maxIterations
        }
    }
}

/// Why a run failed. Its description is the message a user reads (in the summary, the job's status, the CLI).
public enum TrainingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The loss was not finite before any step: the problem is at fault. The first term (in order) with a
    /// non-finite residual, and the first point where it is not finite, as "x = 0.5, t = 0".
    case nonFiniteAtStart(term: String, point: String)
    /// The loss became non-finite while training: the optimiser diverged (after every rollback `policy` allowed).
    case diverged(iteration: Int, phase: Int, optimizer: JobSpec.OptimizerKind, policy: JobSpec.DivergenceAction)
    /// The optimiser's state could not be encoded for a checkpoint.
    case checkpointNotEncoded(reason: String)
    /// A checkpoint's optimiser state does not fit the phase it resumes.
    case checkpointNotResumable(phase: Int, reason: String)

    public var description: String {
        switch self {
        case let .nonFiniteAtStart(term, point):
            "the loss is not finite before training starts: the residual of term \"\(term)\" is not finite at "
                + "(\(point)); check its expressions (a division by zero, a logarithm or square root of a negative "
                + "value on the domain) and the problem's parameters"
        case let .diverged(iteration, phase, optimizer, policy):
            "the loss became non-finite at iteration \(iteration) (phase \(phase), \(optimizer.rawValue))"
                + (policy == .rollback
                   ? " after \(JobSpec.DivergenceAction.maxRollbacks) rollbacks to the last good state" : "")
                + (optimizer == .adam ? "; lower the learning rate" + (policy == .rollback ? " further"
                   : " or set training.onDivergence to \"rollback\"") : "")
        case .checkpointNotEncoded(let reason):
            "could not encode the optimiser's state for a checkpoint: \(reason)"
        case let .checkpointNotResumable(phase, reason):
            "the checkpoint of phase \(phase) cannot be resumed: \(reason)"
        }
    }
}
