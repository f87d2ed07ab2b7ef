/// A route's handler. Handlers run on libmicrohttpd's polling threads, so they must not block: validate, enqueue,
/// read a store, answer. Throw an `HTTPError` for a client-facing failure; anything else thrown becomes a 500.
public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// Dispatches requests by method and path pattern, e.g. `GET /v1/jobs/{id}/losses`.
///
/// Build it fully before handing it to `HTTPServer`: it is a value, so the running server sees a frozen copy and
/// needs no locking. The first registered route whose pattern and method match wins, so register literal
/// patterns (`/v1/jobs/stats`) before parameterised ones (`/v1/jobs/{id}`). A path that matches some pattern but
/// none with the request's method gets 405 with an `Allow` header; a path that matches no pattern gets 404.
/// Both, and every thrown error, are answered with `HTTPResponse.error`'s JSON body — the one place where errors
/// become status codes.
public struct Router: Sendable {
    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Route: Sendable {
        let method: String
        let segments: [Segment]
        let handler: HTTPHandler
    }

    private var routes: [Route] = []
    /// Runs around every request, matched or not (`wrap`).
    private var outer: (@Sendable (HTTPRequest, (HTTPRequest) -> HTTPResponse) -> HTTPResponse)?

    public init() {}

    /// Runs `outer` around every request, routed or not (404s and 405s included): it is given the request and the
    /// routing, and may answer by itself or change the routed answer. For what concerns every response alike, such
    /// as CORS headers and preflights, which no single route owns. A later `wrap` runs outside an earlier one.
    public mutating func wrap(_ outer: @escaping @Sendable (HTTPRequest, _ next: (HTTPRequest) -> HTTPResponse) -> HTTPResponse) {
        if let inner = self.outer {
            self.outer = { request, next in outer(request) { inner($0, next) } }
        } else {
            self.outer = outer
        }
    }

    /// Registers `handler` for `method` (case-sensitive, e.g. `"GET"`) and `pattern`, whose `{name}` segments
    /// match any one non-empty path segment and land in `HTTPRequest.pathParameters[name]`.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping HTTPHandler) {
        let segments = Router.split(pattern).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    /// Every registered route as `METHOD /path/{parameter}`, in registration order (for documentation checks).
    public var patterns: [String] {
        routes.map { route in
            route.method + " /" + route.segments.map { segment in
                switch segment {
                case .literal(let text): text
                case .parameter(let name): "{\(name)}"
                }
            }.joined(separator: "/")
        }
    }

    /// The response for `request`; never throws, because every failure has a JSON answer.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        guard let outer else { return route(request) }
        return outer(request, route)
    }

    private func route(_ request: HTTPRequest) -> HTTPResponse {
        let pathSegments = Router.split(request.path)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Router.match(route.segments, pathSegments) else { continue }
            guard route.method == request.method else {
                if !allowed.contains(route.method) { allowed.append(route.method) }
                continue
            }
            var routed = request
            routed.pathParameters = parameters
            do {
                return try route.handler(routed)
            } catch let error as HTTPError {
                return error.response
            } catch {
                // The message is deliberately generic: an arbitrary error's description may leak internals.
                return HTTPResponse.error(status: 500, message: "internal server error")
            }
        }
        if allowed.isEmpty {
            return HTTPResponse.error(status: 404, message: "no route for \(request.path)")
        }
        return HTTPError(status: 405, message: "\(request.method) is not allowed on \(request.path)",
                         headers: ["Allow": allowed.sorted().joined(separator: ", ")]).response
    }

    /// Path segments without empty ones, so `/v1/jobs/` and `/v1/jobs` are the same path.
    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func match(_ pattern: [Segment], _ path: [Substring]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(pattern, path) {
            switch segment {
            case .literal(let literal):
                guard literal == part else { return nil }
            case .parameter(let name):
                parameters[name] = String(part)
            }
        }
        return parameters
    }
}
