import Dispatch
import PINNNumerics

/// The training objective: the loss and its gradient with respect to the flat parameters. Each term's points
/// are split into one contiguous shard per thread (docs/design.md §7); a shard runs the fused forward/backward pass
/// block by block and accumulates its own gradient; shards are summed in a fixed order, so a given spec and
/// thread count gives bit-identical results on every run.
public final class PINNLoss<T: PINNScalar>: @unchecked Sendable {
    public let problem: Problem
    public let architecture: NetworkArchitecture
    public let points: TrainingPoints
    /// w_a, the slope-recovery weight (a phase of the schedule may change it).
    public var slopeRecoveryWeight: Double
    public let threads: Int
    private let shards: [LossShard<T>]

    public init(problem: Problem, architecture: NetworkArchitecture, points: TrainingPoints,
                slopeRecoveryWeight: Double, threads: Int, blockRows: Int? = nil) {
        precondition(threads >= 1)
        self.problem = problem
        self.architecture = architecture
        self.points = points
        self.slopeRecoveryWeight = slopeRecoveryWeight
        self.threads = threads
        layout = ParameterLayout(architecture)
        shards = (0..<threads).map { shard in
            LossShard<T>(problem: problem, architecture: architecture, points: points, shard: shard,
                         of: threads, blockRows: blockRows ?? NetworkPass<T>.defaultRows)
        }
    }

    public let layout: ParameterLayout
    /// The network's parameters, then the problem's learned parameters.
    public var parameterCount: Int { layout.count + problem.learned.count }

