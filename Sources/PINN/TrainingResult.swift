/// The outcome of a training run: the final network and everything the summary reports.
public struct TrainingResult: Sendable {
    public enum Status: String, Sendable, Codable { case succeeded, failed, cancelled }

    public let status: Status
    /// Why the run failed (nil unless failed).
    public let failure: String?
    public let phases: [PhaseReport]
    public let wallSeconds: Double
    public let finalLoss: LossValue
    /// Relative L2 error on the output grid, when the problem has an exact solution.
    public let relativeL2: Double?
    public let architecture: NetworkArchitecture
    public let lower: [Double]
    public let upper: [Double]
    /// The final network parameters (widened to Double whatever the training precision).
    public let parameters: [Double]
    /// The final values of the problem's learned parameters, by name (empty unless an inverse problem).
    public let learned: [String: Double]

    /// The trained network, in Double.
    public var network: Network<Double> {
        Network(architecture: architecture, lower: lower, upper: upper, parameters: parameters)
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
