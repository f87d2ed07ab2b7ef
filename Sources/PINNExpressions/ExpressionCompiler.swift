/// An expression with its names resolved: the form the compiler folds and emits.
indirect enum ExpressionTerm: Equatable, Sendable {
    case constant(Double)
    case leaf(ExpressionLeaf)
    case operation(ExpressionOperation, [ExpressionTerm])
}

/// Where a value lives while a compiled program runs; each register is one column of `rows` Doubles.
enum ExpressionRegister: Hashable, Sendable {
    /// Column `slot` of the caller's leaf values.
    case leaf(Int)
    /// Constant k, written into scratch column k at the start of every evaluation.
    case constant(Int)
    /// The result of instruction k, in scratch column `constantCount + k`.
    case result(Int)
}

/// One tape step: `result(k) = operation(a, b, c)` for instruction k. Operands beyond the arity repeat `a`.
struct ExpressionInstruction: Hashable, Sendable {
    var operation: ExpressionOperation
    var a: ExpressionRegister
    var b: ExpressionRegister
    var c: ExpressionRegister

    init(_ operation: ExpressionOperation, _ operands: [ExpressionRegister]) {
        self.operation = operation
        a = operands[0]
        b = operands.count > 1 ? operands[1] : operands[0]
        c = operands.count > 2 ? operands[2] : operands[0]
    }

    var operands: [ExpressionRegister] { Array([a, b, c].prefix(operation.arity)) }
}

/// Turns sources into a tape in two phases: `resolve` gives names and calls their meaning and reports
/// errors (syntax errors first, then the leftmost name error); `root` folds constants and emits
/// instructions, which cannot fail.
struct ExpressionCompiler {
    /// Above this magnitude an integral exponent goes through `pow` like any other.
    static let largestIntegerExponent: UInt = 1 << 20

    private(set) var leaves: [ExpressionLeaf] = []
    private(set) var constants: [Double] = []
    private(set) var instructions: [ExpressionInstruction] = []
    private var leafSlots: [ExpressionLeaf: Int] = [:]
    /// Keyed by bit pattern, so that 0 and −0 stay distinct constants.
    private var constantSlots: [UInt64: Int] = [:]
    /// Identical instructions are emitted once (`u*u_x + u*u_x` multiplies once).
    private var instructionSlots: [ExpressionInstruction: Int] = [:]

    // MARK: Resolution

    /// The term of one source: `text`, or `minus − (text)`. Throws the first error of the text, then of `minus`.
    static func resolve(_ source: ExpressionSource, in scope: ExpressionScope) throws(ExpressionFailure) -> ExpressionTerm {
        let body = try term(ExpressionParser.parse(source.text, maximumDepth: scope.maximumDepth), in: scope)
        guard let minus = source.minus else { return body }
        return .operation(.subtract, [.leaf(try scope.fieldLeaf(minus)), body])
    }

    private static func term(_ syntax: ExpressionSyntax, in scope: ExpressionScope) throws(ExpressionFailure) -> ExpressionTerm {
        switch syntax {
        case .number(let value, _):
            return .constant(value)
        case .name(let name, let column):
            switch try scope.meaning(of: name, at: column, fieldsAllowed: scope.allowsFields) {
            case .constant(let value): return .constant(value)
            case .leaf(let leaf): return .leaf(leaf)
            }
        case .call(let name, let column, let arguments):
            guard let function = ExpressionBuiltins.functions[name] else {
                throw ExpressionFailure("unknown function \"\(name)\"", at: column)
            }
            guard arguments.count == function.arity else {
                let noun = function.arity == 1 ? "argument" : "arguments"
                throw ExpressionFailure("\(name) takes \(function.arity) \(noun), got \(arguments.count)", at: column)
            }
            return try operation(function, arguments, at: column, in: scope)
        case .operation(let operation, let operands):
            return try self.operation(operation, operands, at: syntax.column, in: scope)
        }
    }

