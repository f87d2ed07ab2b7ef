extension ExpressionScope {
    /// Names no input, field or parameter may take: the built-in functions and constants.
    public static var reservedNames: Set<String> {
        Set(ExpressionBuiltins.functions.keys).union(ExpressionBuiltins.constants.keys)
    }
}
