/// The names an expression may use, and what they mean.
///
/// A name is looked up in this order, the first match winning: inputs, fields, learned parameters, constants,
/// the built-in constants `pi` and `e`, then field derivatives `<field>_<inputs>` such as `u_x`, `u_xt`.
public struct ExpressionScope: Sendable, Equatable {
    /// Input coordinates, single lowercase letters such as `x`, `t`; a letter's position is its index.
    public var inputs: [String]
    /// Network outputs, identifiers without underscore such as `u`, `v`.
    public var fields: [String]
    /// Named fixed parameters, folded into the program as numbers.
    public var constants: [String: Double]
    /// Trainable parameters; each is a leaf of the program.
    public var learned: [String]
    /// False where only inputs, parameters and constants may appear (exact solutions, data targets).
    public var allowsFields: Bool
    /// Nesting levels an expression may use (a service's limit); the parser's own bound, 64, caps it.
    public var maximumDepth = 64

    public init(
        inputs: [String],
        fields: [String] = [],
        constants: [String: Double] = [:],
        learned: [String] = [],
        allowsFields: Bool = true
    ) {
        self.inputs = inputs
        self.fields = fields
        self.constants = constants
        self.learned = learned
        self.allowsFields = allowsFields
    }
}

extension ExpressionScope {
    /// What a resolved name stands for.
    enum Meaning: Equatable {
        case constant(Double)
        case leaf(ExpressionLeaf)
    }

    /// Resolves a name written at `column`; `fieldsAllowed` overrides `allowsFields` (residual targets).
    func meaning(of name: String, at column: Int, fieldsAllowed: Bool) throws(ExpressionFailure) -> Meaning {
        if let index = inputs.firstIndex(of: name) {
            return .leaf(.input(index))
        }
        if let output = fields.firstIndex(of: name) {
            guard fieldsAllowed else {
                throw ExpressionFailure("\"\(name)\" is a field; \(Self.onlyNonFields)", at: column)
            }
            return .leaf(.field(output: output, derivative: []))
        }
        if let index = learned.firstIndex(of: name) {
            return .leaf(.learned(index))
        }
        if let value = constants[name] ?? ExpressionBuiltins.constants[name] {
            guard value.isFinite else {
                throw ExpressionFailure("constant \"\(name)\" is not finite", at: column)
            }
            return .constant(value)
        }
        if let derivative = try derivative(named: name, at: column, fieldsAllowed: fieldsAllowed) {
            return .leaf(derivative)
        }
        if ExpressionBuiltins.functions[name] != nil {
            throw ExpressionFailure("\(name) is a function; call it as \(name)(...)", at: column)
        }
        throw ExpressionFailure("unknown symbol \"\(name)\"", at: column)
    }

    /// `<field>_<letters>` with every letter an input: the derivative of the field with respect to those inputs,
    /// mixed ones normalised to sorted input indices (`u_tx` is `u_xt`). Nil when the name does not look like one.
    private func derivative(named name: String, at column: Int, fieldsAllowed: Bool) throws(ExpressionFailure) -> ExpressionLeaf? {
        guard let underscore = name.firstIndex(of: "_") else { return nil }
        let base = String(name[..<underscore])
        let letters = name[name.index(after: underscore)...].map(String.init)
        guard let output = fields.firstIndex(of: base) else {
            // Only a name that reads as a derivative (`w_x`) blames the field; `my_const` is just unknown.
            if !base.isEmpty, !letters.isEmpty, letters.allSatisfy(inputs.contains) {
                throw ExpressionFailure("\"\(name)\": \(base) is not a field (fields: \(Self.list(fields)))", at: column)
            }
            return nil
        }
        guard fieldsAllowed else {
            throw ExpressionFailure("\"\(name)\" is a field derivative; \(Self.onlyNonFields)", at: column)
        }
        guard !letters.isEmpty else {
            throw ExpressionFailure("\"\(name)\": expected input names after \"_\"", at: column)
        }
        guard letters.count <= Self.maximumDerivativeOrder else {
            throw ExpressionFailure("\"\(name)\": derivatives up to order \(Self.maximumDerivativeOrder) are supported",
                                    at: column)
        }
        var indices: [Int] = []
        for letter in letters {
            guard let index = inputs.firstIndex(of: letter) else {
                throw ExpressionFailure("\"\(name)\": \(letter) is not an input (inputs: \(Self.list(inputs)))", at: column)
            }
            indices.append(index)
        }
        return .field(output: output, derivative: indices.sorted())
    }

    /// Resolves the `minus` of a residual source: a single field or field derivative name.
    func fieldLeaf(_ text: String) throws(ExpressionFailure) -> ExpressionLeaf {
        guard case .name(let name, let column) = try ExpressionParser.parse(text) else {
            throw ExpressionFailure("expected a field or a field derivative, got \"\(text)\"")
        }
        // Names that could be derivatives go through the usual rules, for their precise messages.
        let meaning = fields.contains(name) || name.contains("_")
            ? try meaning(of: name, at: column, fieldsAllowed: true)
            : nil
        guard case .leaf(let leaf)? = meaning, leaf.isField else {
            throw ExpressionFailure("\"\(name)\" is not a field (fields: \(Self.list(fields)))", at: column)
        }
        return leaf
    }

    /// A field or field derivative named as in expressions (`u`, `u_x`, `u_tx` = `u_xt`): its output index and
    /// derivative (sorted input indices). Errors name `field` as where the name came from.
    public func field(named name: String, in field: String) throws(ExpressionError) -> (output: Int, derivative: [Int]) {
        let leaf: ExpressionLeaf
        do {
            leaf = try fieldLeaf(name)
        } catch {
            throw error.located(in: field)
        }
        guard case .field(let output, let derivative) = leaf else {
            throw ExpressionError(field: field, message: "\"\(name)\" is not a field")
        }
        return (output, derivative)
    }

    private static let onlyNonFields = "only inputs, parameters and constants may appear here"
    /// The highest derivative order a name may ask for (`u_xxxx`): what the network's Taylor streams carry.
    public static let maximumDerivativeOrder = 4

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
