/// Compiled expressions: a tape of elementwise instructions over columns of `rows` Doubles, evaluated on
/// a block of rows at once, with the exact reverse-mode adjoint (`pullback`) of every root.
///
/// Memory layout: every leaf, root and register is one contiguous column of `rows` Doubles, so leaf slot s
/// of row i is `leafValues[s * rows + i]` and root r of row i is `roots[r * rows + i]`. Scratch holds the
/// constant columns, then one column per instruction. Nothing allocates on the `rows:` entry points;
/// buffers are the caller's, and one program may serve several threads at once with separate buffers.
public struct ExpressionProgram: Sendable {
    /// Distinct leaves in slot order (order of first use); the caller provides one column for each.
    public let leaves: [ExpressionLeaf]
    let constants: [Double]
    let instructions: [ExpressionInstruction]
    let roots: [ExpressionRegister]
    /// Per instruction: whether a root's adjoint can reach it through differentiable operands.
    /// `pullback` skips the others (e.g. a condition and the arithmetic feeding only it).
    let carriesAdjoint: [Bool]

    // MARK: Compilation

    /// Compiles each source into one root, in order. Every bad source is reported (its first error),
    /// so a user sees all of them at once.
    public static func compile(_ sources: [ExpressionSource], scope: ExpressionScope) throws(ExpressionErrors) -> ExpressionProgram {
        var terms: [ExpressionTerm] = []
        var errors: [ExpressionError] = []
        for source in sources {
            do throws(ExpressionFailure) {
                terms.append(try ExpressionCompiler.resolve(source, in: scope))
            } catch {
                errors.append(error.located(in: source.field))
            }
        }
        guard errors.isEmpty else { throw ExpressionErrors(errors) }
        var compiler = ExpressionCompiler()
        var roots: [ExpressionRegister] = []
        for term in terms {
            roots.append(compiler.root(term))
        }
        return ExpressionProgram(
            leaves: compiler.leaves, constants: compiler.constants, instructions: compiler.instructions, roots: roots
        )
    }

    /// Compiles a single expression.
    public static func compile(_ source: ExpressionSource, scope: ExpressionScope) throws(ExpressionErrors) -> ExpressionProgram {
        try compile([source], scope: scope)
    }

    init(leaves: [ExpressionLeaf], constants: [Double], instructions: [ExpressionInstruction], roots: [ExpressionRegister]) {
        self.leaves = leaves
        self.constants = constants
        self.instructions = instructions
        self.roots = roots
        var carries = Array(repeating: false, count: instructions.count)
        for case .result(let k) in roots { carries[k] = true }
        // Operands come before their users on the tape, so one backward sweep settles every flag.
        for k in instructions.indices.reversed() where carries[k] {
            let instruction = instructions[k]
            for index in instruction.operation.differentiableOperands {
                if case .result(let j) = instruction.operands[index] { carries[j] = true }
            }
        }
        carriesAdjoint = carries
    }

    // MARK: Shape

    public var rootCount: Int { roots.count }
    /// Tape length: elementwise operations run per evaluation (constants and leaves are not instructions).
    public var instructionCount: Int { instructions.count }
    /// Distinct constants left after folding; each is one scratch column.
    public var constantCount: Int { constants.count }