    /// L(θ) = Σ_t w_t/(N_t·E_t) Σ_p c_p Σ_e r_{t,p,e}² + w_a·S(a), writing ∂L/∂θ into `gradient` (c_p: the samples'
    /// weights of `points`, 1 when a term has none). The terms' values reported are these weighted means.
    public func evaluate(_ parameters: [T], gradient: inout [T]) -> LossValue {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount)
        let termCounts = self.termCounts
        parameters.withUnsafeBufferPointer { theta in
            nonisolated(unsafe) let theta = theta
            let shards = self.shards
            DispatchQueue.concurrentPerform(iterations: shards.count) { shards[$0].run(theta, termCounts: termCounts) }
        }
        var sums = [Double](repeating: 0, count: problem.terms.count)
        for i in gradient.indices { gradient[i] = 0 }
        for shard in shards {
            for i in gradient.indices { gradient[i] += shard.gradient[i] }
            for t in sums.indices { sums[t] += shard.squaredSums[t] }
        }
        let means = problem.terms.indices.map { t in
            sums[t] / Double(max(termCounts[t], 1) * problem.terms[t].residual.equationCount)
        }
        let slopeRecovery = parameters.withUnsafeBufferPointer { theta in
            gradient.withUnsafeMutableBufferPointer { g in
                SlopeRecoveryTerm.accumulate(theta, layout: layout, architecture: architecture,
                                             weight: slopeRecoveryWeight, into: g)
            }
        }
        let total = zip(problem.terms, means).map { $0.weight * $1 }.reduce(0, +) + slopeRecoveryWeight * slopeRecovery
        return LossValue(total: total, terms: means, slopeRecovery: slopeRecovery)
    }

    /// The loss as a sum of squares (docs/design.md §8.6): L = ρᵀρ, where ρ stacks every term's residuals scaled
    /// by √(w_t·c_p/(N_t·E_t)) (c_p the sample's weight, 1 unless the points weigh their samples; term by term, sample by sample, a sample's equations and rows in its residual's order)
    /// and, when slope recovery is on, one last row √(w_a·S(a)) (S > 0). Its Jacobian J = ∂ρ/∂θ has one row per
    /// residual: the gradient of that residual alone, from the engine's own backward pass seeded with it (a
    /// pullback of the residual with the adjoint 1 at that entry), so every term kind, learned parameter and slope
    /// is exact. `columns[i]` is the column of parameter i in J, or nil for a parameter left out (frozen).
    ///
    /// `residuals` is resized to `residualRowCount`, `jacobian` (row-major, rows × `columnCount`) to fit.
    public func linearize(_ parameters: [T], columns: [Int?], columnCount: Int, residuals: inout [Double],
                          jacobian: inout [Double]) {
        precondition(parameters.count == parameterCount && columns.count == parameterCount)
        let rows = residualRowCount
        if residuals.count != rows { residuals = [Double](repeating: 0, count: rows) }
        if jacobian.count != rows * columnCount { jacobian = [Double](repeating: 0, count: rows * columnCount) }
        let termCounts = self.termCounts
        let offsets = termRows.reduce(into: [0]) { $0.append($0.last! + $1) }
        parameters.withUnsafeBufferPointer { theta in
            residuals.withUnsafeMutableBufferPointer { r in
                jacobian.withUnsafeMutableBufferPointer { j in
                    nonisolated(unsafe) let (theta, r, j) = (theta, r, j)
                    let shards = self.shards
                    DispatchQueue.concurrentPerform(iterations: shards.count) {
                        shards[$0].linearize(theta, termCounts: termCounts, termOffsets: offsets, columns: columns,
                                             columnCount: columnCount, residuals: r.baseAddress!, jacobian: j.baseAddress!)
                    }
                }
            }
        }
        guard hasSlopeRecoveryRow else { return }
        // ρ_a = √(w_a·S), ∂ρ_a/∂a = w_a·∇S / (2ρ_a).
        var gradient = [T](repeating: 0, count: parameterCount)
        let recovery = parameters.withUnsafeBufferPointer { theta in
            gradient.withUnsafeMutableBufferPointer { g in
                SlopeRecoveryTerm.accumulate(theta, layout: layout, architecture: architecture,
                                             weight: slopeRecoveryWeight, into: g)
            }
        }
        let row = (slopeRecoveryWeight * recovery).squareRoot()
        residuals[rows - 1] = row
        for c in 0..<columnCount { jacobian[(rows - 1) * columnCount + c] = 0 }
        for i in 0..<parameterCount { if let c = columns[i] { jacobian[(rows - 1) * columnCount + c] = Double(gradient[i]) / (2 * row) } }
    }

    /// Rows of ρ and J: every residual of every term (samples × rows per sample × equations), and one for slope
    /// recovery when it is on.
    public var residualRowCount: Int { termRows.reduce(0, +) + (hasSlopeRecoveryRow ? 1 : 0) }

    /// Rows of ρ per term: its point rows (samples × rows per sample) × equations.
    private var termRows: [Int] {
        problem.terms.indices.map { points.perTerm[$0].count / problem.inputs.count * problem.terms[$0].residual.equationCount }
    }

    private var hasSlopeRecoveryRow: Bool { slopeRecoveryWeight > 0 && !layout.slopes.isEmpty }

    /// Samples per term (N_t).
    private var termCounts: [Int] {
        problem.terms.indices.map {
            points.perTerm[$0].count / problem.inputs.count / problem.terms[$0].residual.rowsPerSample
        }
    }

    /// Σ_e r_e², the squared residual norm, at every sample of term `t` (what residual-based resampling weighs), without
    /// the samples' weights.
    public func squaredResiduals(_ parameters: [T], term t: Int) -> [Double] {
        precondition(parameters.count == parameterCount)
        let samples = points.perTerm[t].count / problem.inputs.count / problem.terms[t].residual.rowsPerSample
        var out = [Double](repeating: 0, count: samples)
        parameters.withUnsafeBufferPointer { theta in
            out.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let (theta, out) = (theta, out)
                let shards = self.shards
                DispatchQueue.concurrentPerform(iterations: shards.count) {
                    shards[$0].squaredResiduals(theta, term: t, into: out.baseAddress!)
                }
            }
        }
        return out
    }

    /// The residual of term `t` at every one of its samples: equations × samples, equation-major (one row per
    /// sample, so terms whose samples span several rows, such as periodic pairs, are not supported).
    public func residuals(_ parameters: [T], term t: Int) -> [Double] {
        precondition(parameters.count == parameterCount && problem.terms[t].residual.rowsPerSample == 1)
        let samples = points.perTerm[t].count / problem.inputs.count
        var out = [Double](repeating: 0, count: samples * problem.terms[t].residual.equationCount)
        parameters.withUnsafeBufferPointer { theta in
            out.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let (theta, out) = (theta, out)
                let shards = self.shards
                DispatchQueue.concurrentPerform(iterations: shards.count) {
                    shards[$0].residuals(theta, term: t, samples: samples, into: out.baseAddress!)
                }
            }
        }
        return out
    }
}

