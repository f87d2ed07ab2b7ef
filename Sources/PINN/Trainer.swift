import Foundation

/// Trains a job spec: samples its points, builds the network, runs its phases (Adam, L-BFGS) and reports
/// progress as `TrainingEvent`s. Knows nothing of files, HTTP or storage.
public enum Trainer {
    /// Runs `spec` to completion (or failure, or cancellation) in its precision. `isCancelled` is polled once
    /// per iteration.
    ///
    /// With `checkpointEvery` (seconds), a `.checkpoint` event carries the full training state that often, and once
    /// more when the run is cancelled; passing one back as `resume` continues that run exactly where it stopped
    /// (the same spec and seed give the same points, so the remaining history is the one the run would have had).
    ///
    /// At the iterations in `snapshots`, a `.snapshot` event carries the network's parameters (for figures of
    /// the fit as training goes).
    public static func run(_ spec: JobSpec, checkpointEvery: Double? = nil, resume: TrainingCheckpoint? = nil,
                           snapshots: Set<Int> = [], observer: @escaping (TrainingEvent) -> Void = { _ in },
                           isCancelled: @escaping () -> Bool = { false }) throws(JobSpecError) -> TrainingResult {
        try run(spec, problem: ProblemBuilder.make(spec), checkpointEvery: checkpointEvery, resume: resume,
                snapshots: snapshots, observer: observer, isCancelled: isCancelled)
    }

    /// Runs `spec`'s network and training settings on a given problem (its `problem` name is then only a label).
    public static func run(_ spec: JobSpec, problem: Problem, checkpointEvery: Double? = nil,
                           resume: TrainingCheckpoint? = nil, snapshots: Set<Int> = [],
                           observer: @escaping (TrainingEvent) -> Void = { _ in },
                           isCancelled: @escaping () -> Bool = { false }) -> TrainingResult {
        switch spec.training.precision {
        case .double:
            return TrainingRun<Double>(spec: spec, problem: problem, snapshots: snapshots)
                .run(checkpointEvery: checkpointEvery, resume: resume, observer: observer, isCancelled: isCancelled)
        case .float:
            return TrainingRun<Float>(spec: spec, problem: problem, snapshots: snapshots)
                .run(checkpointEvery: checkpointEvery, resume: resume, observer: observer, isCancelled: isCancelled)
        }
    }
}

/// One run in precision T. Every random choice comes from the spec's seed: the network initialisation and
/// each term's points draw from separate derived streams.
final class TrainingRun<T: PINNScalar> {
    let spec: JobSpec
    let problem: Problem
    let loss: PINNLoss<T>
    /// The network as initialised (its parameters are not updated while training; see `currentNetwork`).
    let network: Network<T>
    /// What the optimisers move: the network's parameters, then the problem's learned parameters.
    var parameters: [T]
    let grid: SolutionGrid
    let exactOnGrid: [Double]?
    let snapshots: Set<Int>
    private var clock = ContinuousClock.now
    /// Seconds already trained before a resume.
    private var priorSeconds = 0.0

    init(spec: JobSpec, problem: Problem, snapshots: Set<Int> = []) {
        self.spec = spec
        self.problem = problem
        self.snapshots = snapshots
        BLASThreading.useSingleThread()
        let root = SeededGenerator(seed: spec.training.seed)
        var networkGenerator = root.derived(1)
        var pointGenerator = root.derived(2)
        let architecture = NetworkArchitecture(inputs: problem.inputs.count, outputs: problem.outputs.count,
                                               hidden: spec.network.layers, activation: spec.network.activation,
                                               adaptive: spec.network.adaptive, scale: spec.network.scale)
        network = Network(architecture: architecture, lower: problem.lower, upper: problem.upper,
                          generator: &networkGenerator)
        parameters = network.parameters + problem.learned.map { T($0.initial) }
        let points = TrainingPoints(problem: problem, interiorCount: spec.training.collocationPoints,
                                    faceCount: spec.training.boundaryPoints, method: spec.training.sampler,
                                    generator: &pointGenerator)
        loss = PINNLoss(problem: problem, architecture: architecture, points: points,
                        slopeRecoveryWeight: spec.training.slopeRecoveryWeight, threads: spec.training.threads)
        grid = SolutionGrid(problem: problem, sizes: spec.output.grid)
        exactOnGrid = problem.exact?.values(at: grid.points)
    }

