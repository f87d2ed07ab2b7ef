import Foundation
import HTTPServer
import PINN
import PINNStore

/// The one place where errors become HTTP responses: invalid specs → 400 with every issue and its field,
/// unknown jobs → 404, impossible state changes → 409, everything else → 500 with the store's message.
enum APIError {
    static func response(for error: any Error) -> HTTPResponse {
        switch error {
        case let error as HTTPError:
            var response = HTTPResponse.error(status: error.status, message: error.message)
            for field in error.headers { response.headers.add(name: field.name, value: field.value) }
            return response
        case let error as JobSpecError:
            struct Body: Encodable {
                struct Detail: Encodable { let status: Int; let message: String; let issues: [JobSpecError.Issue] }
                let error: Detail
            }
            let body = Body(error: .init(status: 400, message: "invalid job spec: \(error.issues.count) problem(s)",
                                         issues: error.issues))
            return .json(status: 400, data: JobsAPI.encoded(body))
        case let error as StoreError:
            switch error {
            case .notFound: return .error(status: 404, message: error.description)
            case .invalidTransition: return .error(status: 409, message: error.description)
            default: return .error(status: 500, message: error.description)
            }
        default:
            return .error(status: 500, message: "internal error: \(error)")
        }
    }
}
