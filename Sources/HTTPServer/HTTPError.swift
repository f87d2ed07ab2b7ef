/// An error a handler throws to answer with a specific status and message (400 for a bad job spec, 404 for an
/// unknown job, …). The `Router` turns it into the JSON error body; any other error becomes a 500.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    /// Extra response headers, e.g. `Allow` on a 405 or `Retry-After` on a 503.
    public var headers: HTTPHeaders

    public init(status: Int, message: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "HTTP \(status): \(message)" }

    /// The JSON error response for this error.
    public var response: HTTPResponse {
        var response = HTTPResponse.error(status: status, message: message)
        for field in headers { response.headers[field.name] = field.value }
        return response
    }
}
