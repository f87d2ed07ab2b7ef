import Testing
@testable import PINNService

/// Correctness of the constant-time comparison (its timing is a property of the code: no early exit, no branch on
/// a byte; see its doc comment). The oracle is `==` on the arrays.
@Suite struct ConstantTimeComparisonTests {
    static let secret = Array("0123456789abcdef".utf8)

    static let cases: [(String, [UInt8], [UInt8])] = [
        ("equal", secret, secret),
        ("differ in the first byte", secret, Array("X123456789abcdef".utf8)),
        ("differ in the last byte", secret, Array("0123456789abcdeX".utf8)),
        ("differ in one bit", secret, secret.enumerated().map { $0.offset == 7 ? $0.element ^ 1 : $0.element }),
        ("a prefix", secret, Array(secret.dropLast())),
        ("one byte longer", secret, secret + [0x30]),
        ("longer by a zero byte", secret, secret + [0]),
        ("both empty", [], []),
        ("empty and not", [], secret),
        ("zero byte and empty", [0], []),
    ]

    @Test(arguments: [0, 16, 256])
    func agreesWithEquality(minimumLength: Int) {
        for (label, a, b) in Self.cases {
            #expect(ConstantTimeComparison.equal(a, b, minimumLength: minimumLength) == (a == b), "\(label)")
            #expect(ConstantTimeComparison.equal(b, a, minimumLength: minimumLength) == (a == b), "\(label), swapped")
        }
    }

    @Test func tokensAreFoundByNameAndOnlyWhenExact() throws {
        let tokens = try APITokens(["alice": "alice-token-0123456789", "bob": "bob-token-abcdefghijk", "carol": "c" + String(repeating: "x", count: 255)])
        #expect(tokens.name(of: "alice-token-0123456789") == "alice")
        #expect(tokens.name(of: "bob-token-abcdefghijk") == "bob")
        #expect(tokens.name(of: "c" + String(repeating: "x", count: 255)) == "carol")
        for wrong in ["", "alice", "alice-token-012345678", "alice-token-01234567890", "Alice-token-0123456789",
                      "bob-token-abcdefghijk ", "c" + String(repeating: "x", count: 256)] {
            #expect(tokens.name(of: wrong) == nil, "\(wrong)")
        }
    }
}