/// One thread's share of every loss term, with its buffers and its gradient.
final class LossShard<T: PINNScalar>: @unchecked Sendable {
    private struct TermWork {
        let residual: any PointResidual
        let weight: Double
        let points: [Double]
        /// c_p, one per sample, or nil (every sample weighs 1).
        let sampleWeights: [Double]?
        let range: Range<Int>
        let pass: NetworkPass<T>
    }

    private let terms: [TermWork]
    private let inputs: Int
    private let outputs: Int
    private let networkParameters: Int
    private(set) var gradient: [T]
    private(set) var squaredSums: [Double]
    // Scratch owned by the shard, allocated once: learned parameters and their adjoints; per block, the streams
    // (stream-major Double), their adjoints, residuals and residual adjoints, and the output adjoint in T.
    private let learnedCount: Int
    private let learned: UnsafeMutablePointer<Double>
    private let learnedAdjoint: UnsafeMutablePointer<Double>
    private let streamValues: UnsafeMutablePointer<Double>
    private let streamAdjoints: UnsafeMutablePointer<Double>
    private let residuals: UnsafeMutablePointer<Double>
    private let outputAdjoint: UnsafeMutablePointer<T>

    init(problem: Problem, architecture: NetworkArchitecture, points: TrainingPoints, shard: Int, of shards: Int,
         blockRows: Int) {
        inputs = problem.inputs.count
        outputs = problem.outputs.count
        var largest = (streams: 1, equations: 1, rows: 1)
        terms = problem.terms.enumerated().map { t, term in
            // Shards and blocks hold whole samples (a periodic pair is two rows).
            let k = term.residual.rowsPerSample
            let samples = points.perTerm[t].count / problem.inputs.count / k
            let range = (k * (samples * shard / shards))..<(k * (samples * (shard + 1) / shards))
            let streams = TaylorStreams(inputCount: problem.inputs.count, derivatives: term.residual.derivatives)
            let rows = max(k, min(blockRows / k * k, range.count))
            largest = (max(largest.streams, streams.count), max(largest.equations, term.residual.equationCount),
                       max(largest.rows, rows))
            return TermWork(residual: term.residual, weight: term.weight, points: points.perTerm[t],
                            sampleWeights: points.sampleWeights[t], range: range,
                            pass: NetworkPass<T>(network: architecture, lower: problem.lower, upper: problem.upper,
                                                 streams: streams, rows: rows))
        }
        networkParameters = ParameterLayout(architecture).count
        learnedCount = problem.learned.count
        gradient = [T](repeating: 0, count: networkParameters + learnedCount)
        squaredSums = [Double](repeating: 0, count: terms.count)
        let streamSize = largest.streams * largest.rows * problem.outputs.count
        learned = .allocate(capacity: max(learnedCount, 1))
        learnedAdjoint = .allocate(capacity: max(learnedCount, 1))
        streamValues = .allocate(capacity: streamSize)
        streamAdjoints = .allocate(capacity: streamSize)
        residuals = .allocate(capacity: 2 * largest.equations * largest.rows)
        outputAdjoint = .allocate(capacity: streamSize)
    }

    deinit {
        for pointer in [learned, learnedAdjoint, streamValues, streamAdjoints, residuals] { pointer.deallocate() }
        outputAdjoint.deallocate()
    }

    func run(_ theta: UnsafeBufferPointer<T>, termCounts: [Int]) {
        for i in gradient.indices { gradient[i] = 0 }
        for k in 0..<learnedCount {
            learned[k] = Double(theta[networkParameters + k])
            learnedAdjoint[k] = 0
        }
        defer { for k in 0..<learnedCount { gradient[networkParameters + k] = T(learnedAdjoint[k]) } }
        for (t, term) in terms.enumerated() {
            squaredSums[t] = 0
            guard !term.range.isEmpty else { continue }
            term.pass.prepare(parameters: theta)
            // L_t = w/(N·E) Σ r²  ⇒  r̄ = 2w/(N·E)·r
            let adjointScale = 2 * term.weight / Double(termCounts[t] * term.residual.equationCount)
            var start = term.range.lowerBound
            while start < term.range.upperBound {
                let rows = min(term.pass.capacity, term.range.upperBound - start)
                squaredSums[t] += block(term, start: start, rows: rows, adjointScale: adjointScale)
                start += rows
            }
        }
    }

