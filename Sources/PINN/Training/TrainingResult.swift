/// The outcome of a training run: the final network and everything the summary reports.
public struct TrainingResult: Sendable {
    public enum Status: String, Sendable, Codable { case succeeded, failed, cancelled }

    public let status: Status
    /// Why the run failed (nil unless failed).
    public let failureReason: TrainingFailure?
    /// The message of `failureReason`: what a user reads.
    public var failure: String? { failureReason?.description }
    public let phases: [PhaseReport]
    public let wallSeconds: Double
    public let finalLoss: LossValue
    /// Relative L2 error on the output grid, when the problem has an exact solution.
    public let relativeL2: Double?
    public let architecture: NetworkArchitecture
    public let lower: [Double]
    public let upper: [Double]
    /// The final network parameters (widened to Double whatever the training precision); a time-marched job's
    /// windows' networks one after the other.
    public let parameters: [Double]
    /// The final values of the problem's learned parameters, by name (empty unless an inverse problem).
    public let learned: [String: Double]

    /// The result of a run whose last phase ended with `outcome`.
    init(outcome: PhaseOutcome, phases: [PhaseReport], wallSeconds: Double, finalLoss: LossValue, relativeL2: Double?,
         architecture: NetworkArchitecture, lower: [Double], upper: [Double], parameters: [Double],
         learned: [String: Double]) {
        switch outcome {
        case .finished: (status, failureReason) = (.succeeded, nil)
        case .cancelled: (status, failureReason) = (.cancelled, nil)
        case .failed(let failure): (status, failureReason) = (.failed, failure)
        }
        (self.phases, self.wallSeconds, self.finalLoss, self.relativeL2) = (phases, wallSeconds, finalLoss, relativeL2)
        (self.architecture, self.lower, self.upper) = (architecture, lower, upper)
        (self.parameters, self.learned) = (parameters, learned)
    }

    /// The trained network, in Double (a job without time windows; a time-marched job's solution is
    /// `TrainedSolution.solution`, one network per window).
    public var network: Network<Double> {
        Network(architecture: architecture, lower: lower, upper: upper,
                parameters: Array(parameters[..<ParameterLayout(architecture).count]))
    }
}

extension TrainingResult {
    /// The learned parameters in the spec's order: what follows the network's parameters in checkpoints and
    /// stored results (`TrainedSolution` reads them back).
    public func learnedInOrder(_ spec: JobSpec) -> [Double] {
        spec.problem.learned.map { learned[$0.name] ?? $0.initial }
    }

    /// The network's parameters followed by the learned ones: everything `TrainedSolution` needs.
    public func allParameters(_ spec: JobSpec) -> [Double] { parameters + learnedInOrder(spec) }
}
