import Foundation
import Testing
@testable import PINNExpressions

extension ExpressionScope {
    /// Inputs x, y, t; fields u, v; constants nu, k; learned lambda, mu.
    static let wide = ExpressionScope(
        inputs: ["x", "y", "t"], fields: ["u", "v"], constants: ["nu": 0.01, "k": 2.5], learned: ["lambda", "mu"]
    )

    /// The name a leaf is written as in this scope, e.g. `u_xt`.
    func name(of leaf: ExpressionLeaf) -> String {
        switch leaf {
        case .input(let index): inputs[index]
        case .field(let output, let derivative):
            derivative.isEmpty ? fields[output] : fields[output] + "_" + derivative.map { inputs[$0] }.joined()
        case .learned(let index): learned[index]
        }
    }
}

/// Compiles one expression, failing the test on an error.
func compile(_ text: String, scope: ExpressionScope = .wide) throws -> ExpressionProgram {
    do {
        return try ExpressionProgram.compile(ExpressionSource(text, field: "test"), scope: scope)
    } catch {
        Issue.record("\(text): \(error)")
        throw error
    }
}

/// The single root of `text` where each leaf takes the value named in `values`.
func value(_ text: String, _ values: [String: Double] = [:], scope: ExpressionScope = .wide) throws -> Double {
    let program = try compile(text, scope: scope)
    let leafValues = try program.leaves.map { leaf in try #require(values[scope.name(of: leaf)], "no value for \(leaf)") }
    return program.evaluate(leafValues)[0]
}

/// Equal, both NaN, or within `tolerance` relative to the larger magnitude.
func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-14) -> Bool {
    if a == b || (a.isNaN && b.isNaN) { return true }
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
}

/// SplitMix64: reproducible random numbers without depending on the platform's generator.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The error compiling `sources` reports, nil when it compiles.
func compileErrors(_ sources: [ExpressionSource], scope: ExpressionScope) -> [ExpressionError]? {
    do {
        _ = try ExpressionProgram.compile(sources, scope: scope)
        return nil
    } catch {
        return error.errors
    }
}
