import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Locking

/// A small synchronous HTTP client for pinn-server (docs/api.md): one request at a time, answering the status,
/// the headers and the body. Transport failures become `ClientError.unreachable`; `Response.checked()` turns
/// 4xx and 5xx answers into `ClientError.rejected` / `.serverFailed` with the server's message.
struct ServiceClient {
    struct Response {
        let status: Int
        /// Header names lower-cased.
        let headers: [String: String]
        let body: Data

        /// The response itself when it is 2xx; otherwise the server's `{"error": {"message", "issues"}}` as an error.
        func checked() throws(ClientError) -> Response {
            switch status {
            case 200..<300: return self
            case 401:
                throw .rejected(status: status, message: errorMessage,
                                issues: errorIssues + ["the server needs an API token: --token TOKEN or PINN_TOKEN (docs/cli.md)"])
            case 400..<500: throw .rejected(status: status, message: errorMessage, issues: errorIssues)
            default: throw .serverFailed(errorMessage)
            }
        }

        /// The body decoded as `T`; an answer that does not decode is the server's fault (exit 5).
        func decoded<T: Decodable>(_ type: T.Type) throws(ClientError) -> T {
            let decoder = JSONDecoder()
            // The server writes non-finite numbers as strings (a diverged loss is "NaN").
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity",
                                                                            negativeInfinity: "-Infinity", nan: "NaN")
            do {
                return try decoder.decode(type, from: body)
            } catch {
                throw .serverFailed("unreadable answer from the server (HTTP \(status)): \(error)")
            }
        }

        private struct ErrorBody: Decodable {
            struct Detail: Decodable {
                struct Issue: Decodable { let field: String; let message: String }
                let message: String
                let issues: [Issue]?
            }
            let error: Detail
        }

        private var errorDetail: ErrorBody.Detail? { try? JSONDecoder().decode(ErrorBody.self, from: body).error }

        private var errorMessage: String {
            if let detail = errorDetail { return "\(detail.message) (HTTP \(status))" }
            let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return "the server answered HTTP \(status)" + (text.isEmpty ? "" : ": \(text)")
        }

        private var errorIssues: [String] {
            (errorDetail?.issues ?? []).map { "\($0.field): \($0.message)" }
        }
    }

    let baseURL: URL
    /// Sent as `Authorization: Bearer <token>` with every request when set.
    private let token: String?
    private let session: URLSession

    /// `server` is `http://host:port` (a missing scheme means http), optionally with a path prefix; `token` an API
    /// token of that server, if it needs one.
    init(server: String, token: String? = nil, timeoutSeconds: Double = 30) throws(ClientError) {
        let text = server.contains("://") ? server : "http://" + server
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()),
              url.host != nil else {
            throw .usage("invalid server URL \"\(server)\" (expected http://HOST:PORT)")
        }
        baseURL = url
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw .usage("the API token is empty or holds white space (check --token or PINN_TOKEN)")
        }
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.httpAdditionalHeaders = ["User-Agent": "pinn-cli"]
        session = URLSession(configuration: configuration)
    }

    /// Sends one request and waits for the whole answer. `path` starts with `/v1/`.
    func send(_ method: String, _ path: String, query: [(name: String, value: String)] = [],
              body: Data? = nil) throws(ClientError) -> Response {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            throw .usage("invalid server URL \(baseURL)")
        }
        components.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + path
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.name, value: $0.value) } }
        guard let url = components.url else { throw .usage("cannot form a URL for \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        // Per request: URLSession reserves Authorization in its configuration's additional headers.
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }

        let exchange = Exchange()
        session.dataTask(with: request) { data, response, error in
            exchange.finish(Self.result(data: data, response: response, error: error, url: url))
        }.resume()
        return try exchange.wait().get()
    }

    private static func result(data: Data?, response: URLResponse?, error: (any Error)?, url: URL) -> Result<Response, ClientError> {
        if let error { return .failure(transportError(error, url: url)) }
        guard let http = response as? HTTPURLResponse else {
            return .failure(.serverFailed("no HTTP answer from \(url)"))
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return .success(Response(status: http.statusCode, headers: headers, body: data ?? Data()))
    }

    /// Connection refused, DNS failures and timeouts mean the server cannot be reached (exit 3); a garbled answer
    /// is the server's failure (exit 5).
    private static func transportError(_ error: any Error, url: URL) -> ClientError {
        let host = url.host.map { h in url.port.map { "\(h):\($0)" } ?? h } ?? url.absoluteString
        guard let error = error as? URLError else { return .unreachable("cannot reach \(host): \(error.localizedDescription)") }
        switch error.code {
        case .badServerResponse, .cannotParseResponse, .cannotDecodeRawData, .cannotDecodeContentData, .zeroByteResource:
            return .serverFailed("unreadable answer from \(host): \(error.localizedDescription)")
        case .unsupportedURL, .badURL:
            return .usage("invalid server URL \(url): \(error.localizedDescription)")
        case .timedOut:
            return .unreachable("cannot reach \(host): no answer within the timeout")
        default:
            return .unreachable("cannot reach \(host): \(error.localizedDescription)")
        }
    }

    /// Hands a URLSession completion over to the waiting caller.
    private final class Exchange: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let outcome = Locked<Result<Response, ClientError>?>(nil)

        func finish(_ result: Result<Response, ClientError>) {
            outcome.withLock { $0 = result }
            done.signal()
        }

        func wait() -> Result<Response, ClientError> {
            done.wait()
            return outcome.withLock { $0 } ?? .failure(.serverFailed("no answer"))
        }
    }
}
