import Foundation

/// The service's API tokens, by name: a request's bearer token identifies its caller by the name, and a job records
/// that name as its owner. No tokens means the service is open (every caller may do everything, as without this
/// feature).
///
/// Read from the configuration's `tokens` (`{"alice": "secret"}` in a file, `alice:secret,bob:other` in
/// `PINN_TOKENS`) and `tokensFile`; every token is checked when the server starts, so a weak or malformed one stops
/// it with a message naming the token by its name. Secrets never leave this type: it encodes as its names only
/// (the logged configuration), and its description and every error message name tokens, never show them.
public struct APITokens: Sendable, Equatable, Encodable, CustomStringConvertible, CustomReflectable {
    /// Shorter secrets are refused: 16 random characters are ~95 bits (printable ASCII), out of reach of guessing
    /// at any request rate the server sustains.
    public static let minimumLength = 16
    /// Longer ones are refused too, so the constant-time comparison can always run over this many bytes (and a
    /// secret's length is not visible in the time a refusal takes).
    public static let maximumLength = 256

    private var secrets: [(name: String, secret: [UInt8])] = []

    public init() {}

    /// Tokens by name; throws naming the first bad one.
    public init(_ tokens: [String: String], source: String = "tokens") throws {
        for name in tokens.keys.sorted() { try add(name: name, secret: tokens[name]!, source: source) }
    }

    /// The environment's form, `name:secret,name:secret` (the secret is everything after the first colon).
    public init(list text: String, source: String = "PINN_TOKENS") throws {
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = entry.trimmingCharacters(in: .whitespaces)
            guard let colon = entry.firstIndex(of: ":") else {
                // The entry may be a bare secret: do not echo it.
                throw ConfigurationError("\(source): every entry must be name:token (an entry has no colon)")
            }
            try add(name: String(entry[..<colon]), secret: String(entry[entry.index(after: colon)...]), source: source)
        }
    }

    public var isEmpty: Bool { secrets.isEmpty }
    public var names: [String] { secrets.map(\.name).sorted() }
    public var description: String { "APITokens(\(names.joined(separator: ", ")))" }
    /// `dump` and the debugger show the names only.
    public var customMirror: Mirror { Mirror(self, children: ["names": names]) }

    /// These tokens and `other`'s; a name in both is an error (which one was meant?).
    public func merging(_ other: APITokens, source: String) throws -> APITokens {
        var merged = self
        for (name, secret) in other.secrets {
            try merged.add(name: name, secret: String(decoding: secret, as: UTF8.self), source: source)
        }
        return merged
    }

    /// The name of the token `presented`, or nil. Every configured token is compared, each over
    /// `maximumLength` bytes (`ConstantTimeComparison`), so the time taken depends on neither which token matched,
    /// nor how much of a wrong one was right, nor the secrets' lengths.
    func name(of presented: String) -> String? {
        let bytes = Array(presented.utf8)
        var match: String?
        for (name, secret) in secrets {
            let equal = ConstantTimeComparison.equal(bytes, secret, minimumLength: Self.maximumLength)
            if equal { match = name }
        }
        return match
    }

    public static func == (a: APITokens, b: APITokens) -> Bool {
        a.secrets.count == b.secrets.count && zip(a.secrets, b.secrets).allSatisfy { $0.name == $1.name && $0.secret == $1.secret }
    }

    /// The names, never the secrets: this is what the server logs as its configuration.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(names)
    }

    private mutating func add(name: String, secret: String, source: String) throws {
        let nameCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(nameCharacters.contains) else {
            throw ConfigurationError("\(source): a token name must be 1 to 64 letters, digits, '.', '_' or '-' (got \"\(name.prefix(64))\")")
        }
        guard !secrets.contains(where: { $0.name == name }) else {
            throw ConfigurationError("\(source): the token name \"\(name)\" is given twice")
        }
        // What a bearer token may hold (RFC 6750's b64token is narrower; printable ASCII without spaces is what an
        // Authorization header carries unchanged).
        guard secret.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw ConfigurationError("\(source).\(name): the token must be printable ASCII without spaces")
        }
        guard secret.utf8.count >= Self.minimumLength else {
            throw ConfigurationError("\(source).\(name): the token must have at least \(Self.minimumLength) characters "
                                     + "(it has \(secret.utf8.count)); generate one with `openssl rand -hex 24`")
        }
        guard secret.utf8.count <= Self.maximumLength else {
            throw ConfigurationError("\(source).\(name): the token must have at most \(Self.maximumLength) characters")
        }
        let bytes = Array(secret.utf8)
        if let other = secrets.first(where: { $0.secret == bytes }) {
            // Two names for one secret: the caller's name (and so the jobs' owner) would be ambiguous.
            throw ConfigurationError("\(source).\(name): the same token as \"\(other.name)\"; every name needs its own")
        }
        secrets.append((name, bytes))
    }
}
