/// A job's network with trained (or training) parameters, rebuilt from its spec: the one place a job's network is
/// evaluated after training — on a grid with the exact solution and the error beside it (`onGrid`), at given
/// points with derivatives and PDE residuals (`predict`), and exported for use elsewhere (`model`). The trainer's
/// live evaluations, the service, the CLI and the figures all go through it or through `SolutionOnGrid`.
public struct TrainedSolution: Sendable {
    public let spec: JobSpec
    public let problem: Problem
    public let network: Network<Double>
    /// The learned parameters of an inverse problem, by name (their initial values when not given).
    public let learned: [String: Double]
    /// The iteration the parameters were taken at, when known.
    public let iteration: Int?
    /// True for a finished job's parameters, false for a checkpoint of a running one.
    public let final: Bool

    /// `parameters`: the network's flat parameters, optionally followed by the problem's learned parameters in
    /// their spec order (what checkpoints and stored results hold).
    public init(spec: JobSpec, parameters: [Double], iteration: Int? = nil, final: Bool = true) throws(JobSpecError) {
        self.spec = spec
        problem = try ProblemBuilder.make(spec)
        let architecture = spec.architecture
        let count = ParameterLayout(architecture).count
        guard parameters.count == count || parameters.count == count + problem.learned.count else {
            throw JobSpecError(issues: [.init(field: "parameters", message: "\(parameters.count) stored parameters do not fit "
                                      + "the spec's network (\(count), or \(count + problem.learned.count) with learned ones)")])
        }
        network = Network(architecture: architecture, lower: problem.lower, upper: problem.upper,
                          parameters: Array(parameters[..<count]))
        learned = Dictionary(uniqueKeysWithValues: problem.learned.enumerated().map { k, p in
            (p.name, parameters.count > count ? parameters[count + k] : p.initial)
        })
        self.iteration = iteration
        self.final = final
    }

    /// The network on the spec's output grid, with `sizes[input]` points overriding the spec's.
    public func onGrid(sizes: [String: Int] = [:]) -> SolutionOnGrid {
        SolutionOnGrid(network: network, problem: problem, sizes: spec.output.grid.merging(sizes) { $1 })
    }

    /// The learned parameters' values in the problem's order.
    var learnedInOrder: [Double] { problem.learned.map { learned[$0.name] ?? $0.initial } }
}
