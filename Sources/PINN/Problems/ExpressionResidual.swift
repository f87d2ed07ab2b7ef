import PINNExpressions

/// A residual written in the expression language: one equation per compiled root. Each block gathers the
/// leaves the program reads (coordinates, derivative streams, learned parameters) into columns, runs the tape,
/// and on the way back scatters the leaf adjoints into the stream adjoints and, summed over the rows, into the
/// learned parameters' adjoints.
public struct ExpressionResidual: PointResidual {
    public let program: ExpressionProgram

    public init(_ program: ExpressionProgram) { self.program = program }

    public var derivatives: [Derivative] { [[]] + program.derivatives }
    public var equationCount: Int { program.rootCount }

    public func evaluate(_ batch: ResidualBatch, residual: UnsafeMutableBufferPointer<Double>) {
        withColumns(batch) { leaves, scratch in
            program.evaluate(rows: batch.count, leafValues: leaves, scratch: scratch, roots: residual.baseAddress!)
        }
    }

    public func pullback(_ batch: ResidualBatch, residualAdjoint: UnsafeBufferPointer<Double>, adjoint: StreamAdjoint) {
        let rows = batch.count
        withColumns(batch) { leaves, scratch in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: program.rootCount * rows) { roots in
                program.evaluate(rows: rows, leafValues: leaves, scratch: scratch, roots: roots.baseAddress!)
            }
            let adjointScratch = UnsafeMutablePointer<Double>.allocate(capacity: max(program.adjointScratchCount(rows: rows), 1))
            let leafAdjoint = UnsafeMutablePointer<Double>.allocate(capacity: program.leaves.count * rows)
            defer {
                adjointScratch.deallocate()
                leafAdjoint.deallocate()
            }
            program.pullback(rows: rows, leafValues: leaves, scratch: scratch, rootAdjoint: residualAdjoint.baseAddress!,
                             adjointScratch: adjointScratch, leafAdjoint: leafAdjoint)
            for (slot, leaf) in program.leaves.enumerated() {
                let column = leafAdjoint + slot * rows
                switch leaf {
                case .input:
                    break
                case .field(let output, let derivative):
                    let target = adjoint.stream(batch.streams.index(of: derivative)!, output: output)
                    for i in 0..<rows { target[i] += column[i] }
                case .learned(let k):
                    var sum = 0.0
                    for i in 0..<rows { sum += column[i] }
                    adjoint.learned[k] += sum
                }
            }
        }
    }

    /// Runs `body` with the leaf columns of `batch` filled in and the program's scratch.
    private func withColumns(_ batch: ResidualBatch, _ body: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) {
        let rows = batch.count
        let leaves = UnsafeMutablePointer<Double>.allocate(capacity: max(program.leaves.count, 1) * rows)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(program.scratchCount(rows: rows), 1))
        defer {
            leaves.deallocate()
            scratch.deallocate()
        }
        for (slot, leaf) in program.leaves.enumerated() {
            let column = leaves + slot * rows
            switch leaf {
            case .input(let j):
                for i in 0..<rows { column[i] = batch.coordinate(j, of: i) }
            case .field(let output, let derivative):
                let stream = batch.stream(batch.streams.index(of: derivative)!, output: output)
                column.update(from: stream.baseAddress!, count: rows)
            case .learned(let k):
                column.update(repeating: batch.learned[k], count: rows)
            }
        }
        body(leaves, scratch)
    }
}
