import Foundation

/// A complete response: status, headers and the whole body in memory (the service's responses are small JSON).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// A body produced over time instead of `body` (Server-Sent Events); see `HTTPStream`.
    public var stream: HTTPStream?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/event-stream` response whose events `stream` delivers as they are sent.
    public static func eventStream(_ stream: HTTPStream) -> HTTPResponse {
        var response = HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream; charset=utf-8",
                                                           "Cache-Control": "no-cache", "X-Accel-Buffering": "no"])
        response.stream = stream
        return response
    }

    /// Raw bytes with an explicit media type.
    public static func bytes(status: Int = 200, contentType: String, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: body)
    }

    /// UTF-8 plain text.
    public static func text(status: Int = 200, _ text: String) -> HTTPResponse {
        bytes(status: status, contentType: "text/plain; charset=utf-8", Array(text.utf8))
    }

    /// Already-encoded JSON.
    public static func json(status: Int = 200, data: Data) -> HTTPResponse {
        bytes(status: status, contentType: "application/json", Array(data))
    }

    /// `value` encoded as JSON; throws only if `value`'s `Encodable` conformance does.
    public static func json<T: Encodable>(status: Int = 200, _ value: T,
                                          encoder: JSONEncoder = JSONEncoder()) throws -> HTTPResponse {
        json(status: status, data: try encoder.encode(value))
    }

    /// The service's one error shape, `{"error": {"status": 404, "message": "..."}}`, so clients parse every
    /// failure the same way whichever layer produced it.
    public static func error(status: Int, message: String) -> HTTPResponse {
        struct Body: Encodable {
            struct Detail: Encodable {
                let status: Int
                let message: String
            }
            let error: Detail
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding an Int and a String cannot fail; the fallback only keeps this function non-throwing.
        let data = (try? encoder.encode(Body(error: .init(status: status, message: message))))
            ?? Data(#"{"error":{"message":"unencodable error message","status":\#(status)}}"#.utf8)
        return json(status: status, data: data)
    }
}
