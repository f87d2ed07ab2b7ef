/// One lexical unit of an expression, with the text it was read from and where it starts.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case identifier(String)
        /// An operator or punctuation mark, e.g. `+`, `<=`, `&&`, `(`, `?`.
        case symbol(String)
        case end
    }

    var kind: Kind
    var text: String
    /// 1-based character offset; for `.end`, one past the last character.
    var column: Int

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }
}

/// Splits an expression into tokens on demand, so the parser reports the leftmost problem first
/// (a bad character late in the text must not hide a syntax error early in it).
struct ExpressionLexer {
    private static let twoCharacterSymbols: Set<String> = ["<=", ">=", "==", "!=", "&&", "||"]
    private static let oneCharacterSymbols: Set<Character> = ["+", "-", "*", "/", "^", "(", ")", ",", "?", ":", "<", ">", "!"]

    /// Grapheme clusters, so that columns count what the user sees as characters.
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func next() throws(ExpressionFailure) -> ExpressionToken {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let start = index
        guard let first = character(at: start) else {
            return ExpressionToken(kind: .end, text: "", column: start + 1)
        }
        if first.isDigit || (first == "." && character(at: start + 1)?.isDigit == true) {
            return try number()
        }
        if first.isIdentifierHead {
            while character(at: index)?.isIdentifierBody == true { index += 1 }
            let name = text(from: start)
            return ExpressionToken(kind: .identifier(name), text: name, column: start + 1)
        }
        if let second = character(at: start + 1), Self.twoCharacterSymbols.contains(String([first, second])) {
            index += 2
        } else if Self.oneCharacterSymbols.contains(first) {
            index += 1
        } else {
            throw ExpressionFailure("unexpected \"\(first)\"", at: start + 1)
        }
        let symbol = text(from: start)
        return ExpressionToken(kind: .symbol(symbol), text: symbol, column: start + 1)
    }

    /// digits [. digits] [(e|E) [+|-] digits], with digits on at least one side of the point.
    private mutating func number() throws(ExpressionFailure) -> ExpressionToken {
        let start = index
        skipDigits()
        if character(at: index) == "." {
            index += 1
            skipDigits()
        }
        if let marker = character(at: index), marker == "e" || marker == "E" {
            index += 1
            if let sign = character(at: index), sign == "+" || sign == "-" { index += 1 }
            guard character(at: index)?.isDigit == true else {
                throw ExpressionFailure("invalid number \"\(text(from: start))\"", at: start + 1)
            }
            skipDigits()
        }
        let literal = text(from: start)
        guard let value = Double(literal) else {
            throw ExpressionFailure("invalid number \"\(literal)\"", at: start + 1)
        }
        // Double("1e999") is +inf rather than nil; the language only has finite literals.
        guard value.isFinite else {
            throw ExpressionFailure("number \"\(literal)\" is too large", at: start + 1)
        }
        return ExpressionToken(kind: .number(value), text: literal, column: start + 1)
    }

    private mutating func skipDigits() {
        while character(at: index)?.isDigit == true { index += 1 }
    }

    private func character(at position: Int) -> Character? {
        position < characters.count ? characters[position] : nil
    }

    private func text(from start: Int) -> String {
        String(characters[start..<index])
    }
}

private extension Character {
    var isDigit: Bool { isASCII && isWholeNumber }
    var isIdentifierHead: Bool { isASCII && (isLetter || self == "_") }
    var isIdentifierBody: Bool { isASCII && (isLetter || isWholeNumber || self == "_") }
}