    /// This shard's rows of ρ and J (`PINNLoss.linearize`): one sample at a time, a forward pass, then for each of
    /// its residual entries a pullback seeded with that entry alone and a backward pass, whose gradient is the row.
    func linearize(_ theta: UnsafeBufferPointer<T>, termCounts: [Int], termOffsets: [Int], columns: [Int?],
                   columnCount: Int, residuals rho: UnsafeMutablePointer<Double>, jacobian: UnsafeMutablePointer<Double>) {
        for k in 0..<learnedCount { learned[k] = Double(theta[networkParameters + k]) }
        var row = [T](repeating: 0, count: networkParameters)
        for (t, term) in terms.enumerated() {
            guard !term.range.isEmpty else { continue }
            term.pass.prepare(parameters: theta)
            let k = term.residual.rowsPerSample, equations = term.residual.equationCount
            let termScale = (term.weight / Double(termCounts[t] * equations)).squareRoot()
            let m = outputs, streams = term.pass.streams.count, size = equations * k
            for start in stride(from: term.range.lowerBound, to: term.range.upperBound, by: k) {
                // ρ = √(w c_p/(N·E))·r for a weighted sample.
                let scale = term.sampleWeights.map { termScale * $0[start / k].squareRoot() } ?? termScale
                let batch = term.points.withUnsafeBufferPointer { points in
                    forwardResidual(term, points: points.baseAddress! + start * inputs, start: start, rows: k)
                }
                let residualAdjoint = residuals + size
                for entry in 0..<size {
                    let r = termOffsets[t] + start * equations + entry
                    rho[r] = scale * residuals[entry]
                    for i in 0..<size { residualAdjoint[i] = i == entry ? scale : 0 }
                    streamAdjoints.update(repeating: 0, count: streams * k * m)
                    learnedAdjoint.update(repeating: 0, count: max(learnedCount, 1))
                    term.residual.pullback(batch, residualAdjoint: UnsafeBufferPointer(start: residualAdjoint, count: size),
                                           adjoint: StreamAdjoint(count: k, outputCount: m, values: streamAdjoints,
                                                                  learned: UnsafeMutableBufferPointer(start: learnedAdjoint,
                                                                                                      count: learnedCount)))
                    for s in 0..<streams {
                        for i in 0..<k {
                            for o in 0..<m { outputAdjoint[(s * k + i) * m + o] = T(streamAdjoints[(s * m + o) * k + i]) }
                        }
                    }
                    for i in row.indices { row[i] = 0 }
                    row.withUnsafeMutableBufferPointer { term.pass.backward(outputAdjoint: outputAdjoint, gradient: $0.baseAddress!) }
                    let out = jacobian + r * columnCount
                    for i in 0..<networkParameters { if let c = columns[i] { out[c] = Double(row[i]) } }
                    for l in 0..<learnedCount { if let c = columns[networkParameters + l] { out[c] = learnedAdjoint[l] } }
                }
            }
        }
    }

    /// Σ_e r_e² at every sample of this shard's share of term `t`, written at the samples' indices into `out`.
    func squaredResiduals(_ theta: UnsafeBufferPointer<T>, term t: Int, into out: UnsafeMutablePointer<Double>) {
        let k = terms[t].residual.rowsPerSample, equations = terms[t].residual.equationCount
        forEachResidualBlock(theta, term: t) { start, rows in
            for sample in 0..<(rows / k) {
                var sum = 0.0
                for e in 0..<equations {
                    for row in (sample * k)..<((sample + 1) * k) { sum += residuals[e * rows + row] * residuals[e * rows + row] }
                }
                out[start / k + sample] = sum
            }
        }
    }

    /// The residuals of this shard's share of term `t` (one row per sample), written equation-major into `out`
    /// (equations × `samples`).
    func residuals(_ theta: UnsafeBufferPointer<T>, term t: Int, samples: Int, into out: UnsafeMutablePointer<Double>) {
        let equations = terms[t].residual.equationCount
        forEachResidualBlock(theta, term: t) { start, rows in
            for e in 0..<equations {
                for row in 0..<rows { out[e * samples + start + row] = residuals[e * rows + row] }
            }
        }
    }