    private var elapsed: Double {
        let d = ContinuousClock.now - clock
        return priorSeconds + Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The network with the current parameters.
    var currentNetwork: Network<T> {
        Network(architecture: network.architecture, lower: problem.lower, upper: problem.upper,
                parameters: Array(parameters[..<network.layout.count]))
    }

    /// The learned parameters' current values by name.
    var learnedValues: [String: Double] {
        Dictionary(uniqueKeysWithValues: problem.learned.enumerated().map { k, p in
            (p.name, Double(parameters[network.layout.count + k]))
        })
    }

    func relativeL2() -> Double? {
        guard let exact = exactOnGrid else { return nil }
        return SolutionGrid.relativeL2(currentNetwork.evaluate(grid.points), exact: exact)
    }

    func run(checkpointEvery: Double?, resume: TrainingCheckpoint?, observer: (TrainingEvent) -> Void,
             isCancelled: () -> Bool) -> TrainingResult {
        clock = .now
        if let resume {
            precondition(resume.parameters.count == parameters.count && resume.precision == T.precisionName,
                         "the checkpoint belongs to another network or precision")
            parameters = resume.parameters.map { T($0) }
            priorSeconds = resume.elapsedSeconds
        }
        let phases = spec.training.phases
        let plan = TrainingPlan(termNames: problem.terms.map(\.name), phaseIterations: phases.map(\.iterations),
                                parameterCount: parameters.count)
        observer(.started(plan))
        var reports: [PhaseReport] = resume?.reports ?? []
        var iteration = resume?.iteration ?? 0
        var lastCheckpoint = elapsed
        var gradient = [T](repeating: 0, count: parameters.count)
        var last = loss.evaluate(parameters, gradient: &gradient)
        var failure: String?
        var cancelled = false
        let slopes = network.layout.slopes

        func record(phase: Int, _ value: LossValue) {
            observer(.loss(LossRecord(iteration: iteration, phase: phase, total: value.total, terms: value.terms,
                                      slopeRecovery: value.slopeRecovery, seconds: elapsed,
                                      learned: problem.learned.isEmpty ? nil : learnedValues)))
            if !slopes.isEmpty {
                let current = currentNetwork
                let means = network.architecture.hidden.indices.map { k in
                    let s = current.slopes(layer: k)
                    return s.reduce(0, +) / Double(s.count)
                }
                observer(.slopes(SlopeRecord(iteration: iteration, phase: phase,
                                             slopes: slopes.map { Double(parameters[$0]) }, layerMeans: means)))
            }
        }
        func snapshotIfDue() {
            guard snapshots.contains(iteration) else { return }
            observer(.snapshot(iteration: iteration, parameters: parameters[..<network.layout.count].map { Double($0) }))
        }
        func evaluateIfDue(force: Bool = false) {
            let every = spec.training.evaluateEvery
            guard force || (every > 0 && iteration % every == 0), let error = relativeL2() else { return }
            observer(.evaluation(iteration: iteration, relativeL2: error))
        }

        /// Emits the state needed to continue phase p after `done` of its iterations.
        func checkpoint<Optimizer: Encodable>(phase p: Int, done: Int, started: Double, _ optimizer: Optimizer,
                                              force: Bool = false) {
            guard let interval = checkpointEvery, force || elapsed - lastCheckpoint >= interval else { return }
            lastCheckpoint = elapsed
            observer(.checkpoint(TrainingCheckpoint(
                phase: p, phaseIteration: done, iteration: iteration, phaseStartedSeconds: started,
                elapsedSeconds: elapsed, precision: T.precisionName, parameters: parameters.map { Double($0) },
                optimizerState: try! JSONEncoder().encode(optimizer), reports: reports)))
        }

        /// Polled once per iteration: on cancellation, checkpoints and answers true; otherwise checkpoints if due.
        func stopRequested<Optimizer: Encodable>(phase p: Int, done: Int, started: Double, _ optimizer: Optimizer) -> Bool {
            let stop = isCancelled()
            checkpoint(phase: p, done: done, started: started, optimizer, force: stop)
            return stop
        }

        phaseLoop: for (p, phase) in phases.enumerated() where p >= (resume?.phase ?? 0) {
            let resumeHere = resume?.phase == p ? resume : nil
            let started = resumeHere?.phaseStartedSeconds ?? elapsed
            let trainSlopes = phase.trainSlopes && !slopes.isEmpty
            loss.slopeRecoveryWeight = trainSlopes && spec.network.slopeRecovery
                ? phase.slopeRecoveryWeight ?? spec.training.slopeRecoveryWeight : 0
            let frozen = trainSlopes ? FrozenParameters.none : FrozenParameters([slopes])
            var stop = "maxIterations"
            var done = resumeHere?.phaseIteration ?? 0
            last = loss.evaluate(parameters, gradient: &gradient)

            switch phase.optimizer {
            case .adam:
                var adam = resumeHere.map { try! JSONDecoder().decode(Adam<T>.self, from: $0.optimizerState) }
                    ?? Adam<T>(parameterCount: parameters.count, learningRate: T(phase.learningRate),
                               decay: phase.decayRate < 1 ? .exponential(rate: phase.decayRate, steps: phase.decaySteps) : nil,
                               frozen: frozen)
                while done < phase.iterations {
                    if stopRequested(phase: p, done: done, started: started, adam) {
                        cancelled = true
                        stop = "cancelled"
                        break
                    }
                    if done > 0 { last = loss.evaluate(parameters, gradient: &gradient) }
                    guard last.isFinite else {
                        failure = "the loss became non-finite at iteration \(iteration) (phase \(p), adam); lower the learning rate"
                        stop = "nonFiniteLoss"
                        break
                    }
                    if iteration % spec.training.logEvery == 0 { record(phase: p, last) }
                    evaluateIfDue()
                    snapshotIfDue()
                    adam.step(parameters: &parameters, gradient: gradient)
                    done += 1
                    iteration += 1
                }
                if failure == nil { last = loss.evaluate(parameters, gradient: &gradient) }
            case .lbfgs:
                var lbfgs = resumeHere.map { try! JSONDecoder().decode(LBFGS<T>.self, from: $0.optimizerState) }
                    ?? LBFGS<T>(parameterCount: parameters.count, history: phase.history, frozen: frozen)
                let recent = RecentEvaluations<T>()
                let objective = { [loss] (x: [T], g: inout [T]) -> T in
                    let value = loss.evaluate(x, gradient: &g)
                    recent.remember(x, value)
                    return T(value.total)
                }
                while done < phase.iterations {
                    if stopRequested(phase: p, done: done, started: started, lbfgs) {
                        cancelled = true
                        stop = "cancelled"
                        break
                    }
                    if iteration % spec.training.logEvery == 0 { record(phase: p, last) }
                    evaluateIfDue()
                    snapshotIfDue()
                    let step = lbfgs.step(parameters: &parameters, objective: objective)
                    done += 1
                    iteration += 1
                    last = recent.value(at: parameters) ?? loss.evaluate(parameters, gradient: &gradient)
                    if let reason = step.stop {
                        stop = reason.rawValue
                        break
                    }
                }
            }
            record(phase: p, last)
            reports.append(PhaseReport(phase: p, optimizer: phase.optimizer.rawValue, iterations: done,
                                       stopReason: stop, seconds: elapsed - started, finalLoss: last.total))
            observer(.phaseFinished(reports.last!))
            if failure != nil || cancelled { break phaseLoop }
        }
        let error = relativeL2()
        if let error { observer(.evaluation(iteration: iteration, relativeL2: error)) }
        snapshotIfDue()
        return TrainingResult(status: failure != nil ? .failed : cancelled ? .cancelled : .succeeded,
                              failure: failure, phases: reports, wallSeconds: elapsed, finalLoss: last,
                              relativeL2: error, architecture: network.architecture, lower: problem.lower,
                              upper: problem.upper, parameters: parameters[..<network.layout.count].map { Double($0) },
                              learned: learnedValues)
    }
}

/// The last few points the line search evaluated with their loss terms, so the accepted point's terms can be
/// reported without evaluating it again.
private final class RecentEvaluations<T: PINNScalar> {
    private var entries: [([T], LossValue)] = []

    func remember(_ x: [T], _ value: LossValue) {
        if entries.count == 4 { entries.removeFirst() }
        entries.append((x, value))
    }

    func value(at x: [T]) -> LossValue? { entries.last { $0.0 == x }?.1 }
}
