import Foundation
import HTTPServer
import PINNStore

/// Who may call which route, and which jobs a caller may see (docs/api.md, "Authentication").
///
/// Without tokens the service is open: every caller sees and may do everything. With tokens, a request carries
/// `Authorization: Bearer <token>`; the token's name is the caller, and jobs it submits are owned by that name. A
/// caller sees its own jobs, the shared ones and those without an owner (submitted while the service had no
/// tokens), and only an owner may cancel or purge its job. Another's unshared job answers 404 exactly as an unknown
/// id does, so ids cannot be probed for existence. `/healthz` and the dashboard's assets never need a token (a
/// browser must load the page before it can ask for one; a health probe has none).
public struct AccessControl: Sendable, Equatable {
    /// Which requests need a token when tokens are configured.
    public enum Mode: String, Sendable, Equatable, Encodable, CaseIterable {
        /// Writes (POST, DELETE) need a token; reads without one see the shared and ownerless jobs only.
        case writes
        /// Every route but the public ones needs a token.
        case all
    }

    /// Who a request comes from.
    public enum Caller: Sendable, Equatable {
        /// The service has no tokens: everything is allowed.
        case anyone
        /// No token, on a route that does not need one.
        case anonymous
        /// The bearer of the token with this name.
        case token(name: String)

        /// The jobs this caller may see.
        public var visibility: JobVisibility {
            switch self {
            case .anyone: .everyJob
            case .anonymous: .visibleTo(owner: nil)
            case .token(let name): .visibleTo(owner: name)
            }
        }

        /// The owner recorded on a job this caller submits.
        var name: String? {
            if case .token(let name) = self { name } else { nil }
        }
    }

    public var tokens: APITokens
    public var mode: Mode

    /// The open service (no tokens), as without access control.
    public init(tokens: APITokens = APITokens(), mode: Mode = .all) {
        self.tokens = tokens
        self.mode = mode
    }

    public var isOpen: Bool { tokens.isEmpty }

    /// The caller of `request`, or a 401 when its route needs a token it lacks, or when the token it presents is
    /// not one of ours (whatever the route: a client with a mistyped token should hear so, not silently see less).
    func caller(of request: HTTPRequest) throws -> Caller {
        guard !isOpen else { return .anyone }
        guard let header = request.headers["Authorization"] else {
            let needed = mode == .all || Self.writeMethods.contains(request.method)
            if needed {
                throw Self.unauthorized("this route needs an API token: send Authorization: Bearer <token>", error: nil)
            }
            return .anonymous
        }
        guard let presented = Self.bearerToken(header) else {
            throw Self.unauthorized("Authorization: expected \"Bearer <token>\"", error: "invalid_request")
        }
        guard let name = tokens.name(of: presented) else {
            throw Self.unauthorized("the API token is not valid", error: "invalid_token")
        }
        return .token(name: name)
    }

    /// The name of the configured token `request` presents, nil when it presents none or one that is not ours
    /// (the route then answers 401 or serves it anonymously, as `caller(of:)` decides).
    func tokenName(of request: HTTPRequest) -> String? {
        guard !isOpen, let header = request.headers["Authorization"], let presented = Self.bearerToken(header) else {
            return nil
        }
        return tokens.name(of: presented)
    }

    /// The token of an `Authorization: Bearer <token>` header, nil for another form. The scheme is
    /// case-insensitive (RFC 9110 §11.1); the token is everything after one space.
    private static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// Cancelling or purging: the owner, or anyone with a token for a job without an owner. Callers who cannot see
    /// the job never get here (404); those who can see a shared job of another get 403.
    func requireOwner(_ caller: Caller, of job: JobRecord) throws {
        try requireOwner(caller, owner: job.owner, of: "job \(job.id)", may: "cancel or purge it")
    }

    /// The rule of jobs, for a study: cancelling or deleting it.
    func requireOwner(_ caller: Caller, of study: StudyRecord) throws {
        try requireOwner(caller, owner: study.owner, of: "study \(study.id)", may: "cancel or delete it")
    }

    private func requireOwner(_ caller: Caller, owner: String?, of thing: String, may action: String) throws {
        switch caller {
        case .anyone: return
        case .token(let name) where owner == nil || owner == name: return
        case .token, .anonymous:
            throw HTTPError(status: 403, message: "\(thing) belongs to \(owner ?? "nobody"): only its owner may \(action)")
        }
    }

    private static let writeMethods: Set<String> = ["POST", "DELETE", "PUT", "PATCH"]

    /// RFC 6750 §3: the challenge names the scheme, and an `error` when a token was presented but is unusable.
    private static func unauthorized(_ message: String, error: String?) -> HTTPError {
        HTTPError(status: 401, message: message,
                  headers: ["WWW-Authenticate": #"Bearer realm="pinn-service""# + (error.map { #", error="\#($0)""# } ?? "")])
    }
}
