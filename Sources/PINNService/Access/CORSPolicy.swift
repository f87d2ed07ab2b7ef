import Foundation
import HTTPServer

/// Cross-origin access for browser pages served elsewhere (`corsOrigins`). Off by default: without origins no CORS
/// header is ever sent, so a page of another origin cannot read any answer (the browser's same-origin rule), and the
/// dashboard, served by the service itself, needs none.
///
/// With origins, a request whose `Origin` is exactly one of them gets `Access-Control-Allow-Origin` (that origin,
/// never `*`: a token-bearing request must name its origin), and its preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) is answered 204 with the methods and the request headers the API reads. Every
/// answer then carries `Vary: Origin`, so a cache does not hand one origin's answer to another. Credentials
/// (cookies) are not allowed: the API authenticates with a bearer header, which a page sends explicitly.
public struct CORSPolicy: Sendable, Equatable {
    public var origins: Set<String>

    public init(origins: Set<String> = []) { self.origins = origins }

    static let allowedMethods = "GET, POST, DELETE"
    static let allowedHeaders = "Authorization, Content-Type, Last-Event-ID"
    /// How long a browser may reuse a preflight's answer.
    static let maxAgeSeconds = 600

    /// Checks one configured origin: `scheme://host[:port]`, as browsers send it (lower case, no path, no trailing
    /// slash), since matching is exact.
    static func validate(_ origin: String, source: String) throws {
        guard let url = URL(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.path.isEmpty, url.query == nil, url.fragment == nil,
              url.user == nil, origin == origin.lowercased(), !origin.hasSuffix("/") else {
            throw ConfigurationError("\(source): \"\(origin)\" is not an origin; write scheme://host[:port] in lower case, "
                                     + "without a path or a trailing slash (e.g. https://lab.example.org)")
        }
    }

    /// `router` with this policy around every route.
    func apply(to router: inout Router) {
        guard !origins.isEmpty else { return }
        router.wrap { [origins] request, next in
            let origin = request.headers["Origin"].flatMap { origins.contains($0) ? $0 : nil }
            var response: HTTPResponse
            if let origin, request.method == "OPTIONS", request.headers["Access-Control-Request-Method"] != nil {
                response = HTTPResponse(status: 204)
                response.headers["Access-Control-Allow-Methods"] = Self.allowedMethods
                response.headers["Access-Control-Allow-Headers"] = Self.allowedHeaders
                response.headers["Access-Control-Max-Age"] = String(Self.maxAgeSeconds)
                response.headers["Access-Control-Allow-Origin"] = origin
            } else {
                response = next(request)
                if let origin { response.headers["Access-Control-Allow-Origin"] = origin }
            }
            response.headers.add(name: "Vary", value: "Origin")
            return response
        }
    }
}
