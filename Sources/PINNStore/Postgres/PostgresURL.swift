/// A PostgreSQL connection URL as libpq reads it — `postgresql://user:password@host:port/database?param=value`
/// (`postgres://` too; a Unix socket as `postgresql:///database?host=/run/postgresql`) — kept apart from a plain
/// string so that it is never shown with its password: `description`, error messages and the server's
/// configuration log line all use the redacted form.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible, Encodable {
    /// The URL as given, password included: only ever handed to libpq.
    public let text: String

    /// nil unless `text` starts with `postgres://` or `postgresql://`.
    public init?(_ text: String) {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else { return nil }
        self.text = text
    }

    /// Whether the URL carries a password (in its user part or as a `password` parameter).
    public var hasPassword: Bool { description != text }

    /// The URL with every password replaced by `***`.
    public var description: String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            authority.replaceSubrange(authority.index(after: colon)..<at, with: "***")
        }
        var tail = String(rest[authorityEnd...])
        if let question = tail.firstIndex(of: "?") {
            let parameters = tail[tail.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
                .map { parameter in
                    parameter.lowercased().hasPrefix("password=") ? "password=***" : String(parameter)
                }
            tail = String(tail[...question]) + parameters.joined(separator: "&")
        }
        return String(text[..<schemeEnd.upperBound]) + authority + tail
    }

    /// Encodes the redacted form: what a configuration log line may show.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
