import Foundation

/// One run in precision T: the state every part of training reads and changes — the parameters, the points and
/// the loss on them, the iteration count, the phases' reports — and the loop that drives each phase's optimiser
/// (docs/design.md §8). What happens around the step (checkpoints, cancellation, resampling, the divergence guard,
/// the loss history, evaluation, snapshots) is done by the run's hooks (`TrainingHook`), in the order they are
/// registered in `init`.
///
/// Every random choice comes from the spec's seed: the network initialisation, each term's points and each
/// resample draw from separate derived streams.
///
/// With `training.timeWindows` (time-marching, docs/design.md §13) the run trains the windows one after the other:
/// each window's problem is the job's with t restricted to the window and, after the first, its initial condition
/// replaced by the seam condition on the previous window's network; the parameters, the iteration count, the
/// reports and the hooks' history go on across windows.
final class TrainingRun<T: PINNScalar> {
    let spec: JobSpec
    /// The job's problem over its whole box.
    let fullProblem: Problem
    /// The problem the current window trains on (the whole problem without time-marching).
    private(set) var problem: Problem
    /// The time windows (one, the whole interval, without time-marching; nil for a problem without t).
    let windows: TimeWindows?
    /// The window being trained.
    private(set) var window = 0
    /// The network parameters of the windows finished so far, in order.
    private(set) var finishedWindows: [[T]] = []
    /// The network as initialised (its parameters are not updated while training; see `currentNetwork`).
    let network: Network<T>
    let grid: SolutionGrid
    let exactOnGrid: [Double]?
    /// What the optimisers move: the network's parameters, then the problem's learned parameters.
    var parameters: [T]
    /// The objective on the current points (rebuilt when they are replaced).
    private(set) var loss: PINNLoss<T>
    private(set) var points: TrainingPoints
    /// Whether the points are no longer those the seed draws at the start (a checkpoint then keeps them).
    private(set) var pointsReplaced = false
    /// Iterations done, across phases.
    var iteration = 0
    /// The loss terms at the current parameters on the current points.
    var last: LossValue
    /// The reports of the phases finished so far.
    private(set) var reports: [PhaseReport] = []
    /// Where the run's events go.
    let emit: (TrainingEvent) -> Void
    private let isCancelled: () -> Bool
    private var hooks: [AnyTrainingHook<T>] = []
    /// Hooks added from outside the spec (`add`): kept when a new window rebuilds the spec's own.
    private var addedHooks: [AnyTrainingHook<T>] = []
    private let snapshots: Set<Int>
    private let checkpointEvery: Double?
    private var clock = ContinuousClock.now
    /// Seconds already trained before a resume.
    private var priorSeconds = 0.0
    /// The gradient of evaluations that only want the loss.
    private var scratchGradient: [T]

    /// A run of `spec` on `problem`. With `checkpointEvery` (seconds), a `.checkpoint` event carries the full
    /// training state that often, and once more when the run is cancelled; at the iterations in `snapshots`, a
    /// `.snapshot` event carries the network's parameters. `isCancelled` is polled once per iteration.
    init(spec: JobSpec, problem: Problem, snapshots: Set<Int> = [], checkpointEvery: Double? = nil,
         observer: @escaping (TrainingEvent) -> Void = { _ in }, isCancelled: @escaping () -> Bool = { false }) {
        self.spec = spec
        fullProblem = problem
        let windows = TimeWindows(problem: problem, count: spec.training.windowCount)
        self.windows = windows
        let problem = spec.training.windowCount > 1 ? problem.window(0, of: windows!) : problem
        self.problem = problem
        self.emit = observer
        self.isCancelled = isCancelled
        self.snapshots = snapshots
        self.checkpointEvery = checkpointEvery
        BLASThreading.useSingleThread()
        let root = SeededGenerator(seed: spec.training.seed)
        var networkGenerator = root.derived(1)
        var pointGenerator = root.derived(2)
        let architecture = spec.architecture(inputs: problem.inputs.count, outputs: problem.outputs.count)
        network = Network(architecture: architecture, lower: problem.lower, upper: problem.upper,
                          generator: &networkGenerator)
        parameters = network.parameters + problem.learned.map { T($0.initial) }
        points = TrainingPoints(problem: problem, interiorCount: spec.training.collocationPoints,
                                faceCount: spec.training.boundaryPoints, method: spec.training.sampler,
                                generator: &pointGenerator)
        loss = PINNLoss(problem: problem, architecture: architecture, points: points,
                        slopeRecoveryWeight: spec.training.slopeRecoveryWeight, threads: spec.training.threads)
        grid = SolutionGrid(problem: fullProblem, sizes: spec.output.grid)
        exactOnGrid = fullProblem.exact?.values(at: grid.points)
        scratchGradient = [T](repeating: 0, count: parameters.count)
        last = loss.evaluate(parameters, gradient: &scratchGradient)
        hooks = Self.hooks(spec: spec, problem: problem, snapshots: snapshots, checkpointEvery: checkpointEvery,
                           evaluates: exactOnGrid != nil)
    }

