import Foundation

/// One elementwise operation of a compiled program, `y = f(a, b, c)` on every row, with its value
/// (`forward`) and its partial derivatives (`backward`) side by side.
///
/// Truth values are Doubles: comparisons and logical operations yield 1 or 0, and an operand counts as
/// true when it is nonzero (NaN included). They are piecewise constant, so their derivative is 0.
enum ExpressionOperation: Hashable, Sendable {
    /// y = −a;  ∂y/∂a = −1
    case negate
    /// y = a + b;  ∂y/∂a = 1, ∂y/∂b = 1
    case add
    /// y = a − b;  ∂y/∂a = 1, ∂y/∂b = −1
    case subtract
    /// y = a·b;  ∂y/∂a = b, ∂y/∂b = a
    case multiply
    /// y = a / b;  ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b
    case divide
    /// y = a^b (`pow`);  ∂y/∂a = b·a^(b−1), ∂y/∂b = y·ln a, taken as 0 where y = 0 (its limit as a → 0⁺).
    case power
    /// y = aⁿ for a constant integer n, exact products for n = 2, 3, −1 (negative a included), `pow` otherwise;
    /// ∂y/∂a = n·aⁿ⁻¹
    case integerPower(Int)
    /// y = sin a;  ∂y/∂a = cos a
    case sin
    /// y = cos a;  ∂y/∂a = −sin a
    case cos
    /// y = tan a;  ∂y/∂a = 1 + y²
    case tan
    /// y = eᵃ;  ∂y/∂a = y
    case exp
    /// y = ln a;  ∂y/∂a = 1/a
    case log
    /// y = √a;  ∂y/∂a = 1/(2y)
    case sqrt
    /// y = |a|;  ∂y/∂a = sign a, with sign 0 = 0
    case abs
    /// y = tanh a;  ∂y/∂a = 1 − y²
    case tanh
    /// y = sinh a;  ∂y/∂a = cosh a
    case sinh
    /// y = cosh a;  ∂y/∂a = sinh a
    case cosh
    /// y = b < a ? b : a;  the adjoint goes to the chosen operand only (a on ties).
    case min
    /// y = b > a ? b : a;  the adjoint goes to the chosen operand only (a on ties).
    case max
    /// y = a ≠ 0 ? b : c (`a ? b : c` and `if(a, b, c)`);  the adjoint goes to the taken branch only, none to a.
    case select
    /// y = 1 if a < b else 0
    case less
    /// y = 1 if a ≤ b else 0
    case lessOrEqual
    /// y = 1 if a > b else 0
    case greater
    /// y = 1 if a ≥ b else 0
    case greaterOrEqual
    /// y = 1 if a = b else 0
    case equal
    /// y = 1 if a ≠ b else 0
    case notEqual
    /// y = 1 if a ≠ 0 and b ≠ 0 else 0
    case and
    /// y = 1 if a ≠ 0 or b ≠ 0 else 0
    case or
    /// y = 1 if a = 0 else 0
    case not

    var arity: Int {
        switch self {
        case .negate, .not, .integerPower, .sin, .cos, .tan, .exp, .log, .sqrt, .abs, .tanh, .sinh, .cosh: 1
        case .select: 3
        default: 2
        }
    }

