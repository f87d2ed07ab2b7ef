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
    /// The objective on the current points (rebuilt when they are resampled).
    private(set) var loss: PINNLoss<T>
    private(set) var points: TrainingPoints
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
        let architecture = spec.architecture(inputs: problem.inputs.count, outputs: problem.outputs.count)
        network = Network(architecture: architecture, lower: problem.lower, upper: problem.upper,
                          generator: &networkGenerator)
        parameters = network.parameters + problem.learned.map { T($0.initial) }
        let points = TrainingPoints(problem: problem, interiorCount: spec.training.collocationPoints,
                                    faceCount: spec.training.boundaryPoints, method: spec.training.sampler,
                                    generator: &pointGenerator)
        self.points = points
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

    /// The current network against the exact solution on the output grid (nil without an exact solution).
    func error(iteration: Int, phase: Int) -> ErrorRecord? {
        guard let exact = exactOnGrid else { return nil }
        return SolutionOnGrid(network: currentNetwork, grid: grid, outputs: problem.outputs, exact: exact)
            .error(iteration: iteration, phase: phase)
    }

    func run(checkpointEvery: Double?, resume: TrainingCheckpoint?, observer: (TrainingEvent) -> Void,
             isCancelled: () -> Bool) -> TrainingResult {
        clock = .now
        if let resume {
            precondition(resume.parameters.count == parameters.count && resume.precision == T.precisionName,
                         "the checkpoint belongs to another network or precision")
            parameters = resume.parameters.map { T($0) }
            priorSeconds = resume.elapsedSeconds
            if let points = resume.points { replacePoints(TrainingPoints(perTerm: points)) }
        }
        let phases = spec.training.phases
        let plan = TrainingPlan(termNames: problem.terms.map(\.name), phaseIterations: phases.map(\.iterations),
                                parameterCount: parameters.count)
        observer(.started(plan))
        var reports: [PhaseReport] = resume?.reports ?? []
        var iteration = resume?.iteration ?? 0
        var lastCheckpoint = elapsed
        /// Seconds the last checkpoint took (encoding and the observer storing it).
        var checkpointCost = 0.0
        var scratchGradient = [T](repeating: 0, count: parameters.count)
        var last = loss.evaluate(parameters, gradient: &scratchGradient)
        var failure: String?
        var cancelled = false
        let slopes = network.layout.slopes
        let resampler = spec.training.resampling.map {
            ResidualResampler(settings: $0, problem: problem, root: SeededGenerator(seed: spec.training.seed))
        }
        var resampledAt: Int?
        var pointsResampled = resume?.points != nil

        func record(phase: Int, _ value: LossValue, resampled: Bool = false) {
            observer(.loss(LossRecord(iteration: iteration, phase: phase, total: value.total, terms: value.terms,
                                      slopeRecovery: value.slopeRecovery, seconds: elapsed,
                                      learned: problem.learned.isEmpty ? nil : learnedValues,
                                      resampled: resampled ? true : nil)))
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

        phaseLoop: for (p, phase) in phases.enumerated() where p >= (resume?.phase ?? 0) {
            let resumeHere = resume?.phase == p ? resume : nil
            let started = resumeHere?.phaseStartedSeconds ?? elapsed
            let trainSlopes = phase.trainSlopes && !slopes.isEmpty
            loss.slopeRecoveryWeight = trainSlopes && spec.network.slopeRecovery
                ? phase.slopeRecoveryWeight ?? spec.training.slopeRecoveryWeight : 0
            let frozen = trainSlopes ? FrozenParameters.none : FrozenParameters([slopes])
            var stop = PhaseStopReason.maxIterations
            var done = resumeHere?.phaseIteration ?? 0
            last = loss.evaluate(parameters, gradient: &scratchGradient)
            var counters: DenseQuasiNewton.Counters?
            var rollbacks = 0

            /// With `onDivergence: rollback`, the last good state (taken at logged iterations) and the rollbacks so far.
            let rollbackAllowed = spec.training.onDivergence == .rollback
            var good: (parameters: [T], state: Data, done: Int, iteration: Int, value: LossValue)?

            /// The loop every optimiser runs, generic (not an existential) so it specialises per optimiser.
            func train<O: PhaseOptimizer>(_ optimizer: inout O) where O.Scalar == T {
                defer { counters = optimizer.quasiNewtonCounters }
                /// After a non-finite loss: back to the last good state with a smaller step, when allowed and not
                /// yet done `maxRollbacks` times in this phase. The iterations after it are trained (and logged) again.
                func rolledBack() -> Bool {
                    guard rollbackAllowed, rollbacks < JobSpec.DivergenceAction.maxRollbacks, let good,
                          (try? optimizer.rollBack(to: good.state, stepFactor: JobSpec.DivergenceAction.stepFactor)) != nil
                    else { return false }
                    rollbacks += 1
                    (parameters, done, iteration, last) = (good.parameters, good.done, good.iteration, good.value)
                    return true
                }
                while done < phase.iterations {
                    // Cancellation and checkpoints, at the top of an iteration (before a resample due here, which
                    // a resumed run then repeats exactly).
                    let cancelRequested = isCancelled()
                    // A checkpoint is due after the interval, or after 50 times what the last one cost, whichever
                    // is longer: a dense quasi-Newton state (H, 8n² bytes) must not eat more than ~2% of training.
                    if let interval = checkpointEvery,
                       cancelRequested || elapsed - lastCheckpoint >= max(interval, 50 * checkpointCost) {
                        let before = elapsed
                        defer { (lastCheckpoint, checkpointCost) = (elapsed, elapsed - before) }
                        do {
                            observer(.checkpoint(TrainingCheckpoint(
                                phase: p, phaseIteration: done, iteration: iteration, phaseStartedSeconds: started,
                                elapsedSeconds: elapsed, precision: T.precisionName,
                                parameters: parameters.map { Double($0) }, optimizerState: try optimizer.encodedState(),
                                reports: reports, points: pointsResampled ? points.perTerm : nil)))
                        } catch {
                            failure = "could not encode the optimiser's state for a checkpoint: \(error)"
                            return
                        }
                    }
                    if cancelRequested {
                        cancelled = true
                        stop = .cancelled
                        return
                    }
                    var resampledNow = false
                    if let resampler, resampler.settings.isDue(at: iteration), resampledAt != iteration {
                        replacePoints(resampler.resample(parameters, current: points,
                                                         index: iteration / resampler.settings.every,
                                                         architecture: network.architecture, threads: spec.training.threads))
                        resampledAt = iteration
                        (resampledNow, pointsResampled) = (true, true)
                        optimizer.objectiveChanged()
                        last = loss.evaluate(parameters, gradient: &scratchGradient)
                    }
                    guard last.isFinite else {
                        if rolledBack() { continue }
                        failure = nonFiniteFailure(at: iteration, phase: p, phase.optimizer)
                        stop = .nonFiniteLoss
                        return
                    }
                    if resampledNow || iteration % spec.training.logEvery == 0 {
                        record(phase: p, last, resampled: resampledNow)
                        if rollbackAllowed, let state = try? optimizer.encodedState() {
                            good = (parameters, state, done, iteration, last)
                        }
                    }
                    evaluateIfDue(iteration, phase: p, observer: observer)
                    if snapshots.contains(iteration) { snapshot(iteration, observer: observer) }
                    let step = optimizer.step(parameters: &parameters, loss: loss)
                    done += 1
                    iteration += 1
                    last = step.value
                    if let reason = step.stop {
                        if reason == .nonFiniteLoss && rolledBack() { continue }
                        stop = reason
                        if reason == .nonFiniteLoss { failure = nonFiniteFailure(at: iteration, phase: p, phase.optimizer) }
                        return
                    }
                }
            }

            do {
                let state = resumeHere?.optimizerState
                let decoder = OptimizerStateCoding.decoder
                switch phase.optimizer {
                case .adam:
                    var adam = AdamPhase(try state.map { try decoder.decode(Adam<T>.self, from: $0) }
                        ?? Adam<T>(parameterCount: parameters.count, learningRate: T(phase.learningRate),
                                   decay: phase.decayRate < 1 ? .exponential(rate: phase.decayRate, steps: phase.decaySteps) : nil,
                                   frozen: frozen), parameterCount: parameters.count)
                    train(&adam)
                case .lbfgs:
                    var lbfgs = LBFGSPhase(try state.map { try decoder.decode(LBFGS<T>.self, from: $0) }
                        ?? LBFGS<T>(parameterCount: parameters.count, history: phase.history, frozen: frozen),
                                           parameterCount: parameters.count)
                    train(&lbfgs)
                case .bfgs, .ssbfgs, .ssbroyden:
                    let active = QuasiNewtonPhase<T>.activeIndices(count: parameters.count, frozen: frozen)
                    let optimizer = try state.map { try decoder.decode(DenseQuasiNewton.self, from: $0) }
                        ?? DenseQuasiNewton(parameterCount: active.count, update: phase.optimizer.denseUpdate!)
                    guard optimizer.parameterCount == active.count else {
                        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                            "its optimiser has \(optimizer.parameterCount) parameters, the phase trains \(active.count)"))
                    }
                    var quasiNewton = QuasiNewtonPhase<T>(optimizer, active: active)
                    train(&quasiNewton)
                }
            } catch {
                failure = "the checkpoint of phase \(p) cannot be resumed: \(error)"
            }
            record(phase: p, last)
            reports.append(PhaseReport(phase: p, optimizer: phase.optimizer, iterations: done,
                                       stopReason: stop, seconds: elapsed - started, finalLoss: last.total,
                                       quasiNewton: counters, rollbacks: rollbacks > 0 ? rollbacks : nil))
            observer(.phaseFinished(reports.last!))
            if failure != nil || cancelled { break phaseLoop }
        }
        let error = error(iteration: iteration, phase: reports.last?.phase ?? 0)
        if let error { observer(.evaluation(error)) }
        if snapshots.contains(iteration) { snapshot(iteration, observer: observer) }
        return TrainingResult(status: failure != nil ? .failed : cancelled ? .cancelled : .succeeded,
                              failure: failure, phases: reports, wallSeconds: elapsed, finalLoss: last,
                              relativeL2: error?.relativeL2, architecture: network.architecture, lower: problem.lower,
                              upper: problem.upper, parameters: parameters[..<network.layout.count].map { Double($0) },
                              learned: learnedValues)
    }

    /// Why a run failed on a non-finite loss, with the advice that fits: at the very start no step has been taken,
    /// so the problem itself is at fault — name the term and a point where its residual is not finite; later, the
    /// optimiser diverged.
    private func nonFiniteFailure(at iteration: Int, phase p: Int, _ kind: JobSpec.OptimizerKind) -> String {
        if iteration == 0, let (term, point) = firstNonFiniteResidual() {
            let at = zip(problem.inputs, point).map { "\($0) = \($1)" }.joined(separator: ", ")
            return "the loss is not finite before training starts: the residual of term \"\(term)\" is not finite at "
                + "(\(at)); check its expressions (a division by zero, a logarithm or square root of a negative "
                + "value on the domain) and the problem's parameters"
        }
        return "the loss became non-finite at iteration \(iteration) (phase \(p), \(kind.rawValue))"
            + (spec.training.onDivergence == .rollback
               ? " after \(JobSpec.DivergenceAction.maxRollbacks) rollbacks to the last good state" : "")
            + (kind == .adam ? "; lower the learning rate" + (spec.training.onDivergence == .rollback ? " further" : ""
                                                              + " or set training.onDivergence to \"rollback\"") : "")
    }

    /// The first term (in order) with a sample whose residual is not finite, and that sample's first point.
    private func firstNonFiniteResidual() -> (term: String, point: [Double])? {
        let d = problem.inputs.count
        for (t, term) in problem.terms.enumerated() {
            let squares = loss.squaredResiduals(parameters, term: t)
            guard let sample = squares.firstIndex(where: { !$0.isFinite }) else { continue }
            let start = sample * term.residual.rowsPerSample * d
            return (term.name, Array(points.perTerm[t][start..<(start + d)]))
        }
        return nil
    }

    private func evaluateIfDue(_ iteration: Int, phase: Int, observer: (TrainingEvent) -> Void) {
        let every = spec.training.evaluateEvery
        guard every > 0 && iteration % every == 0, let error = error(iteration: iteration, phase: phase) else { return }
        observer(.evaluation(error))
    }

    private func snapshot(_ iteration: Int, observer: (TrainingEvent) -> Void) {
        observer(.snapshot(iteration: iteration, parameters: parameters[..<network.layout.count].map { Double($0) }))
    }

    /// Trains on `newPoints` from now on (a resample, or the points a checkpoint was taken with).
    private func replacePoints(_ newPoints: TrainingPoints) {
        let weight = loss.slopeRecoveryWeight
        points = newPoints
        loss = PINNLoss(problem: problem, architecture: network.architecture, points: newPoints,
                        slopeRecoveryWeight: weight, threads: spec.training.threads)
    }
}
