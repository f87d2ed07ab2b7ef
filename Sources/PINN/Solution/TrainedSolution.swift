/// A job's network with trained (or training) parameters, rebuilt from its spec: the one place a job's network is
/// evaluated after training — on a grid with the exact solution and the error beside it (`onGrid`), at given
/// points with derivatives and PDE residuals (`predict`), and exported for use elsewhere (`model`). The trainer's
/// live evaluations, the service, the CLI and the figures all go through it or through `SolutionOnGrid`.
public struct TrainedSolution: Sendable {
    public let spec: JobSpec
    public let problem: Problem
    /// The network, or one per time window when the job marches in time (`training.timeWindows`).
    public let solution: PiecewiseNetwork<Double>
    /// The learned parameters of an inverse problem, by name (their initial values when not given).
    public let learned: [String: Double]
    /// The iteration the parameters were taken at, when known.
    public let iteration: Int?
    /// True for a finished job's parameters, false for a checkpoint of a running one.
    public let final: Bool

    /// `parameters`: the network's flat parameters, optionally followed by the problem's learned parameters in
    /// their spec order (what checkpoints and stored results hold); for a time-marched job the windows' networks one
    /// after the other, all k of a finished job, the first ones of a running job (later windows then evaluate with
    /// the last one given).
    public init(spec: JobSpec, parameters: [Double], iteration: Int? = nil, final: Bool = true) throws(JobSpecError) {
        self.spec = spec
        problem = try ProblemBuilder.make(spec)
        let architecture = spec.architecture
        let count = ParameterLayout(architecture).count
        let k = spec.training.windowCount
        let windowsGiven = parameters.count / count
        guard parameters.count == count || parameters.count == count + problem.learned.count
                || (k > 1 && parameters.count % count == 0 && (1...k).contains(windowsGiven)) else {
            throw JobSpecError(issues: [.init(field: "parameters", message: "\(parameters.count) stored parameters do not fit "
                                      + "the spec's network (\(count), or \(count + problem.learned.count) with learned ones"
                                      + (k > 1 ? ", or \(count) per time window for up to \(k) windows)" : ")"))])
        }
        if k > 1, let windows = TimeWindows(problem: problem, count: k) {
            solution = PiecewiseNetwork(windows: windows, networks: (0..<windowsGiven).map { [problem] j in
                let box = windows.box(j, lower: problem.lower, upper: problem.upper)
                return Network(architecture: architecture, lower: box.lower, upper: box.upper,
                               parameters: Array(parameters[(j * count)..<((j + 1) * count)]))
            })
        } else {
            solution = PiecewiseNetwork(Network(architecture: architecture, lower: problem.lower, upper: problem.upper,
                                                parameters: Array(parameters[..<count])))
        }
        let solutionCount = solution.networks.count * count
        learned = Dictionary(uniqueKeysWithValues: problem.learned.enumerated().map { k, p in
            (p.name, parameters.count > solutionCount ? parameters[solutionCount + k] : p.initial)
        })
        self.iteration = iteration
        self.final = final
    }

    /// The network of a job that does not march in time (the first window's otherwise; evaluate `solution`).
    public var network: Network<Double> { solution.networks[0] }

    /// The solution on the spec's output grid, with `sizes[input]` points overriding the spec's.
    public func onGrid(sizes: [String: Int] = [:]) -> SolutionOnGrid {
        SolutionOnGrid(network: solution, problem: problem, sizes: spec.output.grid.merging(sizes) { $1 })
    }

    /// The learned parameters' values in the problem's order.
    var learnedInOrder: [Double] { problem.learned.map { learned[$0.name] ?? $0.initial } }
}