    /// The operands `backward` may give a nonzero adjoint: none for the piecewise-constant operations,
    /// the branches but not the condition for `select`, every operand otherwise.
    var differentiableOperands: Range<Int> {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual, .and, .or, .not: 0..<0
        case .select: 1..<3
        default: 0..<arity
        }
    }

    /// The operation on single values, through the same kernel as the tape so that constant folding
    /// gives exactly what evaluation would.
    func apply(_ operands: [Double]) -> Double {
        let padded = operands + Array(repeating: 0, count: Swift.max(0, 3 - operands.count))
        var result = 0.0
        padded.withUnsafeBufferPointer { x in
            forward(rows: 1, x.baseAddress!, x.baseAddress! + 1, x.baseAddress! + 2, into: &result)
        }
        return result
    }

    /// y[i] = f(a[i], b[i], c[i]) for i < rows; operands beyond the arity are not read.
    func forward(
        rows n: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
        into y: UnsafeMutablePointer<Double>
    ) {
        // The switch stays outside the row loops so that each loop is a plain, vectorisable kernel.
        switch self {
        case .negate: for i in 0..<n { y[i] = -a[i] }
        case .add: for i in 0..<n { y[i] = a[i] + b[i] }
        case .subtract: for i in 0..<n { y[i] = a[i] - b[i] }
        case .multiply: for i in 0..<n { y[i] = a[i] * b[i] }
        case .divide: for i in 0..<n { y[i] = a[i] / b[i] }
        case .power: for i in 0..<n { y[i] = Foundation.pow(a[i], b[i]) }
        case .integerPower(2): for i in 0..<n { y[i] = a[i] * a[i] }
        case .integerPower(3): for i in 0..<n { y[i] = a[i] * a[i] * a[i] }
        case .integerPower(-1): for i in 0..<n { y[i] = 1 / a[i] }
        case .integerPower(let p):
            let exponent = Double(p)
            for i in 0..<n { y[i] = Foundation.pow(a[i], exponent) }
        case .sin: for i in 0..<n { y[i] = Foundation.sin(a[i]) }
        case .cos: for i in 0..<n { y[i] = Foundation.cos(a[i]) }
        case .tan: for i in 0..<n { y[i] = Foundation.tan(a[i]) }
        case .exp: for i in 0..<n { y[i] = Foundation.exp(a[i]) }
        case .log: for i in 0..<n { y[i] = Foundation.log(a[i]) }
        case .sqrt: for i in 0..<n { y[i] = a[i].squareRoot() }
        case .abs: for i in 0..<n { y[i] = a[i].magnitude }
        case .tanh: for i in 0..<n { y[i] = Foundation.tanh(a[i]) }
        case .sinh: for i in 0..<n { y[i] = Foundation.sinh(a[i]) }
        case .cosh: for i in 0..<n { y[i] = Foundation.cosh(a[i]) }
        case .min: for i in 0..<n { y[i] = b[i] < a[i] ? b[i] : a[i] }
        case .max: for i in 0..<n { y[i] = b[i] > a[i] ? b[i] : a[i] }
        case .select: for i in 0..<n { y[i] = a[i] != 0 ? b[i] : c[i] }
        case .less: for i in 0..<n { y[i] = a[i] < b[i] ? 1 : 0 }
        case .lessOrEqual: for i in 0..<n { y[i] = a[i] <= b[i] ? 1 : 0 }
        case .greater: for i in 0..<n { y[i] = a[i] > b[i] ? 1 : 0 }
        case .greaterOrEqual: for i in 0..<n { y[i] = a[i] >= b[i] ? 1 : 0 }
        case .equal: for i in 0..<n { y[i] = a[i] == b[i] ? 1 : 0 }
        case .notEqual: for i in 0..<n { y[i] = a[i] != b[i] ? 1 : 0 }
        case .and: for i in 0..<n { y[i] = a[i] != 0 && b[i] != 0 ? 1 : 0 }
        case .or: for i in 0..<n { y[i] = a[i] != 0 || b[i] != 0 ? 1 : 0 }
        case .not: for i in 0..<n { y[i] = a[i] == 0 ? 1 : 0 }
        }
    }

    /// Adds ḡ[i]·∂y/∂operand to each operand adjoint that is not nil (nil: the operand is a constant).
    /// `y` is the result `forward` wrote. Operands may alias each other (`x*x`); every update is a `+=`,
    /// so aliased adjoints receive both contributions.
    func backward(
        rows n: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
        result y: UnsafePointer<Double>, adjoint g: UnsafePointer<Double>,
        _ da: UnsafeMutablePointer<Double>?, _ db: UnsafeMutablePointer<Double>?, _ dc: UnsafeMutablePointer<Double>?
    ) {
        switch self {
        case .negate:
            if let da { for i in 0..<n { da[i] -= g[i] } }
        case .add:
            if let da { for i in 0..<n { da[i] += g[i] } }
            if let db { for i in 0..<n { db[i] += g[i] } }
        case .subtract:
            if let da { for i in 0..<n { da[i] += g[i] } }
            if let db { for i in 0..<n { db[i] -= g[i] } }
        case .multiply:
            if let da { for i in 0..<n { da[i] += scaled(g[i], b[i]) } }
            if let db { for i in 0..<n { db[i] += scaled(g[i], a[i]) } }
        case .divide:
            if let da { for i in 0..<n { da[i] += scaled(g[i], 1 / b[i]) } }
            if let db { for i in 0..<n { db[i] += scaled(g[i], -y[i] / b[i]) } }
        case .power:
            if let da { for i in 0..<n { da[i] += scaled(g[i], b[i] * Foundation.pow(a[i], b[i] - 1)) } }
            if let db { for i in 0..<n { db[i] += scaled(g[i], y[i] == 0 ? 0 : y[i] * Foundation.log(a[i])) } }
        case .integerPower(let p):
            guard let da else { return }
            switch p {
            case 0: break
            case 2: for i in 0..<n { da[i] += scaled(g[i], 2 * a[i]) }
            case 3: for i in 0..<n { da[i] += scaled(g[i], 3 * a[i] * a[i]) }
            case -1: for i in 0..<n { da[i] += scaled(g[i], -y[i] * y[i]) }
            default:
                let (factor, exponent) = (Double(p), Double(p - 1))
                for i in 0..<n { da[i] += scaled(g[i], factor * Foundation.pow(a[i], exponent)) }
            }
        case .sin:
            if let da { for i in 0..<n { da[i] += scaled(g[i], Foundation.cos(a[i])) } }
        case .cos:
            if let da { for i in 0..<n { da[i] += scaled(g[i], -Foundation.sin(a[i])) } }
        case .tan:
            if let da { for i in 0..<n { da[i] += scaled(g[i], 1 + y[i] * y[i]) } }
        case .exp:
            if let da { for i in 0..<n { da[i] += scaled(g[i], y[i]) } }
        case .log:
            if let da { for i in 0..<n { da[i] += scaled(g[i], 1 / a[i]) } }
        case .sqrt:
            if let da { for i in 0..<n { da[i] += scaled(g[i], 0.5 / y[i]) } }
        case .abs:
            if let da { for i in 0..<n { da[i] += scaled(g[i], a[i] > 0 ? 1 : a[i] < 0 ? -1 : 0) } }
        case .tanh:
            if let da { for i in 0..<n { da[i] += scaled(g[i], 1 - y[i] * y[i]) } }
        case .sinh:
            if let da { for i in 0..<n { da[i] += scaled(g[i], Foundation.cosh(a[i])) } }
        case .cosh:
            if let da { for i in 0..<n { da[i] += scaled(g[i], Foundation.sinh(a[i])) } }
        case .min:
            if let da { for i in 0..<n where !(b[i] < a[i]) { da[i] += g[i] } }
            if let db { for i in 0..<n where b[i] < a[i] { db[i] += g[i] } }
        case .max:
            if let da { for i in 0..<n where !(b[i] > a[i]) { da[i] += g[i] } }
            if let db { for i in 0..<n where b[i] > a[i] { db[i] += g[i] } }
        case .select:
            if let db { for i in 0..<n where a[i] != 0 { db[i] += g[i] } }
            if let dc { for i in 0..<n where a[i] == 0 { dc[i] += g[i] } }
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual, .and, .or, .not:
            break
        }
    }
}

/// ḡ·∂y/∂a, where a zero adjoint contributes zero even if the partial is infinite or NaN: the untaken
/// branch of `x > 0 ? sqrt(x) : 0` has ḡ = 0 and must not turn the gradient into NaN through 0·∞.
@inline(__always)
private func scaled(_ adjoint: Double, _ partial: Double) -> Double {
    adjoint == 0 ? 0 : adjoint * partial
}