    /// Operands resolve left to right, so the leftmost name error is the one reported. An operation whose operands
    /// are all constants is folded here, as emission would fold it, so that a constant part that is not finite
    /// (`1/0`, `log(0)`, `1/k` with k = 0) is an error at submission, at the column where that part starts.
    private static func operation(
        _ operation: ExpressionOperation, _ operands: [ExpressionSyntax], at column: @autoclosure () -> Int?,
        in scope: ExpressionScope
    ) throws(ExpressionFailure) -> ExpressionTerm {
        var terms: [ExpressionTerm] = []
        var values: [Double] = []
        for operand in operands {
            let term = try term(operand, in: scope)
            if case .constant(let value) = term { values.append(value) }
            terms.append(term)
        }
        if operation == .divide, case .constant(0) = terms[1] {
            throw ExpressionFailure("division by zero", at: operands[1].column)
        }
        guard values.count == terms.count else { return .operation(operation, terms) }
        let value = apply(operation, values)
        guard value.isFinite else {
            let what = value.isNaN ? "not a number" : value > 0 ? "+infinity" : "-infinity"
            throw ExpressionFailure("this constant part is not finite (it evaluates to \(what))", at: column())
        }
        return .constant(value)
    }

    /// An operation on known operands, exactly as emission evaluates it (small integral powers by multiplication).
    static func apply(_ operation: ExpressionOperation, _ values: [Double]) -> Double {
        if operation == .power, let integer = Int(exactly: values[1]), integer.magnitude <= largestIntegerExponent {
            return ExpressionOperation.integerPower(integer).apply([values[0]])
        }
        return operation.apply(values)
    }

    // MARK: Emission

    /// A value during emission: a number known now, or a register filled at run time.
    private enum Value {
        case constant(Double)
        case register(ExpressionRegister)

        var constant: Double? {
            if case .constant(let value) = self { value } else { nil }
        }
    }

    /// Emits a root and returns the register holding it.
    mutating func root(_ term: ExpressionTerm) -> ExpressionRegister {
        register(value(of: term))
    }

    private mutating func value(of term: ExpressionTerm) -> Value {
        switch term {
        case .constant(let value):
            return .constant(value)
        case .leaf(let leaf):
            return .register(.leaf(slot(of: leaf)))
        case .operation(.select, let operands):
            let condition = value(of: operands[0])
            // A known condition keeps only the taken branch, so the other adds neither leaves nor instructions.
            if let truth = condition.constant {
                return value(of: truth != 0 ? operands[1] : operands[2])
            }
            return emit(.select, [condition, value(of: operands[1]), value(of: operands[2])])
        case .operation(let operation, let operands):
            var values: [Value] = []
            for operand in operands {
                values.append(value(of: operand))
            }
            return emit(operation, values)
        }
    }

    /// Folds an operation whose operands are all known, otherwise appends (or reuses) an instruction.
    private mutating func emit(_ operation: ExpressionOperation, _ operands: [Value]) -> Value {
        let known = operands.compactMap(\.constant)
        if known.count == operands.count {
            return .constant(Self.apply(operation, known))
        }
        var operation = operation
        var operands = operands
        if operation == .power, let exponent = operands[1].constant,
           let integer = Int(exactly: exponent), integer.magnitude <= Self.largestIntegerExponent {
            operation = .integerPower(integer)
            operands.removeLast()
        }
        var registers: [ExpressionRegister] = []
        for operand in operands {
            registers.append(register(operand))
        }
        let instruction = ExpressionInstruction(operation, registers)
        if let existing = instructionSlots[instruction] {
            return .register(.result(existing))
        }
        instructionSlots[instruction] = instructions.count
        instructions.append(instruction)
        return .register(.result(instructions.count - 1))
    }

    private mutating func register(_ value: Value) -> ExpressionRegister {
        switch value {
        case .register(let register):
            return register
        case .constant(let constant):
            if let existing = constantSlots[constant.bitPattern] { return .constant(existing) }
            constantSlots[constant.bitPattern] = constants.count
            constants.append(constant)
            return .constant(constants.count - 1)
        }
    }

    private mutating func slot(of leaf: ExpressionLeaf) -> Int {
        if let existing = leafSlots[leaf] { return existing }
        leafSlots[leaf] = leaves.count
        leaves.append(leaf)
        return leaves.count - 1
    }
}
