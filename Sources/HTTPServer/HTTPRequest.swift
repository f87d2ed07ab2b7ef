import Foundation

/// One fully received request, as handed to a route's handler.
public struct HTTPRequest: Sendable {
    /// The method as sent (`GET`, `POST`, …); HTTP methods are case-sensitive.
    public var method: String
    /// The percent-decoded path, without the query string.
    public var path: String
    /// Percent-decoded query parameters; for a repeated name the first value wins, and `?flag` maps to `""`.
    public var query: [String: String]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Values of the `{name}` segments of the matched route pattern, filled in by the `Router`.
    public var pathParameters: [String: String]
    /// The peer's numeric address ("127.0.0.1", "::1"); empty when unknown (a request built in a test).
    public var clientAddress: String

    public init(method: String, path: String, query: [String: String] = [:], headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = [], pathParameters: [String: String] = [:], clientAddress: String = "") {
        self.clientAddress = clientAddress
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.pathParameters = pathParameters
    }

    /// Decodes the body as JSON; a malformed body is the client's fault, so it throws a 400 `HTTPError`.
    public func decodeJSON<T: Decodable>(_ type: T.Type, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        do {
            return try decoder.decode(type, from: Data(body))
        } catch {
            throw HTTPError(status: 400, message: "request body is not valid JSON for \(T.self): \(error)")
        }
    }
}
