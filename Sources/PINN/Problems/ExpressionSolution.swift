import PINNExpressions

/// An exact solution given as one expression of the inputs per output.
public struct ExpressionSolution: ExactSolution {
    public let program: ExpressionProgram
    public let inputCount: Int

    public init(program: ExpressionProgram, inputCount: Int) {
        self.program = program
        self.inputCount = inputCount
    }

    public func values(at points: [Double]) -> [Double] {
        let count = points.count / inputCount
        let m = program.rootCount
        var values = [Double](repeating: 0, count: count * m)
        let block = 1024
        let leaves = UnsafeMutablePointer<Double>.allocate(capacity: max(program.leaves.count, 1) * block)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: program.scratchCount(rows: block))
        let roots = UnsafeMutablePointer<Double>.allocate(capacity: m * block)
        defer { leaves.deallocate(); scratch.deallocate(); roots.deallocate() }
        var start = 0
        while start < count {
            let rows = min(block, count - start)
            for (slot, leaf) in program.leaves.enumerated() {
                guard case .input(let j) = leaf else { preconditionFailure("exact solutions read only inputs") }
                for i in 0..<rows { leaves[slot * rows + i] = points[(start + i) * inputCount + j] }
            }
            program.evaluate(rows: rows, leafValues: leaves, scratch: scratch, roots: roots)
            for i in 0..<rows {
                for r in 0..<m { values[(start + i) * m + r] = roots[r * rows + i] }
            }
            start += rows
        }
        return values
    }
}
