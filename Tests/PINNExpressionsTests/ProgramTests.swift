import Foundation
import Testing
@testable import PINNExpressions

@Suite struct ProgramTests {
    static let xt = ExpressionScope(inputs: ["x", "t"], fields: ["u"], constants: ["nu": 0.01], learned: ["lambda"])

    @Test func batchedEvaluationAndPullbackEqualPerRow() throws {
        let program = try #require(try? ExpressionProgram.compile([
            ExpressionSource("u_t + u*u_x - nu*u_xx", field: "pde"),
            ExpressionSource("x < t ? sin(x*t) * lambda : lambda*u^2 + exp(-t)", field: "mixed"),
            ExpressionSource("cos(pi*x)", field: "boundary", minus: "u_x"),
        ], scope: Self.xt))
        let rows = 37
        var random = SeededGenerator(seed: 23)
        let leafValues = (0..<program.leaves.count * rows).map { _ in Double.random(in: -2...2, using: &random) }
        let rootAdjoint = (0..<program.rootCount * rows).map { _ in Double.random(in: -1...1, using: &random) }

        // Poisoned buffers: everything read must have been written by the program first.
        var scratch = [Double](repeating: .nan, count: program.scratchCount(rows: rows))
        var adjointScratch = [Double](repeating: .nan, count: program.adjointScratchCount(rows: rows))
        var roots = [Double](repeating: .nan, count: program.rootCount * rows)
        var leafAdjoint = [Double](repeating: .nan, count: leafValues.count)
        program.evaluate(rows: rows, leafValues: leafValues, scratch: &scratch, roots: &roots)
        program.pullback(
            rows: rows, leafValues: leafValues, scratch: &scratch, rootAdjoint: rootAdjoint,
            adjointScratch: &adjointScratch, leafAdjoint: &leafAdjoint
        )

        for i in 0..<rows {
            let row = program.leaves.indices.map { leafValues[$0 * rows + i] }
            let seed = (0..<program.rootCount).map { rootAdjoint[$0 * rows + i] }
            #expect(program.evaluate(row) == (0..<program.rootCount).map { roots[$0 * rows + i] })
            #expect(program.pullback(row, rootAdjoint: seed) == program.leaves.indices.map { leafAdjoint[$0 * rows + i] })
        }
    }

    @Test func emptyBlocksAndConstantRootsAreFine() throws {
        let program = try compile("2 * 3")
        #expect(program.leaves.isEmpty && program.instructionCount == 0 && program.evaluate([]) == [6])
        #expect(program.pullback([], rootAdjoint: [1]) == [])
        var scratch = [Double](repeating: 0, count: 1), roots = scratch
        program.evaluate(rows: 0, leafValues: [0], scratch: &scratch, roots: &roots)
    }

    @Test func leavesAreDistinctAndMixedDerivativesNormalised() throws {
        let program = try compile("u_tx + u_xt + u_tx * x + x", scope: Self.xt)
        #expect(program.leaves == [.field(output: 0, derivative: [0, 1]), .input(0)])
        #expect(program.derivatives == [[0, 1]])
        let (derivative, x): (Double, Double) = (2, 3)
        #expect(program.evaluate([derivative, x]) == [derivative + derivative + derivative * x + x])
    }

    @Test func leavesAreInFirstUseOrderAndDescribeWhatTheTrainerMustCompute() throws {
        let program = try compile("lambda * u_xx + u_t * u + u_x + t + u_tt", scope: Self.xt)
        #expect(program.leaves == [
            .learned(0), .field(output: 0, derivative: [0, 0]), .field(output: 0, derivative: [1]),
            .field(output: 0, derivative: []), .field(output: 0, derivative: [0]), .input(1),
            .field(output: 0, derivative: [1, 1]),
        ])
        #expect(program.derivatives == [[0], [1], [0, 0], [1, 1]])
        #expect(program.usesFields && program.usesLearned)

        let exact = try compile("sin(pi * x) * exp(-nu * t)", scope: Self.xt)
        #expect(!exact.usesFields && !exact.usesLearned && exact.derivatives.isEmpty)
    }

    @Test(arguments: [
        // (expression, instructions, constants): leaf-free subtrees fold, learned parameters do not.
        ("2*pi*x", 1, 1),
        ("nu * 2 * x", 1, 1),
        ("sin(pi/2) * x + nu^2", 2, 2),
        ("x * 2 * pi", 2, 2), // left-associative (x*2)*pi: folding never reorders arithmetic
        ("lambda * 2", 1, 1),
        ("2^3^2", 0, 1),
        ("1 < 2 ? x : u", 0, 0), // a known condition keeps only the taken branch
        ("u*u_x + u*u_x", 2, 0), // identical instructions are emitted once
        ("x^2 + x^2 + 2^x", 4, 1),
    ])
    func constantsFoldAndDuplicatesMerge(_ text: String, _ instructions: Int, _ constants: Int) throws {
        let program = try compile(text, scope: Self.xt)
        #expect(program.instructionCount == instructions)
        #expect(program.constantCount == constants)
        #expect(program.scratchCount(rows: 256) == (instructions + constants) * 256)
        #expect(program.adjointScratchCount(rows: 256) == instructions * 256)
    }

    @Test func foldedValuesAreExact() throws {
        let program = try compile("2*pi*x", scope: Self.xt)
        #expect(program.leaves == [.input(0)])
        #expect(program.evaluate([1.5]) == [2 * Double.pi * 1.5])
        #expect(try compile("1 < 2 ? x : u", scope: Self.xt).leaves == [.input(0)])
    }

    @Test(arguments: [
        ("x^2", ExpressionOperation.integerPower(2)), ("x^3", .integerPower(3)), ("x^-1", .integerPower(-1)),
        ("x^(1+1)", .integerPower(2)), ("x^2.5", .power), ("x^lambda", .power), ("x^1e7", .power),
    ])
    func integralExponentsGetTheirOwnOperation(_ text: String, _ operation: ExpressionOperation) throws {
        let program = try compile(text, scope: Self.xt)
        #expect(program.instructions.map(\.operation) == [operation])
    }

    /// Arithmetic that only feeds a comparison gets no adjoint sweep; the gradient is unchanged by skipping it.
    @Test func pullbackSkipsInstructionsNoAdjointReaches() throws {
        let program = try compile("(x*t > 1) ? x : t", scope: Self.xt)
        #expect(program.instructions.map(\.operation) == [.multiply, .greater, .select])
        #expect(program.carriesAdjoint == [false, false, true])
        #expect(program.pullback([2, 3], rootAdjoint: [1]) == [1, 0])
        #expect(program.pullback([0.1, 3], rootAdjoint: [1]) == [0, 1])
    }

    @Test func residualSubtractsTheExpressionFromTheNamedField() throws {
        let target = ExpressionScope(inputs: ["x", "t"], fields: ["u"], allowsFields: false)
        let program = try #require(try? ExpressionProgram.compile(
            ExpressionSource("sin(pi*x)", field: "problem.data[0]", minus: "u_x"), scope: target
        ))
        #expect(program.leaves == [.field(output: 0, derivative: [0]), .input(0)])
        #expect(program.evaluate([3, 0.25]) == [3 - sin(Double.pi * 0.25)])
        #expect(program.pullback([3, 0.25], rootAdjoint: [1]) == [1, -Double.pi * cos(Double.pi * 0.25)])
    }

    /// A flat sum of 2000 terms is as long as the length limit allows; lowering it must not exhaust the stack.
    @Test func longestFlatChainCompiles() throws {
        let text = Array(repeating: "x", count: 2000).joined(separator: "+")
        let program = try compile(text, scope: Self.xt)
        #expect(program.evaluate([1]) == [2000])
        #expect(program.pullback([1], rootAdjoint: [1]) == [2000])
    }

    @Test func programsAreSendableValues() async throws {
        let program = try compile("u_t + u*u_x - nu*u_xx", scope: Self.xt)
        let values = await withTaskGroup(of: [Double].self) { group in
            for value in [1.0, 2.0] {
                group.addTask { program.evaluate(Array(repeating: value, count: program.leaves.count)) }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let expected: Set<Double> = [1 + 1 * 1 - 0.01 * 1, 2 + 2 * 2 - 0.01 * 2]
        #expect(Set(values) == expected)
    }
}