    /// Moves on to window `j` (> 0), the current parameters being the previous window's trained network: its points
    /// are drawn in the window from their own stream (seed stream 4, then j), its initial terms become the seam
    /// condition on the previous network at their points (`Problem.seamed`), and the spec's hooks start afresh
    /// on the window's problem. The window starts from the previous one's network, moved onto the window's box as the
    /// same function (`Network.continued`): at the seam it matches its targets from the first iteration.
    private func enterWindow(_ j: Int) {
        guard let windows else { preconditionFailure("a window without time windows") }
        let previous = currentNetwork
        finishedWindows.append(Array(parameters[..<network.layout.count]))
        window = j
        var generator = SeededGenerator(seed: spec.training.seed).derived(4).derived(UInt64(j))
        let unseamed = fullProblem.window(j, of: windows)
        let drawn = TrainingPoints(problem: unseamed, interiorCount: spec.training.collocationPoints,
                                   faceCount: spec.training.boundaryPoints, method: spec.training.sampler,
                                   generator: &generator)
        // Face points are never resampled, so the seam targets computed here stay those of the term's points.
        problem = unseamed.seamed(previous: previous, points: drawn)
        let start = previous.continued(onto: unseamed.lower, unseamed.upper)
        parameters.replaceSubrange(..<network.layout.count, with: start.parameters)
        setPoints(drawn, replaced: false)
        hooks = Self.hooks(spec: spec, problem: problem, snapshots: snapshots, checkpointEvery: checkpointEvery,
                           evaluates: exactOnGrid != nil) + addedHooks
        last = evaluateLoss()
    }

    /// The hooks of a run, in the order they act at the top of an iteration: a checkpoint is taken before a
    /// cancel ends the phase; a cancelled run does not resample; a resample comes before the causal weights (which
    /// weigh the new points), and both before the loss is checked and logged.
    private static func hooks(spec: JobSpec, problem: Problem, snapshots: Set<Int>, checkpointEvery: Double?,
                              evaluates: Bool) -> [AnyTrainingHook<T>] {
        var hooks: [AnyTrainingHook<T>] = []
        if let interval = checkpointEvery { hooks.append(AnyTrainingHook(CheckpointHook<T>(interval: interval))) }
        hooks.append(AnyTrainingHook(CancellationHook<T>()))
        if let settings = spec.training.resampling {
            hooks.append(AnyTrainingHook(ResamplingHook<T>(
                ResidualResampler(settings: settings, problem: problem, root: SeededGenerator(seed: spec.training.seed)))))
        }
        if let settings = spec.training.causal {
            hooks.append(AnyTrainingHook(CausalWeightingHook<T>(CausalWeighting(settings: settings, problem: problem))))
        }
        hooks.append(AnyTrainingHook(DivergenceHook<T>(policy: spec.training.onDivergence ?? .fail)))
        hooks.append(AnyTrainingHook(HistoryHook<T>()))
        if evaluates && spec.training.evaluateEvery > 0 {
            hooks.append(AnyTrainingHook(EvaluationHook<T>(every: spec.training.evaluateEvery)))
        }
        if !snapshots.isEmpty { hooks.append(AnyTrainingHook(SnapshotHook<T>(iterations: snapshots))) }
        return hooks
    }