    /// Runs the forward pass and the residual of term `t` block by block over this shard's share; `body` then
    /// reads `residuals` (equations × rows) for the block starting at row `start`.
    private func forEachResidualBlock(_ theta: UnsafeBufferPointer<T>, term t: Int, _ body: (_ start: Int, _ rows: Int) -> Void) {
        let term = terms[t]
        guard !term.range.isEmpty else { return }
        for k in 0..<learnedCount { learned[k] = Double(theta[networkParameters + k]) }
        term.pass.prepare(parameters: theta)
        var start = term.range.lowerBound
        while start < term.range.upperBound {
            let rows = min(term.pass.capacity, term.range.upperBound - start)
            term.points.withUnsafeBufferPointer { points in
                _ = forwardResidual(term, points: points.baseAddress! + start * inputs, start: start, rows: rows)
            }
            body(start, rows)
            start += rows
        }
    }

    /// Forward, residual, pullback and backward for one block; returns Σ r².
    private func block(_ term: TermWork, start: Int, rows: Int, adjointScale: Double) -> Double {
        term.points.withUnsafeBufferPointer { block(term, points: $0.baseAddress! + start * inputs, start: start,
                                                    rows: rows, adjointScale: adjointScale) }
    }

    /// The network's streams at one block of points (into `streamValues`) and the residual there (into `residuals`).
    private func forwardResidual(_ term: TermWork, points: UnsafePointer<Double>, start: Int, rows: Int) -> ResidualBatch {
        let pass = term.pass
        let streams = pass.streams
        let m = outputs
        pass.forward(points: points, rows: rows)
        // Row-major network output (stream, row, output) → stream-major Double for the residual.
        let out = pass.output
        for s in 0..<streams.count {
            for i in 0..<rows {
                for o in 0..<m { streamValues[(s * m + o) * rows + i] = Double(out[(s * rows + i) * m + o]) }
            }
        }
        let batch = ResidualBatch(count: rows, inputCount: inputs, outputCount: m, streams: streams, points: points,
                                  values: streamValues, firstRow: start,
                                  learned: UnsafeBufferPointer(start: learned, count: learnedCount))
        term.residual.evaluate(batch, residual: UnsafeMutableBufferPointer(start: residuals,
                                                                           count: term.residual.equationCount * rows))
        return batch
    }

    private func block(_ term: TermWork, points: UnsafePointer<Double>, start: Int, rows: Int,
                       adjointScale: Double) -> Double {
        let pass = term.pass
        let streams = pass.streams
        let m = outputs
        let size = term.residual.equationCount * rows
        let batch = forwardResidual(term, points: points, start: start, rows: rows)
        let residual = UnsafeMutableBufferPointer(start: residuals, count: size)
        let residualAdjoint = UnsafeMutableBufferPointer(start: residuals + size, count: size)
        var sum = 0.0
        if let weights = term.sampleWeights {
            // Σ c_p r², and r̄ = 2w c_p/(N·E)·r; residuals are equation-major (e·rows + row), a sample k rows.
            let k = term.residual.rowsPerSample
            for i in 0..<size {
                let c = weights[(start + i % rows) / k]
                sum += c * residual[i] * residual[i]
                residualAdjoint[i] = adjointScale * c * residual[i]
            }
        } else {
            for i in 0..<size {
                sum += residual[i] * residual[i]
                residualAdjoint[i] = adjointScale * residual[i]
            }
        }
        streamAdjoints.update(repeating: 0, count: streams.count * rows * m)
        term.residual.pullback(batch, residualAdjoint: UnsafeBufferPointer(residualAdjoint),
                               adjoint: StreamAdjoint(count: rows, outputCount: m, values: streamAdjoints,
                                                      learned: UnsafeMutableBufferPointer(start: learnedAdjoint,
                                                                                          count: learnedCount)))
        for s in 0..<streams.count {
            for i in 0..<rows {
                for o in 0..<m { outputAdjoint[(s * rows + i) * m + o] = T(streamAdjoints[(s * m + o) * rows + i]) }
            }
        }
        gradient.withUnsafeMutableBufferPointer { pass.backward(outputAdjoint: outputAdjoint, gradient: $0.baseAddress!) }
        return sum
    }
}
