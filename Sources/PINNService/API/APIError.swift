import Foundation
import HTTPServer
import PINN
import PINNStore

/// The one place where errors become HTTP responses: invalid specs and studies → 400 with every issue and its field,
/// unknown jobs → 404, impossible state changes → 409, a full store → 507 and a read-only, busy or unreachable one
/// → 503 (both with `Retry-After`), everything else → 500 with the store's message.
enum APIError {
    static func response(for error: any Error) -> HTTPResponse {
        switch error {
        case let error as HTTPError:
            var response = HTTPResponse.error(status: error.status, message: error.message)
            for field in error.headers { response.headers.add(name: field.name, value: field.value) }
            return response
        case let error as JobSpecError:
            return invalid("invalid job spec", error.issues)
        case let error as StudySpecError:
            return invalid("invalid study", error.issues)
        case let error as StoreError:
            switch error {
            case .notFound: return .error(status: 404, message: error.description)
            case .invalidTransition: return .error(status: 409, message: error.description)
            // The store's condition, not the request's: 507 and 503 say "not your fault, try again later".
            case .full: return retryLater(.error(status: 507, message: error.description), seconds: 60)
            case .readOnly, .busy, .unavailable:
                return retryLater(.error(status: 503, message: error.description), seconds: 10)
            default: return .error(status: 500, message: error.description)
            }
        default:
            return .error(status: 500, message: "internal error: \(error)")
        }
    }

    /// 400 with every issue and the field it names.
    private static func invalid(_ what: String, _ issues: [JobSpecError.Issue]) -> HTTPResponse {
        struct Body: Encodable {
            struct Detail: Encodable { let status: Int; let message: String; let issues: [JobSpecError.Issue] }
            let error: Detail
        }
        let body = Body(error: .init(status: 400, message: "\(what): \(issues.count) problem(s)", issues: issues))
        return .json(status: 400, data: JobsAPI.encoded(body))
    }

    private static func retryLater(_ response: HTTPResponse, seconds: Int) -> HTTPResponse {
        var response = response
        response.headers.add(name: "Retry-After", value: String(seconds))
        return response
    }
}