    /// Adds `hook` after the run's own: it acts last at every point of the loop. For a feature that lives outside
    /// the engine's spec (a test's probe, an experiment's instrument); the spec's own features register in `init`.
    func add<H: TrainingHook>(_ hook: H) where H.Scalar == T {
        addedHooks.append(AnyTrainingHook(hook))
        hooks.append(AnyTrainingHook(hook))
    }

    /// Seconds trained, including those before a resume.
    var elapsed: Double {
        let d = ContinuousClock.now - clock
        return priorSeconds + Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The network with the current parameters.
    var currentNetwork: Network<T> {
        Network(architecture: network.architecture, lower: problem.lower, upper: problem.upper,
                parameters: Array(parameters[..<network.layout.count]))
    }

    /// The solution so far: the finished windows' networks and the current one (the current network alone without
    /// time-marching).
    var currentSolution: PiecewiseNetwork<T> {
        guard let windows, windows.count > 1 else { return PiecewiseNetwork(currentNetwork) }
        let box = { (j: Int) in windows.box(j, lower: self.fullProblem.lower, upper: self.fullProblem.upper) }
        let finished = finishedWindows.enumerated().map { j, parameters in
            Network(architecture: network.architecture, lower: box(j).lower, upper: box(j).upper, parameters: parameters)
        }
        return PiecewiseNetwork(windows: windows, networks: finished + [currentNetwork])
    }

    /// The window label of records and reports: the window's index when marching in time, else nil.
    var windowLabel: Int? { spec.training.windowCount > 1 ? window : nil }

    /// The learned parameters' current values by name.
    var learnedValues: [String: Double] {
        Dictionary(uniqueKeysWithValues: problem.learned.enumerated().map { k, p in
            (p.name, Double(parameters[network.layout.count + k]))
        })
    }

    /// Whether this iteration's loss is logged: every `logEvery` iterations, and right after a resample or a
    /// recomputation of the causal weights (the objective changed; the divergence guard keeps these states too).
    func isLogDue(_ phase: PhaseProgress) -> Bool {
        phase.resampled || phase.reweighed || iteration % spec.training.logEvery == 0
    }

    /// The loss terms at the current parameters.
    func evaluateLoss() -> LossValue { loss.evaluate(parameters, gradient: &scratchGradient) }

    /// The current solution against the exact solution on the output grid (nil without an exact solution). While
    /// marching in time, over the grid's points up to the current window's end (the windows trained so far and the
    /// current one): later times have no network of their own yet.
    func error(iteration: Int, phase: Int) -> ErrorRecord? {
        guard let exact = exactOnGrid else { return nil }
        var record: ErrorRecord
        if let windows, windows.count > 1, window < windows.count - 1 {
            let d = fullProblem.inputs.count, m = fullProblem.outputs.count, end = windows.bound(window + 1)
            let rows = (0..<grid.count).filter { grid.points[$0 * d + windows.input] <= end }
            let points = rows.flatMap { grid.points[($0 * d)..<(($0 + 1) * d)] }
            let reference = rows.flatMap { exact[($0 * m)..<(($0 + 1) * m)] }
            record = ErrorRecord(iteration: iteration, phase: phase, outputs: fullProblem.outputs,
                                 values: currentSolution.evaluate(points), exact: reference)
        } else {
            guard let whole = SolutionOnGrid(network: currentSolution, grid: grid, outputs: problem.outputs, exact: exact)
                .error(iteration: iteration, phase: phase) else { return nil }
            record = whole
        }
        record.window = windowLabel
        return record
    }

    /// Trains on `newPoints` from now on (a resample, or the points a checkpoint was taken with).
    func replacePoints(_ newPoints: TrainingPoints) { setPoints(newPoints, replaced: true) }

    /// Weighs the samples of the current points by `weights` from now on (causal weighting).
    func weighPoints(_ weights: [[Double]?]) { setPoints(points.weighted(weights), replaced: pointsReplaced) }

    private func setPoints(_ newPoints: TrainingPoints, replaced: Bool) {
        let weight = loss.slopeRecoveryWeight
        points = newPoints
        pointsReplaced = replaced
        loss = PINNLoss(problem: problem, architecture: network.architecture, points: newPoints,
                        slopeRecoveryWeight: weight, threads: spec.training.threads)
    }

    // MARK: - The run

    /// Trains every phase (from where `resume` stopped, if given) until the last ends, one fails or the run is
    /// cancelled.
    func run(resume: TrainingCheckpoint? = nil) -> TrainingResult {
        clock = .now
        if let resume { restore(resume) }
        let windowCount = spec.training.windowCount
        let schedule = spec.training.phases.map(\.iterations)
        emit(.started(TrainingPlan(termNames: problem.terms.map(\.name),
                                   phaseIterations: Array(Array(repeating: schedule, count: windowCount).joined()),
                                   parameterCount: parameters.count, windows: windowCount > 1 ? windowCount : nil)))
        for hook in hooks { hook.runStarted(self) }
        var outcome = PhaseOutcome.finished(.maxIterations)
        let phaseCount = spec.training.phases.count
        let resumed = resume?.phase
        windows: for w in window..<windowCount {
            if w > window {
                enterWindow(w)
                for hook in hooks { hook.runStarted(self) }
            }
            for p in spec.training.phases.indices where w * phaseCount + p >= (resumed ?? 0) {
                let index = w * phaseCount + p
                outcome = trainPhase(index, resuming: resumed == index ? resume : nil)
                if case .finished = outcome { continue }
                break windows
            }
        }
        let error = error(iteration: iteration, phase: reports.last?.phase ?? 0)
        if let error { emit(.evaluation(error)) }
        for hook in hooks { hook.runFinished(self) }
        let solution = currentSolution
        return TrainingResult(outcome: outcome, phases: reports, wallSeconds: elapsed, finalLoss: last,
                              relativeL2: error?.relativeL2, architecture: network.architecture,
                              lower: fullProblem.lower, upper: fullProblem.upper,
                              parameters: solution.parameters.map { Double($0) },
                              learned: learnedValues)
    }

    /// One phase: its slopes frozen or not, its optimiser built (or restored from `checkpoint`), trained, reported.
    /// `index` counts phases across windows (window · phases + the phase's index in the schedule).
    private func trainPhase(_ index: Int, resuming checkpoint: TrainingCheckpoint?) -> PhaseOutcome {
        let phaseSpec = spec.training.phases[index % spec.training.phases.count]
        let slopes = network.layout.slopes
        let trainSlopes = phaseSpec.trainSlopes && !slopes.isEmpty
        loss.slopeRecoveryWeight = trainSlopes && spec.network.slopeRecovery
            ? phaseSpec.slopeRecoveryWeight ?? spec.training.slopeRecoveryWeight : 0
        let frozen = trainSlopes ? FrozenParameters.none : FrozenParameters([slopes])
        var phase = PhaseProgress(index: index, spec: phaseSpec,
                                  startedSeconds: checkpoint?.phaseStartedSeconds ?? elapsed,
                                  done: checkpoint?.phaseIteration ?? 0)
        last = evaluateLoss()
        for hook in hooks { hook.phaseStarted(self, phase) }
        let outcome: PhaseOutcome
        do {
            let state = checkpoint?.optimizerState
            switch phaseSpec.optimizer {
            case .adam: outcome = try train(AdamPhase<T>.self, &phase, frozen: frozen, resuming: state)
            case .lbfgs: outcome = try train(LBFGSPhase<T>.self, &phase, frozen: frozen, resuming: state)
            case .bfgs, .ssbfgs, .ssbroyden:
                outcome = try train(QuasiNewtonPhase<T>.self, &phase, frozen: frozen, resuming: state)
            case .lm: outcome = try train(LevenbergMarquardtPhase<T>.self, &phase, frozen: frozen, resuming: state)
            }
        } catch {
            outcome = .failed(.checkpointNotResumable(phase: index, reason: "\(error)"))
        }
        var report = PhaseReport(phase: index, optimizer: phaseSpec.optimizer, iterations: phase.done,
                                 stopReason: outcome.stopReason, seconds: elapsed - phase.startedSeconds,
                                 finalLoss: last.total, quasiNewton: phase.quasiNewton,
                                 levenbergMarquardt: phase.levenbergMarquardt, window: windowLabel)
        for hook in hooks { hook.phaseFinished(self, &report) }
        reports.append(report)
        emit(.phaseFinished(report))
        return outcome
    }

    /// The loop every optimiser runs: the hooks, the step, the hooks again, until the phase's iterations are done
    /// or something ends it. Generic (not an existential) so that it specialises per optimiser.
    private func train<O: PhaseOptimizer>(_: O.Type, _ phase: inout PhaseProgress, frozen: FrozenParameters,
                                          resuming state: Data?) throws -> PhaseOutcome where O.Scalar == T {
        var optimizer = try O(phase: phase.spec, parameterCount: parameters.count, frozen: frozen, resuming: state)
        let control = OptimizerControl(encodedState: { try optimizer.encodedState() },
                                       objectiveChanged: { optimizer.objectiveChanged() },
                                       rollBack: { try optimizer.rollBack(to: $0, stepFactor: $1) })
        defer {
            phase.quasiNewton = optimizer.quasiNewtonCounters
            phase.levenbergMarquardt = optimizer.levenbergMarquardtCounters
        }
        iterations: while phase.done < phase.spec.iterations {
            phase.cancelRequested = isCancelled()
            phase.resampled = false
            phase.reweighed = false
            for hook in hooks {
                switch hook.beforeStep(self, &phase, control) {
                case .proceed: continue
                case .retry: continue iterations
                case .end(let outcome): return outcome
                }
            }
            let step = optimizer.step(parameters: &parameters, loss: loss)
            phase.done += 1
            iteration += 1
            last = step.value
            for hook in hooks {
                switch hook.afterStep(self, &phase, control, step.stop) {
                case .proceed: continue
                case .retry: continue iterations
                case .end(let outcome): return outcome
                }
            }
            if let reason = step.stop { return .finished(reason) }
        }
        return .finished(.maxIterations)
    }

    // MARK: - Checkpoints

    /// Everything needed to continue from the top of this iteration of `phase`.
    func checkpoint(_ phase: PhaseProgress, optimizerState: Data) -> TrainingCheckpoint {
        TrainingCheckpoint(phase: phase.index, phaseIteration: phase.done, iteration: iteration,
                           phaseStartedSeconds: phase.startedSeconds, elapsedSeconds: elapsed,
                           precision: T.precisionName, parameters: parameters.map { Double($0) },
                           optimizerState: optimizerState, reports: reports,
                           points: pointsReplaced ? points.perTerm : nil,
                           sampleWeights: points.isWeighted ? points.sampleWeights : nil,
                           window: windowLabel,
                           finishedWindows: finishedWindows.isEmpty ? nil : finishedWindows.map { $0.map { Double($0) } })
    }

    /// Back to where `checkpoint` was taken (its phase's optimiser is restored when that phase starts). The same
    /// spec and seed gave the same initial points, so the remaining history is the one the run would have had.
    private func restore(_ checkpoint: TrainingCheckpoint) {
        precondition(checkpoint.parameters.count == parameters.count && checkpoint.precision == T.precisionName,
                     "the checkpoint belongs to another network or precision")
        let finished = checkpoint.finishedWindows ?? []
        precondition(finished.count == (checkpoint.window ?? 0) && finished.allSatisfy { $0.count == network.layout.count },
                     "the checkpoint's windows do not fit the spec's time windows")
        // Replay the window changes: each finished window's network is the next one's start and seam.
        for (j, windowParameters) in finished.enumerated() {
            parameters.replaceSubrange(..<network.layout.count, with: windowParameters.map { T($0) })
            enterWindow(j + 1)
        }
        parameters = checkpoint.parameters.map { T($0) }
        priorSeconds = checkpoint.elapsedSeconds
        iteration = checkpoint.iteration
        reports = checkpoint.reports
        if checkpoint.points != nil || checkpoint.sampleWeights != nil {
            setPoints(TrainingPoints(perTerm: checkpoint.points ?? points.perTerm, sampleWeights: checkpoint.sampleWeights),
                      replaced: checkpoint.points != nil)
        }
        last = evaluateLoss()
    }
}