    /// Distinct non-empty field derivatives the program reads (`[j]`, `[j, l]` with j ≤ l), by order then
    /// lexicographically: what the trainer must differentiate the network for.
    public var derivatives: [[Int]] {
        var seen = Set<[Int]>()
        for case .field(_, let derivative) in leaves where !derivative.isEmpty { seen.insert(derivative) }
        return seen.sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// Whether any leaf is a field value or derivative, i.e. the network must be run.
    public var usesFields: Bool { leaves.contains(where: \.isField) }
    /// Whether any leaf is a trainable parameter.
    public var usesLearned: Bool { leaves.contains(where: \.isLearned) }

    /// Doubles of `scratch` that `evaluate` and `pullback` need for `rows` rows.
    public func scratchCount(rows: Int) -> Int { (constants.count + instructions.count) * rows }
    /// Doubles of `adjointScratch` that `pullback` needs for `rows` rows.
    public func adjointScratchCount(rows: Int) -> Int { instructions.count * rows }

    // MARK: Evaluation

    /// Computes every root on `rows` rows: `leafValues[slot * rows + i]` → `roots[r * rows + i]`.
    /// `scratch` (`scratchCount(rows:)` Doubles) keeps every intermediate column for `pullback`.
    public func evaluate(
        rows: Int,
        leafValues: UnsafePointer<Double>,
        scratch: UnsafeMutablePointer<Double>,
        roots output: UnsafeMutablePointer<Double>
    ) {
        precondition(rows >= 0, "rows must not be negative")
        let frame = Frame(rows: rows, leafValues: leafValues, scratch: scratch, constantCount: constants.count)
        for (k, constant) in constants.enumerated() {
            (scratch + k * rows).update(repeating: constant, count: rows)
        }
        for (k, instruction) in instructions.enumerated() {
            instruction.operation.forward(
                rows: rows,
                frame.value(instruction.a), frame.value(instruction.b), frame.value(instruction.c),
                into: frame.result(k)
            )
        }
        for (r, root) in roots.enumerated() {
            (output + r * rows).update(from: frame.value(root), count: rows)
        }
    }

    /// Reverse mode: `leafAdjoint[slot * rows + i] = Σ_r rootAdjoint[r * rows + i] · ∂root_r/∂leaf_slot` at row i
    /// (overwritten, not accumulated). A learned leaf gets one adjoint per row; its gradient is their sum.
    ///
    /// `scratch` must be as `evaluate` left it for the same `leafValues` and `rows`; it is only read.
    /// `adjointScratch` holds `adjointScratchCount(rows:)` Doubles, overwritten.
    /// An adjoint that is exactly 0 contributes 0 even through an infinite or NaN partial derivative.
    public func pullback(
        rows: Int,
        leafValues: UnsafePointer<Double>,
        scratch: UnsafeMutablePointer<Double>,
        rootAdjoint: UnsafePointer<Double>,
        adjointScratch: UnsafeMutablePointer<Double>,
        leafAdjoint: UnsafeMutablePointer<Double>
    ) {
        precondition(rows >= 0, "rows must not be negative")
        let frame = Frame(
            rows: rows, leafValues: leafValues, scratch: scratch, constantCount: constants.count,
            adjointScratch: adjointScratch, leafAdjoint: leafAdjoint
        )
        leafAdjoint.update(repeating: 0, count: leaves.count * rows)
        adjointScratch.update(repeating: 0, count: instructions.count * rows)
        for (r, root) in roots.enumerated() {
            guard let adjoint = frame.adjoint(root) else { continue }
            let seed = rootAdjoint + r * rows
            for i in 0..<rows { adjoint[i] += seed[i] }
        }
        for k in instructions.indices.reversed() where carriesAdjoint[k] {
            let instruction = instructions[k]
            instruction.operation.backward(
                rows: rows,
                frame.value(instruction.a), frame.value(instruction.b), frame.value(instruction.c),
                result: frame.value(.result(k)), adjoint: adjointScratch + k * rows,
                frame.adjoint(instruction.a), frame.adjoint(instruction.b), frame.adjoint(instruction.c)
            )
        }
    }

    /// Where each register's column, and its adjoint's, lives during one call.
    private struct Frame {
        let rows: Int
        let leafValues: UnsafePointer<Double>
        let scratch: UnsafeMutablePointer<Double>
        let constantCount: Int
        var adjointScratch: UnsafeMutablePointer<Double>? = nil
        var leafAdjoint: UnsafeMutablePointer<Double>? = nil

        func result(_ k: Int) -> UnsafeMutablePointer<Double> {
            scratch + (constantCount + k) * rows
        }

        func value(_ register: ExpressionRegister) -> UnsafePointer<Double> {
            switch register {
            case .leaf(let slot): leafValues + slot * rows
            case .constant(let k): UnsafePointer(scratch + k * rows)
            case .result(let k): UnsafePointer(result(k))
            }
        }

        /// Nil for constants: nothing downstream wants their adjoint.
        func adjoint(_ register: ExpressionRegister) -> UnsafeMutablePointer<Double>? {
            switch register {
            case .leaf(let slot): leafAdjoint.map { $0 + slot * rows }
            case .constant: nil
            case .result(let k): adjointScratch.map { $0 + k * rows }
            }
        }
    }

    // MARK: Single points

    /// One row: leaf values in slot order → root values. Allocates; meant for tests and targets.
    public func evaluate(_ leafValues: [Double]) -> [Double] {
        precondition(leafValues.count == leaves.count, "expected \(leaves.count) leaf values, got \(leafValues.count)")
        return withStorage(leafValues) { leaves in
            withStorage(Array(repeating: 0, count: scratchCount(rows: 1))) { scratch in
                withStorage(Array(repeating: 0, count: rootCount)) { roots in
                    evaluate(rows: 1, leafValues: leaves, scratch: scratch, roots: roots)
                    return Array(UnsafeBufferPointer(start: roots, count: rootCount))
                }
            }
        }
    }

    /// One row: Σ_r rootAdjoint[r] · ∂root_r/∂leaf for every leaf, in slot order. Allocates.
    public func pullback(_ leafValues: [Double], rootAdjoint: [Double]) -> [Double] {
        precondition(leafValues.count == leaves.count, "expected \(leaves.count) leaf values, got \(leafValues.count)")
        precondition(rootAdjoint.count == rootCount, "expected \(rootCount) root adjoints, got \(rootAdjoint.count)")
        return withStorage(leafValues) { leaves in
            withStorage(Array(repeating: 0, count: scratchCount(rows: 1))) { scratch in
                withStorage(Array(repeating: 0, count: rootCount)) { roots in
                    withStorage(rootAdjoint) { seed in
                        withStorage(Array(repeating: 0, count: adjointScratchCount(rows: 1))) { adjointScratch in
                            withStorage(Array(repeating: 0, count: leafValues.count)) { leafAdjoint in
                                evaluate(rows: 1, leafValues: leaves, scratch: scratch, roots: roots)
                                pullback(
                                    rows: 1, leafValues: leaves, scratch: scratch, rootAdjoint: seed,
                                    adjointScratch: adjointScratch, leafAdjoint: leafAdjoint
                                )
                                return Array(UnsafeBufferPointer(start: leafAdjoint, count: leafValues.count))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Runs `body` on a temporary copy of `values` that is never empty, so its pointer always exists
/// (an empty array's buffer may have no base address).
private func withStorage<Result>(_ values: [Double], _ body: (UnsafeMutablePointer<Double>) -> Result) -> Result {
    let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, values.count))
    defer { storage.deallocate() }
    _ = storage.initialize(from: values)
    return body(storage.baseAddress!)
}
