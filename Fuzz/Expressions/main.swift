// libFuzzer target for the expression language: the bytes are UTF-8 source text, parsed and compiled against a
// fixed scope; what compiles is evaluated, and pulled back, on a block of rows. Thrown errors are expected
// answers; a trap, a memory error, a leak or a hang is a finding. Built by scripts/fuzz.sh (docs/reliability.md).
//
// Input format: one source per line (at most 8). A line `m := text` is the residual `m − (text)`, the form of
// conditions and data targets. Every set of sources is compiled twice: with fields allowed (equations) and without
// (exact solutions, data targets).

// MARK: - Scope and leaf values

/// Inputs x, t; fields u, v; a constant nu; a learned parameter lambda.
private let fieldScope = ExpressionScope(
    inputs: ["x", "t"], fields: ["u", "v"], constants: ["nu": 0.01], learned: ["lambda"]
)
private var exactScope: ExpressionScope {
    var scope = fieldScope
    scope.allowsFields = false
    return scope
}

/// Rows evaluated at once; the first few rows hold edge values, the rest pseudo-random ones.
private let rows = 7
private let edgeValues: [Double] = [0, -0.0, 1, -2.5, 1e300, -1e-300, .infinity, -.infinity, .nan]

/// The value of leaf `slot` on `row`: deterministic, so that a finding reproduces from its input alone.
private func leafValue(slot: Int, row: Int) -> Double {
    if row < 3 { return edgeValues[(slot &* 3 &+ row) % edgeValues.count] }
    var z = UInt64(truncatingIfNeeded: slot &* 7919 &+ row) &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 53) * 8 - 4   // uniform in [−4, 4)
}

// MARK: - The target

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Invalid UTF-8 is repaired with U+FFFD, which the lexer must reject like any other stray character.
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(8)
    let sources = lines.enumerated().map { index, line in
        let field = "fuzz[\(index)]"
        guard let assignment = line.range(of: ":=") else { return ExpressionSource(String(line), field: field) }
        return ExpressionSource(
            String(line[assignment.upperBound...]), field: field, minus: String(line[..<assignment.lowerBound])
        )
    }
    for scope in [fieldScope, exactScope] {
        do {
            let program = try ExpressionProgram.compile(sources, scope: scope)
            run(program, scope: scope)
        } catch {
            check(!error.errors.isEmpty, "compilation failed without an error")
            for error in error.errors { check(!error.message.isEmpty, "an error without a message") }
        }
    }
    // The public lookup of a field name (prediction requests, `derivatives` of the API) takes any text.
    _ = try? fieldScope.field(named: text, in: "fuzz")
    return 0
}

/// Evaluates and pulls back on `rows` rows, then checks that row i agrees with a single-row evaluation at row i's
/// leaf values: the block layout must not mix up rows or columns.
private func run(_ program: ExpressionProgram, scope: ExpressionScope) {
    check(program.rootCount >= 1, "a compiled program without roots")
    for leaf in program.leaves {
        switch leaf {
        case .input(let i): check(scope.inputs.indices.contains(i), "input leaf out of range")
        case .field(let output, let derivative):
            check(scope.fields.indices.contains(output), "field leaf out of range")
            check(derivative.count <= ExpressionScope.maximumDerivativeOrder && derivative == derivative.sorted(),
                  "unsorted derivative, or one above the maximum order")
            check(derivative.allSatisfy(scope.inputs.indices.contains), "derivative of an unknown input")
        case .learned(let k): check(scope.learned.indices.contains(k), "learned leaf out of range")
        }
    }
    _ = program.derivatives
    _ = (program.usesFields, program.usesLearned, program.instructionCount, program.constantCount)

    let leafCount = program.leaves.count
    var leafValues = [Double](repeating: 0, count: max(1, leafCount * rows))
    for slot in 0..<leafCount {
        for row in 0..<rows { leafValues[slot * rows + row] = leafValue(slot: slot, row: row) }
    }
    var scratch = [Double](repeating: .nan, count: max(1, program.scratchCount(rows: rows)))
    var roots = [Double](repeating: .nan, count: program.rootCount * rows)
    var rootAdjoint = [Double](repeating: 0, count: program.rootCount * rows)
    for k in rootAdjoint.indices { rootAdjoint[k] = k % 5 == 4 ? 0 : leafValue(slot: 1000 + k, row: 3) }
    var adjointScratch = [Double](repeating: .nan, count: max(1, program.adjointScratchCount(rows: rows)))
    var leafAdjoint = [Double](repeating: .nan, count: max(1, leafCount * rows))
    leafValues.withUnsafeBufferPointer { values in
        scratch.withUnsafeMutableBufferPointer { scratch in
            roots.withUnsafeMutableBufferPointer { roots in
                program.evaluate(rows: rows, leafValues: values.baseAddress!, scratch: scratch.baseAddress!,
                                 roots: roots.baseAddress!)
            }
            rootAdjoint.withUnsafeBufferPointer { seed in
                adjointScratch.withUnsafeMutableBufferPointer { adjointScratch in
                    leafAdjoint.withUnsafeMutableBufferPointer { leafAdjoint in
                        program.pullback(rows: rows, leafValues: values.baseAddress!, scratch: scratch.baseAddress!,
                                         rootAdjoint: seed.baseAddress!, adjointScratch: adjointScratch.baseAddress!,
                                         leafAdjoint: leafAdjoint.baseAddress!)
                    }
                }
            }
        }
    }
    for row in [0, rows - 1] {
        let single = (0..<leafCount).map { leafValues[$0 * rows + row] }
        let singleRoots = program.evaluate(single)
        for r in 0..<program.rootCount {
            check(same(singleRoots[r], roots[r * rows + row]), "root \(r) on row \(row): block and single row differ")
        }
        let seed = (0..<program.rootCount).map { rootAdjoint[$0 * rows + row] }
        let singleAdjoint = program.pullback(single, rootAdjoint: seed)
        for slot in 0..<leafCount {
            check(same(singleAdjoint[slot], leafAdjoint[slot * rows + row]),
                  "adjoint of leaf \(slot) on row \(row): block and single row differ")
        }
    }
}

/// Bitwise equal, or both NaN (a NaN's payload may differ between code paths).
private func same(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant: \(message())") }
}
